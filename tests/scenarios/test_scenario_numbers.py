"""A scenario's number is never given to another scenario, even after its author deletes
everything: the audit log names scenarios by number, so it must never point at someone else's."""

from __future__ import annotations

from sqlalchemy import text

from app.core.db import make_engine
from app.core.migrations import upgrade
from app.models.users import Role
from tests.scenarios.conftest import send


def test_a_new_scenario_gets_a_higher_number_after_an_account_is_deleted(
    signed_in, make_user, codesigner
):
    first = signed_in(codesigner)
    deleted_id = send(first)["id"]
    assert first.delete("/api/v1/me").status_code == 204

    someone_else = signed_in(make_user(Role.codesigner, name="Another Person"))
    new_id = send(someone_else)["id"]
    assert new_id > deleted_id


def test_a_new_scenario_gets_a_higher_number_after_a_draft_is_deleted(young):
    draft = young.post("/api/v1/scenarios", json={"title": "Not sure yet", "draft": True})
    draft_id = draft.json()["id"]
    assert young.delete(f"/api/v1/scenarios/{draft_id}").status_code == 204
    assert send(young)["id"] > draft_id


def test_upgrading_keeps_every_scenario_and_what_hangs_off_it(fresh_database_url):
    """The migration that stops numbers being reused copies the table; nothing is lost."""
    upgrade(fresh_database_url, "0010")
    engine = make_engine(fresh_database_url)
    try:
        with engine.begin() as connection:
            connection.execute(
                text(
                    "INSERT INTO users (id, email, display_name, password_hash, age_band, "
                    "is_active, created_at) VALUES (1, 'yp@askwell.test', 'YP', 'x', '18-24', "
                    "true, CURRENT_TIMESTAMP)"
                )
            )
            connection.execute(
                text(
                    "INSERT INTO scenarios (id, author_id, status, title, what_happened, "
                    "what_was_said, how_it_felt, what_would_help, platforms, content_warning, "
                    "credit, credit_name, consent_to_quote, created_at, updated_at) VALUES "
                    "(7, 1, 'draft', 'Kept', '', '', '', '', '[]', '', 'none', '', false, "
                    "CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)"
                )
            )
            connection.execute(
                text("INSERT INTO scenario_topics (scenario_id, topic) VALUES (7, 'asking')")
            )
        upgrade(fresh_database_url)
        with engine.connect() as connection:
            assert connection.execute(text("SELECT id, title FROM scenarios")).all() == [
                (7, "Kept")
            ]
            assert connection.execute(text("SELECT topic FROM scenario_topics")).all() == [
                ("asking",)
            ]
    finally:
        engine.dispose()

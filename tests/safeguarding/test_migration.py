"""Flags raised before safeguarding records existed are carried across, sentence and all."""

from __future__ import annotations

from sqlalchemy import text

from app.core.db import make_engine
from app.core.migrations import downgrade, upgrade


def test_existing_flags_become_records_with_their_sentences(fresh_database_url):
    upgrade(fresh_database_url, "0006")
    engine = make_engine(fresh_database_url)
    try:
        with engine.begin() as connection:
            connection.execute(
                text(
                    "INSERT INTO users (id, email, display_name, password_hash, is_active,"
                    " created_at, age_band) VALUES (1, 'yp@example.org', 'Young Person', 'x',"
                    " true, '2026-11-01 10:00:00', '16-17'),"
                    " (2, 'lead@example.org', 'Tess Trainer', 'x', true,"
                    " '2026-11-01 10:00:00', NULL)"
                )
            )
            connection.execute(
                text(
                    "INSERT INTO scenarios (id, author_id, status, title, what_happened,"
                    " what_was_said, how_it_felt, what_would_help, platforms,"
                    " content_warning, credit, credit_name, consent_to_quote, created_at,"
                    " updated_at) VALUES (7, 1, 'submitted', 'Streaks', 'About Snapchat.',"
                    " 'Nothing.', 'I want to die. It was hard.', 'Asking.', '[]', '', 'none',"
                    " '', false, '2026-11-02 10:00:00', '2026-11-02 10:00:00')"
                )
            )
            connection.execute(
                text(
                    "INSERT INTO safeguarding_flags (scenario_id, reasons, raised_at,"
                    " resolved_at, resolved_by_id, resolution_note) VALUES"
                    " (7, 'Words about wanting to end their life now',"
                    " '2026-11-02 10:00:00', '2026-11-03 09:00:00', 2, 'Called them.')"
                )
            )
        upgrade(fresh_database_url)
        with engine.connect() as connection:
            record = (
                connection.execute(
                    text(
                        "SELECT scenario_id, account_id, name, email, age_band, reasons,"
                        " sentences, resolved_by_name, resolution_note FROM"
                        " safeguarding_records"
                    )
                )
                .mappings()
                .one()
            )
        assert record["scenario_id"] == 7 and record["account_id"] == 1
        assert (record["name"], record["email"], record["age_band"]) == (
            "Young Person",
            "yp@example.org",
            "16-17",
        )
        assert record["resolved_by_name"] == "Tess Trainer"
        assert record["resolution_note"] == "Called them."
        assert "I want to die" in str(record["sentences"])
        assert "Snapchat" not in str(record["sentences"])
        downgrade(fresh_database_url, "0006")
        with engine.connect() as connection:
            back = connection.execute(text("SELECT scenario_id FROM safeguarding_flags")).all()
        assert [row[0] for row in back] == [7]
    finally:
        engine.dispose()

"""The audit log reads in words: who did what to what, with names, and filters by those words."""

from __future__ import annotations

import html
import re

from sqlmodel import delete

from app.core.db import session_scope
from app.models.users import Role, User
from tests.joining import accepts
from tests.scenarios.conftest import send


def visible_text(page: str) -> str:
    """What a reader sees: no tags, no attribute values."""
    main = page[page.index("<main") :]
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", main)))


def test_trainer_and_admin_actions_read_as_sentences_with_names(signed_in, make_user):
    admin = signed_in(make_user(Role.admin, name="Ada Admin"))
    young = signed_in(make_user(Role.codesigner, name="Young Person"))
    trainer = signed_in(make_user(Role.trainer, name="Sam Trainer"))
    leaver = make_user(Role.practitioner, name="Lee Leaver")
    member = make_user(Role.practitioner, name="Pat Practitioner")

    scenario_id = send(young)["id"]
    trainer.post(f"/api/v1/review/scenarios/{scenario_id}/claim")
    accepted = trainer.post(
        f"/api/v1/review/scenarios/{scenario_id}/decision",
        json={"decision": "accept", "note": "Thanks", "published_text": "A clean text."},
    )
    assert accepted.status_code == 200
    cohort_id = trainer.post("/api/v1/cohorts", json={"name": "Spring intake"}).json()["id"]
    added = trainer.post(f"/api/v1/cohorts/{cohort_id}/members", json={"email": member.email})
    assert added.status_code in (200, 201)
    accepts(trainer.app, cohort_id, member.email)
    closed = admin.put(
        f"/api/v1/admin/users/{leaver.id}", json={"roles": ["practitioner"], "is_active": False}
    )
    assert closed.status_code == 200
    promoted = admin.put(
        f"/api/v1/admin/users/{member.id}",
        json={"roles": ["practitioner", "trainer"], "is_active": True},
    )
    assert promoted.status_code == 200

    summaries = [event["summary"] for event in admin.get("/api/v1/audit").json()["events"]]
    assert "Ada Admin closed the account of Lee Leaver" in summaries
    assert "Ada Admin gave Pat Practitioner the trainer role" in summaries
    assert f"Sam Trainer accepted scenario {scenario_id}" in summaries
    assert f"Sam Trainer started reviewing scenario {scenario_id}" in summaries
    assert "Sam Trainer created the cohort “Spring intake”" in summaries
    assert "Sam Trainer asked Pat Practitioner to join the cohort “Spring intake”" in summaries
    assert "Pat Practitioner accepted the request to join the cohort “Spring intake”" in summaries

    page = visible_text(admin.get("/admin/audit").text)
    assert "Ada Admin closed the account of Lee Leaver" in page
    assert f"Sam Trainer accepted scenario {scenario_id}" in page
    assert "scenario.accept" not in page and "account.update" not in page


def test_the_filter_offers_words_not_codes_and_finds_by_name(signed_in, make_user):
    admin = signed_in(make_user(Role.admin, name="Ada Admin"))
    young = signed_in(make_user(Role.codesigner))
    trainer = signed_in(make_user(Role.trainer, name="Sam Trainer"))
    other = signed_in(make_user(Role.trainer, name="Rita Reviewer"))
    first = send(young)["id"]
    second = send(young)["id"]
    trainer.post(f"/api/v1/review/scenarios/{first}/claim")
    other.post(f"/api/v1/review/scenarios/{second}/claim")

    page = admin.get("/admin/audit").text
    options = re.findall(r"<option[^>]*>([^<]*)</option>", page)
    assert "Opened a scenario with a safeguarding flag" in options
    assert "Accepted a scenario" in options
    assert not [option for option in options if re.fullmatch(r"[a-z_]+\.[a-z_]+", option)]

    by_name = visible_text(admin.get("/admin/audit", params={"actor": "sam"}).text)
    assert f"Sam Trainer started reviewing scenario {first}" in by_name
    assert "Rita Reviewer" not in by_name
    claims = admin.get("/api/v1/audit", params={"action": "scenario.claim"}).json()["events"]
    assert {event["actor_name"] for event in claims} == {"Sam Trainer", "Rita Reviewer"}
    assert {event["action_label"] for event in claims} == {"Started reviewing a scenario"}


def test_an_action_by_someone_since_deleted_still_reads_in_words(app, signed_in, make_user):
    admin = signed_in(make_user(Role.admin, name="Ada Admin"))
    young_account = make_user(Role.codesigner, name="Young Person")
    young = signed_in(young_account)
    trainer = signed_in(make_user(Role.trainer, name="Sam Trainer"))
    scenario_id = send(young)["id"]
    trainer.post(f"/api/v1/review/scenarios/{scenario_id}/claim")
    trainer.post(f"/api/v1/review/scenarios/{scenario_id}/release")
    with session_scope(app.state.engine) as session:
        session.exec(delete(User).where(User.display_name == "Sam Trainer"))
    summaries = [event["summary"] for event in admin.get("/api/v1/audit").json()["events"]]
    assert f"An account since deleted returned scenario {scenario_id} to the queue" in summaries

"""A safeguarding concern outlives the scenario: withdrawal, account deletion and unsent
drafts all leave an open record for trainers, with the sentence, until it is followed up."""

from __future__ import annotations

from sqlmodel import select

from app.core.db import session_scope
from app.models.audit import AuditEvent
from app.models.contributions import Scenario, ScenarioTopic, ScenarioTransition
from app.models.safeguarding import SafeguardingRecord
from app.models.users import Role
from tests.scenarios.conftest import scenario_body, send

WORRYING = "I don't want to be here any more"
DESPAIR = "I can't cope any more and I want to die"


def open_records(reviewer):
    response = reviewer.get("/api/v1/safeguarding")
    assert response.status_code == 200, response.text
    return response.json()


def test_a_withdrawn_scenario_leaves_an_open_record_with_the_sentence_and_nothing_else(
    young, reviewer, codesigner, rows
):
    scenario_id = send(
        young,
        what_happened="My nurse asked about Snapchat streaks.",
        how_it_felt=f"{WORRYING}. She did not notice.",
    )["id"]
    assert young.post(f"/api/v1/scenarios/{scenario_id}/withdraw").status_code == 200

    listed = open_records(reviewer)
    assert [item["scenario_id"] for item in listed] == [scenario_id]
    assert listed[0]["withdrawn_at"] is not None
    assert "Withdrawn by the young person on" in listed[0]["what_happened_since"]
    assert "email" not in listed[0] and "sentences" not in listed[0]

    record = reviewer.get(f"/api/v1/safeguarding/{listed[0]['id']}").json()
    assert [sentence["text"] for sentence in record["sentences"]] == [WORRYING]
    assert record["sentences"][0]["typed_in"] == "scenario_sent"
    assert record["email"] == codesigner.email and record["name"] == "Young Person"
    assert record["age_band"] == "18-24" and record["resolved_at"] is None
    assert record["review_url"] is None

    # Nothing else of the scenario survives: not in the record, not in the scenario row.
    stored = rows(select(SafeguardingRecord))[0]
    assert "Snapchat" not in str(stored.model_dump())
    scenario = rows(select(Scenario).where(Scenario.id == scenario_id))[0]
    assert scenario.how_it_felt == "" and scenario.what_happened == "" and scenario.title == ""
    history = select(ScenarioTransition).where(ScenarioTransition.scenario_id == scenario_id)
    assert rows(history) == []
    assert rows(select(ScenarioTopic).where(ScenarioTopic.scenario_id == scenario_id)) == []

    home = reviewer.get("/").text
    assert "1 open safeguarding record" in home
    assert f'href="/safeguarding/{record["id"]}"' in home
    flagged = reviewer.get("/review/scenarios?flagged=true").text
    assert f'href="/safeguarding/{record["id"]}"' in flagged
    assert "Withdrawn by the young person on" in flagged
    page = reviewer.get(f"/safeguarding/{record['id']}").text
    assert "Withdrawn by the young person on" in page and WORRYING.replace("'", "&#39;") in page


def test_deleting_the_account_keeps_the_record_with_the_details_at_the_time(
    young, reviewer, codesigner, rows
):
    scenario_id = send(young, how_it_felt=DESPAIR)["id"]
    assert young.delete("/api/v1/me").status_code == 204
    assert rows(select(Scenario).where(Scenario.id == scenario_id)) == []

    listed = open_records(reviewer)
    assert len(listed) == 1 and listed[0]["account_deleted_at"] is not None
    assert listed[0]["scenario_id"] is None
    assert "Account deleted on" in listed[0]["what_happened_since"]
    record = reviewer.get(f"/api/v1/safeguarding/{listed[0]['id']}").json()
    assert record["email"] == codesigner.email and record["name"] == "Young Person"
    assert [sentence["text"] for sentence in record["sentences"]] == [DESPAIR]
    assert "Account deleted on" in reviewer.get(f"/safeguarding/{record['id']}").text


def test_an_unsent_draft_raises_one_record_that_gathers_new_sentences(young, reviewer):
    draft = young.post("/api/v1/scenarios", json=scenario_body(draft=True, how_it_felt=DESPAIR))
    assert draft.status_code == 201 and draft.json()["status"] == "draft"
    assert [service["name"] for service in draft.json()["support"]][0] == "Samaritans"
    draft_id = draft.json()["id"]

    again = young.put(
        f"/api/v1/scenarios/{draft_id}", json=scenario_body(draft=True, how_it_felt=DESPAIR)
    )
    assert again.status_code == 200, again.text
    listed = open_records(reviewer)
    assert len(listed) == 1, "saving the same words again must not raise a second alert"
    record = reviewer.get(f"/api/v1/safeguarding/{listed[0]['id']}").json()
    assert [(s["text"], s["typed_in"]) for s in record["sentences"]] == [
        (DESPAIR, "scenario_draft")
    ]
    assert "Still an unsent draft" in record["what_happened_since"]

    young.put(
        f"/api/v1/scenarios/{draft_id}",
        json=scenario_body(draft=True, how_it_felt=DESPAIR, what_would_help="I feel suicidal."),
    )
    listed = open_records(reviewer)
    assert len(listed) == 1
    record = reviewer.get(f"/api/v1/safeguarding/{listed[0]['id']}").json()
    assert [s["text"] for s in record["sentences"]] == [DESPAIR, "I feel suicidal"]


def test_resolving_is_audited_and_closes_the_record_for_good(young, reviewer, rows):
    scenario_id = send(young, how_it_felt=WORRYING)["id"]
    young.post(f"/api/v1/scenarios/{scenario_id}/withdraw")
    record_id = open_records(reviewer)[0]["id"]

    empty = reviewer.post(f"/api/v1/safeguarding/{record_id}/resolve", json={"note": "  "})
    assert empty.status_code == 422 and "Say what was done" in empty.json()["detail"]
    done = reviewer.post(
        f"/api/v1/safeguarding/{record_id}/resolve",
        json={"note": "Phoned them the same day; they are safe and have a GP appointment."},
    )
    assert done.status_code == 200, done.text
    assert done.json()["resolved_by"] == "Tess Trainer"
    assert open_records(reviewer) == []
    resolved = reviewer.get("/api/v1/safeguarding?show=resolved").json()
    assert [item["id"] for item in resolved] == [record_id]
    twice = reviewer.post(f"/api/v1/safeguarding/{record_id}/resolve", json={"note": "Again"})
    assert twice.status_code == 409

    actions = [
        (event.action, event.target_id)
        for event in rows(select(AuditEvent).order_by(AuditEvent.id))
        if event.action.startswith("safeguarding.")
    ]
    assert ("safeguarding.resolve", str(record_id)) in actions
    assert ("safeguarding.view", str(record_id)) not in actions
    reviewer.get(f"/api/v1/safeguarding/{record_id}")
    reviewer.get(f"/safeguarding/{record_id}")
    views = [
        event
        for event in rows(select(AuditEvent))
        if event.action == "safeguarding.view" and event.target_id == str(record_id)
    ]
    assert len(views) == 2
    assert all(WORRYING not in event.detail for event in rows(select(AuditEvent)))
    assert "safeguarding" not in reviewer.get("/").text.lower().split("co-design")[0]


def test_the_review_page_form_still_resolves_a_live_scenarios_record(young, reviewer):
    scenario_id = send(young, how_it_felt=WORRYING)["id"]
    record_id = open_records(reviewer)[0]["id"]
    review = reviewer.get(f"/review/scenarios/{scenario_id}").text
    assert f'href="/safeguarding/{record_id}"' in review
    resolved = reviewer.post(
        f"/api/v1/review/scenarios/{scenario_id}/flag/resolve", json={"note": "Called them."}
    )
    assert resolved.status_code == 204
    record = reviewer.get(f"/api/v1/safeguarding/{record_id}").json()
    assert record["resolution_note"] == "Called them." and record["resolved_at"]


def test_only_trainers_see_safeguarding_records(young, signed_in, make_user):
    send(young, how_it_felt=WORRYING)
    practitioner = signed_in(make_user(Role.practitioner))
    assert young.get("/api/v1/safeguarding").status_code == 403
    assert practitioner.get("/api/v1/safeguarding").status_code == 403
    assert practitioner.get("/safeguarding").status_code == 403
    assert young.get("/api/v1/safeguarding/1").status_code == 403


def test_a_rating_comment_with_risk_words_gets_a_record_of_its_own(young, reviewer):
    rating = "/api/v1/modules/asking-basics/asks/curiosity/rating"
    answer = young.put(rating, json={"verdict": "no", "comment": "I want to hurt myself."})
    assert answer.status_code == 200
    assert [service["name"] for service in answer.json()["support"]] == [
        "Samaritans",
        "Shout",
        "Childline",
        "Emergency",
    ]
    young.put(rating, json={"verdict": "not_sure", "comment": "I want to hurt myself."})
    listed = open_records(reviewer)
    assert len(listed) == 1 and listed[0]["ask_id"] == "curiosity"
    assert listed[0]["module_slug"] == "asking-basics" and listed[0]["scenario_id"] is None
    record = reviewer.get(f"/api/v1/safeguarding/{listed[0]['id']}").json()
    assert [(s["text"], s["typed_in"]) for s in record["sentences"]] == [
        ("I want to hurt myself", "rating_comment")
    ]
    calm = young.put(rating, json={"verdict": "yes", "comment": "Feels curious."})
    assert calm.json()["support"] == []


def test_the_own_data_export_says_safeguarding_records_exist_and_how_to_ask(young):
    data = young.get("/api/v1/me/data").json()
    statement = data["safeguarding_records"]
    assert "separate safeguarding record" in statement["what"]
    assert "subject access request" in statement["how_to_ask"]
    page = young.get("/my-data").text
    assert "safeguarding record" in page and "/privacy" in page


def test_a_draft_deleted_outright_still_leaves_its_record(young, reviewer, app):
    draft_id = young.post(
        "/api/v1/scenarios", json=scenario_body(draft=True, how_it_felt=DESPAIR)
    ).json()["id"]
    with session_scope(app.state.engine) as session:
        session.delete(session.get(Scenario, draft_id))
    listed = open_records(reviewer)
    assert len(listed) == 1 and listed[0]["scenario_id"] is None
    assert listed[0]["what_happened_since"] == "The young person has since deleted it."
    assert "Safeguarding records" in reviewer.get("/").text

"""Co-designers send, revise, follow and withdraw their scenarios; nobody else sees them."""

from __future__ import annotations

from sqlmodel import select

from app.models.contributions import Scenario, ScenarioTopic, ScenarioTransition
from app.models.safeguarding import SafeguardingRecord
from app.models.users import Role
from tests.scenarios.conftest import publish, scenario_body, send


def test_sending_a_scenario_returns_its_state_and_every_personal_detail_as_a_warning(young):
    body = send(
        young,
        what_happened=(
            "Sarah messaged me on 07700 900123 and @sam_x posted it on example.co.uk; "
            "email me at yp@example.com, I live at SW1A 1AA"
        ),
    )
    assert body["status"] == "submitted"
    assert body["support"] == []
    kinds = {(w["kind"], w["text"]) for w in body["warnings"]}
    assert kinds == {
        ("name", "Sarah"),
        ("phone", "07700 900123"),
        ("handle", "@sam_x"),
        ("url", "example.co.uk"),
        ("email", "yp@example.com"),
        ("postcode", "SW1A 1AA"),
    }
    assert all(w["field"] == "what_happened" for w in body["warnings"])


def test_warnings_never_block_and_a_clean_scenario_has_none(young):
    assert send(young)["warnings"] == []


def test_a_draft_keeps_what_was_typed_and_is_sent_later(young, rows):
    draft = young.post("/api/v1/scenarios", json={"title": "Half written", "draft": True})
    assert draft.status_code == 201 and draft.json()["status"] == "draft"
    scenario_id = draft.json()["id"]
    assert young.get(f"/api/v1/scenarios/{scenario_id}").json()["title"] == "Half written"
    sent = young.put(f"/api/v1/scenarios/{scenario_id}", json=scenario_body())
    assert sent.status_code == 200 and sent.json()["status"] == "submitted"
    steps = rows(select(ScenarioTransition).where(ScenarioTransition.scenario_id == scenario_id))
    assert [(s.from_status, s.to_status) for s in steps] == [("draft", "submitted")]


def test_sending_needs_every_answer_and_says_which_is_missing(young):
    response = young.post("/api/v1/scenarios", json=scenario_body(how_it_felt="", topics=[]))
    assert response.status_code == 422
    assert "Tell us how it felt" in response.json()["detail"]
    assert "Choose at least one topic" in response.json()["detail"]


def test_limits_are_explained_in_plain_words(young):
    too_long = young.post("/api/v1/scenarios", json=scenario_body(what_happened="a" * 3001))
    assert too_long.status_code == 422
    assert "3,000 characters or fewer" in too_long.json()["detail"]
    unknown_topic = young.post("/api/v1/scenarios", json=scenario_body(topics=["not-a-topic"]))
    assert unknown_topic.status_code == 422
    bad_credit = young.post(
        "/api/v1/scenarios", json=scenario_body(credit="first_name", credit_name="Sam Smith")
    )
    assert bad_credit.status_code == 422 and "first name only" in bad_credit.json()["detail"]


def test_credit_defaults_to_none_and_quoting_to_off(young):
    body = scenario_body()
    del body["credit"], body["consent_to_quote"]
    created = young.post("/api/v1/scenarios", json=body).json()
    mine = young.get(f"/api/v1/scenarios/{created['id']}").json()
    assert mine["credit"] == "none" and mine["consent_to_quote"] is False


def test_only_codesigners_send_scenarios(signed_in, make_user):
    for role in (Role.practitioner, Role.trainer, Role.admin):
        client = signed_in(make_user(role))
        assert client.post("/api/v1/scenarios", json=scenario_body()).status_code == 403


def test_another_persons_scenario_is_not_found_rather_than_forbidden(young, signed_in, make_user):
    scenario_id = send(young)["id"]
    for someone in (make_user(Role.codesigner), make_user(Role.practitioner)):
        other = signed_in(someone)
        for response in (
            other.get(f"/api/v1/scenarios/{scenario_id}"),
            other.put(f"/api/v1/scenarios/{scenario_id}", json=scenario_body()),
            other.post(f"/api/v1/scenarios/{scenario_id}/withdraw"),
            other.get(f"/scenarios/{scenario_id}"),
            other.get(f"/scenarios/{scenario_id}/edit"),
        ):
            assert response.status_code == 404, response.url
        assert other.get("/api/v1/scenarios/99999").status_code == 404


def test_trainers_read_sent_scenarios_but_never_drafts(young, reviewer):
    sent_id = send(young)["id"]
    draft_id = young.post("/api/v1/scenarios", json={"title": "private", "draft": True}).json()[
        "id"
    ]
    assert reviewer.get(f"/api/v1/scenarios/{sent_id}").status_code == 200
    assert reviewer.get(f"/api/v1/scenarios/{draft_id}").status_code == 404


def test_my_contributions_lists_only_mine_with_status_notes_and_placement(
    young, reviewer, signed_in, make_user
):
    published_id = publish(young, reviewer)
    send(signed_in(make_user(Role.codesigner)), title="Someone else's")
    mine = young.get("/api/v1/scenarios/mine").json()
    assert [s["id"] for s in mine] == [published_id]
    assert mine[0]["status"] == "published"
    assert mine[0]["published_in"] == [{"slug": "asking-basics", "title": "Asking basics"}]
    notes = [step["note"] for step in mine[0]["reviewer_notes"] if step["by"] == "a trainer"]
    assert "Thank you." in notes


def test_a_published_scenario_appears_in_modules_of_its_topics_with_the_chosen_credit(
    young, reviewer, practitioner_client
):
    publish(young, reviewer, credit="pseudonym", credit_name="Robin")
    page = practitioner_client.get("/modules/asking-basics")
    assert "Scenarios from young people" in page.text
    assert "My nurse asked to see my feed." in page.text
    assert "Shared by Robin, a young co-designer" in page.text
    assert "I had been up late every night" not in page.text  # only the published text
    other_topic = practitioner_client.get("/modules/second-module")
    assert "My nurse asked to see my feed." not in other_topic.text
    api = practitioner_client.get("/api/v1/modules/asking-basics").json()
    assert [s["title"] for s in api["scenarios"]] == ["Show me your feed"]
    assert api["scenarios"][0]["credit"] == "Shared by Robin, a young co-designer"


def test_withdrawal_unpublishes_at_once_and_keeps_only_a_marker(
    young, reviewer, practitioner_client, rows
):
    scenario_id = publish(young, reviewer)
    assert (
        "My nurse asked to see my feed."
        in practitioner_client.get("/modules/asking-basics/all").text
    )
    response = young.post(f"/api/v1/scenarios/{scenario_id}/withdraw")
    assert response.status_code == 200 and response.json()["status"] == "withdrawn"
    for path in ("/modules/asking-basics", "/modules/asking-basics/all"):
        assert "My nurse asked to see my feed." not in practitioner_client.get(path).text
    assert practitioner_client.get("/api/v1/modules/asking-basics").json()["scenarios"] == []
    marker = rows(select(Scenario).where(Scenario.id == scenario_id))[0]
    assert marker.status == "withdrawn" and marker.withdrawn_at is not None
    assert marker.title == marker.what_happened == marker.how_it_felt == ""
    assert marker.published_text is None and marker.platforms == []
    assert (
        rows(select(ScenarioTransition).where(ScenarioTransition.scenario_id == scenario_id)) == []
    )
    assert rows(select(ScenarioTopic).where(ScenarioTopic.scenario_id == scenario_id)) == []
    assert reviewer.get(f"/api/v1/review/scenarios/{scenario_id}").status_code == 404
    again = young.post(f"/api/v1/scenarios/{scenario_id}/withdraw")
    assert again.status_code == 409 and "withdrawn" in again.json()["detail"]


def test_words_about_risk_now_show_support_at_once_and_raise_a_flag_only_trainers_see(
    young, reviewer, rows
):
    body = send(young, how_it_felt="Honestly I don't want to be here anymore.")
    assert [service["name"] for service in body["support"]] == [
        "Samaritans",
        "Shout",
        "Childline",
        "Emergency",
    ]
    records = rows(select(SafeguardingRecord).where(SafeguardingRecord.scenario_id == body["id"]))
    assert len(records) == 1 and "want to be here" not in records[0].reasons
    assert [entry["text"] for entry in records[0].sentences] == [
        "Honestly I don't want to be here anymore"
    ]
    own_view = young.get(f"/api/v1/scenarios/{body['id']}").json()
    assert "flag" not in str(own_view).lower()
    queue = reviewer.get("/api/v1/review/scenarios").json()
    assert queue[0]["id"] == body["id"] and queue[0]["safeguarding_flag"] is True


def test_too_many_scenarios_in_an_hour_are_refused_kindly(young, app):
    limit = app.state.settings.scenario_submissions_per_hour
    for number in range(limit):
        send(young, title=f"Scenario {number}")
    refused = young.post("/api/v1/scenarios", json=scenario_body())
    assert refused.status_code == 429
    assert "Nothing you typed has been lost" in refused.json()["detail"]


def test_revising_after_changes_are_requested_sends_it_again(young, reviewer):
    scenario_id = send(young)["id"]
    reviewer.post(f"/api/v1/review/scenarios/{scenario_id}/claim")
    reviewer.post(
        f"/api/v1/review/scenarios/{scenario_id}/decision",
        json={"decision": "request_changes", "note": "Could you say more about how it felt?"},
    )
    revised = young.put(
        f"/api/v1/scenarios/{scenario_id}", json=scenario_body(how_it_felt="Relieved, honestly.")
    )
    assert revised.status_code == 200 and revised.json()["status"] == "submitted"
    assert young.get(f"/api/v1/scenarios/{scenario_id}").json()["how_it_felt"] == (
        "Relieved, honestly."
    )
    not_editable = young.put(f"/api/v1/scenarios/{scenario_id}", json=scenario_body())
    assert not_editable.status_code == 409

"""The review workflow: one table of transitions, claims, decisions, publishing, and the audit."""

from __future__ import annotations

import itertools
import re
from datetime import timedelta

import pytest
from sqlmodel import select

from app.auth.schemas import Viewer
from app.core.db import session_scope
from app.core.errors import Conflict
from app.models.audit import AuditEvent
from app.models.contributions import Scenario, ScenarioStatus, ScenarioTransition
from app.models.users import Role, User
from app.scenarios import workflow
from tests.conftest import api_login
from tests.scenarios.conftest import publish, send

ROLES = (workflow.AUTHOR, workflow.TRAINER)


def viewer_of(account) -> Viewer:
    return Viewer(
        id=account.id,
        email=account.email,
        display_name="x",
        roles=frozenset(account.roles),
        session_id="",
    )


@pytest.mark.parametrize(
    ("start", "target", "as_role"),
    list(itertools.product(ScenarioStatus, ScenarioStatus, ROLES)),
    ids=lambda value: str(value),
)
def test_every_transition_is_allowed_only_from_the_table(app, codesigner, start, target, as_role):
    """Every pair of states, for both kinds of actor: allowed exactly when the table says so."""
    allowed = workflow.TRANSITIONS.get((start, target)) == as_role
    with session_scope(app.state.engine) as session:
        scenario = Scenario(author_id=codesigner.id, status=start.value, title="t")
        session.add(scenario)
        session.flush()
        actor = viewer_of(codesigner)
        if allowed:
            workflow.move(session, scenario, target, actor=actor, as_role=as_role, note="n")
            assert scenario.status == target.value
            step = session.exec(
                select(ScenarioTransition).where(ScenarioTransition.scenario_id == scenario.id)
            ).one()
            assert (step.from_status, step.to_status, step.note) == (start, target, "n")
            assert step.actor_id == codesigner.id and step.at is not None
        else:
            with pytest.raises(Conflict) as refused:
                workflow.move(session, scenario, target, actor=actor, as_role=as_role)
            assert STATE_WORDS[start] in refused.value.message
            assert scenario.status == start.value


STATE_WORDS = {status: f"({status.value})" for status in ScenarioStatus}


def test_the_whole_loop_through_the_api_records_who_when_and_why(young, reviewer, rows):
    scenario_id = send(young)["id"]
    assert reviewer.post(f"/api/v1/review/scenarios/{scenario_id}/claim").json()["status"] == (
        "in_review"
    )
    changes = reviewer.post(
        f"/api/v1/review/scenarios/{scenario_id}/decision",
        json={"decision": "request_changes", "note": "Say a bit more, please."},
    )
    assert changes.json()["status"] == "changes_requested"
    young.put(f"/api/v1/scenarios/{scenario_id}", json={**_complete(), "how_it_felt": "Better."})
    reviewer.post(f"/api/v1/review/scenarios/{scenario_id}/claim")
    accepted = reviewer.post(
        f"/api/v1/review/scenarios/{scenario_id}/decision",
        json={"decision": "accept", "published_text": "A clean text.", "note": "Thanks!"},
    )
    assert accepted.json()["status"] == "accepted"
    assert reviewer.post(f"/api/v1/review/scenarios/{scenario_id}/publish").json()["status"] == (
        "published"
    )
    steps = rows(
        select(ScenarioTransition)
        .where(ScenarioTransition.scenario_id == scenario_id)
        .order_by(ScenarioTransition.id)
    )
    assert [(s.from_status, s.to_status) for s in steps] == [
        ("draft", "submitted"),
        ("submitted", "in_review"),
        ("in_review", "changes_requested"),
        ("changes_requested", "submitted"),
        ("submitted", "in_review"),
        ("in_review", "accepted"),
        ("accepted", "published"),
    ]
    assert steps[2].note == "Say a bit more, please."


def _complete():
    from tests.scenarios.conftest import scenario_body

    return scenario_body()


def test_a_refused_transition_is_a_409_that_says_what_can_be_done(young, reviewer):
    scenario_id = send(young)["id"]
    decision = reviewer.post(
        f"/api/v1/review/scenarios/{scenario_id}/decision",
        json={"decision": "reject", "note": "Sorry."},
    )
    assert decision.status_code == 409
    detail = decision.json()["detail"]
    assert "(submitted)" in detail and "claimed for review by a trainer" in detail
    publish_early = reviewer.post(f"/api/v1/review/scenarios/{scenario_id}/publish")
    assert publish_early.status_code == 409


def test_two_trainers_never_review_the_same_scenario(young, reviewer, signed_in, make_user):
    scenario_id = send(young)["id"]
    other = signed_in(make_user(Role.trainer, name="Other Trainer"))
    assert reviewer.post(f"/api/v1/review/scenarios/{scenario_id}/claim").status_code == 200
    taken = other.post(f"/api/v1/review/scenarios/{scenario_id}/claim")
    assert (
        taken.status_code == 409 and "Tess Trainer is already reviewing" in taken.json()["detail"]
    )
    decision = other.post(
        f"/api/v1/review/scenarios/{scenario_id}/decision",
        json={"decision": "reject", "note": "No."},
    )
    assert decision.status_code == 409
    assert reviewer.post(f"/api/v1/review/scenarios/{scenario_id}/release").status_code == 200
    assert other.post(f"/api/v1/review/scenarios/{scenario_id}/claim").status_code == 200


def _age_claim(app, scenario_id: int, by: timedelta) -> None:
    with session_scope(app.state.engine) as session:
        scenario = session.get(Scenario, scenario_id)
        scenario.claimed_at = scenario.claimed_at - by


def test_a_claim_left_for_three_days_can_be_taken_over_and_the_takeover_is_audited(
    app, young, reviewer, signed_in, make_user, rows
):
    scenario_id = send(young)["id"]
    other_trainer = make_user(Role.trainer, name="Other Trainer")
    other = signed_in(other_trainer)
    reviewer.post(f"/api/v1/review/scenarios/{scenario_id}/claim")

    _age_claim(app, scenario_id, timedelta(days=2, hours=23))
    early = other.post(f"/api/v1/review/scenarios/{scenario_id}/claim")
    assert early.status_code == 409
    assert "If they have not decided by" in early.json()["detail"]
    queued = other.get("/api/v1/review/scenarios").json()
    assert [item["claim_lapsed"] for item in queued if item["id"] == scenario_id] == [False]

    _age_claim(app, scenario_id, timedelta(hours=1))
    page = other.get(f"/review/scenarios/{scenario_id}")
    assert "has not decided in 3 days" in page.text and "Take over this review" in page.text
    assert other.post(f"/api/v1/review/scenarios/{scenario_id}/claim").status_code == 200
    view = other.get(f"/api/v1/review/scenarios/{scenario_id}").json()
    assert view["claimed_by_me"] is True and view["claim_lapsed"] is False

    stale = reviewer.post(
        f"/api/v1/review/scenarios/{scenario_id}/decision",
        json={"decision": "reject", "note": "No."},
    )
    assert stale.status_code == 409 and "Other Trainer is reviewing" in stale.json()["detail"]
    takeover = rows(select(AuditEvent).where(AuditEvent.action == "scenario.claim_takeover"))
    assert [(event.actor_id, event.detail) for event in takeover] == [
        (other_trainer.id, "the claim by Tess Trainer had lapsed")
    ]
    history = rows(
        select(ScenarioTransition)
        .where(ScenarioTransition.scenario_id == scenario_id)
        .order_by(ScenarioTransition.id)
    )
    assert [step.to_status for step in history] == ["submitted", "in_review"]


def test_a_claim_by_a_deleted_trainer_is_free_at_once(app, young, signed_in, make_user):
    scenario_id = send(young)["id"]
    leaver = make_user(Role.trainer, name="Leaver")
    signed_in(leaver).post(f"/api/v1/review/scenarios/{scenario_id}/claim")
    with session_scope(app.state.engine) as session:
        session.delete(session.get(User, leaver.id))
    other = signed_in(make_user(Role.trainer))
    page = other.get(f"/review/scenarios/{scenario_id}")
    assert "no longer has an account" in page.text
    assert other.post(f"/api/v1/review/scenarios/{scenario_id}/claim").status_code == 200
    decided = other.post(
        f"/api/v1/review/scenarios/{scenario_id}/decision",
        json={"decision": "request_changes", "note": "Could you say which app it was?"},
    )
    assert decided.status_code == 200


def test_a_trainer_takes_a_published_scenario_down_and_republishes_it_corrected(
    young, reviewer, practitioner_client, rows
):
    scenario_id = publish(young, reviewer)
    assert "My nurse asked to see my feed" in practitioner_client.get("/modules/asking-basics").text
    unexplained = reviewer.post(
        f"/api/v1/review/scenarios/{scenario_id}/unpublish", json={"note": "  "}
    )
    assert unexplained.status_code == 422 and "young person reads" in unexplained.json()["detail"]

    down = reviewer.post(
        f"/api/v1/review/scenarios/{scenario_id}/unpublish",
        json={"note": "The text named your college, so we have taken it out to fix that."},
    )
    assert down.status_code == 200 and down.json()["status"] == "in_review"
    assert (
        "My nurse asked to see my feed"
        not in practitioner_client.get("/modules/asking-basics").text
    )
    results = practitioner_client.get("/api/v1/search", params={"q": "nurse feed"}).json()
    assert [hit for hit in results["results"] if hit["kind"] == "scenario"] == []
    mine = young.get(f"/api/v1/scenarios/{scenario_id}").json()
    assert mine["status"] == "in_review"
    assert "named your college" in young.get(f"/scenarios/{scenario_id}").text

    corrected = reviewer.post(
        f"/api/v1/review/scenarios/{scenario_id}/decision",
        json={
            "decision": "accept",
            "note": "Fixed, thank you.",
            "published_title": "Show me your feed",
            "published_text": "My nurse asked to see my feed. It felt like she cared.",
        },
    )
    assert corrected.status_code == 200
    assert reviewer.post(f"/api/v1/review/scenarios/{scenario_id}/publish").status_code == 200
    page = practitioner_client.get("/modules/asking-basics").text
    assert "It felt like she cared." in page and "she was interested" not in page
    assert [e.action for e in rows(select(AuditEvent)) if e.action == "scenario.unpublish"] == [
        "scenario.unpublish"
    ]


@pytest.mark.usefixtures("practitioner_client")
def test_only_trainers_take_scenarios_down_and_only_published_ones(young, reviewer):
    scenario_id = send(young)["id"]
    not_published = reviewer.post(
        f"/api/v1/review/scenarios/{scenario_id}/unpublish", json={"note": "Why not."}
    )
    assert not_published.status_code == 409
    assert "Only a published scenario" in not_published.json()["detail"]
    assert young.get(f"/api/v1/scenarios/{scenario_id}").json()["status"] == "submitted"
    assert (
        young.post(
            f"/api/v1/review/scenarios/{scenario_id}/unpublish", json={"note": "x"}
        ).status_code
        == 403
    )


def test_the_take_down_form_keeps_the_note_when_it_is_too_long(young, reviewer):
    scenario_id = publish(young, reviewer)
    page = reviewer.get(f"/review/scenarios/{scenario_id}")
    assert "Take it out of the modules" in page.text
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
    too_long = "It names a school. " * 120
    refused = reviewer.post(
        f"/review/scenarios/{scenario_id}/unpublish",
        data={"csrf_token": csrf, "unpublish_note": too_long},
    )
    assert refused.status_code == 400
    assert 'href="#unpublish_note"' in refused.text and too_long.strip() in refused.text
    taken = reviewer.post(
        f"/review/scenarios/{scenario_id}/unpublish",
        data={"csrf_token": csrf, "unpublish_note": "It names a school."},
        follow_redirects=False,
    )
    assert taken.status_code == 303
    assert reviewer.get(f"/api/v1/review/scenarios/{scenario_id}").json()["claimed_by_me"]


def test_asking_for_changes_or_rejecting_needs_a_note_the_young_person_reads(young, reviewer):
    scenario_id = send(young)["id"]
    reviewer.post(f"/api/v1/review/scenarios/{scenario_id}/claim")
    for decision in ("request_changes", "reject"):
        response = reviewer.post(
            f"/api/v1/review/scenarios/{scenario_id}/decision", json={"decision": decision}
        )
        assert response.status_code == 422
    reviewer.post(
        f"/api/v1/review/scenarios/{scenario_id}/decision",
        json={"decision": "reject", "note": "Thank you for sharing; it overlaps one we have."},
    )
    mine = young.get(f"/api/v1/scenarios/{scenario_id}").json()
    assert mine["status"] == "rejected"
    assert mine["reviewer_notes"][-1]["note"] == "Thank you for sharing; it overlaps one we have."
    assert mine["reviewer_notes"][-1]["by"] == "a trainer"


def test_accepting_is_refused_while_the_published_text_looks_personal(young, reviewer):
    scenario_id = send(young)["id"]
    reviewer.post(f"/api/v1/review/scenarios/{scenario_id}/claim")
    decision = {"decision": "accept", "published_text": "Sam called 07700 900123 about it."}
    refused = reviewer.post(f"/api/v1/review/scenarios/{scenario_id}/decision", json=decision)
    assert refused.status_code == 422
    assert "07700 900123" in refused.json()["detail"] and "Sam" in refused.json()["detail"]
    half = reviewer.post(
        f"/api/v1/review/scenarios/{scenario_id}/decision",
        json={**decision, "confirmed_not_personal": ["Sam"]},
    )
    assert half.status_code == 422 and "Sam" not in half.json()["detail"].split(":", 1)[1]
    confirmed = reviewer.post(
        f"/api/v1/review/scenarios/{scenario_id}/decision",
        json={**decision, "confirmed_not_personal": ["Sam", "07700 900123"]},
    )
    assert confirmed.status_code == 200


def test_a_scenario_without_consent_to_quote_is_never_published(young, reviewer):
    scenario_id = send(young, consent_to_quote=False)["id"]
    reviewer.post(f"/api/v1/review/scenarios/{scenario_id}/claim")
    reviewer.post(
        f"/api/v1/review/scenarios/{scenario_id}/decision",
        json={"decision": "accept", "published_text": "A clean text."},
    )
    refused = reviewer.post(f"/api/v1/review/scenarios/{scenario_id}/publish")
    assert refused.status_code == 409 and "not agreed" in refused.json()["detail"]


def test_practitioners_and_codesigners_are_refused_the_review_api(young, signed_in, make_user):
    scenario_id = send(young)["id"]
    for role in (Role.practitioner, Role.codesigner, Role.admin):
        client = signed_in(make_user(role))
        assert client.get("/api/v1/review/scenarios").status_code == 403
        assert client.get(f"/api/v1/review/scenarios/{scenario_id}").status_code == 403
        assert client.post(f"/api/v1/review/scenarios/{scenario_id}/claim").status_code == 403
        decision = client.post(
            f"/api/v1/review/scenarios/{scenario_id}/decision",
            json={"decision": "accept", "published_text": "x"},
        )
        assert decision.status_code == 403
        assert client.get("/review/scenarios").status_code == 403


def test_the_queue_puts_flags_first_filters_and_never_shows_drafts(young, reviewer):
    calm = send(young, title="Calm one", topics=["gaming"])["id"]
    flagged = send(young, title="Worrying one", how_it_felt="I want to die")["id"]
    young.post("/api/v1/scenarios", json={"title": "Private draft", "draft": True})
    queue = reviewer.get("/api/v1/review/scenarios").json()
    assert [item["id"] for item in queue] == [flagged, calm]
    assert reviewer.get("/api/v1/review/scenarios?topic=gaming").json()[0]["id"] == calm
    assert [i["id"] for i in reviewer.get("/api/v1/review/scenarios?flagged=true").json()] == [
        flagged
    ]
    assert reviewer.get("/api/v1/review/scenarios?status=draft").status_code == 422
    everything = reviewer.get("/api/v1/review/scenarios?status=all").json()
    assert "Private draft" not in [item["title"] for item in everything]
    page = reviewer.get("/review/scenarios")
    assert page.text.index("Worrying one") < page.text.index("Calm one")


def test_trainer_actions_and_viewing_a_flagged_submission_are_audited(
    young, reviewer, trainer, make_user, client, rows
):
    publish(young, reviewer)
    flagged = send(young, how_it_felt="I want to hurt myself")["id"]
    view = reviewer.get(f"/api/v1/review/scenarios/{flagged}").json()
    assert view["author_contact"] and view["flags"][0]["resolved_at"] is None
    reviewer.post(
        f"/api/v1/review/scenarios/{flagged}/flag/resolve",
        json={"note": "Called through the college's safeguarding lead."},
    )
    actions = [
        event.action
        for event in rows(select(AuditEvent).order_by(AuditEvent.id))
        if event.actor_id == trainer.id
    ]
    assert actions == [
        "scenario.claim",
        "scenario.accept",
        "scenario.publish",
        "scenario.view_flagged",
        "safeguarding.resolve",
    ]
    assert all("hurt" not in e.detail for e in rows(select(AuditEvent)))
    api_login(client, make_user(Role.admin))
    logged = client.get("/api/v1/audit?action=scenario").json()["events"]
    assert {event["actor_email"] for event in logged} == {trainer.email}

"""Trainers review co-designers' scenarios: the queue, claiming, decisions and flags.

Every action is audited (who, what, when; never the young person's words), and every
change of state goes through the one transition table in :mod:`app.scenarios.workflow`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, or_
from sqlmodel import Session, col, select

from app.audit import service as audit
from app.auth.schemas import Viewer
from app.auth.service import require_role
from app.content import ContentIndex
from app.content.schemas import TOPICS
from app.core.errors import Conflict, InvalidInput, NotFound
from app.core.text import clean_multiline
from app.models.base import utcnow
from app.models.contributions import Scenario, ScenarioStatus, ScenarioTopic, ScenarioTransition
from app.models.users import Role, User
from app.safeguarding import service as safeguarding
from app.scenarios.errors import DecisionInvalid
from app.scenarios.personal_details import credit_name_findings, personal_details_in
from app.scenarios.published_text import (
    checked_version,
    clean_limited,
    store_version,
    suggested_text,
    version_problems,
)
from app.scenarios.records import describe, history_of, reviewable, topics_of
from app.scenarios.schemas import (
    DECISION_STATUS,
    Decision,
    DecisionIn,
    FlagOut,
    QueueItemOut,
    ReviewScenarioOut,
    ReviewStepOut,
    ScenarioOut,
    WarningOut,
)
from app.scenarios.workflow import HIDDEN_FROM_TRAINERS, MAXIMUM_NOTE_LENGTH, TRAINER, move, refusal

S = ScenarioStatus
ACTIVE = (S.submitted, S.in_review, S.accepted)
VISIBLE = tuple(status for status in ScenarioStatus if status not in HIDDEN_FROM_TRAINERS)
CLAIM_LAPSES_AFTER = timedelta(days=3)


def claim_lapsed(scenario: Scenario, now: datetime | None = None) -> bool:
    """A claim nobody has acted on for three days, or whose trainer's account is gone.

    Without this a submission claimed by someone on leave, or by an account since
    deleted, would wait in review for ever while the young person waits for an answer.
    """
    if scenario.status != S.in_review.value:
        return False
    if scenario.claimed_by_id is None or scenario.claimed_at is None:
        return True
    return (now or utcnow()) - scenario.claimed_at >= CLAIM_LAPSES_AFTER


def names(session: Session, user_ids: set[int]) -> dict[int, str]:
    """Trainers' display names by id, for saying who claimed or decided what."""
    if not user_ids:
        return {}
    rows = session.exec(select(User.id, User.display_name).where(col(User.id).in_(user_ids))).all()
    return {user_id: name for user_id, name in rows if user_id is not None}


def queue(
    session: Session,
    viewer: Viewer,
    *,
    status: str | None = None,
    topic: str | None = None,
    flagged_only: bool = False,
) -> list[QueueItemOut]:
    """Submissions waiting for trainers, flagged ones first, then the longest waiting."""
    require_role(viewer, Role.trainer)
    if status in (None, "", "active"):
        statuses = ACTIVE
    elif status == "all":
        statuses = VISIBLE
    else:
        try:
            chosen = ScenarioStatus(status)
        except ValueError as error:
            raise InvalidInput("Choose a status from the list.", field="status") from error
        if chosen in HIDDEN_FROM_TRAINERS:
            raise InvalidInput(
                "Drafts and withdrawn scenarios are never shown to trainers.", field="status"
            )
        statuses = (chosen,)
    if topic and topic not in TOPICS:
        raise InvalidInput("Choose a topic from the list.", field="topic")
    flagged = safeguarding.open_record_clause(Scenario.id)
    statement = (
        select(Scenario, flagged.label("flagged"), User.age_band)
        .join(  # type: ignore[attr-defined]
            User, col(User.id) == Scenario.author_id
        )
        .where(col(Scenario.status).in_([s.value for s in statuses]))
    )
    if topic:
        statement = statement.where(
            col(Scenario.id).in_(
                select(ScenarioTopic.scenario_id).where(ScenarioTopic.topic == topic)
            )
        )
    if flagged_only:
        statement = statement.where(flagged)
    rows = session.exec(
        statement.order_by(
            flagged.desc(),  # type: ignore[attr-defined]
            col(Scenario.submitted_at).asc(),
            col(Scenario.id).asc(),
        )
    ).all()
    topics = topics_of(session, [row[0].id for row in rows])
    reviewers = _last_reviewers(session, [row[0] for row in rows])
    named = names(
        session,
        {row[0].claimed_by_id for row in rows if row[0].claimed_by_id} | set(reviewers.values()),
    )
    return [
        QueueItemOut(
            id=scenario.id or 0,
            title=scenario.title or "Untitled",
            status=ScenarioStatus(scenario.status),
            topics=topics.get(scenario.id or 0, []),
            safeguarding_flag=bool(is_flagged),
            submitted_at=scenario.submitted_at,
            claimed_by=named.get(scenario.claimed_by_id or 0),
            claimed_by_me=scenario.claimed_by_id == viewer.id,
            claim_lapsed=claim_lapsed(scenario),
            age_band=age_band,
            reviewed_by=named.get(reviewers.get(scenario.id or 0, 0), None)
            if scenario.id in reviewers
            else None,
            reviewed_by_me=reviewers.get(scenario.id or 0) == viewer.id,
        )
        for scenario, is_flagged, age_band in rows
    ]


DECIDED = frozenset({S.changes_requested, S.accepted, S.published, S.rejected})


def _last_reviewers(session: Session, scenarios: list[Scenario]) -> dict[int, int]:
    """Who reviewed each decided scenario: the trainer who made its latest decision.

    A decision (other than accepting) hands the claim back, so without this the queue
    would say "Nobody yet" beside a scenario someone has already turned down or published.
    """
    decided = [
        scenario.id
        for scenario in scenarios
        if scenario.id and ScenarioStatus(scenario.status) in DECIDED
    ]
    if not decided:
        return {}
    claims = session.exec(
        select(ScenarioTransition.scenario_id, ScenarioTransition.actor_id)
        .where(
            col(ScenarioTransition.scenario_id).in_(decided),
            ScenarioTransition.from_status == S.in_review.value,
            col(ScenarioTransition.to_status).in_(
                [S.changes_requested.value, S.accepted.value, S.rejected.value]
            ),
            col(ScenarioTransition.actor_id).is_not(None),
        )
        .order_by(col(ScenarioTransition.at), col(ScenarioTransition.id))
    ).all()
    return {scenario_id: actor_id for scenario_id, actor_id in claims if actor_id is not None}


@dataclass(frozen=True)
class ReviewAtAGlance:
    waiting: int
    flagged: int
    lapsed_claims: int
    flagged_link: str = "/safeguarding"
    """The one open record's own page, or the list of them when there are several."""


def at_a_glance(session: Session, viewer: Viewer) -> ReviewAtAGlance:
    """For a trainer's home page: what waits for review, and what must not wait."""
    require_role(viewer, Role.trainer)
    waiting = session.exec(select(func.count()).where(Scenario.status == S.submitted.value)).one()
    flagged = safeguarding.open_count(session, viewer)
    lapse_before = utcnow() - CLAIM_LAPSES_AFTER
    lapsed = session.exec(
        select(func.count()).where(
            Scenario.status == S.in_review.value,
            or_(
                col(Scenario.claimed_by_id).is_(None),
                col(Scenario.claimed_at) <= lapse_before,
            ),
        )
    ).one()
    link = "/safeguarding"
    if flagged == 1:
        link = f"/safeguarding/{safeguarding.list_records(session, viewer, 'open')[0].id}"
    return ReviewAtAGlance(
        waiting=waiting, flagged=flagged, lapsed_claims=lapsed, flagged_link=link
    )


def review_view(
    session: Session, content: ContentIndex, viewer: Viewer, scenario_id: int
) -> ReviewScenarioOut:
    """A submission for review; opening one with an open safeguarding flag is audited."""
    require_role(viewer, Role.trainer)
    scenario = reviewable(session, scenario_id)
    assert scenario.id is not None
    flags = safeguarding.records_for_scenario(session, scenario.id)
    history = history_of(session, scenario)
    author = session.get(User, scenario.author_id)
    people = {step.actor_id for step in history if step.actor_id}
    if scenario.claimed_by_id:
        people.add(scenario.claimed_by_id)
    named = names(session, people)
    open_flag = any(flag.resolved_at is None for flag in flags)
    if open_flag:
        audit.record(
            session,
            viewer,
            "scenario.view_flagged",
            "scenario",
            scenario.id,
            "safeguarding flag open",
        )
    published_text = scenario.published_text or ""
    return ReviewScenarioOut(
        scenario=describe(
            session, content, scenario, author_id=scenario.author_id, history=history
        ),
        age_band=author.age_band if author else None,
        author_contact=f"{author.display_name} <{author.email}>" if author and open_flag else None,
        claimed_by=named.get(scenario.claimed_by_id or 0),
        claimed_by_me=scenario.claimed_by_id == viewer.id,
        claim_lapsed=claim_lapsed(scenario) and scenario.claimed_by_id != viewer.id,
        flags=[
            FlagOut(
                id=flag.id or 0,
                reasons=flag.reasons,
                raised_at=flag.raised_at,
                resolved_at=flag.resolved_at,
                resolved_by=flag.resolved_by_name or None,
                resolution_note=flag.resolution_note,
            )
            for flag in flags
        ],
        history=[
            ReviewStepOut(
                from_status=ScenarioStatus(step.from_status) if step.from_status else None,
                to_status=ScenarioStatus(step.to_status),
                at=step.at,
                by="The author"
                if step.actor_id == scenario.author_id
                else named.get(step.actor_id or 0, "A former trainer"),
                note=step.note,
            )
            for step in history
        ],
        suggested_text=suggested_text(content, scenario),
        published_content_warning=scenario.published_content_warning or "",
        published_warnings=[
            *personal_details_in(
                content,
                [
                    ("published_title", scenario.published_title or ""),
                    ("published_text", published_text),
                ],
            ),
            *(
                WarningOut.of("credit_name", finding)
                for finding in credit_name_findings(content, scenario.credit, scenario.credit_name)
            ),
        ],
    )


def claim(session: Session, viewer: Viewer, scenario_id: int) -> Scenario:
    """Takes a submission for review, so no other trainer reviews it at the same time."""
    require_role(viewer, Role.trainer)
    scenario = reviewable(session, scenario_id, lock=True)
    if scenario.status == S.in_review.value:
        if scenario.claimed_by_id == viewer.id:
            return scenario
        who = names(session, {scenario.claimed_by_id or 0}).get(scenario.claimed_by_id or 0)
        if not claim_lapsed(scenario):
            assert scenario.claimed_at is not None
            free_from = scenario.claimed_at + CLAIM_LAPSES_AFTER
            raise Conflict(
                f"{who or 'Another trainer'} is already reviewing this scenario. If they have "
                f"not decided by {free_from:%d %B %Y at %H:%M} UTC, you can take it over."
            )
        scenario.claimed_by_id = viewer.id
        scenario.claimed_at = utcnow()
        audit.record(
            session,
            viewer,
            "scenario.claim_takeover",
            "scenario",
            scenario.id,
            f"the claim by {who or 'a removed account'} had lapsed",
        )
        session.flush()
        return scenario
    move(session, scenario, S.in_review, actor=viewer, as_role=TRAINER)
    scenario.claimed_by_id = viewer.id
    scenario.claimed_at = scenario.updated_at
    audit.record(session, viewer, "scenario.claim", "scenario", scenario.id)
    session.flush()
    return scenario


def _claimed_by_viewer(
    session: Session, viewer: Viewer, scenario: Scenario, target: ScenarioStatus
) -> None:
    status = ScenarioStatus(scenario.status)
    if status is not S.in_review:
        raise Conflict(refusal(status, target))
    if scenario.claimed_by_id != viewer.id:
        who = names(session, {scenario.claimed_by_id or 0}).get(scenario.claimed_by_id or 0)
        raise Conflict(f"{who or 'Another trainer'} is reviewing this scenario, not you.")


def release(session: Session, viewer: Viewer, scenario_id: int) -> Scenario:
    """Hands a claimed submission back to the queue."""
    require_role(viewer, Role.trainer)
    scenario = reviewable(session, scenario_id, lock=True)
    _claimed_by_viewer(session, viewer, scenario, S.submitted)
    move(session, scenario, S.submitted, actor=viewer, as_role=TRAINER)
    scenario.claimed_by_id = None
    scenario.claimed_at = None
    audit.record(session, viewer, "scenario.release", "scenario", scenario.id)
    return scenario


def decide(
    session: Session, content: ContentIndex, viewer: Viewer, scenario_id: int, body: DecisionIn
) -> Scenario:
    """Accept (with the anonymised text practitioners will read), ask for changes, or reject."""
    require_role(viewer, Role.trainer)
    scenario = reviewable(session, scenario_id, lock=True)
    _claimed_by_viewer(session, viewer, scenario, DECISION_STATUS[body.decision])
    errors: dict[str, str] = {}
    note = clean_multiline(body.note or "")
    if len(note) > MAXIMUM_NOTE_LENGTH:
        errors["note"] = f"The note must be {MAXIMUM_NOTE_LENGTH:,} characters or fewer."
    elif body.decision is Decision.request_changes and not note:
        errors["note"] = "Write a note telling the young person what to change."
    elif body.decision is Decision.reject and not note:
        errors["note"] = "Write a kind note telling the young person why it will not be used."
    if body.decision is Decision.accept:
        errors |= version_problems(
            title=body.published_title or scenario.title,
            text=body.published_text,
            warning=body.content_warning,
        )
    if errors:
        raise DecisionInvalid(errors)
    if body.decision is Decision.accept:
        version = checked_version(
            content,
            title=body.published_title or scenario.title,
            text=body.published_text,
            warning=body.content_warning,
            confirmed_not_personal=body.confirmed_not_personal,
            credit_findings=credit_name_findings(content, scenario.credit, scenario.credit_name),
        )
        store_version(scenario, version)
    target = DECISION_STATUS[body.decision]
    move(session, scenario, target, actor=viewer, as_role=TRAINER, note=note)
    if target is not S.accepted:
        scenario.claimed_by_id = None
        scenario.claimed_at = None
    audit.record(
        session,
        viewer,
        f"scenario.{body.decision.value}",
        "scenario",
        scenario.id,
        f"in_review -> {target.value}",
    )
    return scenario


def resolve_flag(session: Session, viewer: Viewer, scenario_id: int, note: str) -> None:
    """Records that a trainer has followed the safeguarding procedure for a flag."""
    require_role(viewer, Role.trainer)
    scenario = reviewable(session, scenario_id)
    note = clean_limited(note, MAXIMUM_NOTE_LENGTH, "The note", field="note")
    if not note:
        raise InvalidInput("Say what was done, for the record.", field="note", code="missing")
    assert scenario.id is not None
    safeguarding.resolve_for_scenario(session, viewer, scenario.id, note)


def read_scenario(
    session: Session, content: ContentIndex, viewer: Viewer, scenario_id: int
) -> ScenarioOut:
    """One scenario for its author, or for a trainer once it has been sent; 404 for anyone
    else, so nobody learns that another person's submission exists."""
    scenario = session.get(Scenario, scenario_id)
    if scenario is not None and scenario.author_id == viewer.id:
        return describe(session, content, scenario, author_id=viewer.id)
    if not viewer.has(Role.trainer):
        raise NotFound("We could not find that scenario.")
    return review_view(session, content, viewer, scenario_id).scenario

"""Trainers review co-designers' scenarios: the queue, claiming, decisions, publishing, flags.

Every action is audited (who, what, when; never the young person's words), and
every change of state goes through the one transition table in
``app.contributions.service``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, or_
from sqlmodel import Session, col, select

from app.audit import service as audit
from app.auth.schemas import Viewer
from app.auth.service import require_role
from app.content import ContentIndex
from app.content.schemas import TOPICS
from app.contributions import service as contributions
from app.contributions.personal_details import KIND_LABELS, Finding, readable_text
from app.contributions.schemas import STATUS_LABELS, PublishedScenario, ScenarioOut, WarningOut
from app.core.errors import Conflict, InvalidInput, NotFound
from app.core.text import clean_multiline
from app.models.base import utcnow
from app.models.contributions import (
    Scenario,
    ScenarioStatus,
    ScenarioTopic,
    ScenarioTransition,
)
from app.models.users import Role, User
from app.review.schemas import (
    DECISION_STATUS,
    Decision,
    DecisionIn,
    FlagOut,
    PublishIn,
    QueueItemOut,
    ReviewScenarioOut,
    ReviewStepOut,
)
from app.safeguarding import service as safeguarding

S = ScenarioStatus
ACTIVE = (S.submitted, S.in_review, S.accepted)
VISIBLE = tuple(
    status for status in ScenarioStatus if status not in contributions.HIDDEN_FROM_TRAINERS
)
CLAIM_LAPSES_AFTER = timedelta(days=3)
MAXIMUM_NOTE_LENGTH = 2000
MAXIMUM_PUBLISHED_LENGTH = 8000
MAXIMUM_TITLE_LENGTH = 120
MAXIMUM_WARNING_LENGTH = 200
REDACTION_LABELS = {
    "email": "[email address]",
    "phone": "[phone number]",
    "handle": "[username]",
    "url": "[web address]",
    "postcode": "[postcode]",
    "name": "[name]",
}


class DecisionInvalid(InvalidInput):
    """Every problem with a decision at once, each under the field it is about, so the form
    can show them all together in its error summary."""

    def __init__(self, errors: dict[str, str]) -> None:
        self.errors = errors
        super().__init__(" ".join(errors.values()))


class StillPersonal(InvalidInput):
    """The published text still holds details that look personal and were not confirmed."""

    def __init__(self, findings: list[Finding]) -> None:
        self.findings = findings
        listed = "; ".join(f"{KIND_LABELS[f.kind].lower()} “{f.text}”" for f in findings)
        super().__init__(
            f"The published text or credit still has details that look personal: {listed}. "
            "Take them out, or confirm each one is not personal."
        )


def _trainer(viewer: Viewer) -> None:
    require_role(viewer, Role.trainer)


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


def _reviewable(session: Session, scenario_id: int, *, lock: bool = False) -> Scenario:
    """A submission a trainer may see: never a draft or a withdrawn marker.

    ``lock`` holds the row until the request commits (PostgreSQL; SQLite's writers
    already queue), so two trainers cannot both claim or decide on it at once.
    """
    scenario = session.get(Scenario, scenario_id, with_for_update=lock or None)
    if scenario is None or ScenarioStatus(scenario.status) in contributions.HIDDEN_FROM_TRAINERS:
        raise NotFound("We could not find that scenario. It may have been withdrawn.")
    return scenario


def _names(session: Session, user_ids: set[int]) -> dict[int, str]:
    if not user_ids:
        return {}
    rows = session.exec(select(User.id, User.display_name).where(col(User.id).in_(user_ids))).all()
    return {user_id: name for user_id, name in rows if user_id is not None}


def _open_flag_exists() -> object:
    return safeguarding.open_record_clause(Scenario.id)


def queue(
    session: Session,
    viewer: Viewer,
    *,
    status: str | None = None,
    topic: str | None = None,
    flagged_only: bool = False,
) -> list[QueueItemOut]:
    """Submissions waiting for trainers, flagged ones first, then the longest waiting."""
    _trainer(viewer)
    if status in (None, "", "active"):
        statuses = ACTIVE
    elif status == "all":
        statuses = VISIBLE
    else:
        try:
            chosen = ScenarioStatus(status)
        except ValueError as error:
            raise InvalidInput("Choose a status from the list.") from error
        if chosen in contributions.HIDDEN_FROM_TRAINERS:
            raise InvalidInput("Drafts and withdrawn scenarios are never shown to trainers.")
        statuses = (chosen,)
    if topic and topic not in TOPICS:
        raise InvalidInput("Choose a topic from the list.")
    flagged = _open_flag_exists()
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
    topics = contributions.topics_of(session, [row[0].id for row in rows])
    reviewers = _last_reviewers(session, [row[0] for row in rows])
    names = _names(
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
            claimed_by=names.get(scenario.claimed_by_id or 0),
            claimed_by_me=scenario.claimed_by_id == viewer.id,
            claim_lapsed=claim_lapsed(scenario),
            age_band=age_band,
            reviewed_by=names.get(reviewers.get(scenario.id or 0, 0), None)
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
    _trainer(viewer)
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


def suggested_text(content: ContentIndex, scenario: Scenario) -> str:
    """A starting point for the published text: the author's answers with every detail that
    looks personal replaced by a label such as [phone number]."""
    parts = [
        ("What happened online", scenario.what_happened),
        ("What the practitioner said or did", scenario.what_was_said),
        ("How it felt", scenario.how_it_felt),
        ("What would have helped", scenario.what_would_help),
    ]
    return "\n\n".join(f"{label}: {redact(content, text)}" for label, text in parts if text)


def redact(content: ContentIndex, text: str) -> str:
    text = readable_text(text)
    for finding in sorted(contributions.findings_in(content, text), key=lambda f: -f.start):
        text = text[: finding.start] + REDACTION_LABELS[finding.kind] + text[finding.end :]
    return text


def review_view(
    session: Session, content: ContentIndex, viewer: Viewer, scenario_id: int
) -> ReviewScenarioOut:
    """A submission for review; opening one with an open safeguarding flag is audited."""
    _trainer(viewer)
    scenario = _reviewable(session, scenario_id)
    assert scenario.id is not None
    flags = safeguarding.records_for_scenario(session, scenario.id)
    history = contributions.history_of(session, scenario)
    author = session.get(User, scenario.author_id)
    people = {step.actor_id for step in history if step.actor_id}
    if scenario.claimed_by_id:
        people.add(scenario.claimed_by_id)
    names = _names(session, people)
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
        scenario=contributions.describe(
            session, content, scenario, author_id=scenario.author_id, history=history
        ),
        age_band=author.age_band if author else None,
        author_contact=f"{author.display_name} <{author.email}>" if author and open_flag else None,
        claimed_by=names.get(scenario.claimed_by_id or 0),
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
                else names.get(step.actor_id or 0, "A former trainer"),
                note=step.note,
            )
            for step in history
        ],
        suggested_text=suggested_text(content, scenario),
        published_content_warning=scenario.published_content_warning or "",
        published_warnings=[
            *contributions.personal_details_in(
                content,
                [
                    ("published_title", scenario.published_title or ""),
                    ("published_text", published_text),
                ],
            ),
            *(
                WarningOut.of("credit_name", finding)
                for finding in contributions.credit_name_findings(
                    content, scenario.credit, scenario.credit_name
                )
            ),
        ],
    )


def claim(session: Session, viewer: Viewer, scenario_id: int) -> Scenario:
    """Takes a submission for review, so no other trainer reviews it at the same time."""
    _trainer(viewer)
    scenario = _reviewable(session, scenario_id, lock=True)
    if scenario.status == S.in_review.value:
        if scenario.claimed_by_id == viewer.id:
            return scenario
        who = _names(session, {scenario.claimed_by_id or 0}).get(scenario.claimed_by_id or 0)
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
    contributions.move(session, scenario, S.in_review, actor=viewer, as_role=contributions.TRAINER)
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
        raise Conflict(contributions.refusal(status, target, contributions.TRAINER))
    if scenario.claimed_by_id != viewer.id:
        who = _names(session, {scenario.claimed_by_id or 0}).get(scenario.claimed_by_id or 0)
        raise Conflict(f"{who or 'Another trainer'} is reviewing this scenario, not you.")


def release(session: Session, viewer: Viewer, scenario_id: int) -> Scenario:
    """Hands a claimed submission back to the queue."""
    _trainer(viewer)
    scenario = _reviewable(session, scenario_id, lock=True)
    _claimed_by_viewer(session, viewer, scenario, S.submitted)
    contributions.move(session, scenario, S.submitted, actor=viewer, as_role=contributions.TRAINER)
    scenario.claimed_by_id = None
    scenario.claimed_at = None
    audit.record(session, viewer, "scenario.release", "scenario", scenario.id)
    return scenario


def _clean_limited(value: str | None, limit: int, field: str) -> str:
    cleaned = clean_multiline(value or "")
    if len(cleaned) > limit:
        raise InvalidInput(f"{field} must be {limit:,} characters or fewer.")
    return cleaned


def _checked_version(
    content: ContentIndex,
    *,
    title: str | None,
    text: str | None,
    warning: str | None,
    confirmed_not_personal: list[str],
    credit_findings: Sequence[Finding] = (),
) -> tuple[str, str, str]:
    """The title, text and warning practitioners will read, cleaned; refused while anything in
    them (or in the name they are credited by) looks personal and was not confirmed.
    Changes nothing, so a refusal loses nothing."""
    title = _clean_limited(title, MAXIMUM_TITLE_LENGTH, "The published title")
    text = _clean_limited(text, MAXIMUM_PUBLISHED_LENGTH, "The published text")
    warning = _clean_limited(warning, MAXIMUM_WARNING_LENGTH, "The content warning")
    if not text:
        raise InvalidInput("Write the anonymised text practitioners will read.")
    if not title:
        raise InvalidInput("Give the published scenario a title.")
    confirmed = {clean_multiline(item) for item in confirmed_not_personal}
    remaining = [
        finding
        for part in (title, text, warning)
        for finding in contributions.findings_in(content, part)
        if finding.text not in confirmed
    ]
    remaining.extend(finding for finding in credit_findings if finding.text not in confirmed)
    if remaining:
        raise StillPersonal(remaining)
    return title, text, warning


def _published_version_problems(
    *, title: str | None, text: str | None, warning: str | None
) -> dict[str, str]:
    """What is missing or too long in a published version, by field, all at once."""
    problems: dict[str, str] = {}
    for field, value, limit, name in (
        ("published_title", title, MAXIMUM_TITLE_LENGTH, "The published title"),
        ("published_text", text, MAXIMUM_PUBLISHED_LENGTH, "The published text"),
        ("content_warning", warning, MAXIMUM_WARNING_LENGTH, "The content warning"),
    ):
        if len(clean_multiline(value or "")) > limit:
            problems[field] = f"{name} must be {limit:,} characters or fewer."
    if "published_text" not in problems and not clean_multiline(text or ""):
        problems["published_text"] = "Write the anonymised text practitioners will read."
    if "published_title" not in problems and not clean_multiline(title or ""):
        problems["published_title"] = "Give the published scenario a title."
    return problems


def _store_version(scenario: Scenario, version: tuple[str, str, str]) -> None:
    scenario.published_title, scenario.published_text, scenario.published_content_warning = version


def placeholders_in(*texts: str | None) -> list[str]:
    """Labels such as [name] left from the pre-filled text, each once, in the order found."""
    found: dict[str, int] = {}
    for text in texts:
        for label in REDACTION_LABELS.values():
            at = (text or "").find(label)
            if at >= 0 and label not in found:
                found[label] = len(found)
    return list(found)


class LeftoverPlaceholders(InvalidInput):
    """The published text still holds a label like [name] that nobody has looked at."""

    def __init__(self, labels: list[str]) -> None:
        self.labels = labels
        listed = ", ".join(labels)
        super().__init__(
            f"The published text still has {listed} from the suggested text. Rewrite "
            f"{'it' if len(labels) == 1 else 'them'} so the story reads naturally, or confirm "
            "practitioners should read it as it is."
        )


def decide(
    session: Session, content: ContentIndex, viewer: Viewer, scenario_id: int, body: DecisionIn
) -> Scenario:
    """Accept (with the anonymised text practitioners will read), ask for changes, or reject."""
    _trainer(viewer)
    scenario = _reviewable(session, scenario_id, lock=True)
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
        errors |= _published_version_problems(
            title=body.published_title or scenario.title,
            text=body.published_text,
            warning=body.content_warning,
        )
    if errors:
        raise DecisionInvalid(errors)
    if body.decision is Decision.accept:
        version = _checked_version(
            content,
            title=body.published_title or scenario.title,
            text=body.published_text,
            warning=body.content_warning,
            confirmed_not_personal=body.confirmed_not_personal,
            credit_findings=contributions.credit_name_findings(
                content, scenario.credit, scenario.credit_name
            ),
        )
        _store_version(scenario, version)
    target = DECISION_STATUS[body.decision]
    contributions.move(
        session, scenario, target, actor=viewer, as_role=contributions.TRAINER, note=note
    )
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


def publish(
    session: Session,
    content: ContentIndex,
    viewer: Viewer,
    scenario_id: int,
    body: PublishIn | None = None,
) -> Scenario:
    """Puts an accepted scenario's published text into the modules the trainer chose, and search.

    Without a choice of modules it goes into the suggested ones (see
    ``contributions.module_choices``). A label such as [name] left from the suggested text
    must be rewritten (the text can be corrected here) or confirmed first.
    """
    _trainer(viewer)
    body = body or PublishIn()
    scenario = _reviewable(session, scenario_id, lock=True)
    if scenario.status == S.accepted.value and not scenario.consent_to_quote:
        raise Conflict(
            "The young person has not agreed to their words being quoted, so this scenario "
            "cannot be published. It stays accepted and can still inform the training."
        )
    if scenario.status == S.accepted.value and not scenario.published_text:
        raise Conflict("Accept it with a published text first.")
    if scenario.status != S.accepted.value:
        status = ScenarioStatus(scenario.status)
        raise Conflict(contributions.refusal(status, S.published, contributions.TRAINER))
    version = (
        scenario.published_title or "",
        scenario.published_text or "",
        scenario.published_content_warning or "",
    )
    typed = (
        version[0] if body.published_title is None else body.published_title,
        version[1] if body.published_text is None else body.published_text,
        version[2] if body.content_warning is None else body.content_warning,
    )
    # Checked again only when corrected, so details confirmed on accepting stay confirmed.
    if tuple(clean_multiline(part) for part in typed) != version:
        version = _checked_version(
            content,
            title=typed[0],
            text=typed[1],
            warning=typed[2],
            confirmed_not_personal=body.confirmed_not_personal,
        )
    assert scenario.id is not None
    topics = contributions.topics_of(session, [scenario.id])[scenario.id]
    slugs = (
        body.modules
        if body.modules is not None
        else [module.slug for module in contributions.suggested_modules(content, topics)]
    )
    modules = contributions.modules_by_slug(content, slugs)
    leftover = placeholders_in(*version)
    if leftover and not body.placeholders_confirmed:
        raise LeftoverPlaceholders(leftover)
    # Every check is above: nothing is changed unless all of it can be published.
    _store_version(scenario, version)
    contributions.place_in_modules(session, scenario, modules)
    contributions.move(session, scenario, S.published, actor=viewer, as_role=contributions.TRAINER)
    scenario.published_at = scenario.updated_at
    scenario.claimed_by_id = None
    scenario.claimed_at = None
    contributions.index_for_search(session, content, scenario)
    audit.record(
        session,
        viewer,
        "scenario.publish",
        "scenario",
        scenario.id,
        "in " + ", ".join(module.title for module in modules),
    )
    return scenario


def preview(
    session: Session,
    content: ContentIndex,
    viewer: Viewer,
    scenario_id: int,
    *,
    title: str | None = None,
    text: str | None = None,
    warning: str | None = None,
) -> PublishedScenario:
    """The scenario as practitioners will see it in a module, from the stored published text or
    from text the trainer has typed but not saved; nothing is changed."""
    _trainer(viewer)
    scenario = _reviewable(session, scenario_id)
    return PublishedScenario(
        id=scenario.id or 0,
        title=clean_multiline(title if title is not None else scenario.published_title or ""),
        published_text=clean_multiline(text if text is not None else scenario.published_text or ""),
        content_warning=clean_multiline(
            warning if warning is not None else scenario.published_content_warning or ""
        ),
        credit_line=contributions.credit_line(scenario),
        topics=tuple(contributions.topics_of(session, [scenario_id]).get(scenario_id, [])),
        published_at=scenario.published_at,
    )


def unpublish(session: Session, viewer: Viewer, scenario_id: int, note: str) -> Scenario:
    """Takes a published scenario out of every module and search at once, back into review.

    For when a published text turns out to identify someone: the trainer who takes it down
    holds the claim, so they can accept it again with a corrected text, and the young
    person reads why in their history.
    """
    _trainer(viewer)
    scenario = _reviewable(session, scenario_id, lock=True)
    if scenario.status != S.published.value:
        status = ScenarioStatus(scenario.status)
        raise Conflict(
            f"Only a published scenario can be taken down; this one is "
            f"{STATUS_LABELS[status].lower()} ({status.value})."
        )
    note = _clean_limited(note, MAXIMUM_NOTE_LENGTH, "The note")
    if not note:
        raise InvalidInput("Say why it is coming out of the modules. The young person reads this.")
    contributions.move(
        session, scenario, S.in_review, actor=viewer, as_role=contributions.TRAINER, note=note
    )
    scenario.published_at = None
    scenario.claimed_by_id = viewer.id
    scenario.claimed_at = scenario.updated_at
    contributions.remove_from_search(session, scenario)
    audit.record(session, viewer, "scenario.unpublish", "scenario", scenario.id)
    session.flush()
    return scenario


def resolve_flag(session: Session, viewer: Viewer, scenario_id: int, note: str) -> None:
    """Records that a trainer has followed the safeguarding procedure for a flag."""
    _trainer(viewer)
    scenario = _reviewable(session, scenario_id)
    note = _clean_limited(note, MAXIMUM_NOTE_LENGTH, "The note")
    if not note:
        raise InvalidInput("Say what was done, for the record.")
    assert scenario.id is not None
    safeguarding.resolve_for_scenario(session, viewer, scenario.id, note)


def read_scenario(
    session: Session, content: ContentIndex, viewer: Viewer, scenario_id: int
) -> ScenarioOut:
    """One scenario for its author, or for a trainer once it has been sent; 404 for anyone
    else, so nobody learns that another person's submission exists."""
    scenario = session.get(Scenario, scenario_id)
    if scenario is not None and scenario.author_id == viewer.id:
        return contributions.describe(session, content, scenario, author_id=viewer.id)
    if not viewer.has(Role.trainer):
        raise NotFound("We could not find that scenario.")
    return review_view(session, content, viewer, scenario_id).scenario

"""A co-designer writes a scenario, saves it as a draft, and sends it for review.

Personal details found are returned as warnings and never block; words about risk now
raise a safeguarding record as they are saved. A scenario can be changed only while it
is a draft or a trainer has asked for changes.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import delete, func
from sqlmodel import Session, col, select

from app.auth.schemas import Viewer
from app.auth.service import require_role
from app.content import ContentIndex
from app.core.config import Settings
from app.core.errors import Conflict, RateLimited
from app.models.base import utcnow
from app.models.contributions import Scenario, ScenarioStatus, ScenarioTopic, ScenarioTransition
from app.models.users import Role
from app.safeguarding.service import SupportOut, TypedIn
from app.scenarios.errors import ScenarioInvalid
from app.scenarios.form import clean_form, form_errors, form_of, form_warnings
from app.scenarios.records import own, topics_of
from app.scenarios.safeguarding import note_words, support_services
from app.scenarios.schemas import STATUS_LABELS, ScenarioForm, WarningOut
from app.scenarios.workflow import AUTHOR, EDITABLE, move

S = ScenarioStatus
CREATION_WINDOW = timedelta(hours=1)


@dataclass(frozen=True)
class Saved:
    """A scenario just saved or sent, with what its author must see at once."""

    scenario: Scenario
    warnings: list[WarningOut]
    at_risk: bool

    @property
    def support(self) -> list[SupportOut]:
        return support_services() if self.at_risk else []


def _enforce_submission_limit(
    session: Session, settings: Settings, viewer: Viewer, *, creating: bool, sending: bool
) -> None:
    since = utcnow() - CREATION_WINDOW
    limit = settings.scenario_submissions_per_hour
    message = (
        f"You have sent {limit} scenarios in the last hour, which is as many as Askwell takes "
        "in an hour. Nothing you typed has been lost: please try again later."
    )
    if sending:
        sent = session.exec(
            select(func.count())
            .select_from(ScenarioTransition)
            .where(
                ScenarioTransition.actor_id == viewer.id,
                ScenarioTransition.to_status == S.submitted.value,
                ScenarioTransition.from_status != S.in_review.value,
                ScenarioTransition.at >= since,
            )
        ).one()
        if sent >= limit:
            raise RateLimited(message)
    if creating:
        created = session.exec(
            select(func.count())
            .select_from(Scenario)
            .where(Scenario.author_id == viewer.id, Scenario.created_at >= since)
        ).one()
        if created >= limit * 2:
            raise RateLimited(message)


def _apply(session: Session, scenario: Scenario, form: ScenarioForm) -> None:
    scenario.title = form.title
    scenario.what_happened = form.what_happened
    scenario.what_was_said = form.what_was_said
    scenario.how_it_felt = form.how_it_felt
    scenario.what_would_help = form.what_would_help
    scenario.platforms = list(form.platforms)
    scenario.content_warning = form.content_warning
    scenario.credit = form.credit
    scenario.credit_name = form.credit_name
    scenario.consent_to_quote = form.consent_to_quote
    scenario.updated_at = utcnow()
    session.add(scenario)
    session.flush()
    session.exec(delete(ScenarioTopic).where(col(ScenarioTopic.scenario_id) == scenario.id))
    assert scenario.id is not None
    session.add_all(ScenarioTopic(scenario_id=scenario.id, topic=topic) for topic in form.topics)


def _send(session: Session, viewer: Viewer, scenario: Scenario, form: ScenarioForm) -> bool:
    """Moves a draft or a revised scenario to submitted; raises a record on words about risk."""
    revising = scenario.status == S.changes_requested.value
    note = "Revised and sent again" if revising else ""
    move(session, scenario, S.submitted, actor=viewer, as_role=AUTHOR, note=note)
    scenario.submitted_at = scenario.updated_at
    typed_in = TypedIn.scenario_edit if revising else TypedIn.scenario_sent
    return note_words(session, viewer, scenario, form, typed_in)


def save_scenario(
    session: Session,
    settings: Settings,
    content: ContentIndex,
    viewer: Viewer,
    form: ScenarioForm,
    *,
    send: bool,
    scenario_id: int | None = None,
) -> Saved:
    """Create or update the viewer's scenario, as a draft or sent for review.

    Personal details are returned as warnings and never block; a scenario can be
    changed only while it is a draft or has changes requested.
    """
    existing = own(session, viewer, scenario_id, lock=True) if scenario_id is not None else None
    require_role(viewer, Role.codesigner)
    form = clean_form(form)
    errors = form_errors(form, sending=send)
    if errors:
        raise ScenarioInvalid(errors)
    if existing is None:
        _enforce_submission_limit(session, settings, viewer, creating=True, sending=send)
        scenario = Scenario(author_id=viewer.id)
    else:
        scenario = existing
        status = ScenarioStatus(scenario.status)
        if status not in EDITABLE:
            raise Conflict(
                f"This scenario is {STATUS_LABELS[status].lower()}, so it cannot be changed now. "
                "You can change a draft, or a scenario a trainer has sent back for changes."
            )
        # A scenario sent back for changes is saved question by question like a draft; it
        # goes back to the trainer only when its author sends it again.
        if send:
            _enforce_submission_limit(session, settings, viewer, creating=False, sending=True)
    _apply(session, scenario, form)
    if send:
        at_risk = _send(session, viewer, scenario, form)
    else:
        at_risk = note_words(session, viewer, scenario, form, TypedIn.scenario_draft)
    return Saved(scenario=scenario, warnings=form_warnings(content, form), at_risk=at_risk)


def editable_form(
    session: Session, viewer: Viewer, scenario_id: int
) -> tuple[Scenario, ScenarioForm]:
    """The author's saved answers, for a question or check page; 409 once it cannot change."""
    scenario = own(session, viewer, scenario_id)
    status = ScenarioStatus(scenario.status)
    if status not in EDITABLE:
        raise Conflict(
            f"This scenario is {STATUS_LABELS[status].lower()}, so it cannot be changed now."
        )
    assert scenario.id is not None
    return scenario, form_of(scenario, topics_of(session, [scenario.id])[scenario.id])

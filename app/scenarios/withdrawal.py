"""The author takes their words back: a sent scenario is withdrawn and erased, a draft
nobody has seen is deleted outright."""

from __future__ import annotations

from sqlalchemy import delete
from sqlmodel import Session, col

from app.auth.schemas import Viewer
from app.core.errors import Conflict
from app.models.base import utcnow
from app.models.contributions import (
    Credit,
    Scenario,
    ScenarioModule,
    ScenarioStatus,
    ScenarioTopic,
    ScenarioTransition,
)
from app.safeguarding import service as safeguarding
from app.scenarios.form import TEXT_FIELDS
from app.scenarios.published import remove_from_search
from app.scenarios.records import own
from app.scenarios.schemas import STATUS_LABELS
from app.scenarios.workflow import AUTHOR, TRANSITIONS, refusal

S = ScenarioStatus


def _erase(session: Session, scenario: Scenario) -> None:
    """Removes every word and all history, keeping the row only as a marker of when."""
    remove_from_search(session, scenario)
    for table in (ScenarioTopic, ScenarioModule, ScenarioTransition):
        session.exec(delete(table).where(col(table.scenario_id) == scenario.id))  # type: ignore[attr-defined]
    assert scenario.id is not None
    safeguarding.note_withdrawal(session, scenario.id)
    now = utcnow()
    scenario.status = S.withdrawn.value
    for name in TEXT_FIELDS + ("credit_name",):
        setattr(scenario, name, "")
    scenario.platforms = []
    scenario.credit = Credit.none.value
    scenario.consent_to_quote = False
    scenario.published_title = None
    scenario.published_text = None
    scenario.published_content_warning = None
    scenario.claimed_by_id = None
    scenario.claimed_at = None
    scenario.submitted_at = None
    scenario.published_at = None
    scenario.withdrawn_at = now
    scenario.updated_at = now
    session.add(scenario)


def withdraw(session: Session, viewer: Viewer, scenario_id: int) -> Scenario:
    """The author takes their words back: unpublished and erased in this same transaction."""
    scenario = own(session, viewer, scenario_id, lock=True)
    current = ScenarioStatus(scenario.status)
    if TRANSITIONS.get((current, S.withdrawn)) != AUTHOR:
        raise Conflict(refusal(current, S.withdrawn))
    _erase(session, scenario)
    session.flush()
    return scenario


def delete_draft(session: Session, viewer: Viewer, scenario_id: int) -> None:
    """The author throws away a draft nobody else has seen; its number is never reused.

    A draft leaves nothing behind (no marker, unlike withdrawal), since it was never sent.
    """
    scenario = own(session, viewer, scenario_id, lock=True)
    status = ScenarioStatus(scenario.status)
    if status is not S.draft:
        raise Conflict(
            f"This scenario is {STATUS_LABELS[status].lower()}, so it is no longer a draft "
            "to delete. You can withdraw it instead, which deletes what you wrote."
        )
    # Topics and history go with it (foreign keys cascade).
    session.exec(delete(Scenario).where(col(Scenario.id) == scenario.id))
    session.flush()

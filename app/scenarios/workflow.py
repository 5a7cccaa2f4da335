"""The states a scenario moves through: which steps are allowed, by whom, and in whose words.

Every change of state, by its author or by a trainer, goes through :func:`move`, so the one
table below is the whole of the rules and every step is recorded with who, when and why.
"""

from __future__ import annotations

from sqlmodel import Session

from app.auth.schemas import Viewer
from app.core.errors import Conflict
from app.models.base import utcnow
from app.models.contributions import Scenario, ScenarioStatus, ScenarioTransition
from app.scenarios.schemas import STATUS_LABELS, ScenarioOut, TimelineEvent

S = ScenarioStatus
AUTHOR = "author"
TRAINER = "trainer"

# The one table of allowed transitions: (from, to) -> who may make it.
TRANSITIONS: dict[tuple[ScenarioStatus, ScenarioStatus], str] = {
    (S.draft, S.submitted): AUTHOR,
    (S.draft, S.withdrawn): AUTHOR,
    (S.submitted, S.in_review): TRAINER,  # claim
    (S.submitted, S.withdrawn): AUTHOR,
    (S.in_review, S.submitted): TRAINER,  # release the claim
    (S.in_review, S.changes_requested): TRAINER,
    (S.in_review, S.accepted): TRAINER,
    (S.in_review, S.rejected): TRAINER,
    (S.in_review, S.withdrawn): AUTHOR,
    (S.changes_requested, S.submitted): AUTHOR,  # revise
    (S.changes_requested, S.withdrawn): AUTHOR,
    (S.accepted, S.published): TRAINER,
    (S.accepted, S.withdrawn): AUTHOR,
    (S.published, S.accepted): AUTHOR,  # quoting turned off: out of the modules, still informs
    (S.published, S.in_review): TRAINER,  # taken down, e.g. the text identifies someone
    (S.published, S.withdrawn): AUTHOR,
    (S.rejected, S.withdrawn): AUTHOR,
}

ACTIONS = {
    S.submitted: "sent for review",
    S.in_review: "claimed for review",
    S.changes_requested: "sent back for changes",
    S.accepted: "accepted",
    S.published: "published",
    S.rejected: "turned down",
    S.withdrawn: "withdrawn",
}

STEP_ACTIONS = {
    (S.published, S.accepted): "taken out of the modules (quoting turned off)",
    (S.published, S.in_review): "taken back into review",
}
"""Where a step needs other words than its target state's, as when the author unpublishes."""

EDITABLE = frozenset({S.draft, S.changes_requested})
HIDDEN_FROM_TRAINERS = frozenset({S.draft, S.withdrawn})
MAXIMUM_NOTE_LENGTH = 2000
"""The longest note a trainer may record with a step; the young person reads it."""


def allowed_next(status: ScenarioStatus, actor: str | None = None) -> list[ScenarioStatus]:
    return [
        to for (start, to), who in TRANSITIONS.items() if start is status and actor in (None, who)
    ]


def move(
    session: Session,
    scenario: Scenario,
    to: ScenarioStatus,
    *,
    actor: Viewer,
    as_role: str,
    note: str = "",
) -> ScenarioTransition:
    """Change state if the table allows it, recording who, when and why; 409 if not."""
    current = ScenarioStatus(scenario.status)
    if TRANSITIONS.get((current, to)) != as_role:
        raise Conflict(refusal(current, to))
    scenario.status = to.value
    scenario.updated_at = utcnow()
    assert scenario.id is not None
    step = ScenarioTransition(
        scenario_id=scenario.id,
        actor_id=actor.id,
        from_status=current.value,
        to_status=to.value,
        note=note,
        at=scenario.updated_at,
    )
    session.add(step)
    return step


def refusal(current: ScenarioStatus, to: ScenarioStatus) -> str:
    """Says what state the scenario is in and what can be done from there."""
    possible = allowed_next(current)
    if possible:
        who = {AUTHOR: "its author", TRAINER: "a trainer"}
        options = "; ".join(
            f"{STEP_ACTIONS.get((current, option), ACTIONS[option])} by "
            f"{who[TRANSITIONS[(current, option)]]}"
            for option in possible
        )
        what_next = f"From here it can be {options}."
    else:
        what_next = "Nothing more can be done with it."
    return (
        f"This scenario cannot be {ACTIONS.get(to, to.value)} now: it is "
        f"{STATUS_LABELS[current].lower()} ({current.value}). {what_next}"
    )


TIMELINE_WORDS: dict[tuple[ScenarioStatus | None, ScenarioStatus], str] = {
    (S.draft, S.submitted): "You sent it for review",
    (S.submitted, S.in_review): "A trainer started reviewing it",
    (S.in_review, S.submitted): "A trainer put it back in the queue for another trainer",
    (S.in_review, S.changes_requested): "A trainer asked you for some changes",
    (S.changes_requested, S.submitted): "You sent your changes",
    (S.in_review, S.accepted): "A trainer accepted it",
    (S.in_review, S.rejected): "A trainer decided not to use it",
    (S.accepted, S.published): "It was published in the training",
    (S.published, S.accepted): "You turned quoting off, so it was taken out of the training",
    (S.published, S.in_review): "A trainer took it out of the training to check it again",
}
"""What each step means to the young person, in their words rather than the state names."""


def timeline(scenario: ScenarioOut) -> list[TimelineEvent]:
    """What has happened to a scenario, oldest first, from its recorded steps."""
    events = [TimelineEvent(at=scenario.created_at, text="You started it")]
    for step in scenario.reviewer_notes:
        words = TIMELINE_WORDS.get((step.from_status, step.to_status))
        if words is None:
            words = f"It was {ACTIONS.get(step.to_status, step.to_status.value)}"
        events.append(TimelineEvent(at=step.at, text=words, note=step.note, by=step.by))
    if scenario.status is S.withdrawn and scenario.withdrawn_at is not None:
        events.append(
            TimelineEvent(
                at=scenario.withdrawn_at,
                text="You withdrew it, and everything you wrote was deleted",
            )
        )
    return events

"""Finding and reading scenarios: the author's own, the ones trainers may review, and each
described as its author reads it, with its topics, history and where it is published.

A young person's words are shown to nobody but them and the reviewing trainers;
anyone else is told a scenario is "not found", so its existence is not revealed.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session, col, select

from app.auth.schemas import Viewer
from app.auth.service import require_role
from app.content import ContentIndex
from app.core.errors import NotFound
from app.models.contributions import (
    Credit,
    Scenario,
    ScenarioStatus,
    ScenarioTopic,
    ScenarioTransition,
)
from app.models.users import Role
from app.scenarios.form import form_of, form_warnings
from app.scenarios.placement import modules_shown_in
from app.scenarios.schemas import HistoryOut, PlacementOut, ScenarioOut
from app.scenarios.workflow import HIDDEN_FROM_TRAINERS

S = ScenarioStatus


def own(session: Session, viewer: Viewer, scenario_id: int, *, lock: bool = False) -> Scenario:
    """The viewer's own scenario; anyone else's is "not found", so its existence is not revealed.

    ``lock`` holds the row until the request commits (PostgreSQL), so two racing
    requests cannot both move it from the same state.
    """
    scenario = session.get(Scenario, scenario_id, with_for_update=lock or None)
    if scenario is None or scenario.author_id != viewer.id:
        raise NotFound("We could not find that scenario.")
    return scenario


def is_author(session: Session, viewer: Viewer, scenario_id: int) -> bool:
    scenario = session.get(Scenario, scenario_id)
    return scenario is not None and scenario.author_id == viewer.id


def reviewable(session: Session, scenario_id: int, *, lock: bool = False) -> Scenario:
    """A submission a trainer may see: never a draft or a withdrawn marker.

    ``lock`` holds the row until the request commits (PostgreSQL; SQLite's writers
    already queue), so two trainers cannot both claim or decide on it at once.
    """
    scenario = session.get(Scenario, scenario_id, with_for_update=lock or None)
    if scenario is None or ScenarioStatus(scenario.status) in HIDDEN_FROM_TRAINERS:
        raise NotFound("We could not find that scenario. It may have been withdrawn.")
    return scenario


def topics_of(session: Session, scenario_ids: list[int]) -> dict[int, list[str]]:
    result: dict[int, list[str]] = {scenario_id: [] for scenario_id in scenario_ids}
    if not scenario_ids:
        return result
    rows = session.exec(
        select(ScenarioTopic.scenario_id, ScenarioTopic.topic)
        .where(col(ScenarioTopic.scenario_id).in_(scenario_ids))
        .order_by(col(ScenarioTopic.topic))
    ).all()
    for scenario_id, topic in rows:
        result[scenario_id].append(topic)
    return result


def history_of(session: Session, scenario: Scenario) -> list[ScenarioTransition]:
    return list(
        session.exec(
            select(ScenarioTransition)
            .where(ScenarioTransition.scenario_id == scenario.id)
            .order_by(col(ScenarioTransition.at), col(ScenarioTransition.id))
        ).all()
    )


def describe(
    session: Session,
    content: ContentIndex,
    scenario: Scenario,
    *,
    author_id: int,
    history: list[ScenarioTransition] | None = None,
) -> ScenarioOut:
    """One scenario with its history and where it is published, as its author reads it."""
    assert scenario.id is not None
    topics = topics_of(session, [scenario.id])[scenario.id]
    steps = history if history is not None else history_of(session, scenario)
    published = scenario.status == S.published.value
    form = form_of(scenario, topics)
    return ScenarioOut(
        id=scenario.id,
        status=ScenarioStatus(scenario.status),
        title=scenario.title,
        what_happened=scenario.what_happened,
        what_was_said=scenario.what_was_said,
        how_it_felt=scenario.how_it_felt,
        what_would_help=scenario.what_would_help,
        platforms=list(scenario.platforms or []),
        topics=topics,
        content_warning=scenario.content_warning,
        credit=Credit(scenario.credit),
        credit_name=scenario.credit_name,
        consent_to_quote=scenario.consent_to_quote,
        created_at=scenario.created_at,
        submitted_at=scenario.submitted_at,
        published_at=scenario.published_at,
        withdrawn_at=scenario.withdrawn_at,
        published_title=scenario.published_title,
        published_text=scenario.published_text,
        published_in=[
            PlacementOut(slug=module.slug, title=module.title)
            for module in modules_shown_in(session, content, scenario.id, topics)
        ]
        if published
        else [],
        reviewer_notes=[
            HistoryOut(
                from_status=ScenarioStatus(step.from_status) if step.from_status else None,
                to_status=ScenarioStatus(step.to_status),
                at=step.at,
                by="you" if step.actor_id == author_id else "a trainer",
                note=step.note,
            )
            for step in steps
        ],
        warnings=form_warnings(content, form) if scenario.status != S.withdrawn.value else [],
    )


def my_scenarios(session: Session, content: ContentIndex, viewer: Viewer) -> list[ScenarioOut]:
    """The viewer's own scenarios, newest first, withdrawn ones as bare markers."""
    scenarios = session.exec(
        select(Scenario)
        .where(Scenario.author_id == viewer.id)
        .order_by(col(Scenario.created_at).desc(), col(Scenario.id).desc())
    ).all()
    return [describe(session, content, scenario, author_id=viewer.id) for scenario in scenarios]


def my_scenario(
    session: Session, content: ContentIndex, viewer: Viewer, scenario_id: int
) -> ScenarioOut:
    return describe(session, content, own(session, viewer, scenario_id), author_id=viewer.id)


@dataclass(frozen=True)
class AtAGlance:
    """What a young person sees first on their home page: where their scenarios are, and
    which ones wait on them."""

    counts: dict[ScenarioStatus, int]
    needing_changes: list[tuple[int, str]]


def at_a_glance(session: Session, viewer: Viewer) -> AtAGlance:
    require_role(viewer, Role.codesigner)
    rows = session.exec(
        select(Scenario.id, Scenario.title, Scenario.status)
        .where(Scenario.author_id == viewer.id, Scenario.status != S.withdrawn.value)
        .order_by(col(Scenario.updated_at).desc())
    ).all()
    counts: dict[ScenarioStatus, int] = {}
    for _, _, status in rows:
        counts[ScenarioStatus(status)] = counts.get(ScenarioStatus(status), 0) + 1
    needing = [
        (scenario_id or 0, title or "Untitled")
        for scenario_id, title, status in rows
        if status == S.changes_requested.value
    ]
    ordered = {status: counts[status] for status in ScenarioStatus if status in counts}
    return AtAGlance(counts=ordered, needing_changes=needing)

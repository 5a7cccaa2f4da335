"""Published scenarios as practitioners meet them: in modules (kept in memory between
changes) and in search. Only the reviewer's published text and the credit the author
chose ever leave the room, and only while the author consents to being quoted."""

from __future__ import annotations

from sqlalchemy import or_
from sqlmodel import Session, col, select

from app.content import ContentIndex, Module
from app.models.cache import PUBLISHED_SCENARIOS, CacheGeneration
from app.models.contributions import (
    Credit,
    Scenario,
    ScenarioModule,
    ScenarioStatus,
    ScenarioTopic,
)
from app.scenarios.placement import modules_shown_in
from app.scenarios.records import topics_of
from app.scenarios.schemas import PublishedScenario
from app.search import service as search

S = ScenarioStatus
SEARCH_KIND = "scenario"


def credit_line(scenario: Scenario) -> str:
    if scenario.credit != Credit.none.value and scenario.credit_name:
        return f"Shared by {scenario.credit_name}, a young co-designer"
    return "Shared by a young co-designer"


def _published(session: Session, module: Module) -> list[PublishedScenario]:
    chosen_here = select(ScenarioModule.scenario_id).where(
        ScenarioModule.module_slug == module.slug
    )
    # Published before modules were chosen: still shown by topic, as it was then.
    no_choice_stored = col(Scenario.id).not_in(select(ScenarioModule.scenario_id))
    matching_topic = col(Scenario.id).in_(
        select(ScenarioTopic.scenario_id).where(col(ScenarioTopic.topic).in_(module.topics))
    )
    statement = select(Scenario).where(
        Scenario.status == S.published.value,
        col(Scenario.consent_to_quote).is_(True),
        col(Scenario.published_text).is_not(None),
        or_(col(Scenario.id).in_(chosen_here), no_choice_stored & matching_topic),
    )
    scenarios = session.exec(
        statement.order_by(col(Scenario.published_at).desc(), col(Scenario.id).desc())
    ).all()
    topic_map = topics_of(session, [scenario.id for scenario in scenarios if scenario.id])
    return [
        PublishedScenario(
            id=scenario.id or 0,
            title=scenario.published_title or "",
            published_text=scenario.published_text or "",
            content_warning=scenario.published_content_warning or "",
            credit_line=credit_line(scenario),
            topics=tuple(topic_map.get(scenario.id or 0, [])),
            published_at=scenario.published_at,
        )
        for scenario in scenarios
    ]


def published_for_module(session: Session, module: Module) -> list[PublishedScenario]:
    """Scenarios from young people for a module's "Scenarios from young people" part.

    Kept in memory under the database's generation for published scenarios, which triggers
    replace on every change (``app/models/cache.py``): the generation is read first, so
    what is kept is never older than its key, and a withdrawal leaves every page of every
    worker at the next request.
    """
    if module.kind != "module":
        return []
    session.flush()  # Core below (cheaper than the ORM on every page), which does not flush
    generation = session.connection().execute(_PUBLISHED_GENERATION).scalar()
    if generation is None:
        return _published(session, module)
    key = (module.slug, module.topics, generation)
    cached = _PUBLISHED_BY_MODULE.get(key)
    if cached is None:
        cached = tuple(_published(session, module))
        if len(_PUBLISHED_BY_MODULE) >= _PUBLISHED_CACHE_SIZE:
            _PUBLISHED_BY_MODULE.clear()
        _PUBLISHED_BY_MODULE[key] = cached
    return list(cached)


_PUBLISHED_GENERATION = select(CacheGeneration.generation).where(
    CacheGeneration.name == PUBLISHED_SCENARIOS
)
_PUBLISHED_BY_MODULE: dict[tuple[str, tuple[str, ...], int], tuple[PublishedScenario, ...]] = {}
_PUBLISHED_CACHE_SIZE = 256


def index_for_search(session: Session, content: ContentIndex, scenario: Scenario) -> None:
    """Make a newly published scenario findable, linked to the first module it appears in."""
    assert scenario.id is not None
    topics = topics_of(session, [scenario.id]).get(scenario.id, [])
    module = next(iter(modules_shown_in(session, content, scenario.id, topics)), None)
    url = f"/modules/{module.slug}#young-scenario-{scenario.id}" if module else "/modules"
    search.index_document(
        session,
        kind=SEARCH_KIND,
        key=str(scenario.id),
        title=scenario.published_title or "A scenario from a young person",
        heading="Scenario from a young person",
        body=scenario.published_text or "",
        url=url,
    )


def remove_from_search(session: Session, scenario: Scenario) -> None:
    assert scenario.id is not None
    remove_from_search_by_id(session, scenario.id)


def remove_from_search_by_id(session: Session, scenario_id: int) -> None:
    search.remove_document(session, SEARCH_KIND, str(scenario_id))

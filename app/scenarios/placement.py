"""Which modules a scenario is shown in: those a trainer chose, from suggestions by topic."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import delete
from sqlmodel import Session, col, select

from app.content import ContentIndex, Module
from app.content.schemas import SENSITIVE_TOPICS
from app.models.contributions import Scenario, ScenarioModule
from app.scenarios.errors import NoModulesChosen

UNSUGGESTIVE_TOPICS = frozenset({"refresher", "evidence"})


@dataclass(frozen=True)
class ModuleChoice:
    """A module a scenario could be published in, and whether Askwell suggests it."""

    module: Module
    shared_topics: tuple[str, ...]
    suggested: bool


def modules_for_topics(content: ContentIndex, topics: Iterable[str]) -> list[Module]:
    wanted = set(topics)
    return [module for module in content.all("module") if wanted & set(module.topics)]


def module_choices(content: ContentIndex, topics: Iterable[str]) -> list[ModuleChoice]:
    """Every module, the suggested ones first: those sharing a topic with the scenario.

    A module about a sensitive topic (self-harm, suicide, grooming…) is suggested only
    when the scenario is about that topic too, so a story that merely shares "asking"
    with it is never put beside self-harm content unless a trainer chooses so.
    """
    wanted = set(topics) - UNSUGGESTIVE_TOPICS
    choices = []
    for module in content.all("module"):
        shared = tuple(topic for topic in module.topics if topic in wanted)
        sensitive = SENSITIVE_TOPICS.intersection(module.topics)
        suggested = bool(shared) and (not sensitive or bool(sensitive & wanted))
        choices.append(ModuleChoice(module=module, shared_topics=shared, suggested=suggested))
    return sorted(choices, key=lambda choice: (not choice.suggested, -len(choice.shared_topics)))


def suggested_modules(content: ContentIndex, topics: Iterable[str]) -> list[Module]:
    return [choice.module for choice in module_choices(content, topics) if choice.suggested]


def chosen_module_slugs(session: Session, scenario_id: int) -> set[str]:
    return set(
        session.exec(
            select(ScenarioModule.module_slug).where(ScenarioModule.scenario_id == scenario_id)
        ).all()
    )


def modules_shown_in(
    session: Session, content: ContentIndex, scenario_id: int, topics: Iterable[str]
) -> list[Module]:
    """The modules a published scenario appears in, in the curriculum's order.

    Those a trainer chose; a scenario published before modules were chosen has no choice
    stored and keeps appearing in the modules of its topics, as it did then.
    """
    chosen = chosen_module_slugs(session, scenario_id)
    if not chosen:
        return modules_for_topics(content, topics)
    return [module for module in content.all("module") if module.slug in chosen]


def modules_by_slug(content: ContentIndex, slugs: Iterable[str]) -> list[Module]:
    """The modules named, in the curriculum's order; refused if any is not a module."""
    wanted = set(slugs)
    modules = [module for module in content.all("module") if module.slug in wanted]
    if len(modules) != len(wanted):
        raise NoModulesChosen("Choose modules from the list.")
    if not modules:
        raise NoModulesChosen("Choose at least one module to show it in.")
    return modules


def place_in_modules(session: Session, scenario: Scenario, modules: list[Module]) -> None:
    """Store the modules a trainer chose for a scenario, replacing any earlier choice."""
    assert scenario.id is not None
    session.exec(delete(ScenarioModule).where(col(ScenarioModule.scenario_id) == scenario.id))
    session.add_all(
        ScenarioModule(scenario_id=scenario.id, module_slug=module.slug) for module in modules
    )
    session.flush()

"""Modules as the API shows them: never the answers."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from pydantic import BaseModel, Field

from app.content import Ask, KeyPoints, Module, Quiz, Section, Support
from app.progress.schemas import ModuleState
from app.scenarios.service import PublishedScenario, PublishedScenarioOut

if TYPE_CHECKING:
    from app.cohorts.service import MyAssignment
    from app.models.progress import Completion
    from app.ratings.schemas import AskPanel


@dataclass(frozen=True)
class CatalogueEntry:
    module: Module
    state: ModuleState | None


@dataclass(frozen=True)
class ModuleView:
    """A module as its page and its API both show it.

    ``state`` is the reader's progress (practitioners only); ``quiz`` has its options in the
    reader's own order for their next attempt, as on the quiz page; ``next_section`` is
    where "Start" or "Continue" leads.
    """

    module: Module
    state: ModuleState | None
    quiz: Quiz | None
    scenarios: list[PublishedScenario]
    next_section: str | None


@dataclass(frozen=True)
class AllSections:
    """Every section of a module on one page, with the ratings beside its examples."""

    module: Module
    state: ModuleState | None
    ratings_panel: AskPanel | None
    scenarios: list[PublishedScenario]


@dataclass(frozen=True)
class NextStep:
    """Where "Next" on a section leads: the following section, an unread one, the quiz, or
    the completion page."""

    label: str
    url: str


@dataclass(frozen=True)
class SectionView:
    """One section as its page shows it: where it sits, and where "Next" leads."""

    module: Module
    section: Section
    state: ModuleState | None
    position: int
    """Counted from 1."""
    previous_section: Section | None
    next_section: Section | None
    next_step: NextStep | None
    ratings_panel: AskPanel | None


@dataclass(frozen=True)
class Completed:
    """What the completion page shows: what was finished, and what comes after it."""

    module: Module
    state: ModuleState
    certificate: Completion | None
    assigned: list[MyAssignment]
    due_for_refresh: list[Module]
    next_in_curriculum: Module | None


@dataclass(frozen=True)
class TwoMinuteVersion:
    """A module on one screen, for a practitioner short on time: what to remember (its key
    points) and what to say (the `do` line of each "how to ask" example)."""

    module: Module
    key_points: tuple[KeyPoints, ...]
    try_saying: tuple[Ask, ...]
    support: Support | None
    """The module's own support block, shown after the points when the module is sensitive."""

    @property
    def points(self) -> tuple[str, ...]:
        return tuple(item for block in self.key_points for item in block.items)


class TrySayingOut(BaseModel):
    ask_id: str = Field(description="The example's id, as in the module and its ratings.")
    text: str


class TwoMinuteVersionOut(BaseModel):
    slug: str
    title: str
    version: int
    content_warning: str | None
    minutes: int = Field(description="How long the full module takes.")
    key_points: list[str]
    try_saying: list[TrySayingOut]
    module_url: str = Field(description="The full module's page.")

    @classmethod
    def of(cls, version: TwoMinuteVersion) -> TwoMinuteVersionOut:
        module = version.module
        return cls(
            slug=module.slug,
            title=module.title,
            version=module.version,
            content_warning=module.content_warning,
            minutes=module.minutes,
            key_points=list(version.points),
            try_saying=[TrySayingOut(ask_id=ask.id, text=ask.do) for ask in version.try_saying],
            module_url=f"/modules/{module.slug}",
        )


class ModuleSummaryOut(BaseModel):
    slug: str
    title: str
    kind: str
    summary: str
    minutes: int
    version: int
    topics: list[str]
    updated: date

    @classmethod
    def of(cls, module: Module) -> ModuleSummaryOut:
        return cls(
            slug=module.slug,
            title=module.title,
            kind=module.kind,
            summary=module.summary,
            minutes=module.minutes,
            version=module.version,
            topics=list(module.topics),
            updated=module.updated,
        )


class SectionOut(BaseModel):
    id: str
    title: str
    html: str


class OptionOut(BaseModel):
    id: str
    text: str


class QuestionOut(BaseModel):
    id: str
    type: str
    prompt: str
    options: list[OptionOut]


class QuizOut(BaseModel):
    pass_mark: int
    questions: list[QuestionOut]


class ModuleDetailOut(BaseModel):
    slug: str
    title: str
    version: int
    content_warning: str | None
    sections: list[SectionOut]
    quiz: QuizOut | None
    scenarios: list[PublishedScenarioOut] = Field(
        default_factory=list,
        description="Scenarios from young people: published text and credit only.",
    )

    @classmethod
    def of(
        cls, view: ModuleView, section_html: Callable[[Module, Section], str]
    ) -> ModuleDetailOut:
        """``section_html`` is a section's HTML from the one Jinja environment, as pages show it."""
        module, quiz = view.module, view.quiz
        return cls(
            slug=module.slug,
            title=module.title,
            version=module.version,
            content_warning=module.content_warning,
            sections=[
                SectionOut(id=section.id, title=section.title, html=section_html(module, section))
                for section in module.sections
            ],
            quiz=QuizOut(
                pass_mark=quiz.pass_mark,
                questions=[
                    QuestionOut(
                        id=question.id,
                        type=question.type,
                        prompt=question.prompt,
                        options=[
                            OptionOut(id=option.id, text=option.text) for option in question.options
                        ],
                    )
                    for question in quiz.questions
                ],
            )
            if quiz
            else None,
            scenarios=[PublishedScenarioOut.of(scenario) for scenario in view.scenarios],
        )

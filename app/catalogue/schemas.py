"""Modules as the API shows them: never the answers."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from pydantic import BaseModel, Field

from app.content import Module
from app.contributions.schemas import PublishedScenarioOut
from app.progress.schemas import ModuleState

if TYPE_CHECKING:
    from app.cohorts.service import MyAssignment
    from app.models.progress import Completion


@dataclass(frozen=True)
class CatalogueEntry:
    module: Module
    state: ModuleState | None


@dataclass(frozen=True)
class NextStep:
    """Where "Next" on a section leads: the following section, an unread one, the quiz, or
    the completion page."""

    label: str
    url: str


@dataclass(frozen=True)
class Completed:
    """What the completion page shows: what was finished, and what comes after it."""

    module: Module
    state: ModuleState
    certificate: Completion | None
    assigned: list[MyAssignment]
    due_for_refresh: list[Module]
    next_in_curriculum: Module | None


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

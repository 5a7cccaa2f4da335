"""What changed, the short refresh and the spaced refresher, as pages and the API see them."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum

from pydantic import BaseModel, Field

from app.content import ChangelogEntry, KeyPoints, Module, Question
from app.progress.schemas import ModuleState
from app.quizzes.schemas import Grading, QuestionResult

# --- What changed -------------------------------------------------------------------------


class SectionChangeKind(StrEnum):
    added = "added"
    removed = "removed"
    changed = "changed"


class DiffOp(StrEnum):
    same = "same"
    added = "added"
    removed = "removed"
    elided = "elided"


@dataclass(frozen=True)
class DiffSegment:
    """A run of words: shown plain, highlighted as added or removed, or elided as "…"."""

    op: DiffOp
    text: str


@dataclass(frozen=True)
class SectionChange:
    section_id: str
    title: str
    old_title: str | None
    kind: SectionChangeKind
    segments: tuple[DiffSegment, ...]


@dataclass(frozen=True)
class WhatChanged:
    module: Module
    since_version: int
    entries: tuple[ChangelogEntry, ...]
    sections: tuple[SectionChange, ...]
    old_text_available: bool
    unchanged_sections: int
    state: ModuleState | None
    can_confirm: bool

    @property
    def has_major(self) -> bool:
        return any(entry.major for entry in self.entries)


class DiffSegmentOut(BaseModel):
    op: DiffOp
    text: str


class SectionChangeOut(BaseModel):
    id: str
    title: str
    old_title: str | None
    change: SectionChangeKind
    segments: list[DiffSegmentOut]


class ChangelogEntryOut(BaseModel):
    version: int
    date: date
    major: bool
    summary: str

    @classmethod
    def of(cls, entry: ChangelogEntry) -> ChangelogEntryOut:
        return cls(version=entry.version, date=entry.date, major=entry.major, summary=entry.summary)


class WhatChangedOut(BaseModel):
    slug: str
    title: str
    since_version: int
    version: int
    entries: list[ChangelogEntryOut]
    old_text_available: bool
    unchanged_sections: int
    sections: list[SectionChangeOut]

    @classmethod
    def of(cls, changes: WhatChanged) -> WhatChangedOut:
        return cls(
            slug=changes.module.slug,
            title=changes.module.title,
            since_version=changes.since_version,
            version=changes.module.version,
            entries=[ChangelogEntryOut.of(entry) for entry in changes.entries],
            old_text_available=changes.old_text_available,
            unchanged_sections=changes.unchanged_sections,
            sections=[
                SectionChangeOut(
                    id=section.section_id,
                    title=section.title,
                    old_title=section.old_title,
                    change=section.kind,
                    segments=[DiffSegmentOut(op=s.op, text=s.text) for s in section.segments],
                )
                for section in changes.sections
            ],
        )


# --- The short refresh: key points and a short quiz ---------------------------------------


@dataclass(frozen=True)
class KeyPointsOf:
    """A module's key points with the section each comes from, for a one-minute re-read."""

    module: Module
    points: tuple[tuple[str, str, KeyPoints], ...]  # (section id, section title, block)


@dataclass(frozen=True)
class RefreshOffer:
    module: Module
    state: ModuleState
    key_points: KeyPointsOf
    questions: tuple[Question, ...]
    pass_mark: int


@dataclass(frozen=True)
class RefreshCheckResult:
    id: int
    module: Module
    grading: Grading | None
    passed: bool
    score: int
    completed: bool
    state: ModuleState


class RefreshCheckRequest(BaseModel):
    answers: dict[str, list[str]] = Field(
        description="Question id to the option ids chosen; the questions offered", max_length=20
    )


class QuestionOut(BaseModel):
    id: str
    type: str
    prompt: str
    options: list[dict[str, str]]

    @classmethod
    def of(cls, question: Question) -> QuestionOut:
        return cls(
            id=question.id,
            type=question.type,
            prompt=question.prompt,
            options=[{"id": option.id, "text": option.text} for option in question.options],
        )


class RefreshOfferOut(BaseModel):
    slug: str
    version: int
    key_points: list[list[str]]
    pass_mark: int
    questions: list[QuestionOut]

    @classmethod
    def of(cls, offer: RefreshOffer) -> RefreshOfferOut:
        return cls(
            slug=offer.module.slug,
            version=offer.module.version,
            key_points=[list(block.items) for _, _, block in offer.key_points.points],
            pass_mark=offer.pass_mark,
            questions=[QuestionOut.of(question) for question in offer.questions],
        )


class FeedbackOut(BaseModel):
    option_id: str
    text: str


class QuestionFeedbackOut(BaseModel):
    id: str
    correct: bool
    feedback: list[FeedbackOut]

    @classmethod
    def of(cls, result: QuestionResult) -> QuestionFeedbackOut:
        return cls(
            id=result.question.id,
            correct=result.correct,
            feedback=[FeedbackOut(option_id=f.option_id, text=f.text) for f in result.feedback],
        )


class RefreshCheckOut(BaseModel):
    id: int
    score: int
    passed: bool
    completed: bool
    status: str
    questions: list[QuestionFeedbackOut]

    @classmethod
    def of(cls, result: RefreshCheckResult) -> RefreshCheckOut:
        return cls(
            id=result.id,
            score=result.score,
            passed=result.passed,
            completed=result.completed,
            status=result.state.status,
            questions=[QuestionFeedbackOut.of(item) for item in result.grading.questions]
            if result.grading
            else [],
        )


# --- The spaced refresher -----------------------------------------------------------------


@dataclass(frozen=True)
class DueQuestion:
    module: Module
    question: Question
    due_at: datetime
    is_new: bool


@dataclass(frozen=True)
class RefresherOverview:
    completed_modules: int
    due_now: int
    next_worth_at: datetime | None
    """When enough questions are due to make a session worth it; None if none will ever be."""


@dataclass(frozen=True)
class RefreshHub:
    """The refresh page: modules due for a refresh, modules updated since they were
    completed (not yet due), and the five-minute refresher."""

    due: list[tuple[Module, ModuleState]]
    updated: list[tuple[Module, ModuleState]]
    overview: RefresherOverview
    limit_questions: int
    limit_minutes: int


@dataclass(frozen=True)
class AnsweredQuestion:
    id: int
    module: Module
    question: Question | None
    correct: bool
    result: QuestionResult | None
    next_due_at: datetime | None

    @property
    def key_points_url(self) -> str:
        """Where to re-read what the question was about."""
        return f"/modules/{self.module.slug}/key-points"


@dataclass(frozen=True)
class RefresherSessionView:
    id: int
    started_at: datetime
    finished: bool
    answered: tuple[AnsweredQuestion, ...]
    question: DueQuestion | None
    overview: RefresherOverview
    limit_questions: int
    limit_minutes: int
    stopped_because: str = ""
    number: int = field(default=0)

    @property
    def correct_count(self) -> int:
        return sum(answer.correct for answer in self.answered)


class RefresherAnswerRequest(BaseModel):
    module_slug: str = Field(max_length=100)
    question_id: str = Field(max_length=60)
    answer: list[str] = Field(max_length=20)


class RefresherOverviewOut(BaseModel):
    completed_modules: int
    due_now: int
    next_worth_at: datetime | None

    @classmethod
    def of(cls, overview: RefresherOverview) -> RefresherOverviewOut:
        return cls(
            completed_modules=overview.completed_modules,
            due_now=overview.due_now,
            next_worth_at=overview.next_worth_at,
        )


class RefresherQuestionOut(BaseModel):
    module_slug: str
    module_title: str
    question: QuestionOut


class RefresherSessionOut(BaseModel):
    id: int
    started_at: datetime
    finished: bool
    answered: int
    correct: int
    question: RefresherQuestionOut | None
    next_worth_at: datetime | None

    @classmethod
    def of(cls, view: RefresherSessionView) -> RefresherSessionOut:
        question = view.question
        return cls(
            id=view.id,
            started_at=view.started_at,
            finished=view.finished,
            answered=len(view.answered),
            correct=view.correct_count,
            question=RefresherQuestionOut(
                module_slug=question.module.slug,
                module_title=question.module.title,
                question=QuestionOut.of(question.question),
            )
            if question
            else None,
            next_worth_at=view.overview.next_worth_at,
        )


class RefresherAnswerOut(BaseModel):
    id: int
    correct: bool
    feedback: list[FeedbackOut]
    key_points_url: str
    next_due_at: datetime | None

    @classmethod
    def of(cls, answered: AnsweredQuestion) -> RefresherAnswerOut:
        return cls(
            id=answered.id,
            correct=answered.correct,
            feedback=[
                FeedbackOut(option_id=item.option_id, text=item.text)
                for item in (answered.result.feedback if answered.result else ())
            ],
            key_points_url=answered.key_points_url,
            next_due_at=answered.next_due_at,
        )

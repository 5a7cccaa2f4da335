"""Quiz answers in, graded feedback out."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from pydantic import BaseModel, Field

from app.content import Module, Question, Quiz, Section
from app.progress.schemas import ModuleState

if TYPE_CHECKING:
    from app.models.quizzes import QuizAttempt


class AttemptRequest(BaseModel):
    answers: dict[str, list[str]] = Field(
        description="Question id to the option ids chosen", max_length=200
    )


@dataclass(frozen=True)
class PostedAnswers:
    """The options ticked for each question of a posted form, and the questions left blank."""

    chosen: dict[str, list[str]]
    unanswered: dict[str, str]
    """Question id to the message the form shows beside it ("Answer question 2")."""


@dataclass(frozen=True)
class OptionFeedback:
    option_id: str
    text: str
    option_text: str
    chosen: bool
    correct: bool


@dataclass(frozen=True)
class QuestionResult:
    question: Question
    correct: bool
    chosen: frozenset[str]
    feedback: tuple[OptionFeedback, ...]


@dataclass(frozen=True)
class Grading:
    score: int
    passed: bool
    questions: tuple[QuestionResult, ...]

    @property
    def correct_count(self) -> int:
        return sum(result.correct for result in self.questions)


@dataclass(frozen=True)
class AttemptResult:
    id: int
    module_slug: str
    content_version: int
    grading: Grading
    module_completed: bool


@dataclass(frozen=True)
class QuizView:
    """The quiz page: the quiz in the viewer's own order, their progress and past attempts."""

    module: Module
    quiz: Quiz
    state: ModuleState
    attempts: list[QuizAttempt]


@dataclass(frozen=True)
class AttemptView:
    """One attempt's result page: its feedback (None when made on an earlier version), and
    what is left before the module is complete."""

    module: Module
    quiz: Quiz
    attempt: QuizAttempt
    grading: Grading | None
    state: ModuleState
    unread: tuple[Section, ...]
    completion_url: str


class FeedbackOut(BaseModel):
    option_id: str
    text: str


class QuestionResultOut(BaseModel):
    id: str
    correct: bool
    feedback: list[FeedbackOut]


class AttemptOut(BaseModel):
    id: int
    score: int
    passed: bool
    questions: list[QuestionResultOut]

    @classmethod
    def of(cls, result: AttemptResult) -> AttemptOut:
        return cls(
            id=result.id,
            score=result.grading.score,
            passed=result.grading.passed,
            questions=[
                QuestionResultOut(
                    id=item.question.id,
                    correct=item.correct,
                    feedback=[
                        FeedbackOut(option_id=fb.option_id, text=fb.text) for fb in item.feedback
                    ],
                )
                for item in result.grading.questions
            ],
        )

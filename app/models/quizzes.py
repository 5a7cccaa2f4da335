"""Quiz attempts, kept whole: every attempt and every answer, against the version answered."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index
from sqlmodel import Field, SQLModel

from app.models.base import UTCDateTime, utcnow


class QuizAttempt(SQLModel, table=True):
    __tablename__ = "quiz_attempts"
    __table_args__ = (
        Index("ix_quiz_attempts_user_module", "user_id", "module_slug"),
        # Item analysis and pass rates look up each person's first attempt at one module.
        Index("ix_quiz_attempts_module_user", "module_slug", "content_version", "user_id", "id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="users.id", ondelete="CASCADE")
    module_slug: str = Field(max_length=100)
    content_version: int
    score: int
    passed: bool
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class QuizAnswer(SQLModel, table=True):
    """One question of one attempt, so item analysis is an aggregate query."""

    __tablename__ = "quiz_answers"
    __table_args__ = (Index("ix_quiz_answers_question", "module_slug", "question_id"),)

    id: int | None = Field(default=None, primary_key=True)
    attempt_id: int = Field(foreign_key="quiz_attempts.id", index=True, ondelete="CASCADE")
    module_slug: str = Field(max_length=100)
    question_id: str = Field(max_length=60)
    chosen: str = Field(max_length=200)
    correct: bool


class FirstQuizAttempt(SQLModel, table=True):
    """Each person's first attempt at each version of a module's quiz, marked as it happens.

    Item analysis is about first attempts; marking them when they are made lets the
    whole-trust view read running tallies instead of searching every attempt.
    """

    __tablename__ = "first_quiz_attempts"

    user_id: int = Field(foreign_key="users.id", primary_key=True, ondelete="CASCADE")
    module_slug: str = Field(max_length=100, primary_key=True)
    content_version: int = Field(primary_key=True)
    attempt_id: int = Field(foreign_key="quiz_attempts.id", ondelete="CASCADE")


class QuestionTally(SQLModel, table=True):
    """How many first attempts answered a question, and how many got it right.

    Anonymous running totals: they keep counting answers of accounts later deleted.
    """

    __tablename__ = "question_tallies"

    module_slug: str = Field(max_length=100, primary_key=True)
    content_version: int = Field(primary_key=True)
    question_id: str = Field(max_length=60, primary_key=True)
    first_answers: int = Field(default=0)
    first_correct: int = Field(default=0)

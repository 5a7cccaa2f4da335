"""Keeping current: old module text for "what changed", who has read it, and the refresher.

Content on disk holds only the current version of each module, so the text of
every version practitioners have seen is kept here, one row per section.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from app.models.base import UTCDateTime, utcnow


class SectionSnapshot(SQLModel, table=True):
    """One section of one module version, recorded the first time that version is served."""

    __tablename__ = "section_snapshots"
    __table_args__ = (
        UniqueConstraint(
            "module_slug", "version", "section_id", name="uq_section_snapshots_version_section"
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    module_slug: str = Field(max_length=100)
    version: int
    position: int
    section_id: str = Field(max_length=120)
    title: str = Field(max_length=200)
    text_hash: str = Field(max_length=64)
    text: str = Field(sa_type=Text)
    recorded_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class ChangeAcknowledgement(SQLModel, table=True):
    """The latest version whose changes a practitioner has confirmed reading."""

    __tablename__ = "change_acknowledgements"
    __table_args__ = (
        UniqueConstraint("user_id", "module_slug", name="uq_change_acknowledgements_user_module"),
    )

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="users.id", ondelete="CASCADE")
    module_slug: str = Field(max_length=100)
    version: int
    acknowledged_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class RefreshCheck(SQLModel, table=True):
    """A short refresh: key points re-read and a short quiz taken instead of the whole module."""

    __tablename__ = "refresh_checks"
    __table_args__ = (Index("ix_refresh_checks_user_module", "user_id", "module_slug"),)

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="users.id", ondelete="CASCADE")
    module_slug: str = Field(max_length=100)
    content_version: int
    answers: str = Field(max_length=600)
    score: int
    passed: bool
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class RefresherCard(SQLModel, table=True):
    """One quiz question's memory schedule for one practitioner (an fsrs Card as JSON)."""

    __tablename__ = "refresher_cards"
    __table_args__ = (
        UniqueConstraint(
            "user_id", "module_slug", "question_id", name="uq_refresher_cards_user_question"
        ),
        Index("ix_refresher_cards_user_due", "user_id", "due_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="users.id", ondelete="CASCADE")
    module_slug: str = Field(max_length=100)
    question_id: str = Field(max_length=60)
    card: str = Field(max_length=1000)
    due_at: datetime = Field(sa_type=UTCDateTime)
    last_reviewed_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    reviews: int = Field(default=0)
    lapses: int = Field(default=0)


class RefresherSession(SQLModel, table=True):
    """One "Refresh in 5 minutes" sitting; its start is kept here so any worker can end it."""

    __tablename__ = "refresher_sessions"

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="users.id", index=True, ondelete="CASCADE")
    started_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    finished_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class RefresherAnswer(SQLModel, table=True):
    __tablename__ = "refresher_answers"
    __table_args__ = (
        UniqueConstraint(
            "session_id", "module_slug", "question_id", name="uq_refresher_answers_question"
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    session_id: int = Field(foreign_key="refresher_sessions.id", ondelete="CASCADE")
    module_slug: str = Field(max_length=100)
    question_id: str = Field(max_length=60)
    chosen: str = Field(max_length=200)
    correct: bool
    answered_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)

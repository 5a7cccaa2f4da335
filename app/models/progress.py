"""A practitioner's progress. Rows name a module by slug and version, never by a
foreign key into content, so editing a module never rewrites anyone's history."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index, UniqueConstraint
from sqlmodel import Field, SQLModel

from app.models.base import UTCDateTime, utcnow


class ModuleProgress(SQLModel, table=True):
    """One row per person and module: what dashboards and reports read."""

    __tablename__ = "module_progress"
    __table_args__ = (
        UniqueConstraint("user_id", "module_slug", name="uq_module_progress_user_module"),
        Index("ix_module_progress_module", "module_slug", "completed_at"),
        # Trainer reports join every (member, assigned module) pair to its row: covering the
        # columns they read (the status rule's and last activity too) lets both databases
        # answer from the index alone.
        Index(
            "ix_module_progress_report",
            "user_id",
            "module_slug",
            "started_at",
            "completed_at",
            "best_score",
            "completed_version",
            "last_activity_at",
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="users.id", ondelete="CASCADE")
    module_slug: str = Field(max_length=100)
    started_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    last_activity_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    last_section_id: str | None = Field(default=None, max_length=120)
    completed_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    completed_version: int | None = Field(default=None)
    best_score: int | None = Field(default=None)


class SectionProgress(SQLModel, table=True):
    __tablename__ = "section_progress"
    __table_args__ = (
        UniqueConstraint(
            "user_id", "module_slug", "section_id", name="uq_section_progress_user_section"
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="users.id", ondelete="CASCADE")
    module_slug: str = Field(max_length=100)
    section_id: str = Field(max_length=120)
    content_version: int
    completed_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class Completion(SQLModel, table=True):
    """Each time someone completes a module: the record certificates are made from."""

    __tablename__ = "completions"
    __table_args__ = (Index("ix_completions_user_module", "user_id", "module_slug"),)

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="users.id", ondelete="CASCADE")
    module_slug: str = Field(max_length=100)
    module_title: str = Field(max_length=200)
    content_version: int
    minutes: int
    completed_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    verification_code: str = Field(max_length=32, unique=True)

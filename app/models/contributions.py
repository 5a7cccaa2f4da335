"""Scenarios young co-designers submit and their review history.

Safeguarding concerns are kept apart, in ``app.models.safeguarding``, so erasing a
scenario never erases the organisation's record of a concern.

A scenario row keeps the author's own words only while they consent: withdrawal
blanks every text column and deletes the history, leaving the row as a marker
that something was withdrawn and when.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import JSON, Column, Index, Text
from sqlmodel import Field, SQLModel

from app.models.base import UTCDateTime, utcnow


class ScenarioStatus(StrEnum):
    draft = "draft"
    submitted = "submitted"
    in_review = "in_review"
    changes_requested = "changes_requested"
    accepted = "accepted"
    published = "published"
    rejected = "rejected"
    withdrawn = "withdrawn"


class Credit(StrEnum):
    """How the author is credited where the scenario is published; none is the default."""

    none = "none"
    pseudonym = "pseudonym"
    first_name = "first_name"


class Scenario(SQLModel, table=True):
    __tablename__ = "scenarios"
    # AUTOINCREMENT on SQLite, so a deleted scenario's number is never given to another one
    # (the audit log names scenarios by number); PostgreSQL's identity never reuses anyway.
    __table_args__ = (
        Index("ix_scenarios_status_submitted", "status", "submitted_at"),
        {"sqlite_autoincrement": True},
    )

    id: int | None = Field(default=None, primary_key=True)
    author_id: int = Field(foreign_key="users.id", index=True, ondelete="CASCADE")
    status: str = Field(default=ScenarioStatus.draft.value, max_length=20)
    title: str = Field(default="", max_length=120)
    what_happened: str = Field(default="", sa_type=Text)
    what_was_said: str = Field(default="", sa_type=Text)
    how_it_felt: str = Field(default="", sa_type=Text)
    what_would_help: str = Field(default="", sa_type=Text)
    platforms: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    content_warning: str = Field(default="", max_length=200)
    credit: str = Field(default=Credit.none.value, max_length=20)
    credit_name: str = Field(default="", max_length=40)
    consent_to_quote: bool = Field(default=False)
    published_title: str | None = Field(default=None, max_length=120)
    published_text: str | None = Field(default=None, sa_type=Text)
    published_content_warning: str | None = Field(default=None, max_length=200)
    claimed_by_id: int | None = Field(default=None, foreign_key="users.id", ondelete="SET NULL")
    claimed_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    submitted_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    published_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    withdrawn_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class ScenarioTopic(SQLModel, table=True):
    """One curriculum topic of a scenario: module pages find published scenarios by topic."""

    __tablename__ = "scenario_topics"

    scenario_id: int = Field(foreign_key="scenarios.id", primary_key=True, ondelete="CASCADE")
    topic: str = Field(max_length=40, primary_key=True, index=True)


class ScenarioModule(SQLModel, table=True):
    """A module a trainer chose to show a published scenario in.

    Topics only suggest modules: a scenario appears in exactly the modules chosen here,
    so a story about peer support never lands in a module about self-harm by accident.
    """

    __tablename__ = "scenario_modules"

    scenario_id: int = Field(foreign_key="scenarios.id", primary_key=True, ondelete="CASCADE")
    module_slug: str = Field(max_length=100, primary_key=True, index=True)


class ScenarioTransition(SQLModel, table=True):
    """Every change of state: who, when, from what to what, and the note that went with it."""

    __tablename__ = "scenario_transitions"

    id: int | None = Field(default=None, primary_key=True)
    scenario_id: int = Field(foreign_key="scenarios.id", index=True, ondelete="CASCADE")
    actor_id: int | None = Field(default=None, foreign_key="users.id", ondelete="SET NULL")
    from_status: str | None = Field(default=None, max_length=20)
    to_status: str = Field(max_length=20)
    note: str = Field(default="", sa_type=Text)
    at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, index=True)

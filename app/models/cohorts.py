"""Cohorts: a group of practitioners, the trainers who manage it, invitations and assignments.

Assignments name a module by slug (never a foreign key into content), like progress does,
so renaming or removing a module never breaks a cohort.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Index, UniqueConstraint
from sqlmodel import Field, SQLModel

from app.models.base import UTCDateTime, utcnow


class Cohort(SQLModel, table=True):
    __tablename__ = "cohorts"

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=120)
    created_by: int | None = Field(default=None, foreign_key="users.id", ondelete="SET NULL")
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class CohortTrainer(SQLModel, table=True):
    """A trainer who manages a cohort: only they (and admins) see its people."""

    __tablename__ = "cohort_trainers"
    __table_args__ = (Index("ix_cohort_trainers_user", "user_id"),)

    cohort_id: int = Field(foreign_key="cohorts.id", primary_key=True, ondelete="CASCADE")
    user_id: int = Field(foreign_key="users.id", primary_key=True, ondelete="CASCADE")


class CohortMember(SQLModel, table=True):
    __tablename__ = "cohort_members"
    __table_args__ = (Index("ix_cohort_members_user", "user_id", "cohort_id"),)

    cohort_id: int = Field(foreign_key="cohorts.id", primary_key=True, ondelete="CASCADE")
    user_id: int = Field(foreign_key="users.id", primary_key=True, ondelete="CASCADE")
    added_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class CohortRequest(SQLModel, table=True):
    """A trainer's request that a practitioner with an account join a cohort.

    A practitioner joins only by accepting it (it then becomes a ``CohortMember``) so no
    trainer sees anyone's progress without their say; declining deletes it.
    """

    __tablename__ = "cohort_requests"
    __table_args__ = (Index("ix_cohort_requests_user", "user_id", "cohort_id"),)

    cohort_id: int = Field(foreign_key="cohorts.id", primary_key=True, ondelete="CASCADE")
    user_id: int = Field(foreign_key="users.id", primary_key=True, ondelete="CASCADE")
    requested_by: int | None = Field(default=None, foreign_key="users.id", ondelete="SET NULL")
    requested_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class CohortInvitation(SQLModel, table=True):
    """A single-use link that lets a new practitioner make an account and join a cohort.

    Only a hash of the link's token is stored, so a copy of the database opens nothing.
    """

    __tablename__ = "cohort_invitations"
    __table_args__ = (Index("ix_cohort_invitations_cohort", "cohort_id", "created_at"),)

    id: int | None = Field(default=None, primary_key=True)
    cohort_id: int = Field(foreign_key="cohorts.id", ondelete="CASCADE")
    email: str = Field(max_length=254)
    token_hash: str = Field(max_length=64, unique=True)
    created_by: int | None = Field(default=None, foreign_key="users.id", ondelete="SET NULL")
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    expires_at: datetime = Field(sa_type=UTCDateTime)
    used_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    used_by: int | None = Field(default=None, foreign_key="users.id", ondelete="SET NULL")
    revoked_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class Assignment(SQLModel, table=True):
    """A module a cohort must complete by a date, optionally again every ``recur_days``."""

    __tablename__ = "assignments"
    __table_args__ = (
        UniqueConstraint("cohort_id", "module_slug", name="uq_assignments_cohort_module"),
    )

    id: int | None = Field(default=None, primary_key=True)
    cohort_id: int = Field(foreign_key="cohorts.id", ondelete="CASCADE")
    module_slug: str = Field(max_length=100)
    due_date: date
    recur_days: int | None = Field(default=None)
    created_by: int | None = Field(default=None, foreign_key="users.id", ondelete="SET NULL")
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)

"""The learning-event stream: what a learner did, kept once, and its delivery to each place
that wants it (an LMS gradebook, a badge issuer, a learning record store).

An event is written in the same transaction as the change it records (an outbox), so it
exists exactly when the change does. Delivery rows are made in that transaction too, one
per destination in ``event_destinations``; a deliverer then sends them, retrying with
backoff, and what it could not send stays where an admin can see it.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, Column, Index, UniqueConstraint
from sqlmodel import Field, SQLModel

from app.models.base import UTCDateTime, utcnow


class EventKind(StrEnum):
    section_read = "section_read"
    quiz_attempted = "quiz_attempted"
    module_completed = "module_completed"
    refresher_answered = "refresher_answered"


class DeliveryStatus(StrEnum):
    pending = "pending"
    """Not sent yet; sent when ``next_attempt_at`` comes."""
    failed = "failed"
    """The last try failed; tried again at ``next_attempt_at``, later each time."""
    stopped = "stopped"
    """The destination refused it for good; only an admin's retry sends it again."""
    delivered = "delivered"


class LearningEvent(SQLModel, table=True):
    __tablename__ = "learning_events"
    __table_args__ = (Index("ix_learning_events_user", "user_id", "occurred_at"),)

    id: int | None = Field(default=None, primary_key=True)
    event_id: str = Field(max_length=36, unique=True)
    """A UUID that never changes: what a destination uses to drop a repeat."""
    kind: str = Field(max_length=40)
    user_id: int = Field(foreign_key="users.id", ondelete="CASCADE")
    module_slug: str = Field(max_length=100)
    content_version: int | None = Field(default=None)
    occurred_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    payload: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))


class EventDestination(SQLModel, table=True):
    """A place events go; its row makes deliveries for every event recorded from then on."""

    __tablename__ = "event_destinations"

    name: str = Field(primary_key=True, max_length=60)
    kinds: str = Field(default="", max_length=200)
    """The kinds it wants, comma-separated; empty for all."""
    enabled: bool = Field(default=True)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class EventDelivery(SQLModel, table=True):
    __tablename__ = "event_deliveries"
    __table_args__ = (
        UniqueConstraint("event_id", "destination", name="uq_event_deliveries_event_destination"),
        # What a deliverer looks for: those still to send, soonest first.
        Index("ix_event_deliveries_due", "status", "next_attempt_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    event_id: int = Field(foreign_key="learning_events.id", ondelete="CASCADE")
    destination: str = Field(max_length=60)
    status: str = Field(default=DeliveryStatus.pending.value, max_length=20)
    attempts: int = Field(default=0)
    next_attempt_at: datetime | None = Field(default_factory=utcnow, sa_type=UTCDateTime)
    lease_until: datetime | None = Field(default=None, sa_type=UTCDateTime)
    """Set while a deliverer is sending it: nobody else takes it until then."""
    lease_holder: str | None = Field(default=None, max_length=40)
    last_error: str = Field(default="", max_length=500)
    delivered_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)

"""Learning events as destinations receive them, and deliveries as admins read them."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from pydantic import BaseModel


class LearningEventOut(BaseModel):
    """One thing a learner did, as every destination receives it.

    ``event_id`` never changes, however often a delivery is retried: a destination that
    keeps it can drop a repeat.
    """

    event_id: str
    kind: str
    user_id: int
    module_slug: str
    content_version: int | None
    occurred_at: datetime
    payload: dict[str, Any]


class DeliveryOut(BaseModel):
    id: int
    destination: str
    status: str
    attempts: int
    next_attempt_at: datetime | None
    last_error: str
    delivered_at: datetime | None
    event_id: str
    kind: str
    module_slug: str
    occurred_at: datetime
    person: str
    """The learner's name, for an admin to recognise; never more about them."""


class DestinationCount(BaseModel):
    destination: str
    installed: bool
    """Whether this Askwell has the code that sends to it; if not, nothing is sent."""
    pending: int = 0
    failed: int = 0
    stopped: int = 0
    delivered: int = 0


class DeliveryPage(BaseModel):
    destinations: list[DestinationCount]
    deliveries: list[DeliveryOut]
    status: str
    page: int
    has_more: bool


@dataclass
class DeliveryReport:
    """What one run of the deliverer did, for the command line and the log."""

    delivered: int = 0
    failed: int = 0
    stopped: int = 0
    left_for_later: int = 0
    problems: list[str] = field(default_factory=list)

    @property
    def tried(self) -> int:
        return self.delivered + self.failed + self.stopped

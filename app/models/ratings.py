"""Young co-designers' verdicts on the "how to ask" examples, kept against the ask's id."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import Index, UniqueConstraint
from sqlmodel import Field, SQLModel

from app.models.base import UTCDateTime, utcnow


class Verdict(StrEnum):
    """The answer to "would this work on you?"."""

    yes = "yes"
    not_sure = "not_sure"
    no = "no"


class AskRating(SQLModel, table=True):
    __tablename__ = "ask_ratings"
    __table_args__ = (
        UniqueConstraint("user_id", "module_slug", "ask_id", name="uq_ask_ratings_user_ask"),
        Index("ix_ask_ratings_ask", "module_slug", "ask_id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="users.id", ondelete="CASCADE")
    module_slug: str = Field(max_length=100)
    ask_id: str = Field(max_length=100)
    verdict: str = Field(max_length=10)
    comment: str = Field(default="", max_length=500)
    rated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)

"""Safeguarding records: the organisation's record of a concern, kept apart from the scenario.

A young person's scenario is theirs, and withdrawing it or deleting the account erases it.
A safeguarding concern is the organisation's record, so it has no cascading tie to the
scenario or the account: it holds a snapshot of only what a safeguarding lead needs (the
sentences that matched, where and when they were typed, who typed them at that moment) and
the follow-up, until a trainer records the follow-up and then for the retention period.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, Column, Index, Text
from sqlmodel import Field, SQLModel

from app.models.base import UTCDateTime, utcnow


class TypedIn(StrEnum):
    """Where the young person typed the words that matched."""

    scenario_draft = "scenario_draft"
    scenario_check = "scenario_check"
    scenario_sent = "scenario_sent"
    scenario_edit = "scenario_edit"
    rating_comment = "rating_comment"


class SafeguardingRecord(SQLModel, table=True):
    __tablename__ = "safeguarding_records"
    __table_args__ = (Index("ix_safeguarding_records_open", "resolved_at", "raised_at"),)

    id: int | None = Field(default=None, primary_key=True)
    scenario_id: int | None = Field(
        default=None, foreign_key="scenarios.id", index=True, ondelete="SET NULL"
    )
    module_slug: str | None = Field(default=None, max_length=100)
    ask_id: str | None = Field(default=None, max_length=100)
    account_id: int | None = Field(
        default=None, foreign_key="users.id", index=True, ondelete="SET NULL"
    )
    name: str = Field(max_length=120)
    email: str = Field(max_length=254)
    age_band: str | None = Field(default=None, max_length=5)
    reasons: str = Field(default="", max_length=200)
    sentences: list[dict[str, Any]] = Field(
        default_factory=list, sa_column=Column(JSON, nullable=False)
    )
    """Each ``{"text", "typed_in", "at"}``: the sentence exactly as it matched."""
    raised_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    withdrawn_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    account_deleted_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    resolved_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    resolved_by_id: int | None = Field(default=None, foreign_key="users.id", ondelete="SET NULL")
    resolved_by_name: str = Field(default="", max_length=200)
    resolution_note: str = Field(default="", sa_type=Text)

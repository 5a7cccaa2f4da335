"""Audit events as admins read them."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel


class AuditEventOut(BaseModel):
    id: int
    at: datetime
    actor_id: int | None
    actor_email: str | None
    action: str
    target_type: str
    target_id: str
    detail: str
    actor_name: str | None = None
    action_label: str = ""
    """The action in words, as the filter offers it: "Accepted a scenario"."""
    summary: str = ""
    """The whole event as a sentence with names: "Sam Trainer accepted scenario 12"."""


class ActionChoice(BaseModel):
    value: str
    label: str


class AuditPage(BaseModel):
    events: list[AuditEventOut]
    page: int
    has_more: bool

"""Safeguarding records as trainers' pages and the API see them."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, Field

from app.models.safeguarding import TypedIn

TYPED_IN_LABELS = {
    TypedIn.scenario_draft: "a scenario saved as a draft",
    TypedIn.scenario_check: "a scenario being checked before sending",
    TypedIn.scenario_sent: "a scenario sent for review",
    TypedIn.scenario_edit: "a scenario revised and sent again",
    TypedIn.rating_comment: "a comment on a “how to ask” example",
}


class SupportOut(BaseModel):
    """One place to get help now, with a link a phone can call or text."""

    name: str
    how: str
    href: str


class SentenceOut(BaseModel):
    text: str
    typed_in: TypedIn
    typed_in_label: str
    at: datetime


class RecordSummaryOut(BaseModel):
    """One record in the list: enough to choose which to open, never the words or the name."""

    id: int
    about: str
    """What the words were typed in, in plain words."""
    scenario_id: int | None
    module_slug: str | None
    ask_id: str | None
    age_band: str | None
    reasons: str
    raised_at: datetime
    updated_at: datetime
    withdrawn_at: datetime | None
    account_deleted_at: datetime | None
    resolved_at: datetime | None
    what_happened_since: str
    """Plain words such as "Withdrawn by the young person on 27 November 2026"."""


class RecordOut(RecordSummaryOut):
    """Everything a safeguarding lead needs, and nothing more of what the young person wrote."""

    name: str
    email: str
    sentences: list[SentenceOut]
    review_url: str | None
    """The submission's review page while trainers can still open it."""
    resolved_by: str | None
    resolution_note: str


class ResolveIn(BaseModel):
    note: str = Field(max_length=5000)

"""The review queue and decisions, as trainers' pages and the API see them."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from pydantic import BaseModel, Field

from app.contributions.schemas import ScenarioOut, WarningOut
from app.models.contributions import ScenarioStatus

_CAP = 20_000


class Decision(StrEnum):
    accept = "accept"
    request_changes = "request_changes"
    reject = "reject"


DECISION_STATUS = {
    Decision.accept: ScenarioStatus.accepted,
    Decision.request_changes: ScenarioStatus.changes_requested,
    Decision.reject: ScenarioStatus.rejected,
}


class DecisionIn(BaseModel):
    """POST /api/v1/review/scenarios/{id}/decision.

    For ``accept``, ``published_text`` (and optionally ``published_title`` and
    ``content_warning``) is what practitioners will read; it is refused while the
    detector finds personal details in it, unless each finding's exact text is
    listed in ``confirmed_not_personal``.
    """

    decision: Decision
    note: str = Field(default="", max_length=_CAP)
    published_text: str | None = Field(default=None, max_length=_CAP)
    published_title: str | None = Field(default=None, max_length=_CAP)
    content_warning: str | None = Field(default=None, max_length=_CAP)
    confirmed_not_personal: list[str] = Field(default_factory=list, max_length=100)


class PublishIn(BaseModel):
    """POST /api/v1/review/scenarios/{id}/publish, every field optional.

    ``modules`` lists the slugs of the modules to show it in; left out, it goes into the
    suggested modules (those sharing a topic with it, sensitive ones only when it shares
    that sensitive topic). ``published_title``, ``published_text`` and ``content_warning``
    correct the accepted text, checked like a decision's. A label such as ``[name]`` left
    from the suggested text is refused unless ``placeholders_confirmed`` is true.
    """

    modules: list[str] | None = Field(default=None, max_length=100)
    published_title: str | None = Field(default=None, max_length=_CAP)
    published_text: str | None = Field(default=None, max_length=_CAP)
    content_warning: str | None = Field(default=None, max_length=_CAP)
    placeholders_confirmed: bool = False
    confirmed_not_personal: list[str] = Field(default_factory=list, max_length=100)


class FlagNoteIn(BaseModel):
    note: str = Field(default="", max_length=_CAP)


class UnpublishIn(BaseModel):
    """Why a published scenario is coming out of the modules; the young person reads it."""

    note: str = Field(default="", max_length=_CAP)


class QueueItemOut(BaseModel):
    id: int
    title: str
    status: ScenarioStatus
    topics: list[str]
    safeguarding_flag: bool
    submitted_at: datetime | None
    claimed_by: str | None
    claimed_by_me: bool
    claim_lapsed: bool
    age_band: str | None
    reviewed_by: str | None = None
    """For a decided scenario, the trainer who reviewed it (its claim is handed back)."""
    reviewed_by_me: bool = False


class FlagOut(BaseModel):
    id: int
    reasons: str
    raised_at: datetime
    resolved_at: datetime | None
    resolved_by: str | None
    resolution_note: str


class ReviewStepOut(BaseModel):
    from_status: ScenarioStatus | None
    to_status: ScenarioStatus
    at: datetime
    by: str
    note: str


class ReviewScenarioOut(BaseModel):
    """One submission as its reviewer sees it: the author's words, the details that look
    personal, the flags, and the whole history with who did what."""

    scenario: ScenarioOut
    age_band: str | None
    author_contact: str | None
    claimed_by: str | None
    claimed_by_me: bool
    claim_lapsed: bool
    flags: list[FlagOut]
    history: list[ReviewStepOut]
    suggested_text: str
    published_warnings: list[WarningOut]
    published_content_warning: str = ""
    """The content warning practitioners will read, as the reviewer wrote it."""

"""What co-designers and reviewing trainers send and get back, as pages and the API see it."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import TYPE_CHECKING, Literal

from pydantic import BaseModel, Field

from app.models.contributions import Credit, Scenario, ScenarioStatus
from app.safeguarding.service import SupportOut

if TYPE_CHECKING:
    from app.scenarios.personal_details import Finding

# Hard caps that only bound memory; the service's friendlier limits apply first.
_CAP = 20_000

STATUS_LABELS = {
    ScenarioStatus.draft: "Draft",
    ScenarioStatus.submitted: "Sent – waiting for review",
    ScenarioStatus.in_review: "Being reviewed",
    ScenarioStatus.changes_requested: "Changes suggested",
    ScenarioStatus.accepted: "Accepted",
    ScenarioStatus.published: "Published",
    ScenarioStatus.rejected: "Not used",
    ScenarioStatus.withdrawn: "Withdrawn",
}

STATUS_COLOURS = {
    ScenarioStatus.draft: "grey",
    ScenarioStatus.submitted: "blue",
    ScenarioStatus.in_review: "purple",
    ScenarioStatus.changes_requested: "orange",
    ScenarioStatus.accepted: "aqua-green",
    ScenarioStatus.published: "green",
    ScenarioStatus.rejected: "red",
    ScenarioStatus.withdrawn: "grey",
}


@dataclass
class ScenarioForm:
    """Everything a co-designer types, exactly as typed, so a form never loses it."""

    title: str = ""
    what_happened: str = ""
    what_was_said: str = ""
    how_it_felt: str = ""
    what_would_help: str = ""
    platforms: list[str] = field(default_factory=list)
    topics: list[str] = field(default_factory=list)
    content_warning: str = ""
    credit: str = Credit.none.value
    credit_name: str = ""
    consent_to_quote: bool = False

    @property
    def platforms_text(self) -> str:
        return ", ".join(self.platforms)


class ScenarioIn(BaseModel):
    """POST and PUT /api/v1/scenarios; ``draft`` keeps it private instead of sending it."""

    title: str = Field(default="", max_length=_CAP)
    what_happened: str = Field(default="", max_length=_CAP)
    what_was_said: str = Field(default="", max_length=_CAP)
    how_it_felt: str = Field(default="", max_length=_CAP)
    what_would_help: str = Field(default="", max_length=_CAP)
    platforms: list[str] = Field(default_factory=list, max_length=50)
    topics: list[str] = Field(default_factory=list, max_length=50)
    content_warning: str | None = Field(default="", max_length=_CAP)
    credit: Credit = Credit.none
    credit_name: str | None = Field(default="", max_length=_CAP)
    consent_to_quote: bool = False
    draft: bool = False

    def to_form(self) -> ScenarioForm:
        return ScenarioForm(
            title=self.title,
            what_happened=self.what_happened,
            what_was_said=self.what_was_said,
            how_it_felt=self.how_it_felt,
            what_would_help=self.what_would_help,
            platforms=[str(item)[:_CAP] for item in self.platforms],
            topics=[str(item)[:_CAP] for item in self.topics],
            content_warning=self.content_warning or "",
            credit=self.credit.value,
            credit_name=self.credit_name or "",
            consent_to_quote=self.consent_to_quote,
        )


class ChoicesIn(BaseModel):
    """PUT /api/v1/scenarios/{id}/choices: how the author is credited, and whether quoted."""

    credit: Credit = Credit.none
    credit_name: str | None = Field(default="", max_length=_CAP)
    consent_to_quote: bool = False


class WarningOut(BaseModel):
    """A detail that looks personal: its kind, the exact text, and the field it is in."""

    kind: str
    text: str
    field: str

    @classmethod
    def of(cls, field_name: str, finding: Finding) -> WarningOut:
        return cls(kind=finding.kind, text=finding.text, field=field_name)


class SubmissionOut(BaseModel):
    """What POST /api/v1/scenarios answers: ``support`` is non-empty when words about risk now
    were found, and is shown to the author straight away."""

    id: int
    status: ScenarioStatus
    warnings: list[WarningOut]
    support: list[SupportOut] = Field(default_factory=list)


class HistoryOut(BaseModel):
    """One step of a scenario's review as its author sees it: a trainer's note, not their name."""

    from_status: ScenarioStatus | None
    to_status: ScenarioStatus
    at: datetime
    by: Literal["you", "a trainer"]
    note: str


@dataclass(frozen=True)
class TimelineEvent:
    """One dated line of a scenario's timeline, as its author reads it."""

    at: datetime
    text: str
    note: str = ""
    by: Literal["you", "a trainer"] = "you"


class PlacementOut(BaseModel):
    slug: str
    title: str


class ScenarioOut(BaseModel):
    id: int
    status: ScenarioStatus
    title: str
    what_happened: str
    what_was_said: str
    how_it_felt: str
    what_would_help: str
    platforms: list[str]
    topics: list[str]
    content_warning: str
    credit: Credit
    credit_name: str
    consent_to_quote: bool
    created_at: datetime
    submitted_at: datetime | None
    published_at: datetime | None
    withdrawn_at: datetime | None
    published_title: str | None
    published_text: str | None
    published_in: list[PlacementOut]
    reviewer_notes: list[HistoryOut]
    warnings: list[WarningOut]


@dataclass(frozen=True)
class PublishedScenario:
    """What practitioners see, and what search may index: only the reviewer's published text
    and the credit the author chose."""

    id: int
    title: str
    published_text: str
    content_warning: str
    credit_line: str
    topics: tuple[str, ...]
    published_at: datetime | None

    @property
    def paragraphs(self) -> list[str]:
        return [part.strip() for part in self.published_text.split("\n\n") if part.strip()]


class PublishedScenarioOut(BaseModel):
    id: int
    title: str
    text: str
    content_warning: str
    credit: str
    topics: list[str]

    @classmethod
    def of(cls, scenario: PublishedScenario) -> PublishedScenarioOut:
        return cls(
            id=scenario.id,
            title=scenario.title,
            text=scenario.published_text,
            content_warning=scenario.content_warning,
            credit=scenario.credit_line,
            topics=list(scenario.topics),
        )


@dataclass(frozen=True)
class RatingOut:
    """A young person's rating of a "how to ask" example, with the example's words."""

    module_slug: str
    module_title: str
    ask_id: str
    example: str
    verdict: str
    verdict_words: str
    comment: str
    rated_at: datetime


@dataclass(frozen=True)
class MyData:
    """Everything Askwell holds about a co-designer: the one source of every export."""

    exported_at: datetime
    user_id: int
    email: str
    display_name: str
    roles: list[str]
    age_band: str | None
    created_at: datetime
    scenarios: list[tuple[ScenarioOut, list[TimelineEvent]]]
    ratings: list[RatingOut]
    safeguarding_records: dict[str, str]
    """What a safeguarding record is and how to ask for it: it cannot be in the export."""


# --- Review -------------------------------------------------------------------------------


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


class StatusOut(BaseModel):
    id: int
    status: ScenarioStatus

    @classmethod
    def of(cls, scenario: Scenario) -> StatusOut:
        return cls(id=scenario.id or 0, status=ScenarioStatus(scenario.status))


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

"""Ratings of "how to ask" examples, as pages and the API see them."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from pydantic import BaseModel, Field

from app.models.ratings import Verdict
from app.safeguarding.service import SupportOut

ENDORSEMENT_MINIMUM = 5
"""Practitioners see how many young people endorsed an example only from this many ratings,
so a count never points at one or two people and is worth reading."""

VERDICT_LABELS = {
    Verdict.yes: "Yes",
    Verdict.not_sure: "Not sure",
    Verdict.no: "No",
}


@dataclass(frozen=True)
class Tally:
    yes: int = 0
    not_sure: int = 0
    no: int = 0

    @property
    def total(self) -> int:
        return self.yes + self.not_sure + self.no

    @property
    def shown_to_practitioners(self) -> bool:
        return self.total >= ENDORSEMENT_MINIMUM

    @property
    def rejected(self) -> bool:
        """Young people reject an example when, with at least five ratings, most say no."""
        return self.total >= ENDORSEMENT_MINIMUM and self.no * 2 > self.total

    @property
    def endorsement(self) -> str:
        people = "young person" if self.total == 1 else "young people"
        return f"{self.yes} of {self.total} {people} said this would work on them"


@dataclass(frozen=True)
class MyRating:
    verdict: str
    comment: str


@dataclass(frozen=True)
class AskPanel:
    """What a module page shows beside each example: a co-designer's own rating form, or the
    endorsement count everyone else sees once there are enough ratings."""

    module_slug: str
    can_rate: bool
    mine: dict[str, MyRating] = field(default_factory=dict)
    tallies: dict[str, Tally] = field(default_factory=dict)

    def tally(self, ask_id: str) -> Tally:
        return self.tallies.get(ask_id, Tally())


class RatingIn(BaseModel):
    verdict: Verdict
    comment: str = Field(default="", max_length=5_000)


class RatingOut(BaseModel):
    module_slug: str
    ask_id: str
    verdict: Verdict
    comment: str
    rated_at: datetime
    support: list[SupportOut] = Field(default_factory=list)
    """Non-empty when the comment has words about risk now: shown before anything else."""


class CommentOut(BaseModel):
    verdict: Verdict
    comment: str
    rated_at: datetime


class AskSummaryOut(BaseModel):
    module_slug: str
    module_title: str
    ask_id: str
    do: str
    yes: int
    not_sure: int
    no: int
    total: int
    needs_revision: bool
    comments: list[CommentOut]

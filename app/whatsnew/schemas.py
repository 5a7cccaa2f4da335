"""Changes across modules and app cards, newest first."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from pydantic import BaseModel

from app.content import ChangelogEntry, Module


@dataclass(frozen=True)
class ContentChange:
    module: Module
    entry: ChangelogEntry

    @property
    def is_first_version(self) -> bool:
        return self.entry.version == 1


@dataclass(frozen=True)
class WhatsNew:
    changes: tuple[ContentChange, ...]
    needs_review: tuple[Module, ...]
    """App cards past review_by: listed for trainers only."""


class ContentChangeOut(BaseModel):
    slug: str
    title: str
    kind: str
    version: int
    date: date
    major: bool
    summary: str


class NeedsReviewOut(BaseModel):
    slug: str
    title: str
    review_by: date | None


class WhatsNewOut(BaseModel):
    changes: list[ContentChangeOut]
    needs_review: list[NeedsReviewOut]

    @classmethod
    def of(cls, whats_new: WhatsNew) -> WhatsNewOut:
        return cls(
            changes=[
                ContentChangeOut(
                    slug=change.module.slug,
                    title=change.module.title,
                    kind=change.module.kind,
                    version=change.entry.version,
                    date=change.entry.date,
                    major=change.entry.major,
                    summary=change.entry.summary,
                )
                for change in whats_new.changes
            ],
            needs_review=[
                NeedsReviewOut(slug=card.slug, title=card.title, review_by=card.review_by)
                for card in whats_new.needs_review
            ],
        )

"""Reports as the JSON API returns them."""

from __future__ import annotations

from datetime import date, datetime

from pydantic import BaseModel

from app.cohorts.status import AssignmentStatus
from app.reports.service import CompletionRow, ModuleSummary, QuestionStats


class CompletionRowOut(BaseModel):
    user_id: int
    display_name: str
    email: str
    module_slug: str
    status: AssignmentStatus
    completed_at: datetime | None
    best_score: int | None
    due_date: date
    cohort_id: int
    cohort_name: str
    module_title: str

    @classmethod
    def of(cls, row: CompletionRow) -> CompletionRowOut:
        return cls(
            user_id=row.user_id,
            display_name=row.display_name,
            email=row.email,
            module_slug=row.module_slug,
            status=row.status,
            completed_at=row.completed_at,
            best_score=row.best_score,
            due_date=row.due_date,
            cohort_id=row.cohort_id,
            cohort_name=row.cohort_name,
            module_title=row.module_title,
        )


class ModuleSummaryOut(BaseModel):
    slug: str
    title: str
    started: int
    completed: int
    median_minutes: int | None
    first_attempts: int
    first_attempt_pass_rate: int | None

    @classmethod
    def of(cls, summary: ModuleSummary) -> ModuleSummaryOut:
        return cls(
            slug=summary.module.slug,
            title=summary.module.title,
            started=summary.started,
            completed=summary.completed,
            median_minutes=summary.median_minutes,
            first_attempts=summary.first_attempts,
            first_attempt_pass_rate=summary.first_attempt_pass_rate,
        )


class QuestionStatsOut(BaseModel):
    module_slug: str
    question_id: str
    prompt: str
    answered: int
    correct_share: int | None
    most_chosen_wrong: str | None
    discrimination: float | None
    reliable: bool

    @classmethod
    def of(cls, stats: QuestionStats) -> QuestionStatsOut:
        return cls(
            module_slug=stats.module.slug,
            question_id=stats.question.id,
            prompt=stats.question.prompt,
            answered=stats.answered,
            correct_share=stats.correct_share,
            most_chosen_wrong=stats.top_wrong.text if stats.top_wrong else None,
            discrimination=None if stats.discrimination is None else round(stats.discrimination, 2),
            reliable=stats.reliable,
        )

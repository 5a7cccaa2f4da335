"""Reports as the JSON API returns them."""

from __future__ import annotations

from datetime import date, datetime

from pydantic import BaseModel

from app.progress.status import AssignmentStatus
from app.reports.service import CompletionRow, ModuleSummary, PeopleGrid, QuestionStats


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
    last_activity_at: datetime | None = None

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
            last_activity_at=row.last_activity_at,
        )


class GridCellOut(BaseModel):
    status: AssignmentStatus
    due_date: date
    last_activity_at: datetime | None = None


class PersonRowOut(BaseModel):
    user_id: int
    display_name: str
    email: str
    modules: dict[str, GridCellOut]


class GridColumnOut(BaseModel):
    slug: str
    title: str


class PeopleGridOut(BaseModel):
    """GET /api/v1/reports/completion/people: one cohort, a row per practitioner."""

    modules: list[GridColumnOut]
    people: list[PersonRowOut]
    total: int
    has_more: bool

    @classmethod
    def of(cls, grid: PeopleGrid) -> PeopleGridOut:
        return cls(
            modules=[GridColumnOut(slug=m.slug, title=m.title) for m in grid.modules],
            people=[
                PersonRowOut(
                    user_id=person.user_id,
                    display_name=person.display_name,
                    email=person.email,
                    modules={
                        slug: GridCellOut(
                            status=cell.status,
                            due_date=cell.due_date,
                            last_activity_at=cell.last_activity_at,
                        )
                        for slug, cell in person.cells.items()
                    },
                )
                for person in grid.people
            ],
            total=grid.total,
            has_more=grid.has_more,
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

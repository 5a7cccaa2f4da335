"""Reports over JSON: the same services as the report pages."""

from __future__ import annotations

from dataclasses import replace

from fastapi import APIRouter

from app.reports import service
from app.reports.filters import CompletionFiltersDep
from app.reports.schemas import (
    CompletionRowOut,
    ModuleSummaryOut,
    PeopleGridOut,
    QuestionStatsOut,
)
from app.web.deps import ContentDep, CurrentUser, SessionDep

router = APIRouter(prefix="/api/v1/reports", tags=["reports"])


@router.get("/completion", response_model=list[CompletionRowOut])
def completion(
    viewer: CurrentUser,
    session: SessionDep,
    content: ContentDep,
    filters: CompletionFiltersDep,
) -> list[CompletionRowOut]:
    return [
        CompletionRowOut.of(row)
        for row in service.completion_rows(session, content, viewer, filters)
    ]


@router.get("/completion/people", response_model=PeopleGridOut)
def completion_by_person(
    viewer: CurrentUser,
    session: SessionDep,
    content: ContentDep,
    filters: CompletionFiltersDep,
) -> PeopleGridOut:
    """One cohort, a row per practitioner with their status in each assigned module."""
    filters = replace(filters, view="people")
    return PeopleGridOut.of(service.people_grid(session, content, viewer, filters))


@router.get("/modules/{slug}", response_model=ModuleSummaryOut)
def module_summary(
    slug: str,
    viewer: CurrentUser,
    session: SessionDep,
    content: ContentDep,
    cohort_id: int | None = None,
) -> ModuleSummaryOut:
    return ModuleSummaryOut.of(service.module_summary(session, content, viewer, slug, cohort_id))


@router.get("/modules/{slug}/questions", response_model=list[QuestionStatsOut])
def item_analysis(
    slug: str,
    viewer: CurrentUser,
    session: SessionDep,
    content: ContentDep,
    cohort_id: int | None = None,
) -> list[QuestionStatsOut]:
    return [
        QuestionStatsOut.of(stats)
        for stats in service.item_analysis(session, content, viewer, slug, cohort_id)
    ]

"""Reports over JSON: the same services as the report pages."""

from __future__ import annotations

from fastapi import APIRouter, Query

from app.core.deps import ContentDep, CurrentUser, SessionDep
from app.reports import service
from app.reports.schemas import (
    CompletionRowOut,
    ModuleSummaryOut,
    PeopleGridOut,
    QuestionStatsOut,
)

router = APIRouter(prefix="/api/v1/reports", tags=["reports"])


@router.get("/completion", response_model=list[CompletionRowOut])
def completion(
    viewer: CurrentUser,
    session: SessionDep,
    content: ContentDep,
    cohort_id: int | None = None,
    status: str | None = Query(None, max_length=40),
    module: str | None = Query(None, max_length=100),
    q: str | None = Query(None, max_length=200),
    sort: str | None = Query(None, max_length=20),
    order: str | None = Query(None, max_length=4),
) -> list[CompletionRowOut]:
    filters = service.parse_filters(
        cohort_id=cohort_id, status=status, module=module, q=q, sort=sort, order=order
    )
    return [
        CompletionRowOut.of(row)
        for row in service.completion_rows(session, content, viewer, filters)
    ]


@router.get("/completion/people", response_model=PeopleGridOut)
def completion_by_person(
    viewer: CurrentUser,
    session: SessionDep,
    content: ContentDep,
    cohort_id: int | None = None,
    status: str | None = Query(None, max_length=40),
    module: str | None = Query(None, max_length=100),
    q: str | None = Query(None, max_length=200),
    sort: str | None = Query(None, max_length=20),
    order: str | None = Query(None, max_length=4),
    page: int | None = Query(None, ge=1, le=service.MAXIMUM_PAGE),
) -> PeopleGridOut:
    """One cohort, a row per practitioner with their status in each assigned module."""
    filters = service.parse_filters(
        cohort_id=cohort_id,
        status=status,
        module=module,
        q=q,
        sort=sort,
        order=order,
        page=page,
        view="people",
    )
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

"""Report pages for trainers: completion dashboard (and its CSV and chart), people, modules."""

from __future__ import annotations

from dataclasses import replace

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response, StreamingResponse

from app.cohorts import service as cohorts
from app.core.templating import Render
from app.progress.status import STATUS_LABELS, STATUS_ORDER
from app.reports import charts, service
from app.reports.filters import CompletionFiltersDep
from app.web.deps import ContentDep, CurrentUser, SessionDep

router = APIRouter(tags=["pages"])

ModuleQuery = Query(None, max_length=100)
SearchQuery = Query(None, max_length=200)


@router.get("/reports/completion")
def completion_page(
    render: Render,
    viewer: CurrentUser,
    session: SessionDep,
    content: ContentDep,
    filters: CompletionFiltersDep,
) -> Response:
    report = service.completion_report(session, content, viewer, filters)
    by_person = (
        service.people_grid(session, content, viewer, filters) if filters.view == "people" else None
    )
    return render(
        "reports/completion.html",
        {
            "title": f"Completion – {report.cohort.name}" if report.cohort else "Completion",
            "report": report,
            "by_person": by_person,
            "views": service.VIEWS,
            "chart": service.completion_over_time(session, content, viewer, filters),
            "cohorts": cohorts.list_cohorts(session, viewer),
            "statuses": STATUS_ORDER,
            "status_labels": STATUS_LABELS,
            "sorts": service.SORTS,
            "page_size": service.PAGE_SIZE,
        },
    )


@router.get("/reports/completion.csv")
def completion_csv(
    request: Request,
    viewer: CurrentUser,
    session: SessionDep,
    content: ContentDep,
    filters: CompletionFiltersDep,
) -> Response:
    """Every row the dashboard's filters select (all pages), streamed as it is read."""
    filters = replace(filters, page=1)
    if filters.view == "people":
        by_person = service.prepare_people_export(session, content, viewer, filters)
        return StreamingResponse(
            service.stream_people_csv(request.app.state.engine, by_person),
            media_type="text/csv; charset=utf-8",
            headers={"Content-Disposition": f'attachment; filename="{by_person.filename}"'},
        )
    # The request's session (with the audit event) commits before the first byte is sent;
    # the rows are then read on a connection of the export's own.
    export = service.prepare_export(session, content, viewer, filters)
    return StreamingResponse(
        service.stream_csv(request.app.state.engine, export),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{export.filename}"'},
    )


@router.get("/reports/completion/chart.svg")
def completion_chart(
    viewer: CurrentUser,
    session: SessionDep,
    content: ContentDep,
    cohort_id: int | None = None,
    module: str | None = ModuleQuery,
    q: str | None = SearchQuery,
) -> Response:
    filters = service.parse_filters(cohort_id=cohort_id, module=module, q=q)
    points = service.completion_over_time(session, content, viewer, filters)
    return Response(
        charts.completion_chart(points),
        media_type="image/svg+xml",
        headers={"Content-Security-Policy": charts.CHART_CONTENT_SECURITY_POLICY},
    )


@router.get("/reports/practitioners/{user_id}")
def practitioner_page(
    user_id: int,
    render: Render,
    viewer: CurrentUser,
    session: SessionDep,
    content: ContentDep,
) -> Response:
    record = service.practitioner_record(session, content, viewer, user_id)
    return render(
        "reports/practitioner.html",
        {"title": record.display_name, "record": record},
    )


@router.get("/reports/modules")
def modules_page(
    render: Render,
    viewer: CurrentUser,
    session: SessionDep,
    content: ContentDep,
    cohort_id: int | None = None,
) -> Response:
    return render(
        "reports/modules.html",
        {
            "title": "Modules",
            "rows": service.modules_overview(session, content, viewer, cohort_id),
            "cohorts": cohorts.list_cohorts(session, viewer),
            "cohort_id": cohort_id,
        },
    )


@router.get("/reports/modules/{slug}")
def module_page(
    slug: str,
    render: Render,
    viewer: CurrentUser,
    session: SessionDep,
    content: ContentDep,
    cohort_id: int | None = None,
) -> Response:
    summary = service.module_summary(session, content, viewer, slug, cohort_id)
    return render(
        "reports/module.html",
        {
            "title": f"{summary.module.title} – report",
            "summary": summary,
            "cohort_id": cohort_id,
        },
    )


@router.get("/reports/modules/{slug}/questions")
def item_analysis_page(
    slug: str,
    render: Render,
    viewer: CurrentUser,
    session: SessionDep,
    content: ContentDep,
    cohort_id: int | None = None,
) -> Response:
    stats = service.item_analysis(session, content, viewer, slug, cohort_id)
    module = content.get(slug)
    return render(
        "reports/questions.html",
        {
            "title": f"Quiz questions – {module.title if module else slug}",
            "module": module,
            "stats": stats,
            "cohort_id": cohort_id,
            "reliable_answers": service.RELIABLE_ANSWERS,
        },
    )


@router.get("/reports/questions")
def most_missed_page(
    render: Render,
    viewer: CurrentUser,
    session: SessionDep,
    content: ContentDep,
    cohort_id: int | None = None,
) -> Response:
    return render(
        "reports/most_missed.html",
        {
            "title": "Questions most people miss",
            "missed": service.most_missed_questions(session, content, viewer, cohort_id),
            "cohorts": cohorts.list_cohorts(session, viewer),
            "cohort_id": cohort_id,
            "reliable_answers": service.RELIABLE_ANSWERS,
        },
    )

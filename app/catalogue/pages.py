"""The catalogue and the reading pages."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form
from fastapi.responses import RedirectResponse, Response

from app.catalogue import service
from app.core.errors import InvalidInput
from app.core.templating import Render
from app.web.deps import ContentDep, CsrfProtected, CurrentUser, SessionDep, get_viewer

router = APIRouter(tags=["pages"])


@router.get("/modules")
def catalogue_page(
    render: Render,
    viewer: CurrentUser,
    session: SessionDep,
    content: ContentDep,
    q: str = "",
    topic: str = "",
    kind: str = "module",
) -> Response:
    error = None
    try:
        entries = service.catalogue(
            session, content, viewer, kind=kind or None, query=q, topic=topic or None
        )
    except InvalidInput as invalid:
        entries, error = [], invalid.message
    return render(
        "catalogue/index.html",
        {
            "title": "App knowledge cards" if kind == "app" else "Modules",
            "entries": entries,
            "query": q,
            "topic": topic,
            "kind": kind,
            "topics": service.topics(content),
            "search_error": error,
            "errors": {"q": error} if error else {},
        },
    )


@router.get("/modules/{slug}")
def module_page(
    slug: str, render: Render, viewer: CurrentUser, session: SessionDep, content: ContentDep
) -> Response:
    view = service.module_view(session, content, viewer, slug)
    return render(
        "catalogue/module.html",
        {
            "title": view.module.title,
            "module": view.module,
            "state": view.state,
            "next_section": view.next_section,
            "published_scenarios": view.scenarios,
        },
    )


@router.get("/modules/{slug}/all")
def module_all_page(
    slug: str, render: Render, viewer: CurrentUser, session: SessionDep, content: ContentDep
) -> Response:
    view = service.all_sections(session, content, viewer, slug)
    return render(
        "catalogue/all_sections.html",
        {
            "title": view.module.title,
            "module": view.module,
            "state": view.state,
            "ratings_panel": view.ratings_panel,
            "published_scenarios": view.scenarios,
        },
    )


@router.get("/modules/{slug}/in-two-minutes", dependencies=[Depends(get_viewer)])
def in_two_minutes_page(slug: str, render: Render, content: ContentDep) -> Response:
    version = service.two_minute_version(content, slug)
    return render(
        "catalogue/in_two_minutes.html",
        {
            "title": f"{version.module.title} in two minutes",
            "module": version.module,
            "two_minutes": version,
        },
    )


@router.get("/modules/{slug}/sections/{section_id}")
def section_page(
    slug: str,
    section_id: str,
    render: Render,
    viewer: CurrentUser,
    session: SessionDep,
    content: ContentDep,
) -> Response:
    view = service.section_view(session, content, viewer, slug, section_id)
    return render(
        "catalogue/section.html",
        {
            "title": f"{view.section.title} – {view.module.title}",
            "module": view.module,
            "section": view.section,
            "state": view.state,
            "position": view.position,
            "previous_section": view.previous_section,
            "next_section": view.next_section,
            "next_step": view.next_step,
            "ratings_panel": view.ratings_panel,
        },
    )


@router.post("/modules/{slug}/sections/{section_id}/complete", dependencies=[CsrfProtected])
def complete_section(
    slug: str,
    section_id: str,
    viewer: CurrentUser,
    session: SessionDep,
    content: ContentDep,
    then: Annotated[str, Form(max_length=20)] = "next",
) -> Response:
    """ "Next": mark the section read, then go where the button said (see ``step_after``)."""
    step = service.read_section(session, content, viewer, slug, section_id)
    target = f"/modules/{slug}/all#{section_id}" if then == "all" else step.url
    return RedirectResponse(target, status_code=303)


@router.get("/modules/{slug}/completed")
def completed_page(
    slug: str, render: Render, viewer: CurrentUser, session: SessionDep, content: ContentDep
) -> Response:
    """Finishing a module ends on a page of its own: the certificate, a prompt to reflect, and
    what to do next. Until the module is complete, the module's own page says what is left."""
    finished = service.completed(session, content, viewer, slug)
    if finished is None:
        return RedirectResponse(f"/modules/{slug}", status_code=303)
    return render(
        "catalogue/completed.html",
        {"title": f"Module completed – {finished.module.title}", "finished": finished},
    )

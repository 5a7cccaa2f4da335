"""The catalogue and the reading pages."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response

from app.catalogue import service
from app.content import TOPICS
from app.core.errors import InvalidInput, NotFound
from app.progress import service as progress
from app.ratings import service as ratings
from app.scenarios import service as scenarios
from app.web.deps import ContentDep, CsrfProtected, CurrentUser, SessionDep, TemplatesDep

router = APIRouter(tags=["pages"])


@router.get("/modules")
def catalogue_page(
    request: Request,
    viewer: CurrentUser,
    session: SessionDep,
    content: ContentDep,
    templates: TemplatesDep,
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
    return templates.render(
        request,
        "catalogue/index.html",
        {
            "title": "App knowledge cards" if kind == "app" else "Modules",
            "entries": entries,
            "query": q,
            "topic": topic,
            "kind": kind,
            "topics": [t for t in content.topics() if t in TOPICS],
            "search_error": error,
            "errors": {"q": error} if error else {},
        },
    )


@router.get("/modules/{slug}")
def module_page(
    slug: str,
    request: Request,
    viewer: CurrentUser,
    session: SessionDep,
    content: ContentDep,
    templates: TemplatesDep,
) -> Response:
    module = progress.get_module(content, slug)
    state = progress.state_if_practitioner(session, content, viewer, slug)
    next_section = progress.next_step(module, state) if state else None
    return templates.render(
        request,
        "catalogue/module.html",
        {
            "title": module.title,
            "module": module,
            "state": state,
            "next_section": next_section or (module.sections[0].id if module.sections else None),
            "published_scenarios": scenarios.published_for_module(session, module),
        },
    )


@router.get("/modules/{slug}/all")
def module_all_page(
    slug: str,
    request: Request,
    viewer: CurrentUser,
    session: SessionDep,
    content: ContentDep,
    templates: TemplatesDep,
) -> Response:
    module = progress.get_module(content, slug)
    state = progress.state_if_practitioner(session, content, viewer, slug)
    return templates.render(
        request,
        "catalogue/all_sections.html",
        {
            "title": module.title,
            "module": module,
            "state": state,
            "ratings_panel": ratings.panel_for(session, viewer, module),
            "published_scenarios": scenarios.published_for_module(session, module),
        },
    )


@router.get("/modules/{slug}/in-two-minutes")
def in_two_minutes_page(
    slug: str,
    request: Request,
    viewer: CurrentUser,
    content: ContentDep,
    templates: TemplatesDep,
) -> Response:
    version = service.two_minute_version(content, slug)
    return templates.render(
        request,
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
    request: Request,
    viewer: CurrentUser,
    session: SessionDep,
    content: ContentDep,
    templates: TemplatesDep,
) -> Response:
    module = progress.get_module(content, slug)
    section = module.section(section_id)
    if section is None:
        raise NotFound("That module has no such section.")
    state = progress.state_if_practitioner(session, content, viewer, slug)
    ids = [s.id for s in module.sections]
    position = ids.index(section_id)
    return templates.render(
        request,
        "catalogue/section.html",
        {
            "title": f"{section.title} – {module.title}",
            "module": module,
            "section": section,
            "state": state,
            "position": position + 1,
            "previous_section": module.sections[position - 1] if position > 0 else None,
            "next_section": module.sections[position + 1] if position + 1 < len(ids) else None,
            "next_step": service.step_after(module, state, section_id) if state else None,
            "ratings_panel": ratings.panel_for(session, viewer, module),
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
    module = progress.get_module(content, slug)
    before = progress.state_for(session, content, viewer.id, slug)
    progress.complete_section(session, content, viewer, slug, section_id)
    if then == "all":
        return RedirectResponse(f"/modules/{slug}/all#{section_id}", status_code=303)
    step = service.step_after(module, before, section_id)
    return RedirectResponse(step.url, status_code=303)


@router.get("/modules/{slug}/completed")
def completed_page(
    slug: str,
    request: Request,
    viewer: CurrentUser,
    session: SessionDep,
    content: ContentDep,
    templates: TemplatesDep,
) -> Response:
    """Finishing a module ends on a page of its own: the certificate, a prompt to reflect, and
    what to do next. Until the module is complete, the module's own page says what is left."""
    finished = service.completed(session, content, viewer, slug)
    if finished is None:
        return RedirectResponse(f"/modules/{slug}", status_code=303)
    return templates.render(
        request,
        "catalogue/completed.html",
        {"title": f"Module completed – {finished.module.title}", "finished": finished},
    )

"""The home page (dashboard) and marking sections done from a page."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response

from app.catalogue import service as catalogue
from app.cohorts import service as cohorts
from app.contributions import service as contributions
from app.contributions.schemas import STATUS_LABELS
from app.core.deps import (
    ContentDep,
    CsrfProtected,
    CurrentUser,
    OptionalViewer,
    SessionDep,
    TemplatesDep,
)
from app.models.users import Role
from app.progress import service
from app.progress.schemas import ModuleStatus
from app.refresh import refresher
from app.review import service as review

router = APIRouter(tags=["pages"])

COHORT_ANSWERS = {
    "joined": "You have joined the cohort: its trainers can now see your progress.",
    "declined": "You have declined: the cohort's trainers see nothing of your progress.",
}


@router.get("/")
def home(
    request: Request,
    viewer: OptionalViewer,
    session: SessionDep,
    content: ContentDep,
    templates: TemplatesDep,
    cohort: str = "",
) -> Response:
    if viewer is None:
        return templates.render(request, "home/welcome.html", {"title": "Welcome"})
    modules = content.all("module")
    states = (
        service.states_for(session, content, viewer.id, [m.slug for m in modules])
        if viewer.has(Role.practitioner)
        else {}
    )
    due = [
        m
        for m in modules
        if m.slug in states and states[m.slug].status is ModuleStatus.due_for_refresh
    ]
    completed = [
        m for m in modules if m.slug in states and states[m.slug].status is ModuleStatus.completed
    ]
    return templates.render(
        request,
        "home/dashboard.html",
        {
            "title": "Your learning" if viewer.has(Role.practitioner) else "Askwell",
            "modules": modules,
            "states": states,
            "resume": service.resume_point(content, states),
            "due": due,
            "completed": completed,
            "refresher": refresher.overview(session, content, viewer)
            if viewer.has(Role.practitioner)
            else None,
            "assigned": cohorts.my_assignments(session, content, viewer),
            "cohort_requests": cohorts.my_requests(session, viewer)
            if viewer.has(Role.practitioner)
            else [],
            "cohort_answer": COHORT_ANSWERS.get(cohort),
            "contributions": contributions.at_a_glance(session, viewer)
            if viewer.has(Role.codesigner)
            else None,
            "review": review.at_a_glance(session, viewer) if viewer.has(Role.trainer) else None,
            "status_labels": STATUS_LABELS,
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
    step = catalogue.read_section(session, content, viewer, slug, section_id)
    target = f"/modules/{slug}/all#{section_id}" if then == "all" else step.url
    return RedirectResponse(target, status_code=303)

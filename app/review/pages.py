"""The trainer's review pages: the queue and one submission with its decision form."""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from typing import Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import ValidationError
from sqlmodel import Session

from app.auth.schemas import Viewer
from app.contributions import service as contributions
from app.contributions.personal_details import KIND_LABELS
from app.contributions.schemas import STATUS_COLOURS, STATUS_LABELS
from app.core.deps import ContentDep, CsrfProtected, CurrentUser, SessionDep, TemplatesDep
from app.core.errors import InvalidInput
from app.models.contributions import ScenarioStatus
from app.review import service
from app.review.schemas import DecisionIn

router = APIRouter(tags=["pages"])

MAXIMUM_FIELD_CHARACTERS = 20_000
STATUS_FILTERS = [("active", "Waiting for a trainer"), ("all", "All")] + [
    (status.value, STATUS_LABELS[status])
    for status in ScenarioStatus
    if status not in contributions.HIDDEN_FROM_TRAINERS
]


@router.get("/review/scenarios")
def queue_page(
    request: Request,
    viewer: CurrentUser,
    session: SessionDep,
    content: ContentDep,
    templates: TemplatesDep,
    status: str = Query("active", max_length=40),
    topic: str = Query("", max_length=40),
    flagged: bool = False,
) -> Response:
    error = None
    try:
        items = service.queue(session, viewer, status=status, topic=topic, flagged_only=flagged)
    except InvalidInput as invalid:
        items, error = [], invalid.message
    return templates.render(
        request,
        "review/queue.html",
        {
            "title": "Review scenarios",
            "items": items,
            "status": status,
            "topic": topic,
            "flagged": flagged,
            "status_filters": STATUS_FILTERS,
            "topic_choices": contributions.topic_choices(content),
            "labels": STATUS_LABELS,
            "colours": STATUS_COLOURS,
            "filter_error": error,
            "errors": {"status": error} if error else {},
        },
    )


def _detail_page(
    request: Request,
    session: SessionDep,
    content: ContentDep,
    templates: TemplatesDep,
    viewer: Viewer,
    scenario_id: int,
    *,
    decision_form: dict[str, Any] | None = None,
    errors: dict[str, str] | None = None,
    unconfirmed: list[Any] | None = None,
    typed_notes: dict[str, str] | None = None,
    status_code: int = 200,
) -> Response:
    view = service.review_view(session, content, viewer, scenario_id)
    scenario = view.scenario
    form = decision_form or {
        "decision": "",
        "note": "",
        "published_title": scenario.published_title or scenario.title,
        "published_text": scenario.published_text or view.suggested_text,
        "content_warning": scenario.content_warning,
    }
    return templates.render(
        request,
        "review/detail.html",
        {
            "title": f"Review: {scenario.title or 'Untitled'}",
            "view": view,
            "scenario": scenario,
            "form": form,
            "errors": errors or {},
            "unconfirmed": unconfirmed or [],
            "labels": STATUS_LABELS,
            "colours": STATUS_COLOURS,
            "kind_labels": KIND_LABELS,
            "topic_names": dict(contributions.topic_choices(content)),
            "lapse_days": service.CLAIM_LAPSES_AFTER.days,
            "typed_notes": typed_notes or {},
        },
        status_code=status_code,
    )


@router.get("/review/scenarios/{scenario_id}")
def review_page(
    scenario_id: int,
    request: Request,
    viewer: CurrentUser,
    session: SessionDep,
    content: ContentDep,
    templates: TemplatesDep,
) -> Response:
    return _detail_page(request, session, content, templates, viewer, scenario_id)


@router.post("/review/scenarios/{scenario_id}/claim", dependencies=[CsrfProtected])
def claim(scenario_id: int, viewer: CurrentUser, session: SessionDep) -> Response:
    service.claim(session, viewer, scenario_id)
    return RedirectResponse(f"/review/scenarios/{scenario_id}#decision", status_code=303)


@router.post("/review/scenarios/{scenario_id}/release", dependencies=[CsrfProtected])
def release(scenario_id: int, viewer: CurrentUser, session: SessionDep) -> Response:
    service.release(session, viewer, scenario_id)
    return RedirectResponse("/review/scenarios", status_code=303)


@router.post("/review/scenarios/{scenario_id}/decision", dependencies=[CsrfProtected])
async def decide(
    scenario_id: int,
    request: Request,
    viewer: CurrentUser,
    session: SessionDep,
    content: ContentDep,
    templates: TemplatesDep,
) -> Response:
    posted = await request.form()

    def text(name: str) -> str:
        value = posted.get(name)
        return value[:MAXIMUM_FIELD_CHARACTERS] if isinstance(value, str) else ""

    typed = {
        name: text(name)
        for name in ("decision", "note", "published_title", "published_text", "content_warning")
    }
    confirmed = [str(value)[:500] for value in posted.getlist("confirmed_not_personal")][:100]

    def again(errors: dict[str, str], unconfirmed: list[Any] | None = None) -> Response:
        return _detail_page(
            request,
            session,
            content,
            templates,
            viewer,
            scenario_id,
            decision_form=typed,
            errors=errors,
            unconfirmed=unconfirmed,
            status_code=400,
        )

    try:
        body = DecisionIn(**typed, confirmed_not_personal=confirmed)  # type: ignore[arg-type]
    except ValidationError:
        return again({"decision-accept": "Choose accept, ask for changes, or turn it down"})
    try:
        service.decide(session, content, viewer, scenario_id, body)
    except service.StillPersonal as still:
        return again({"published_text": still.message}, still.findings)
    except InvalidInput as invalid:
        field = "published_text" if body.decision.value == "accept" else "note"
        if "note" in invalid.message.lower():
            field = "note"
        return again({field: invalid.message})
    return RedirectResponse(f"/review/scenarios/{scenario_id}?decided=true", status_code=303)


@router.post("/review/scenarios/{scenario_id}/publish", dependencies=[CsrfProtected])
def publish(
    scenario_id: int, viewer: CurrentUser, session: SessionDep, content: ContentDep
) -> Response:
    service.publish(session, content, viewer, scenario_id)
    return RedirectResponse(f"/review/scenarios/{scenario_id}?published=true", status_code=303)


def _note_form(
    name: str, action: Callable[[Session, Viewer, int, str], object]
) -> Callable[..., Coroutine[Any, Any, Response]]:
    """A one-note form (following up a flag, taking a scenario down): kept as typed on error."""

    async def handle(
        scenario_id: int,
        request: Request,
        viewer: CurrentUser,
        session: SessionDep,
        content: ContentDep,
        templates: TemplatesDep,
    ) -> Response:
        posted = await request.form()
        note = posted.get(name)
        note = note[:MAXIMUM_FIELD_CHARACTERS] if isinstance(note, str) else ""
        try:
            action(session, viewer, scenario_id, note)
        except InvalidInput as invalid:
            return _detail_page(
                request,
                session,
                content,
                templates,
                viewer,
                scenario_id,
                errors={name: invalid.message},
                typed_notes={name: note},
                status_code=400,
            )
        return RedirectResponse(f"/review/scenarios/{scenario_id}", status_code=303)

    return handle


router.add_api_route(
    "/review/scenarios/{scenario_id}/flag",
    _note_form("flag_note", service.resolve_flag),
    methods=["POST"],
    dependencies=[CsrfProtected],
)
router.add_api_route(
    "/review/scenarios/{scenario_id}/unpublish",
    _note_form("unpublish_note", service.unpublish),
    methods=["POST"],
    dependencies=[CsrfProtected],
)

"""The trainer's review pages: the queue and one submission with its decision form."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import ValidationError
from sqlmodel import Session

from app.auth.schemas import Viewer
from app.contributions import service as contributions
from app.contributions.personal_details import KIND_LABELS
from app.contributions.schemas import STATUS_COLOURS, STATUS_LABELS
from app.core.deps import ContentDep, CsrfProtected, CurrentUser, FormDep, SessionDep, TemplatesDep
from app.core.errors import InvalidInput
from app.models.contributions import ScenarioStatus
from app.review import service
from app.review.schemas import DecisionIn, PublishIn
from app.safeguarding import service as safeguarding

router = APIRouter(tags=["pages"])

MAXIMUM_FIELD_CHARACTERS = 20_000
STATUS_FILTERS = [("active", "Waiting for a trainer"), ("all", "All")] + [
    (status.value, STATUS_LABELS[status])
    for status in ScenarioStatus
    if status not in contributions.HIDDEN_FROM_TRAINERS
]


CONFIRMATIONS: dict[str, tuple[ScenarioStatus, str]] = {
    "accept": (ScenarioStatus.accepted, "Scenario accepted"),
    "request_changes": (ScenarioStatus.changes_requested, "Changes requested"),
    "reject": (ScenarioStatus.rejected, "Scenario turned down"),
    "published": (ScenarioStatus.published, "Scenario published"),
}
"""What the page confirms after a decision; shown only while the scenario is still in the state
the decision put it in, so a bookmarked address never confirms something undone since."""


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
            "topic_names": contributions.topic_names(),
            "labels": STATUS_LABELS,
            "colours": STATUS_COLOURS,
            "filter_error": error,
            "open_records": safeguarding.list_records(session, viewer, "open") if flagged else [],
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
    done: str = "",
    publish_form: dict[str, Any] | None = None,
    status_code: int = 200,
) -> Response:
    view = service.review_view(session, content, viewer, scenario_id)
    scenario = view.scenario
    publishing = None
    if scenario.status is ScenarioStatus.accepted:
        choices = contributions.module_choices(content, scenario.topics)
        publishing = publish_form or {
            "published_title": scenario.published_title or "",
            "published_text": scenario.published_text or "",
            "content_warning": view.published_content_warning,
            "modules": [choice.module.slug for choice in choices if choice.suggested],
            "placeholders_confirmed": False,
            "previewing": False,
        }
        publishing = {
            **publishing,
            "choices": choices,
            "placeholders": service.placeholders_in(
                publishing["published_title"],
                publishing["published_text"],
                publishing["content_warning"],
            ),
            "preview": service.preview(
                session,
                content,
                viewer,
                scenario_id,
                title=publishing["published_title"],
                text=publishing["published_text"],
                warning=publishing["content_warning"],
            ),
        }
    confirmed = CONFIRMATIONS.get(done)
    confirmation = (done, confirmed[1]) if confirmed and confirmed[0] is scenario.status else None
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
            "topic_names": contributions.topic_names(),
            "lapse_days": service.CLAIM_LAPSES_AFTER.days,
            "typed_notes": typed_notes or {},
            "confirmation": confirmation,
            "publishing": publishing,
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
    done: str = Query("", max_length=40),
) -> Response:
    return _detail_page(request, session, content, templates, viewer, scenario_id, done=done)


@router.post("/review/scenarios/{scenario_id}/claim", dependencies=[CsrfProtected])
def claim(scenario_id: int, viewer: CurrentUser, session: SessionDep) -> Response:
    service.claim(session, viewer, scenario_id)
    return RedirectResponse(f"/review/scenarios/{scenario_id}#decision", status_code=303)


@router.post("/review/scenarios/{scenario_id}/release", dependencies=[CsrfProtected])
def release(scenario_id: int, viewer: CurrentUser, session: SessionDep) -> Response:
    service.release(session, viewer, scenario_id)
    return RedirectResponse("/review/scenarios", status_code=303)


@router.post("/review/scenarios/{scenario_id}/decision", dependencies=[CsrfProtected])
def decide(
    scenario_id: int,
    request: Request,
    posted: FormDep,
    viewer: CurrentUser,
    session: SessionDep,
    content: ContentDep,
    templates: TemplatesDep,
) -> Response:

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
    except service.DecisionInvalid as invalid:
        return again(invalid.errors)
    return RedirectResponse(
        f"/review/scenarios/{scenario_id}?done={body.decision.value}#confirmation", status_code=303
    )


@router.post("/review/scenarios/{scenario_id}/publish", dependencies=[CsrfProtected])
def publish(
    scenario_id: int,
    request: Request,
    posted: FormDep,
    viewer: CurrentUser,
    session: SessionDep,
    content: ContentDep,
    templates: TemplatesDep,
) -> Response:
    """Publish into the ticked modules, or (the "Preview" button) show the typed text as
    practitioners will see it, saving nothing."""

    def text(name: str) -> str:
        value = posted.get(name)
        return value[:MAXIMUM_FIELD_CHARACTERS] if isinstance(value, str) else ""

    typed = {name: text(name) for name in ("published_title", "published_text", "content_warning")}
    modules = [str(value)[:100] for value in posted.getlist("modules")][:100]
    placeholders_confirmed = text("placeholders_confirmed") == "yes"
    confirmed = [str(value)[:500] for value in posted.getlist("confirmed_not_personal")][:100]
    publish_form = {
        **typed,
        "modules": modules,
        "placeholders_confirmed": placeholders_confirmed,
        "previewing": text("action") == "preview",
    }

    def again(
        errors: dict[str, str], unconfirmed: list[Any] | None = None, status_code: int = 400
    ) -> Response:
        return _detail_page(
            request,
            session,
            content,
            templates,
            viewer,
            scenario_id,
            publish_form=publish_form,
            errors=errors,
            unconfirmed=unconfirmed,
            status_code=status_code,
        )

    if publish_form["previewing"]:
        return again({}, status_code=200)
    body = PublishIn(
        modules=modules,
        placeholders_confirmed=placeholders_confirmed,
        confirmed_not_personal=confirmed,
        **typed,
    )
    try:
        service.publish(session, content, viewer, scenario_id, body)
    except service.StillPersonal as still:
        return again({"published_text": still.message}, still.findings)
    except contributions.NoModulesChosen as problem:
        return again({"modules": problem.message})
    except service.LeftoverPlaceholders as leftover:
        return again({"placeholders_confirmed": leftover.message})
    except InvalidInput as invalid:
        field = "published_title" if "title" in invalid.message else "published_text"
        if "content warning" in invalid.message:
            field = "content_warning"
        return again({field: invalid.message})
    return RedirectResponse(
        f"/review/scenarios/{scenario_id}?done=published#confirmation", status_code=303
    )


def _note_form(
    name: str, action: Callable[[Session, Viewer, int, str], object]
) -> Callable[..., Response]:
    """A one-note form (following up a flag, taking a scenario down): kept as typed on error."""

    def handle(
        scenario_id: int,
        request: Request,
        posted: FormDep,
        viewer: CurrentUser,
        session: SessionDep,
        content: ContentDep,
        templates: TemplatesDep,
    ) -> Response:
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

"""The trainer's review pages: the queue and one submission with its decision form.

Every refusal is shown beside the field it names (``error.field``, or each of
``error.errors``). Its routes are included (and tagged) by ``app.scenarios.pages``, the
room's one page router.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi import APIRouter, Query
from fastapi.responses import RedirectResponse, Response
from pydantic import ValidationError
from sqlmodel import Session

from app.auth.schemas import Viewer
from app.core.errors import InvalidInput
from app.core.templating import PageRenderer, Render
from app.models.contributions import ScenarioStatus
from app.safeguarding import service as safeguarding
from app.scenarios import placement, publishing, review
from app.scenarios.errors import StillPersonal
from app.scenarios.form import topic_choices, topic_names
from app.scenarios.personal_details import KIND_LABELS
from app.scenarios.published_text import placeholders_in
from app.scenarios.schemas import STATUS_COLOURS, STATUS_LABELS, DecisionIn, PublishIn
from app.scenarios.workflow import HIDDEN_FROM_TRAINERS
from app.web.deps import ContentDep, CsrfProtected, CurrentUser, FormDep, SessionDep

router = APIRouter()

MAXIMUM_FIELD_CHARACTERS = 20_000
STATUS_FILTERS = [("active", "Waiting for a trainer"), ("all", "All")] + [
    (status.value, STATUS_LABELS[status])
    for status in ScenarioStatus
    if status not in HIDDEN_FROM_TRAINERS
]


def beside_fields(invalid: InvalidInput, otherwise: str) -> dict[str, str]:
    """Each problem under the form field the service named; one naming no field goes beside
    ``otherwise`` (the form's main field), so no refusal is ever shown nowhere."""
    return invalid.errors or {otherwise: invalid.message}


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
    render: Render,
    viewer: CurrentUser,
    session: SessionDep,
    content: ContentDep,
    status: str = Query("active", max_length=40),
    topic: str = Query("", max_length=40),
    flagged: bool = False,
) -> Response:
    errors: dict[str, str] = {}
    try:
        items = review.queue(session, viewer, status=status, topic=topic, flagged_only=flagged)
    except InvalidInput as invalid:
        items, errors = [], beside_fields(invalid, "status")
    return render(
        "scenarios/review/queue.html",
        {
            "title": "Review scenarios",
            "items": items,
            "status": status,
            "topic": topic,
            "flagged": flagged,
            "status_filters": STATUS_FILTERS,
            "topic_choices": topic_choices(content),
            "topic_names": topic_names(),
            "labels": STATUS_LABELS,
            "colours": STATUS_COLOURS,
            "open_records": safeguarding.list_records(session, viewer, "open") if flagged else [],
            "errors": errors,
        },
    )


def _detail_page(
    render: PageRenderer,
    session: SessionDep,
    content: ContentDep,
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
    view = review.review_view(session, content, viewer, scenario_id)
    scenario = view.scenario
    publish_state = None
    if scenario.status is ScenarioStatus.accepted:
        choices = placement.module_choices(content, scenario.topics)
        publish_state = publish_form or {
            "published_title": scenario.published_title or "",
            "published_text": scenario.published_text or "",
            "content_warning": view.published_content_warning,
            "modules": [choice.module.slug for choice in choices if choice.suggested],
            "placeholders_confirmed": False,
            "previewing": False,
        }
        publish_state = {
            **publish_state,
            "choices": choices,
            "placeholders": placeholders_in(
                publish_state["published_title"],
                publish_state["published_text"],
                publish_state["content_warning"],
            ),
            "preview": publishing.preview(
                session,
                viewer,
                scenario_id,
                title=publish_state["published_title"],
                text=publish_state["published_text"],
                warning=publish_state["content_warning"],
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
    return render(
        "scenarios/review/detail.html",
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
            "topic_names": topic_names(),
            "lapse_days": review.CLAIM_LAPSES_AFTER.days,
            "typed_notes": typed_notes or {},
            "confirmation": confirmation,
            "publishing": publish_state,
        },
        status_code=status_code,
    )


@router.get("/review/scenarios/{scenario_id}")
def review_page(
    scenario_id: int,
    render: Render,
    viewer: CurrentUser,
    session: SessionDep,
    content: ContentDep,
    done: str = Query("", max_length=40),
) -> Response:
    return _detail_page(render, session, content, viewer, scenario_id, done=done)


@router.post("/review/scenarios/{scenario_id}/claim", dependencies=[CsrfProtected])
def claim(scenario_id: int, viewer: CurrentUser, session: SessionDep) -> Response:
    review.claim(session, viewer, scenario_id)
    return RedirectResponse(f"/review/scenarios/{scenario_id}#decision", status_code=303)


@router.post("/review/scenarios/{scenario_id}/release", dependencies=[CsrfProtected])
def release(scenario_id: int, viewer: CurrentUser, session: SessionDep) -> Response:
    review.release(session, viewer, scenario_id)
    return RedirectResponse("/review/scenarios", status_code=303)


@router.post("/review/scenarios/{scenario_id}/decision", dependencies=[CsrfProtected])
def decide(
    scenario_id: int,
    render: Render,
    posted: FormDep,
    viewer: CurrentUser,
    session: SessionDep,
    content: ContentDep,
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
            render,
            session,
            content,
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
        review.decide(session, content, viewer, scenario_id, body)
    except StillPersonal as still:
        return again(still.errors, still.findings)
    except InvalidInput as invalid:
        return again(beside_fields(invalid, "note"))
    return RedirectResponse(
        f"/review/scenarios/{scenario_id}?done={body.decision.value}#confirmation", status_code=303
    )


@router.post("/review/scenarios/{scenario_id}/publish", dependencies=[CsrfProtected])
def publish(
    scenario_id: int,
    render: Render,
    posted: FormDep,
    viewer: CurrentUser,
    session: SessionDep,
    content: ContentDep,
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
            render,
            session,
            content,
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
        publishing.publish(session, content, viewer, scenario_id, body)
    except StillPersonal as still:
        return again(still.errors, still.findings)
    except InvalidInput as invalid:
        return again(beside_fields(invalid, "published_text"))
    return RedirectResponse(
        f"/review/scenarios/{scenario_id}?done=published#confirmation", status_code=303
    )


def _note_form(
    name: str, action: Callable[[Session, Viewer, int, str], object]
) -> Callable[..., Response]:
    """A one-note form (following up a flag, taking a scenario down): kept as typed on error."""

    def handle(
        scenario_id: int,
        render: Render,
        posted: FormDep,
        viewer: CurrentUser,
        session: SessionDep,
        content: ContentDep,
    ) -> Response:
        note = posted.get(name)
        note = note[:MAXIMUM_FIELD_CHARACTERS] if isinstance(note, str) else ""
        try:
            action(session, viewer, scenario_id, note)
        except InvalidInput as invalid:
            # The service names its one field "note"; on this page it is the form's one field.
            return _detail_page(
                render,
                session,
                content,
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
    _note_form("flag_note", review.resolve_flag),
    methods=["POST"],
    dependencies=[CsrfProtected],
)
router.add_api_route(
    "/review/scenarios/{scenario_id}/unpublish",
    _note_form("unpublish_note", publishing.unpublish),
    methods=["POST"],
    dependencies=[CsrfProtected],
)

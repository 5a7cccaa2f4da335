"""Refresh pages: the refresh hub, "what changed", key points, the short refresh, and the
five-minute refresher, one question per page so it works without JavaScript."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Query
from fastapi.responses import RedirectResponse, Response

from app.core.errors import AppError, InvalidInput
from app.core.templating import PageRenderer, Render
from app.quizzes import service as quizzes
from app.refresh import refresher, service
from app.refresh.schemas import RefresherSessionView, RefreshOffer
from app.web.deps import (
    ContentDep,
    CsrfProtected,
    CurrentUser,
    FormDep,
    SessionDep,
    get_viewer,
)

router = APIRouter(tags=["pages"])


@router.get("/refresh")
def refresh_page(
    render: Render, viewer: CurrentUser, session: SessionDep, content: ContentDep
) -> Response:
    hub = service.refresh_hub(session, content, viewer)
    return render(
        "refresh/index.html",
        {
            "title": "Refresh",
            "due": hub.due,
            "updated": hub.updated,
            "overview": hub.overview,
            "limit_questions": hub.limit_questions,
            "limit_minutes": hub.limit_minutes,
        },
    )


@router.post("/refresh/sessions", dependencies=[CsrfProtected])
def start_refresher(viewer: CurrentUser, session: SessionDep, content: ContentDep) -> Response:
    sitting = refresher.start_session(session, content, viewer)
    return RedirectResponse(f"/refresh/sessions/{sitting.id}", status_code=303)


def _session_page(
    render: PageRenderer,
    view: RefresherSessionView,
    *,
    chosen: list[str] | None = None,
    errors: dict[str, str] | None = None,
    status_code: int = 200,
) -> Response:
    return render(
        "refresh/session.html",
        {
            "title": "Refresh in 5 minutes",
            "view": view,
            "chosen": chosen or [],
            "errors": errors or {},
        },
        status_code=status_code,
    )


@router.get("/refresh/sessions/{session_id}")
def refresher_page(
    session_id: int,
    render: Render,
    viewer: CurrentUser,
    session: SessionDep,
    content: ContentDep,
) -> Response:
    return _session_page(render, refresher.session_view(session, content, viewer, session_id))


@router.post("/refresh/sessions/{session_id}/answers", dependencies=[CsrfProtected])
def answer_refresher_question(
    session_id: int,
    render: Render,
    form: FormDep,
    viewer: CurrentUser,
    session: SessionDep,
    content: ContentDep,
) -> Response:
    module_slug = str(form.get("module_slug", ""))[:100]
    question_id = str(form.get("question_id", ""))[:60]
    chosen = quizzes.options_chosen(form, "answer")
    try:
        answered = refresher.answer(
            session, content, viewer, session_id, module_slug, question_id, chosen
        )
    except InvalidInput as invalid:
        view = refresher.session_view(session, content, viewer, session_id)
        message = "Choose an answer." if not chosen else invalid.message
        return _session_page(
            render, view, chosen=chosen, errors={"answer": message}, status_code=400
        )
    return RedirectResponse(
        f"/refresh/sessions/{session_id}/answers/{answered.id}", status_code=303
    )


@router.get("/refresh/sessions/{session_id}/answers/{answer_id}")
def refresher_answer_page(
    session_id: int,
    answer_id: int,
    render: Render,
    viewer: CurrentUser,
    session: SessionDep,
    content: ContentDep,
) -> Response:
    answered, view = refresher.answer_of(session, content, viewer, session_id, answer_id)
    return render(
        "refresh/answer.html",
        {
            "title": "Feedback – Refresh in 5 minutes",
            "answered": answered,
            "view": view,
            "key_points_url": answered.key_points_url,
        },
    )


@router.post("/refresh/sessions/{session_id}/finish", dependencies=[CsrfProtected])
def finish_refresher(session_id: int, viewer: CurrentUser, session: SessionDep) -> Response:
    refresher.finish(session, viewer, session_id)
    return RedirectResponse(f"/refresh/sessions/{session_id}", status_code=303)


@router.get("/modules/{slug}/changes")
def what_changed_page(
    slug: str,
    render: Render,
    viewer: CurrentUser,
    session: SessionDep,
    content: ContentDep,
    since: int | None = Query(None, ge=1, le=100_000),
    read: bool = False,
) -> Response:
    changes = service.what_changed(session, content, viewer, slug, since)
    return render(
        "refresh/changes.html",
        {
            "title": f"What changed – {changes.module.title}",
            "changes": changes,
            "module": changes.module,
            "just_read": read,
        },
    )


@router.post("/modules/{slug}/changes/read", dependencies=[CsrfProtected])
def confirm_read(
    slug: str, viewer: CurrentUser, session: SessionDep, content: ContentDep
) -> Response:
    service.confirm_read(session, content, viewer, slug)
    return RedirectResponse(f"/modules/{slug}/changes?read=true", status_code=303)


@router.get("/modules/{slug}/key-points", dependencies=[Depends(get_viewer)])
def key_points_page(slug: str, render: Render, content: ContentDep) -> Response:
    key_points = service.key_points_of(content, slug)
    return render(
        "refresh/key_points.html",
        {
            "title": f"Key points – {key_points.module.title}",
            "module": key_points.module,
            "key_points": key_points,
        },
    )


def _offer_page(
    render: PageRenderer,
    offer: RefreshOffer,
    *,
    chosen: dict[str, list[str]] | None = None,
    errors: dict[str, str] | None = None,
    status_code: int = 200,
) -> Response:
    module = offer.module
    return render(
        "refresh/offer.html",
        {
            "title": f"Refresh – {module.title}",
            "offer": offer,
            "module": module,
            "chosen": chosen or {},
            "errors": errors or {},
        },
        status_code=status_code,
    )


@router.get("/modules/{slug}/refresh")
def refresh_offer_page(
    slug: str, render: Render, viewer: CurrentUser, session: SessionDep, content: ContentDep
) -> Response:
    return _offer_page(render, service.refresh_offer(session, content, viewer, slug))


@router.post("/modules/{slug}/refresh", dependencies=[CsrfProtected])
def submit_refresh(
    slug: str,
    render: Render,
    form: FormDep,
    viewer: CurrentUser,
    session: SessionDep,
    content: ContentDep,
) -> Response:
    offer = service.refresh_offer(session, content, viewer, slug)
    posted = quizzes.answers_posted(form, offer.questions)
    errors, status_code = posted.unanswered, 400
    if not errors:
        try:
            result = service.submit_refresh_check(session, content, viewer, slug, posted.chosen)
        except AppError as error:
            errors, status_code = {"quiz": error.message}, error.status_code
        else:
            return RedirectResponse(f"/modules/{slug}/refresh/checks/{result.id}", status_code=303)
    return _offer_page(render, offer, chosen=posted.chosen, errors=errors, status_code=status_code)


@router.get("/modules/{slug}/refresh/checks/{check_id}")
def refresh_result_page(
    slug: str,
    check_id: int,
    render: Render,
    viewer: CurrentUser,
    session: SessionDep,
    content: ContentDep,
) -> Response:
    result = service.refresh_check_of(session, content, viewer, slug, check_id)
    return render(
        "refresh/check_result.html",
        {
            "title": f"Your refresh – {result.module.title}",
            "result": result,
            "module": result.module,
        },
    )

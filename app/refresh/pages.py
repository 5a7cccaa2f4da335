"""Refresh pages: the refresh hub, "what changed", key points, the short refresh, and the
five-minute refresher, one question per page so it works without JavaScript."""

from __future__ import annotations

from fastapi import APIRouter, Query, Request
from fastapi.responses import RedirectResponse, Response

from app.core.errors import AppError, InvalidInput
from app.refresh import refresher, service
from app.refresh.schemas import RefresherSessionView, RefreshOffer
from app.web.deps import ContentDep, CsrfProtected, CurrentUser, FormDep, SessionDep, TemplatesDep

router = APIRouter(tags=["pages"])

MAXIMUM_ANSWERS_PER_QUESTION = 20


@router.get("/refresh")
def refresh_page(
    request: Request,
    viewer: CurrentUser,
    session: SessionDep,
    content: ContentDep,
    templates: TemplatesDep,
) -> Response:
    due, updated = service.modules_needing_attention(session, content, viewer)
    return templates.render(
        request,
        "refresh/index.html",
        {
            "title": "Refresh",
            "due": due,
            "updated": updated,
            "overview": refresher.overview(session, content, viewer),
            "limit_questions": refresher.SESSION_QUESTIONS,
            "limit_minutes": refresher.SESSION_MINUTES,
        },
    )


@router.post("/refresh/sessions", dependencies=[CsrfProtected])
def start_refresher(viewer: CurrentUser, session: SessionDep, content: ContentDep) -> Response:
    sitting = refresher.start_session(session, content, viewer)
    return RedirectResponse(f"/refresh/sessions/{sitting.id}", status_code=303)


def _session_page(
    request: Request,
    templates: TemplatesDep,
    view: RefresherSessionView,
    *,
    chosen: list[str] | None = None,
    errors: dict[str, str] | None = None,
    status_code: int = 200,
) -> Response:
    return templates.render(
        request,
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
    request: Request,
    viewer: CurrentUser,
    session: SessionDep,
    content: ContentDep,
    templates: TemplatesDep,
) -> Response:
    view = refresher.session_view(session, content, viewer, session_id)
    return _session_page(request, templates, view)


@router.post("/refresh/sessions/{session_id}/answers", dependencies=[CsrfProtected])
def answer_refresher_question(
    session_id: int,
    request: Request,
    form: FormDep,
    viewer: CurrentUser,
    session: SessionDep,
    content: ContentDep,
    templates: TemplatesDep,
) -> Response:
    module_slug = str(form.get("module_slug", ""))[:100]
    question_id = str(form.get("question_id", ""))[:60]
    chosen = [str(value) for value in form.getlist("answer")][:MAXIMUM_ANSWERS_PER_QUESTION]
    try:
        answered = refresher.answer(
            session, content, viewer, session_id, module_slug, question_id, chosen
        )
    except InvalidInput as invalid:
        view = refresher.session_view(session, content, viewer, session_id)
        message = "Choose an answer." if not chosen else invalid.message
        return _session_page(
            request, templates, view, chosen=chosen, errors={"answer": message}, status_code=400
        )
    return RedirectResponse(
        f"/refresh/sessions/{session_id}/answers/{answered.id}", status_code=303
    )


@router.get("/refresh/sessions/{session_id}/answers/{answer_id}")
def refresher_answer_page(
    session_id: int,
    answer_id: int,
    request: Request,
    viewer: CurrentUser,
    session: SessionDep,
    content: ContentDep,
    templates: TemplatesDep,
) -> Response:
    answered, view = refresher.answer_of(session, content, viewer, session_id, answer_id)
    return templates.render(
        request,
        "refresh/answer.html",
        {
            "title": "Feedback – Refresh in 5 minutes",
            "answered": answered,
            "view": view,
            "key_points_url": refresher.key_points_url(answered.module.slug),
        },
    )


@router.post("/refresh/sessions/{session_id}/finish", dependencies=[CsrfProtected])
def finish_refresher(session_id: int, viewer: CurrentUser, session: SessionDep) -> Response:
    refresher.finish(session, viewer, session_id)
    return RedirectResponse(f"/refresh/sessions/{session_id}", status_code=303)


@router.get("/modules/{slug}/changes")
def what_changed_page(
    slug: str,
    request: Request,
    viewer: CurrentUser,
    session: SessionDep,
    content: ContentDep,
    templates: TemplatesDep,
    since: int | None = Query(None, ge=1, le=100_000),
    read: bool = False,
) -> Response:
    changes = service.what_changed(session, content, viewer, slug, since)
    return templates.render(
        request,
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


@router.get("/modules/{slug}/key-points")
def key_points_page(
    slug: str,
    request: Request,
    viewer: CurrentUser,
    content: ContentDep,
    templates: TemplatesDep,
) -> Response:
    key_points = service.key_points_of(content, slug)
    return templates.render(
        request,
        "refresh/key_points.html",
        {
            "title": f"Key points – {key_points.module.title}",
            "module": key_points.module,
            "key_points": key_points,
        },
    )


def _offer_page(
    request: Request,
    templates: TemplatesDep,
    offer: RefreshOffer,
    *,
    chosen: dict[str, list[str]] | None = None,
    errors: dict[str, str] | None = None,
    status_code: int = 200,
) -> Response:
    module = offer.module
    return templates.render(
        request,
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
    slug: str,
    request: Request,
    viewer: CurrentUser,
    session: SessionDep,
    content: ContentDep,
    templates: TemplatesDep,
) -> Response:
    return _offer_page(request, templates, service.refresh_offer(session, content, viewer, slug))


@router.post("/modules/{slug}/refresh", dependencies=[CsrfProtected])
def submit_refresh(
    slug: str,
    request: Request,
    form: FormDep,
    viewer: CurrentUser,
    session: SessionDep,
    content: ContentDep,
    templates: TemplatesDep,
) -> Response:
    offer = service.refresh_offer(session, content, viewer, slug)
    chosen = {
        question.id: [str(value) for value in form.getlist(question.id)][
            :MAXIMUM_ANSWERS_PER_QUESTION
        ]
        for question in offer.questions
    }
    unanswered = {
        question.id: f"Answer question {number}"
        for number, question in enumerate(offer.questions, start=1)
        if not chosen[question.id]
    }
    if unanswered:
        return _offer_page(
            request, templates, offer, chosen=chosen, errors=unanswered, status_code=400
        )
    try:
        result = service.submit_refresh_check(session, content, viewer, slug, chosen)
    except AppError as error:
        return _offer_page(
            request,
            templates,
            offer,
            chosen=chosen,
            errors={"quiz": error.message},
            status_code=error.status_code,
        )
    return RedirectResponse(f"/modules/{slug}/refresh/checks/{result.id}", status_code=303)


@router.get("/modules/{slug}/refresh/checks/{check_id}")
def refresh_result_page(
    slug: str,
    check_id: int,
    request: Request,
    viewer: CurrentUser,
    session: SessionDep,
    content: ContentDep,
    templates: TemplatesDep,
) -> Response:
    result = service.refresh_check_of(session, content, viewer, slug, check_id)
    return templates.render(
        request,
        "refresh/check_result.html",
        {
            "title": f"Your refresh – {result.module.title}",
            "result": result,
            "module": result.module,
        },
    )

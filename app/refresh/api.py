"""The refresh cycle as JSON: what changed, the short refresh, and the spaced refresher."""

from __future__ import annotations

from fastapi import APIRouter, Query

from app.progress.schemas import ProgressOut
from app.refresh import refresher, service
from app.refresh.schemas import (
    RefreshCheckOut,
    RefreshCheckRequest,
    RefresherAnswerOut,
    RefresherAnswerRequest,
    RefresherOverviewOut,
    RefresherSessionOut,
    RefreshOfferOut,
    WhatChangedOut,
)
from app.web.deps import ContentDep, CsrfProtected, CurrentUser, SessionDep

router = APIRouter(prefix="/api/v1", tags=["refresh"])


@router.get("/modules/{slug}/changes", response_model=WhatChangedOut)
def what_changed(
    slug: str,
    viewer: CurrentUser,
    session: SessionDep,
    content: ContentDep,
    since: int | None = Query(None, ge=1, le=100_000),
) -> WhatChangedOut:
    return WhatChangedOut.of(service.what_changed(session, content, viewer, slug, since))


@router.post(
    "/modules/{slug}/changes/read", response_model=ProgressOut, dependencies=[CsrfProtected]
)
def confirm_read(
    slug: str, viewer: CurrentUser, session: SessionDep, content: ContentDep
) -> ProgressOut:
    return ProgressOut.of(service.confirm_read(session, content, viewer, slug))


@router.get("/modules/{slug}/refresh", response_model=RefreshOfferOut)
def refresh_offer(
    slug: str, viewer: CurrentUser, session: SessionDep, content: ContentDep
) -> RefreshOfferOut:
    return RefreshOfferOut.of(service.refresh_offer(session, content, viewer, slug))


@router.post(
    "/modules/{slug}/refresh", response_model=RefreshCheckOut, dependencies=[CsrfProtected]
)
def submit_refresh(
    slug: str,
    body: RefreshCheckRequest,
    viewer: CurrentUser,
    session: SessionDep,
    content: ContentDep,
) -> RefreshCheckOut:
    return RefreshCheckOut.of(
        service.submit_refresh_check(session, content, viewer, slug, body.answers)
    )


@router.get("/me/refresher", response_model=RefresherOverviewOut)
def refresher_overview(
    viewer: CurrentUser, session: SessionDep, content: ContentDep
) -> RefresherOverviewOut:
    return RefresherOverviewOut.of(refresher.overview(session, content, viewer))


@router.post(
    "/me/refresher/sessions",
    response_model=RefresherSessionOut,
    status_code=201,
    dependencies=[CsrfProtected],
)
def start_refresher(
    viewer: CurrentUser, session: SessionDep, content: ContentDep
) -> RefresherSessionOut:
    sitting = refresher.start_session(session, content, viewer)
    assert sitting.id is not None
    return RefresherSessionOut.of(refresher.session_view(session, content, viewer, sitting.id))


@router.get("/me/refresher/sessions/{session_id}", response_model=RefresherSessionOut)
def refresher_session(
    session_id: int, viewer: CurrentUser, session: SessionDep, content: ContentDep
) -> RefresherSessionOut:
    return RefresherSessionOut.of(refresher.session_view(session, content, viewer, session_id))


@router.post(
    "/me/refresher/sessions/{session_id}/answers",
    response_model=RefresherAnswerOut,
    dependencies=[CsrfProtected],
)
def answer_refresher_question(
    session_id: int,
    body: RefresherAnswerRequest,
    viewer: CurrentUser,
    session: SessionDep,
    content: ContentDep,
) -> RefresherAnswerOut:
    answered = refresher.answer(
        session, content, viewer, session_id, body.module_slug, body.question_id, body.answer
    )
    return RefresherAnswerOut.of(answered)


@router.post(
    "/me/refresher/sessions/{session_id}/finish",
    response_model=RefresherSessionOut,
    dependencies=[CsrfProtected],
)
def finish_refresher(
    session_id: int, viewer: CurrentUser, session: SessionDep, content: ContentDep
) -> RefresherSessionOut:
    refresher.finish(session, viewer, session_id)
    return RefresherSessionOut.of(refresher.session_view(session, content, viewer, session_id))

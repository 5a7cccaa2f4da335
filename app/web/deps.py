"""Annotated dependencies every feature uses: the request's session, the viewer, CSRF."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Annotated

import anyio
from fastapi import Depends, Request
from sqlalchemy import Engine
from sqlmodel import Session
from starlette.datastructures import FormData

from app.auth import csrf
from app.auth.passwords import Passwords
from app.auth.schemas import Viewer
from app.auth.service import SESSION_COOKIE, resolve_session, touch_session
from app.content import ContentIndex
from app.core.config import Settings
from app.core.db import (
    WRITE_LOCK_WAIT_SECONDS,
    open_session,
    session_scope,
)
from app.core.errors import CsrfFailed, DatabaseBusy, NotAuthenticated
from app.core.security_log import record_event
from app.core.templating import Templates

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


async def get_settings(request: Request) -> Settings:
    return request.app.state.settings


async def get_content(request: Request) -> ContentIndex:
    return request.app.state.content


async def get_templates(request: Request) -> Templates:
    return request.app.state.templates


async def get_passwords(request: Request) -> Passwords:
    return request.app.state.passwords


async def get_engine(request: Request) -> Engine:
    """For the few services that keep a record in a short transaction of its own."""
    return request.app.state.engine


async def hold_write_slot(request: Request) -> AsyncIterator[None]:
    """A writing request waits on the event loop for one of its worker's write slots.

    Its body is read first, so a slow sender holds nothing. Waiting here, rather than on a
    thread, keeps threads free for the writes already under way (their commits need one),
    and a request that cannot get a slot in time is refused with a 503, nothing saved.
    """
    if request.method in SAFE_METHODS:
        yield
        return
    if request.headers.get("content-type", "").startswith(FORM_CONTENT_TYPES):
        await request.form()
    else:
        await request.body()
    slots = _write_slots(request)
    try:
        with anyio.fail_after(WRITE_LOCK_WAIT_SECONDS):
            await slots.acquire()
    except TimeoutError:
        raise DatabaseBusy() from None
    try:
        yield
    finally:
        slots.release()


FORM_CONTENT_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")
# Few: writes queue in order on the event loop, not on the database lock, which favours no one.
WRITE_SLOTS_PER_WORKER = 4


def _write_slots(request: Request) -> asyncio.Semaphore:
    """The worker's write slots on the running event loop (tests run several loops)."""
    by_loop: dict[int, asyncio.Semaphore] = request.app.state.write_slots
    loop_id = id(asyncio.get_running_loop())
    slots = by_loop.get(loop_id)
    if slots is None:
        slots = by_loop[loop_id] = asyncio.Semaphore(WRITE_SLOTS_PER_WORKER)
    return slots


WriteSlot = Annotated[None, Depends(hold_write_slot, scope="function")]


async def get_db(request: Request, _slot: WriteSlot) -> AsyncIterator[Session]:
    """One session per request; it commits once, before the response is sent.

    Opening a session touches no database (it connects at its first query), so it is
    opened here on the event loop; committing and closing do, so they go to a thread
    together: one hop for the pair rather than one on the way in and one on the way out.
    """
    session = open_session(request.app.state.engine, write=request.method not in SAFE_METHODS)
    try:
        yield session
    except BaseException:
        await anyio.to_thread.run_sync(_roll_back_and_close, session)
        raise
    await anyio.to_thread.run_sync(_commit_and_close, session)


def _commit_and_close(session: Session) -> None:
    try:
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()


def _roll_back_and_close(session: Session) -> None:
    try:
        session.rollback()
    finally:
        session.close()


async def get_form(request: Request) -> FormData:
    """The posted form, read on the event loop, so a handler never waits for it on a
    thread (or, worse, runs its queries on the loop to await it)."""
    return await request.form()


SettingsDep = Annotated[Settings, Depends(get_settings)]
ContentDep = Annotated[ContentIndex, Depends(get_content)]
TemplatesDep = Annotated[Templates, Depends(get_templates)]
PasswordsDep = Annotated[Passwords, Depends(get_passwords)]
EngineDep = Annotated[Engine, Depends(get_engine)]
SessionDep = Annotated[Session, Depends(get_db, scope="function")]
FormDep = Annotated[FormData, Depends(get_form)]


def get_optional_viewer(
    request: Request, session: SessionDep, settings: SettingsDep
) -> Viewer | None:
    if hasattr(request.state, "user"):
        return request.state.user
    token = request.cookies.get(SESSION_COOKIE)
    # Looked up on the request's own session: its reads take no lock. The occasional touch
    # is a write, so it goes in a short session of its own, committed at once, rather than
    # holding SQLite's write lock through the whole request.
    viewer = None
    if token is not None:
        resolved = resolve_session(session, settings, token)
        if resolved is not None:
            viewer, due_a_touch = resolved
            if due_a_touch:
                with session_scope(request.app.state.engine) as touch:
                    touch_session(touch, viewer.session_id)
    request.state.user = viewer
    if viewer is not None:
        request.state.csrf_token = csrf.token_for(settings.secret_key, viewer.session_id)
    return viewer


OptionalViewer = Annotated[Viewer | None, Depends(get_optional_viewer)]


async def get_viewer(viewer: OptionalViewer) -> Viewer:
    if viewer is None:
        raise NotAuthenticated()
    return viewer


CurrentUser = Annotated[Viewer, Depends(get_viewer)]


async def verify_csrf(request: Request, viewer: OptionalViewer, settings: SettingsDep) -> None:
    """Every state-changing request made with a cookie carries a token only Askwell can mint."""
    if request.method in SAFE_METHODS:
        return
    if request.url.path.startswith("/api/"):
        if viewer is None:
            return  # no ambient credential: nothing a forged request could borrow
        token = request.headers.get(csrf.CSRF_HEADER)
        binding: str | None = viewer.session_id
    else:
        form = await request.form()
        submitted = form.get(csrf.CSRF_FORM_FIELD)
        token = submitted if isinstance(submitted, str) else None
        binding = viewer.session_id if viewer else request.cookies.get(csrf.PRE_SESSION_COOKIE)
    if not csrf.is_valid(settings.secret_key, binding, token):
        record_event("csrf.refused", method=request.method, path=request.url.path)
        raise CsrfFailed()


CsrfProtected = Depends(verify_csrf)

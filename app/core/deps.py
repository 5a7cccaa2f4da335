"""Annotated dependencies every feature uses: the request's session, the viewer, CSRF."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated

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
from app.core.db import open_session, session_scope
from app.core.errors import CsrfFailed, NotAuthenticated
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


def get_db(request: Request) -> Iterator[Session]:
    """One session per request; it commits once, before the response is sent."""
    session = open_session(request.app.state.engine, write=request.method not in SAFE_METHODS)
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
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
    # Until the request's own session has begun, look the cookie up and touch it in short
    # sessions of their own: a writing request takes SQLite's write lock at its first query,
    # and sign-in must not hold it through a password check. Once the request's session
    # holds the lock, a second session would wait on it, so its own is used instead.
    # A reading request has no lock to hold back, so it uses its own session from the start.
    reading_request = request.method in SAFE_METHODS
    own = session if reading_request or session.in_transaction() else None
    engine = request.app.state.engine
    if token is None:
        resolved = None
    elif own is not None:
        resolved = resolve_session(own, settings, token)
    else:
        with session_scope(engine, write=False) as reading:
            resolved = resolve_session(reading, settings, token)
    viewer = resolved[0] if resolved else None
    if resolved and resolved[1]:
        if own is not None and not reading_request:
            touch_session(own, resolved[0].session_id)
        else:
            with session_scope(engine) as touch:
                touch_session(touch, resolved[0].session_id)
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

"""The session cookie: opaque, HttpOnly, SameSite=Lax, Secure outside development."""

from __future__ import annotations

from starlette.responses import Response

from app.auth import csrf
from app.auth.service import SESSION_COOKIE
from app.core.config import Settings


def set_session_cookie(response: Response, settings: Settings, token: str) -> None:
    response.set_cookie(
        SESSION_COOKIE,
        token,
        max_age=settings.session_absolute_hours * 3600,
        httponly=True,
        samesite="lax",
        secure=settings.secure_cookies,
        path="/",
    )
    response.delete_cookie(csrf.PRE_SESSION_COOKIE, path="/")


def clear_session_cookie(response: Response, settings: Settings) -> None:
    response.delete_cookie(
        SESSION_COOKIE, path="/", httponly=True, samesite="lax", secure=settings.secure_cookies
    )


def set_pre_session_cookie(response: Response, settings: Settings, value: str) -> None:
    response.set_cookie(
        csrf.PRE_SESSION_COOKIE,
        value,
        httponly=True,
        samesite="lax",
        secure=settings.secure_cookies,
        path="/",
    )

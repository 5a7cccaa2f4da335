"""Signing in and out, sessions, and the sign-in rate limit."""

from __future__ import annotations

from datetime import timedelta

import time_machine
from sqlmodel import select

from app.auth.service import SESSION_COOKIE
from app.models.auth import UserSession
from app.models.users import Role
from tests.conftest import api_login, client_with_cookie


def test_api_login_returns_user_roles_and_csrf_token(client, make_user):
    account = make_user(Role.trainer, Role.practitioner)
    response = client.post(
        "/api/v1/auth/login", json={"email": account.email, "password": account.password}
    )
    assert response.status_code == 200
    body = response.json()
    assert body["user"]["email"] == account.email
    assert body["user"]["roles"] == ["practitioner", "trainer"]
    assert len(body["csrf_token"]) >= 32
    cookie = response.headers["set-cookie"]
    assert "HttpOnly" in cookie and "SameSite=lax" in cookie.replace("Lax", "lax")


def test_email_is_matched_whatever_its_case(client, make_user):
    account = make_user(Role.practitioner)
    response = client.post(
        "/api/v1/auth/login", json={"email": account.email.upper(), "password": account.password}
    )
    assert response.status_code == 200


def test_wrong_password_and_unknown_account_get_the_same_answer(client, make_user):
    account = make_user(Role.practitioner)
    wrong = client.post(
        "/api/v1/auth/login", json={"email": account.email, "password": "not-the-password"}
    )
    unknown = client.post(
        "/api/v1/auth/login", json={"email": "nobody@askwell.test", "password": "whatever-it-is"}
    )
    assert wrong.status_code == unknown.status_code == 401
    assert wrong.json() == unknown.json() == {"detail": "Email or password is not right."}


def test_me_needs_a_session(client):
    response = client.get("/api/v1/me")
    assert response.status_code == 401
    assert response.json() == {"detail": "Please sign in to continue."}


def test_logout_ends_the_session_on_the_server(app, client, make_user, rows):
    account = make_user(Role.practitioner)
    api_login(client, account)
    stolen_cookie = client.cookies.get(SESSION_COOKIE)
    assert client.post("/api/v1/auth/logout").status_code == 204
    with client_with_cookie(app, SESSION_COOKIE, stolen_cookie) as thief:
        assert thief.get("/api/v1/me").status_code == 401
    assert rows(select(UserSession)) == []


def test_signing_in_again_rotates_the_session(app, client, make_user):
    account = make_user(Role.practitioner)
    api_login(client, account)
    first = client.cookies.get(SESSION_COOKIE)
    api_login(client, account)
    second = client.cookies.get(SESSION_COOKIE)
    assert first != second
    with client_with_cookie(app, SESSION_COOKIE, first) as old:
        assert old.get("/api/v1/me").status_code == 401
    with client_with_cookie(app, SESSION_COOKIE, second) as current:
        assert current.get("/api/v1/me").status_code == 200


def test_sessions_end_after_the_idle_timeout(client, make_user, settings):
    account = make_user(Role.practitioner)
    with time_machine.travel("2026-11-26 09:00:00Z", tick=False) as clock:
        api_login(client, account)
        clock.shift(timedelta(minutes=settings.session_idle_minutes - 1))
        assert client.get("/api/v1/me").status_code == 200
        clock.shift(timedelta(minutes=settings.session_idle_minutes + 1))
        assert client.get("/api/v1/me").status_code == 401


def test_sessions_end_after_the_absolute_timeout_even_when_busy(client, make_user, settings):
    account = make_user(Role.practitioner)
    with time_machine.travel("2026-11-26 09:00:00Z", tick=False) as clock:
        api_login(client, account)
        for _ in range(settings.session_absolute_hours * 2):
            clock.shift(timedelta(minutes=30))
            client.get("/api/v1/me")
        assert client.get("/api/v1/me").status_code == 401


def test_sign_in_is_rate_limited_per_account_with_a_clear_message(client, make_user, settings):
    account = make_user(Role.practitioner)
    with time_machine.travel("2026-11-26 09:00:00Z", tick=False) as clock:
        for _ in range(settings.login_attempts_per_minute):
            response = client.post(
                "/api/v1/auth/login", json={"email": account.email, "password": "wrong-guess-1"}
            )
            assert response.status_code == 401
        blocked = client.post(
            "/api/v1/auth/login", json={"email": account.email, "password": account.password}
        )
        assert blocked.status_code == 429
        assert "wait a minute" in blocked.json()["detail"]
        clock.shift(timedelta(seconds=61))
        # No permanent lock-out: a minute later the right password works.
        again = client.post(
            "/api/v1/auth/login", json={"email": account.email, "password": account.password}
        )
        assert again.status_code == 200


def test_sign_in_is_rate_limited_per_client_across_accounts(client, make_user, settings):
    with time_machine.travel("2026-11-26 09:00:00Z", tick=False):
        for number in range(settings.login_attempts_per_minute):
            client.post(
                "/api/v1/auth/login",
                json={"email": f"guess{number}@askwell.test", "password": "wrong-guess-1"},
            )
        account = make_user(Role.practitioner)
        blocked = client.post(
            "/api/v1/auth/login", json={"email": account.email, "password": account.password}
        )
        assert blocked.status_code == 429


def test_a_deactivated_account_cannot_sign_in(app, client, make_user):
    from app.core.db import session_scope
    from app.models.users import User

    account = make_user(Role.practitioner)
    with session_scope(app.state.engine) as session:
        session.get(User, account.id).is_active = False
    response = client.post(
        "/api/v1/auth/login", json={"email": account.email, "password": account.password}
    )
    assert response.status_code == 401


def test_names_with_line_breaks_or_direction_overrides_are_refused(app):
    import pytest

    from app.auth.passwords import Passwords
    from app.core.config import PasswordHashProfile
    from app.core.db import session_scope
    from app.core.errors import InvalidInput

    for name in ("Line\nBreak", "Evil\u202ename", "Zero\u200bwidth"):
        with (
            pytest.raises(InvalidInput, match="type it again without them"),
            session_scope(app.state.engine) as session,
        ):
            from app.auth import service

            service.create_user(
                session,
                Passwords(PasswordHashProfile.fast),
                email="someone@askwell.test",
                password="a-long-enough-password",
                display_name=name,
                roles=[Role.practitioner],
            )

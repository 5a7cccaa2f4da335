"""Changing one's password, and an admin's single-use link for a forgotten one."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import timedelta

import pytest
import time_machine
from fastapi.testclient import TestClient
from sqlmodel import select

from app.models.audit import AuditEvent
from app.models.auth import PasswordReset
from app.models.users import Role
from tests.auth.test_pages_and_csrf import form_token
from tests.conftest import api_login

NEW_PASSWORD = "a brand new passphrase"  # noqa: S105 - a test fixture's password


@pytest.fixture
def fresh_client(app) -> Iterator[Callable[[object], TestClient]]:
    """Separate browsers (or API clients), closed when the test ends."""
    opened: list[TestClient] = []

    def _open(_app: object) -> TestClient:
        client = TestClient(app, base_url="http://testserver")
        client.__enter__()
        opened.append(client)
        return client

    yield _open
    for client in opened:
        client.__exit__(None, None, None)


def signs_in(app, email: str, password: str) -> bool:
    with TestClient(app, base_url="http://testserver") as client:
        response = client.post("/api/v1/auth/login", json={"email": email, "password": password})
        return response.status_code == 200


def test_changing_a_password_keeps_this_session_and_ends_the_others(app, make_user, fresh_client):
    person = make_user(Role.practitioner)
    here, elsewhere = fresh_client(app), fresh_client(app)
    api_login(here, person)
    api_login(elsewhere, person)
    page = here.get("/account/password")
    assert page.status_code == 200 and person.email in page.text
    changed = here.post(
        "/account/password",
        data={
            "csrf_token": form_token(page.text),
            "current_password": person.password,
            "new_password": NEW_PASSWORD,
            "confirm_password": NEW_PASSWORD,
        },
        follow_redirects=True,
    )
    assert "Your password has been changed" in changed.text
    assert here.get("/api/v1/me").status_code == 200
    assert elsewhere.get("/api/v1/me").status_code == 401
    assert signs_in(app, person.email, NEW_PASSWORD)
    assert not signs_in(app, person.email, person.password)


def test_each_problem_is_shown_beside_its_field_and_no_password_is_echoed(
    app, make_user, fresh_client
):
    person = make_user(Role.codesigner)
    client = fresh_client(app)
    api_login(client, person)
    page = client.get("/account/password")
    refused = client.post(
        "/account/password",
        data={
            "csrf_token": form_token(page.text),
            "current_password": "not-my-password",
            "new_password": "short",
            "confirm_password": "short",
        },
    )
    assert refused.status_code == 400
    assert 'href="#current_password"' in refused.text and 'href="#new_password"' in refused.text
    assert "not-my-password" not in refused.text
    mismatch = client.put(
        "/api/v1/me/password",
        json={"current_password": person.password, "new_password": "x" * 9},
    )
    assert mismatch.status_code == 422 and "at least 10 characters" in mismatch.json()["detail"]
    assert signs_in(app, person.email, person.password)


def test_guessing_the_current_password_meets_the_sign_in_rate_limit(app, make_user, fresh_client):
    person = make_user(Role.practitioner)
    client = fresh_client(app)
    api_login(client, person)
    answers = [
        client.put(
            "/api/v1/me/password",
            json={"current_password": f"guess number {n}", "new_password": NEW_PASSWORD},
        ).status_code
        for n in range(12)
    ]
    assert answers[:9] == [422] * 9 and answers[-1] == 429
    assert not signs_in(app, person.email, NEW_PASSWORD)


def test_an_admin_makes_a_reset_link_that_works_once(app, make_user, rows, fresh_client):
    admin, person = make_user(Role.admin), make_user(Role.practitioner)
    admin_client, person_client = fresh_client(app), fresh_client(app)
    api_login(admin_client, admin)
    api_login(person_client, person)
    made = admin_client.post(f"/api/v1/admin/users/{person.id}/password-reset")
    assert made.status_code == 201
    path = made.json()["url"].removeprefix("http://testserver")
    token = path.rsplit("/", 1)[1]
    assert token not in rows(select(PasswordReset))[0].token_hash

    visitor = fresh_client(app)
    page = visitor.get(path)
    assert page.status_code == 200 and person.email in page.text
    mismatch = visitor.post(
        path,
        data={
            "csrf_token": form_token(page.text),
            "new_password": NEW_PASSWORD,
            "confirm_password": "something else entirely",
        },
    )
    assert mismatch.status_code == 400 and 'href="#confirm_password"' in mismatch.text
    done = visitor.post(
        path,
        data={
            "csrf_token": form_token(page.text),
            "new_password": NEW_PASSWORD,
            "confirm_password": NEW_PASSWORD,
        },
        follow_redirects=True,
    )
    assert "Sign in with your new password" in done.text
    assert person_client.get("/api/v1/me").status_code == 401
    assert signs_in(app, person.email, NEW_PASSWORD)
    again = visitor.get(path)
    assert again.status_code == 409 and "already been used" in again.text
    actions = [e.action for e in rows(select(AuditEvent)) if e.target_id == str(person.id)]
    assert actions == ["account.password_reset_link"]


def test_reset_links_expire_are_replaced_and_are_made_only_by_admins(app, make_user, fresh_client):
    admin, person = make_user(Role.admin), make_user(Role.practitioner)
    trainer = make_user(Role.trainer)
    with time_machine.travel("2027-03-01 09:00:00Z", tick=False) as clock:
        admin_client = fresh_client(app)
        api_login(admin_client, admin)
        url = f"/api/v1/admin/users/{person.id}/password-reset"
        first = admin_client.post(url).json()["url"].removeprefix("http://testserver")
        second = admin_client.post(url).json()["url"].removeprefix("http://testserver")
        visitor = fresh_client(app)
        replaced = visitor.get(first)
        assert replaced.status_code == 404 and "a newer one has replaced it" in replaced.text
        clock.shift(timedelta(hours=24, seconds=1))
        expired = visitor.get(second)
        assert expired.status_code == 409 and "expired" in expired.text
        assert visitor.get("/password-reset/forged-token").status_code == 404
    trainer_client = fresh_client(app)
    api_login(trainer_client, trainer)
    assert trainer_client.post(url).status_code == 403


def test_the_admin_page_shows_the_link_once(app, make_user, fresh_client):
    admin, person = make_user(Role.admin), make_user(Role.practitioner, name="Locked Out")
    client = fresh_client(app)
    api_login(client, admin)
    page = client.get(f"/admin/users/{person.id}")
    assert "Make a password reset link" in page.text
    made = client.post(
        f"/admin/users/{person.id}/password-reset", data={"csrf_token": form_token(page.text)}
    )
    assert made.status_code == 200 and "Password reset link ready" in made.text
    assert "http://testserver/password-reset/" in made.text
    assert "/password-reset/" not in client.get(f"/admin/users/{person.id}").text

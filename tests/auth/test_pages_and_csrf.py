"""The sign-in page and CSRF protection on forms and on the API."""

from __future__ import annotations

import re

from app.models.users import Role
from tests.conftest import api_login


def form_token(html: str) -> str:
    match = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert match, "the page has no CSRF field"
    return match.group(1)


def test_sign_in_page_signs_in_and_redirects_to_the_page_asked_for(client, make_user):
    account = make_user(Role.practitioner)
    page = client.get("/sign-in?next=/modules")
    assert page.status_code == 200
    response = client.post(
        "/sign-in",
        data={
            "email": account.email,
            "password": account.password,
            "next": "/modules",
            "csrf_token": form_token(page.text),
        },
        follow_redirects=False,
    )
    assert response.status_code == 303
    assert response.headers["location"] == "/modules"
    assert client.get("/modules").status_code == 200


def test_sign_in_never_redirects_off_site(client, make_user):
    account = make_user(Role.practitioner)
    page = client.get("/sign-in")
    response = client.post(
        "/sign-in",
        data={
            "email": account.email,
            "password": account.password,
            "next": "https://evil.example/",
            "csrf_token": form_token(page.text),
        },
        follow_redirects=False,
    )
    assert response.headers["location"] == "/"


def test_sign_in_page_shows_an_error_summary_and_keeps_the_email(client, make_user):
    account = make_user(Role.practitioner)
    page = client.get("/sign-in")
    response = client.post(
        "/sign-in",
        data={
            "email": account.email,
            "password": "wrong-password",
            "csrf_token": form_token(page.text),
        },
    )
    assert response.status_code == 400
    assert "There is a problem" in response.text
    assert "Email or password is not right." in response.text
    assert f'value="{account.email}"' in response.text


def test_sign_in_form_without_its_token_is_refused(client, make_user):
    account = make_user(Role.practitioner)
    client.get("/sign-in")
    response = client.post("/sign-in", data={"email": account.email, "password": account.password})
    assert response.status_code == 403
    assert "This form has expired" in response.text


def test_forms_need_the_session_token(client, make_user):
    account = make_user(Role.practitioner)
    api_login(client, account)
    del client.headers["X-CSRF-Token"]
    response = client.post("/modules/asking-basics/sections/why-ask/complete", data={})
    assert response.status_code == 403
    response = client.post(
        "/modules/asking-basics/sections/why-ask/complete", data={"csrf_token": "forged"}
    )
    assert response.status_code == 403


def test_api_writes_with_a_cookie_need_the_csrf_header(client, make_user):
    account = make_user(Role.practitioner)
    token = api_login(client, account)
    del client.headers["X-CSRF-Token"]
    refused = client.post("/api/v1/modules/asking-basics/sections/why-ask/complete")
    assert refused.status_code == 403
    accepted = client.post(
        "/api/v1/modules/asking-basics/sections/why-ask/complete", headers={"X-CSRF-Token": token}
    )
    assert accepted.status_code == 200


def test_sign_out_form_ends_the_session(client, make_user):
    account = make_user(Role.practitioner)
    api_login(client, account)
    home = client.get("/")
    response = client.post(
        "/sign-out", data={"csrf_token": form_token(home.text)}, follow_redirects=False
    )
    assert response.status_code == 303
    assert client.get("/api/v1/me").status_code == 401
    assert "You have signed out" in client.get("/sign-in?signed_out=true").text


def test_pages_send_people_who_are_not_signed_in_to_sign_in(client):
    response = client.get("/modules/asking-basics", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == "/sign-in?next=/modules/asking-basics"

"""Request bodies past ASKWELL_MAX_BODY_BYTES are refused before they are read."""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from fastapi import FastAPI
from fastapi.testclient import TestClient

from app.core.config import DEFAULT_MAX_BODY_BYTES
from app.models.users import Role
from tests.conftest import api_login, make_settings

CHUNK = 64 * 1024
JUST_OVER = b"x" * (DEFAULT_MAX_BODY_BYTES + 1)


def test_an_api_body_declared_too_large_is_refused_with_the_limit_named(client):
    response = client.post(
        "/api/v1/auth/login", content=JUST_OVER, headers={"Content-Type": "application/json"}
    )
    assert response.status_code == 413
    assert "1 MB" in response.json()["detail"]


def test_a_page_form_too_large_gets_a_page_saying_so(client):
    page = client.get("/sign-in")
    token = page.text.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]
    response = client.post(
        "/sign-in",
        data={
            "email": "someone@askwell.test",
            "password": "x" * len(JUST_OVER),
            "csrf_token": token,
        },
    )
    assert response.status_code == 413
    assert response.headers["content-type"].startswith("text/html")
    assert "That was too much to send" in response.text
    assert "1 MB" in response.text


def test_a_signed_in_write_too_large_saves_nothing(client, make_user):
    account = make_user(Role.practitioner)
    api_login(client, account)
    refused = client.put("/api/v1/me", json={"display_name": "x" * len(JUST_OVER)})
    assert refused.status_code == 413
    assert client.get("/api/v1/me").json()["display_name"] == account.user.display_name


def test_the_limit_is_a_setting(database_url, make_user, start_app):
    small = start_app(make_settings(database_url, max_body_bytes=4096))
    account = make_user(Role.practitioner)
    with TestClient(small) as browser:
        api_login(browser, account)  # a small body is fine
        refused = browser.put("/api/v1/me", json={"display_name": "x" * 5000})
    assert refused.status_code == 413
    assert "4 KB" in refused.json()["detail"]


def send_chunked(app: FastAPI, path: str, chunks: int) -> tuple[int, bytes, int]:
    """POST a body of ``chunks`` 64 KB pieces with no Content-Length, as a chunked upload
    arrives; returns the status, the body, and how many pieces the app pulled."""
    pulled = 0
    sent: list[dict[str, Any]] = []

    async def receive() -> dict[str, Any]:
        nonlocal pulled
        pulled += 1
        return {"type": "http.request", "body": b"x" * CHUNK, "more_body": pulled < chunks}

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "POST",
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "query_string": b"",
        "root_path": "",
        "headers": [
            (b"host", b"testserver"),
            (b"content-type", b"application/json"),
            (b"transfer-encoding", b"chunked"),
        ],
        "client": ("192.0.2.5", 50000),
        "server": ("testserver", 80),
    }
    # A thread of its own: the browser tests' Playwright keeps an event loop running in this
    # one for the whole session, and asyncio.run refuses to start inside it.
    with ThreadPoolExecutor(max_workers=1) as thread:
        thread.submit(asyncio.run, app(scope, receive, send)).result()
    status = next(message["status"] for message in sent if message["type"] == "http.response.start")
    body = b"".join(
        message.get("body", b"") for message in sent if message["type"] == "http.response.body"
    )
    return status, body, pulled


def test_a_chunked_body_is_refused_as_soon_as_it_grows_past_the_limit(app):
    """A 64 MB upload stops being read a little past 1 MB, instead of filling memory."""
    status, body, pulled = send_chunked(app, "/api/v1/auth/login", 64 * 1024 * 1024 // CHUNK)
    assert status == 413
    assert b"1 MB" in body
    assert pulled == DEFAULT_MAX_BODY_BYTES // CHUNK + 1


def test_a_chunked_body_within_the_limit_is_read_whole(app):
    status, _, pulled = send_chunked(app, "/api/v1/auth/login", 3)
    assert status == 422  # read to the end, then found not to be JSON
    assert pulled == 3

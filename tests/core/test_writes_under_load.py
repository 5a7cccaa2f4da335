"""Many people saving at once: each write waits its turn briefly, or is refused cleanly."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlmodel import select

import app.core.db as db_module
from app.models.progress import SectionProgress

# Really commits: many writers at once, each on its own connection.
pytestmark = pytest.mark.commits

COMPLETE = "/api/v1/modules/asking-basics/sections/{section}/complete"


@pytest.fixture
def sqlite_only(app: FastAPI) -> None:
    if app.state.engine.dialect.name != "sqlite":
        pytest.skip("the writer queue is SQLite's; PostgreSQL writes rows concurrently")


@pytest.mark.usefixtures("sqlite_only")
def test_a_write_that_cannot_start_in_time_gets_503_with_retry_after_and_saves_nothing(
    app: FastAPI, practitioner_client: TestClient, rows, monkeypatch
):
    monkeypatch.setattr(db_module, "WRITE_LOCK_WAIT_SECONDS", 0.2)
    writer = db_module.sqlite_writer(app.state.engine)
    other_writer = object()
    writer.acquire(other_writer)  # someone else's long write
    try:
        response = practitioner_client.post(COMPLETE.format(section="why-ask"))
    finally:
        writer.release(other_writer)
    assert response.status_code == 503
    assert response.headers["Retry-After"] == "2"
    assert "what you have saved is safe" in response.json()["detail"]
    assert "What you just sent was not saved" in response.json()["detail"]
    assert rows(select(SectionProgress)) == []
    # Once the other write is done, the same request goes through.
    assert practitioner_client.post(COMPLETE.format(section="why-ask")).status_code == 200
    assert len(rows(select(SectionProgress))) == 1


@pytest.mark.usefixtures("sqlite_only")
def test_the_refusal_is_a_page_with_the_same_words_for_a_person(
    app: FastAPI, practitioner_client: TestClient, monkeypatch
):
    monkeypatch.setattr(db_module, "WRITE_LOCK_WAIT_SECONDS", 0.2)
    page = practitioner_client.get("/modules/asking-basics/sections/why-ask")
    token = page.text.split('name="csrf_token" value="')[1].split('"')[0]
    writer = db_module.sqlite_writer(app.state.engine)
    other_writer = object()
    writer.acquire(other_writer)
    try:
        response = practitioner_client.post(
            "/modules/asking-basics/sections/why-ask/complete",
            data={"csrf_token": token},
            headers={"Accept": "text/html"},
        )
    finally:
        writer.release(other_writer)
    assert response.status_code == 503
    assert response.headers["Retry-After"] == "2"
    assert "What you just sent was not saved" in response.text


def test_writes_sent_together_all_land_and_none_fails(app: FastAPI, make_user, rows):
    """Eight people finish a section at the same moment: every write is kept."""
    from tests.conftest import api_login

    clients = []
    for _ in range(8):  # within the sign-in limit for one address
        client = TestClient(app, base_url="http://testserver")
        api_login(client, make_user())
        clients.append(client)
    start = threading.Barrier(len(clients))

    def finish(client: TestClient) -> int:
        start.wait()
        return client.post(COMPLETE.format(section="why-ask")).status_code

    with ThreadPoolExecutor(len(clients)) as pool:
        statuses = list(pool.map(finish, clients))
    assert statuses == [200] * len(clients)
    assert len(rows(select(SectionProgress))) == len(clients)

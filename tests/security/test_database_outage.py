"""When the database stops answering, people get a 503 to retry, not a 500."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from app.core.db import make_engine
from app.main import create_app
from tests.conftest import make_settings


@pytest.fixture
def app_without_its_database(
    request: pytest.FixtureRequest, database_url: str, tmp_path: Path
) -> Iterator[FastAPI]:
    """A working app whose database then goes away: a closed port, or a file it cannot open."""
    app = create_app(make_settings(database_url))
    app.state.engine.dispose()
    if request.config.getoption("--db") == "postgresql":
        gone = "postgresql+psycopg://askwell@127.0.0.1:9/askwell?connect_timeout=2"
    else:
        gone = f"sqlite:///{tmp_path}"  # a folder, which SQLite cannot open as a database
    app.state.engine = make_engine(gone)
    yield app
    app.state.engine.dispose()


def test_a_page_says_askwell_is_unavailable_and_when_to_retry(app_without_its_database):
    with TestClient(app_without_its_database, raise_server_exceptions=False) as client:
        client.cookies.set("askwell_session", "some-session")
        page = client.get("/modules")
    assert page.status_code == 503
    assert page.headers["Retry-After"].isdigit()
    assert "Askwell is not available right now" in page.text
    assert "Nothing you saved" in page.text


def test_the_api_answers_503_with_a_detail_and_retry_after(app_without_its_database):
    with TestClient(app_without_its_database, raise_server_exceptions=False) as client:
        response = client.post(
            "/api/v1/auth/login", json={"email": "a@askwell.test", "password": "whatever"}
        )
        client.cookies.set("askwell_session", "some-session")
        me = client.get("/api/v1/me")
    assert response.status_code == 503
    assert "database" in response.json()["detail"]
    assert int(response.headers["Retry-After"]) > 0
    assert me.status_code == 503

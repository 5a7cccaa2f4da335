"""PostgreSQL stops under a running Askwell and starts again: people get a friendly 503
meanwhile, /healthz says so within a second, and everything works again with no restart."""

from __future__ import annotations

import time

import httpx2 as httpx
import pytest

from app.auth import service as auth_service
from app.auth.passwords import Passwords
from app.core.config import PasswordHashProfile
from app.core.db import session_scope
from app.core.migrations import upgrade
from app.main import create_app
from app.models.users import Role
from tests.conftest import TEST_PASSWORD, make_settings
from tests.live_server import serve_in_thread
from tests.pg_cluster import throwaway_cluster

# Really commits: the database is restarted under running requests.
pytestmark = pytest.mark.commits

pytestmark = pytest.mark.postgresql

EMAIL = "practitioner@askwell.test"


def _healthz(client: httpx.Client) -> tuple[httpx.Response, float]:
    started = time.monotonic()
    response = client.get("/healthz")
    return response, time.monotonic() - started


def test_a_database_restart_is_a_friendly_503_and_then_askwell_carries_on():
    with throwaway_cluster() as cluster:
        url = cluster.create_database("askwell")
        upgrade(url)
        app = create_app(make_settings(url))
        with session_scope(app.state.engine) as session:
            auth_service.create_user(
                session,
                Passwords(PasswordHashProfile.fast),
                email=EMAIL,
                password=TEST_PASSWORD,
                display_name="Pat Practitioner",
                roles=[Role.practitioner],
            )
        try:
            with (
                serve_in_thread(app) as base_url,
                httpx.Client(base_url=base_url, timeout=15) as client,
            ):
                signed_in = client.post(
                    "/api/v1/auth/login", json={"email": EMAIL, "password": TEST_PASSWORD}
                )
                assert signed_in.status_code == 200, signed_in.text
                assert client.get("/modules").status_code == 200

                cluster.stop()
                health, seconds = _healthz(client)
                assert health.status_code == 503
                assert health.json()["reason"] == "Askwell cannot reach its database"
                assert seconds < 1.5
                page = client.get("/modules")
                assert page.status_code == 503
                assert "can\u2019t reach its database just now" in page.text
                assert "what you have saved is safe" in page.text
                assert "Pat Practitioner" not in page.text  # drawn without looking anyone up
                assert 1 <= int(page.headers["Retry-After"]) <= 10
                api = client.get("/api/v1/me")
                assert api.status_code == 503
                assert set(api.json()) == {"detail"}

                cluster.start()
                deadline = time.monotonic() + 15
                while (health := _healthz(client)[0]).status_code != 200:
                    assert time.monotonic() < deadline, health.text
                    time.sleep(0.2)
                again = client.get("/modules")
                assert again.status_code == 200
                assert "Pat Practitioner" in again.text  # the same sign-in, still valid
                assert client.get("/api/v1/me").json()["email"] == EMAIL
        finally:
            app.state.engine.dispose()

"""Two Askwell servers on one PostgreSQL database behind a round-robin proxy: whichever
server a request reaches, people see one Askwell."""

from __future__ import annotations

import re
import secrets
import time

import httpx2 as httpx
import pytest

from app.models.users import Role
from tests.conftest import FIXTURE_MODULES
from tests.live_server import askwell_servers
from tests.scenarios.conftest import scenario_body

# Really commits: two Askwell processes of their own share the database.
pytestmark = [pytest.mark.postgresql, pytest.mark.commits]

SIGN_IN_LIMIT = 5
MODULE = "/modules/asking-basics"


class Browser:
    """One person's browser: one cookie jar, one address, whichever server answers."""

    def __init__(self, servers: list[str], address: str) -> None:
        self.servers = servers
        self.client = httpx.Client(timeout=15, headers={"X-Forwarded-For": address})
        self.turn = 0

    def at(self, server: int, method: str, path: str, **kwargs) -> httpx.Response:
        return self.client.request(method, self.servers[server] + path, **kwargs)

    def next(self, method: str, path: str, **kwargs) -> httpx.Response:
        """As a round-robin proxy sends it: to each server in turn."""
        self.turn += 1
        return self.at(self.turn % len(self.servers), method, path, **kwargs)

    def sign_in(self, server: int, account) -> None:
        response = self.at(
            server,
            "POST",
            "/api/v1/auth/login",
            json={"email": account.email, "password": account.password},
        )
        assert response.status_code == 200, response.text
        self.client.headers["X-CSRF-Token"] = response.json()["csrf_token"]


@pytest.fixture
def servers(database_url, tmp_path):
    environment = {
        "ASKWELL_DATABASE_URL": database_url,
        "ASKWELL_MODULES_DIR": str(FIXTURE_MODULES),
        "ASKWELL_PASSWORD_HASH_PROFILE": "fast",
        "ASKWELL_SECRET_KEY": secrets.token_urlsafe(48),  # one key, shared, as in production
        "ASKWELL_TRUSTED_PROXIES": "127.0.0.1",  # the "proxy" says who each person is
        "ASKWELL_LOGIN_ATTEMPTS_PER_MINUTE": str(SIGN_IN_LIMIT),
        "ASKWELL_ENV": "development",
    }
    with askwell_servers(2, environment, tmp_path) as urls:
        yield urls


A, B = 0, 1


def csrf_token(html: str) -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert found, "no form on the page"
    return found.group(1)


def test_two_servers_behind_round_robin_serve_one_askwell(servers, make_user):
    started = time.monotonic()
    practitioner = make_user(Role.practitioner, name="Pat Practitioner")
    codesigner = make_user(Role.codesigner)
    trainer_account = make_user(Role.trainer)
    target = make_user(Role.practitioner)  # whose password someone is guessing
    pat = Browser(servers, "192.0.2.10")
    young = Browser(servers, "192.0.2.11")
    trainer = Browser(servers, "192.0.2.12")
    stranger = Browser(servers, "198.51.100.7")

    # A sign-in form from A, sent to B: the pre-session CSRF token and cookie hold there.
    token = csrf_token(pat.at(A, "GET", "/sign-in").text)
    signed_in = pat.at(
        B,
        "POST",
        "/sign-in",
        data={"csrf_token": token, "email": practitioner.email, "password": practitioner.password},
    )
    assert signed_in.status_code == 303, signed_in.text
    # The session made on B works on A, and each page is the same person's.
    assert "Pat Practitioner" in pat.at(A, "GET", "/modules").text
    assert pat.at(B, "GET", "/api/v1/me").json()["email"] == practitioner.email

    # A token minted by A is accepted by B; a wrong one is refused there, so that means something.
    trainer.sign_in(A, trainer_account)
    made = trainer.at(B, "POST", "/api/v1/cohorts", json={"name": "Made on B"})
    assert made.status_code == 201, made.text
    forged = trainer.at(
        B, "POST", "/api/v1/cohorts", json={"name": "x"}, headers={"X-CSRF-Token": "forged"}
    )
    assert forged.status_code == 403
    assert "Made on B" in {
        cohort["name"] for cohort in trainer.at(A, "GET", "/api/v1/cohorts").json()
    }

    # Published through A, shown by B (and by A); B has already drawn the page once.
    young.sign_in(A, codesigner)
    assert 'id="young-scenario-' not in pat.at(B, "GET", MODULE).text
    scenario_id = young.at(A, "POST", "/api/v1/scenarios", json=scenario_body()).json()["id"]
    for step, body in (
        ("claim", None),
        (
            "decision",
            {
                "decision": "accept",
                "note": "Thank you.",
                "published_title": "Show me your feed",
                "published_text": "My nurse asked to see my feed. It felt like she was interested.",
            },
        ),
        ("publish", None),
    ):
        done = trainer.at(A, "POST", f"/api/v1/review/scenarios/{scenario_id}/{step}", json=body)
        assert done.status_code == 200, done.text
    shown = f'id="young-scenario-{scenario_id}"'
    assert shown in pat.at(B, "GET", MODULE).text
    assert shown in pat.at(A, "GET", MODULE).text

    # Withdrawn on A, gone on B at once.
    withdrawn = young.at(A, "POST", f"/api/v1/scenarios/{scenario_id}/withdraw")
    assert withdrawn.status_code == 200, withdrawn.text
    assert shown not in pat.at(B, "GET", MODULE).text
    assert young.at(B, "GET", f"/api/v1/scenarios/{scenario_id}").json()["status"] == "withdrawn"

    # Progress saved through one server is read back through the other at once; the CSRF
    # token comes from a page A drew for the sign-in B made.
    pat.client.headers["X-CSRF-Token"] = csrf_token(pat.at(A, "GET", MODULE).text)
    for section in ("why-ask", "opening-questions", "following-up"):
        done = pat.next("POST", f"/api/v1/modules/asking-basics/sections/{section}/complete")
        assert done.status_code == 200, done.text
        progress = pat.next("GET", "/api/v1/me/progress").json()
        read_back = next(p for p in progress if p["slug"] == "asking-basics")
        assert read_back["percent"] == done.json()["percent"] > 0

    # Wrong passwords sent to A and B in turn: neither server alone has seen the limit, but
    # together they have, so the next attempt on either is refused even with the right one.
    for _ in range(SIGN_IN_LIMIT):
        wrong = stranger.next(
            "POST", "/api/v1/auth/login", json={"email": target.email, "password": "nope"}
        )
        assert wrong.status_code == 401
    for server in (A, B):
        refused = stranger.at(
            server,
            "POST",
            "/api/v1/auth/login",
            json={"email": target.email, "password": target.password},
        )
        assert refused.status_code == 429

    assert time.monotonic() - started < 30

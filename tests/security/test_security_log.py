"""Security events reach the logs as JSON lines; what people type never reaches the logs."""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime

import pytest
from fastapi.testclient import TestClient

from app.core.security_log import SECURITY_LOGGER, JsonLineFormatter
from app.models.users import Role
from app.reflections.service import prompt_key
from tests.conftest import TEST_PASSWORD, api_login

CANARY = "canary-7f3e-yellowbird"
REFLECTION_PROMPT = "What do you know about the games the young people you see play?"
# The test client's own request lines are the caller's logs, not Askwell's.
CLIENT_LOGGERS = ("httpx", "httpcore", "asyncio")


@pytest.fixture
def browser_for(app):
    clients: list[TestClient] = []

    def _browser() -> TestClient:
        client = TestClient(app, base_url="http://testserver")
        client.__enter__()
        clients.append(client)
        return client

    yield _browser
    for client in clients:
        client.__exit__(None, None, None)


def security_lines(records: list[logging.LogRecord]) -> list[dict]:
    formatter = JsonLineFormatter()
    return [json.loads(formatter.format(r)) for r in records if r.name == SECURITY_LOGGER]


def everything_logged(records: list[logging.LogRecord]) -> str:
    """Every record as a handler could write it: message, arguments, fields and traceback."""
    formatter = JsonLineFormatter()
    parts = []
    for record in records:
        if record.name.startswith(CLIENT_LOGGERS):
            continue
        parts += [record.getMessage(), repr(record.args), formatter.format(record)]
        parts += [repr(vars(record))]
    return "\n".join(parts)


def test_sign_ins_failures_and_refusals_are_json_lines_with_utc_times(
    caplog, browser_for, make_user
):
    caplog.set_level(logging.DEBUG)
    account = make_user(Role.practitioner)
    client = browser_for()
    api_login(client, account)
    refused = client.put(
        "/api/v1/me/reflections/second-module",
        json={"answers": {}},
        headers={"X-CSRF-Token": "forged"},
    )
    assert refused.status_code == 403
    stranger = browser_for()
    assert (
        stranger.post(
            "/api/v1/auth/login", json={"email": account.email, "password": "not-the-password"}
        ).status_code
        == 401
    )
    forbidden = client.get("/api/v1/review/asks")
    assert forbidden.status_code == 403

    lines = security_lines(caplog.records)
    events = [line["event"] for line in lines]
    assert "sign_in.succeeded" in events
    assert "sign_in.failed" in events
    assert "csrf.refused" in events
    assert events.count("request.forbidden") == 2  # the forged token and the trainer's page
    for line in lines:
        assert datetime.fromisoformat(line["time"]).utcoffset() == UTC.utcoffset(None)
    succeeded = next(line for line in lines if line["event"] == "sign_in.succeeded")
    assert succeeded["user_id"] == account.id
    failed = next(line for line in lines if line["event"] == "sign_in.failed")
    assert failed["known"] is True
    assert account.email not in json.dumps(lines)
    assert "not-the-password" not in everything_logged(caplog.records)
    assert TEST_PASSWORD not in everything_logged(caplog.records)


def test_too_many_sign_ins_are_logged_as_rate_limited(caplog, browser_for, settings):
    caplog.set_level(logging.INFO)
    client = browser_for()
    for _ in range(settings.login_attempts_per_minute + 1):
        last = client.post(
            "/api/v1/auth/login", json={"email": "who@askwell.test", "password": "guess-guess"}
        )
    assert last.status_code == 429
    events = [line["event"] for line in security_lines(caplog.records)]
    assert events.count("sign_in.failed") == settings.login_attempts_per_minute
    assert events[-1] == "request.rate_limited"


def test_a_canary_typed_everywhere_never_reaches_any_log(caplog, browser_for, make_user):
    caplog.set_level(logging.DEBUG)
    codesigner = make_user(Role.codesigner)
    trainer = make_user(Role.trainer)
    practitioner = make_user(Role.practitioner)
    young, reviewer, learner = browser_for(), browser_for(), browser_for()
    for client, account in ((young, codesigner), (reviewer, trainer), (learner, practitioner)):
        api_login(client, account)

    words = f"{CANARY} happened to me"
    sent = young.post(
        "/api/v1/scenarios",
        json={
            "title": CANARY,
            "what_happened": words,
            "what_was_said": words,
            "how_it_felt": words,
            "what_would_help": words,
            "platforms": ["TikTok"],
            "topics": ["asking"],
            "content_warning": CANARY,
            "credit": "pseudonym",
            "credit_name": CANARY[:20],
            "consent_to_quote": True,
        },
    )
    assert sent.status_code == 201, sent.text
    scenario_id = sent.json()["id"]
    # The same words refused: without a CSRF token, and too long to save.
    assert (
        young.post(
            "/api/v1/scenarios", json={"title": CANARY}, headers={"X-CSRF-Token": "x"}
        ).status_code
        == 403
    )
    assert young.post("/api/v1/scenarios", json={"title": CANARY * 2000}).status_code == 422
    rating = young.put(
        "/api/v1/modules/asking-basics/asks/curiosity/rating",
        json={"verdict": "no", "comment": CANARY},
    )
    assert rating.status_code == 200, rating.text
    reflection = learner.put(
        "/api/v1/me/reflections/second-module",
        json={"answers": {prompt_key(REFLECTION_PROMPT): CANARY}},
    )
    assert reflection.status_code == 200, reflection.text
    assert CANARY in reviewer.get(f"/api/v1/review/scenarios/{scenario_id}").text
    assert CANARY in reviewer.get("/api/v1/review/asks").text
    assert learner.get("/api/v1/me/record").status_code == 200
    assert learner.get("/api/v1/search", params={"q": CANARY}).status_code == 200
    assert (
        browser_for()
        .post("/api/v1/auth/login", json={"email": codesigner.email, "password": CANARY})
        .status_code
        == 401
    )

    assert any(r.name == SECURITY_LOGGER for r in caplog.records)
    assert CANARY[:20] not in everything_logged(caplog.records)

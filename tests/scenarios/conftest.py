"""Co-designers, trainers and their scenarios, each user in a browser (TestClient) of their own."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from html import unescape
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from app.models.users import Role
from tests.conftest import Account, api_login


def scenario_body(**overrides: Any) -> dict[str, Any]:
    """A complete scenario, free of personal details, that can be sent for review."""
    body: dict[str, Any] = {
        "title": "When my nurse asked about my phone",
        "what_happened": "I had been up late every night watching videos.",
        "what_was_said": "She asked me to show her what my feed looks like.",
        "how_it_felt": "Like she was interested, not judging me.",
        "what_would_help": "Asking which apps and how, not only how long.",
        "platforms": ["TikTok"],
        "topics": ["asking"],
        "content_warning": "",
        "credit": "none",
        "credit_name": "",
        "consent_to_quote": True,
    }
    body.update(overrides)
    return body


@pytest.fixture
def signed_in(app: FastAPI) -> Iterator[Callable[[Account], TestClient]]:
    """A separate signed-in API client per person, so several can act in one test."""
    clients: list[TestClient] = []

    def _client(account: Account) -> TestClient:
        client = TestClient(app, base_url="http://testserver")
        client.__enter__()
        clients.append(client)
        api_login(client, account)
        return client

    yield _client
    for client in clients:
        client.__exit__(None, None, None)


@pytest.fixture
def codesigner(make_user: Callable[..., Account]) -> Account:
    return make_user(Role.codesigner, name="Young Person")


@pytest.fixture
def trainer(make_user: Callable[..., Account]) -> Account:
    return make_user(Role.trainer, name="Tess Trainer")


@pytest.fixture
def young(signed_in: Callable[[Account], TestClient], codesigner: Account) -> TestClient:
    return signed_in(codesigner)


@pytest.fixture
def reviewer(signed_in: Callable[[Account], TestClient], trainer: Account) -> TestClient:
    return signed_in(trainer)


def send(client: TestClient, **overrides: Any) -> dict[str, Any]:
    response = client.post("/api/v1/scenarios", json=scenario_body(**overrides))
    assert response.status_code == 201, response.text
    return response.json()


def publish(young: TestClient, reviewer: TestClient, **overrides: Any) -> int:
    """A scenario sent, claimed, accepted with an anonymised text, and published."""
    scenario_id = send(young, **overrides)["id"]
    assert reviewer.post(f"/api/v1/review/scenarios/{scenario_id}/claim").status_code == 200
    decision = reviewer.post(
        f"/api/v1/review/scenarios/{scenario_id}/decision",
        json={
            "decision": "accept",
            "note": "Thank you.",
            "published_title": "Show me your feed",
            "published_text": "My nurse asked to see my feed. It felt like she was interested.",
        },
    )
    assert decision.status_code == 200, decision.text
    assert reviewer.post(f"/api/v1/review/scenarios/{scenario_id}/publish").status_code == 200
    return scenario_id


def error_beside(html: str, field: str) -> str | None:
    """The error a page shows beside a form field (NHS.UK: the field's ``-error`` message)."""
    found = re.search(
        rf'id="{re.escape(field)}-error"><span class="nhsuk-u-visually-hidden">Error:</span>'
        r"(.*?)</span>",
        html,
        re.DOTALL,
    )
    return unescape(found.group(1)).strip() if found else None

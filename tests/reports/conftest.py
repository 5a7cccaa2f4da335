"""Trainers, practitioners in cohorts, and clients signed in as each."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from app.models.users import Role
from tests.conftest import api_login

SECTIONS = ["why-ask", "opening-questions", "following-up"]
RIGHT_ANSWERS = {"q1": ["b"], "q2": ["a", "b"], "q3": ["b"]}


def signed_in(app, account) -> TestClient:
    """A separate browser for each person, so several can act in one test."""
    client = TestClient(app, base_url="http://testserver")
    api_login(client, account)
    return client


def form_token(html: str) -> str:
    match = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert match, "the page has no CSRF field"
    return match.group(1)


def complete_module(client: TestClient, slug: str = "asking-basics") -> None:
    for section in SECTIONS:
        client.post(f"/api/v1/modules/{slug}/sections/{section}/complete")
    response = client.post(f"/api/v1/modules/{slug}/attempts", json={"answers": RIGHT_ANSWERS})
    assert response.status_code == 201


@pytest.fixture
def trainer(make_user):
    return make_user(Role.trainer, name="Tess Trainer")


@pytest.fixture
def trainer_client(app, trainer):
    with signed_in(app, trainer) as client:
        yield client


def create_cohort(client: TestClient, name: str = "CAMHS North, 2027 intake") -> int:
    response = client.post("/api/v1/cohorts", json={"name": name})
    assert response.status_code == 201, response.text
    return response.json()["id"]

"""The public JSON API v1 (DESIGN.md §4) is stable: every route in it exists, with its method.

Removing or renaming one of these is a breaking change for API clients; this test
makes it a deliberate one.
"""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

PUBLIC_API_V1 = [
    ("POST", "/api/v1/auth/login"),
    ("POST", "/api/v1/auth/logout"),
    ("GET", "/api/v1/me"),
    ("GET", "/api/v1/modules"),
    ("GET", "/api/v1/modules/{slug}"),
    ("POST", "/api/v1/modules/{slug}/sections/{section_id}/complete"),
    ("POST", "/api/v1/modules/{slug}/attempts"),
    ("GET", "/api/v1/me/progress"),
    ("POST", "/api/v1/scenarios"),
    ("GET", "/api/v1/scenarios/mine"),
    ("GET", "/api/v1/scenarios/{scenario_id}"),
    ("PUT", "/api/v1/scenarios/{scenario_id}"),
    ("POST", "/api/v1/scenarios/{scenario_id}/withdraw"),
    ("GET", "/api/v1/review/scenarios"),
    ("POST", "/api/v1/review/scenarios/{scenario_id}/decision"),
    ("POST", "/api/v1/cohorts"),
    ("POST", "/api/v1/cohorts/{cohort_id}/members"),
    ("POST", "/api/v1/cohorts/{cohort_id}/assignments"),
    ("GET", "/api/v1/reports/completion"),
    ("GET", "/reports/completion.csv"),
    ("GET", "/whats-new.atom"),
    ("GET", "/healthz"),
]


def normalise(path: str) -> str:
    """Parameter names are ours to choose; their places are the contract."""
    parts = path.split("/")
    return "/".join("{}" if part.startswith("{") else part for part in parts)


@pytest.fixture(scope="module")
def documented(app) -> set[tuple[str, str]]:
    with TestClient(app) as client:
        paths = client.get("/api/openapi.json").json()["paths"]
    return {(method.upper(), normalise(path)) for path, item in paths.items() for method in item}


@pytest.mark.parametrize(
    ("method", "path"), [row for row in PUBLIC_API_V1 if row[1].startswith("/api/")]
)
def test_every_public_api_route_is_served_and_documented(documented, method, path):
    assert (method, normalise(path)) in documented, f"{method} {path} is part of API v1"


def test_the_feed_the_export_and_the_health_check_answer(client):
    assert client.get("/healthz").status_code == 200
    feed = client.get("/whats-new.atom")
    assert feed.status_code == 200 and feed.headers["content-type"].startswith(
        "application/atom+xml"
    )
    export = client.get("/reports/completion.csv", follow_redirects=False)
    assert export.status_code == 303 and export.headers["location"].startswith("/sign-in")


def test_errors_are_always_a_detail(app, practitioner_client):
    with TestClient(app) as anonymous:
        signed_out = anonymous.get("/api/v1/me")
    for response in (
        signed_out,
        practitioner_client.get("/api/v1/modules/not-a-module"),
        practitioner_client.post("/api/v1/modules/asking-basics/attempts", json={"answers": {}}),
        practitioner_client.get("/api/v1/review/scenarios"),
    ):
        assert response.status_code >= 400
        assert set(response.json()) == {"detail"}, response.text

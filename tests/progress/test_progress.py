"""Sections done, module completion, resuming, and status over time."""

from __future__ import annotations

from datetime import timedelta

import time_machine

from tests.conftest import api_login

SECTIONS = ["why-ask", "opening-questions", "following-up"]
RIGHT_ANSWERS = {"q1": ["b"], "q2": ["a", "b"], "q3": ["b"]}


def progress_of(client, slug="asking-basics"):
    return {item["slug"]: item for item in client.get("/api/v1/me/progress").json()}[slug]


def test_completing_a_section_returns_the_module_progress(practitioner_client):
    response = practitioner_client.post("/api/v1/modules/asking-basics/sections/why-ask/complete")
    assert response.status_code == 200
    body = response.json()
    assert body["slug"] == "asking-basics" and body["status"] == "in_progress"
    assert body["percent"] == 25  # one of three sections and the quiz


def test_completing_a_section_twice_counts_once(practitioner_client):
    for _ in range(2):
        practitioner_client.post("/api/v1/modules/asking-basics/sections/why-ask/complete")
    assert progress_of(practitioner_client)["percent"] == 25


def test_unknown_section_is_404(practitioner_client):
    response = practitioner_client.post("/api/v1/modules/asking-basics/sections/nope/complete")
    assert response.status_code == 404


def test_module_completes_when_every_section_is_done_and_the_quiz_passed(practitioner_client):
    practitioner_client.post(
        "/api/v1/modules/asking-basics/attempts", json={"answers": RIGHT_ANSWERS}
    )
    assert progress_of(practitioner_client)["status"] == "in_progress"
    for section in SECTIONS:
        practitioner_client.post(f"/api/v1/modules/asking-basics/sections/{section}/complete")
    progress = progress_of(practitioner_client)
    assert progress["status"] == "completed" and progress["percent"] == 100
    assert progress["completed_at"] is not None
    assert progress["refresh_due"] is not None


def test_progress_is_kept_across_sign_out_and_sign_in(client, practitioner):
    api_login(client, practitioner)
    client.post("/api/v1/modules/asking-basics/sections/why-ask/complete")
    client.post("/api/v1/auth/logout")
    api_login(client, practitioner)
    assert progress_of(client)["percent"] == 25


def test_completed_module_becomes_due_for_refresh(client, practitioner):
    with time_machine.travel("2026-01-10 10:00:00Z", tick=False) as clock:
        api_login(client, practitioner)
        for section in SECTIONS:
            client.post(f"/api/v1/modules/asking-basics/sections/{section}/complete")
        client.post("/api/v1/modules/asking-basics/attempts", json={"answers": RIGHT_ANSWERS})
        assert progress_of(client)["refresh_due"] == "2027-01-10"
        clock.shift(timedelta(days=364))
        api_login(client, practitioner)
        assert progress_of(client)["status"] == "completed"
        clock.shift(timedelta(days=1))
        api_login(client, practitioner)
        assert progress_of(client)["status"] == "due_for_refresh"
        assert progress_of(client)["percent"] == 100


def test_all_on_one_page_shows_every_section(practitioner_client):
    page = practitioner_client.get("/modules/asking-basics/all").text
    for title in ("Why ask", "Opening questions", "Following up"):
        assert title in page


def test_passing_again_before_a_refresh_is_due_records_no_second_completion(
    client, practitioner, rows
):
    from sqlmodel import select

    from app.models.progress import Completion

    with time_machine.travel("2026-01-10 10:00:00Z", tick=False) as clock:
        api_login(client, practitioner)
        for section in SECTIONS:
            client.post(f"/api/v1/modules/asking-basics/sections/{section}/complete")
        client.post("/api/v1/modules/asking-basics/attempts", json={"answers": RIGHT_ANSWERS})
        clock.shift(timedelta(days=30))
        api_login(client, practitioner)
        client.post("/api/v1/modules/asking-basics/attempts", json={"answers": RIGHT_ANSWERS})
        assert len(rows(select(Completion))) == 1
        clock.shift(timedelta(days=400))
        api_login(client, practitioner)
        assert progress_of(client)["status"] == "due_for_refresh"
        client.post("/api/v1/modules/asking-basics/attempts", json={"answers": RIGHT_ANSWERS})
        assert progress_of(client)["status"] == "completed"
        assert len(rows(select(Completion))) == 2

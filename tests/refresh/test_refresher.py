"""The five-minute refresher: questions from completed modules, scheduled by FSRS."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import time_machine
from fastapi.testclient import TestClient
from sqlmodel import select

from app.models.refresh import RefresherCard
from tests.auth.test_pages_and_csrf import form_token
from tests.conftest import api_login
from tests.refresh.conftest import ASKING, RIGHT_ANSWERS, complete_asking_basics

START = "2026-03-02 09:00:00Z"


def answer(client, session_id, question, right: bool):
    chosen = RIGHT_ANSWERS[question["id"]] if right else ["c" if question["id"] == "q2" else "a"]
    response = client.post(
        f"/api/v1/me/refresher/sessions/{session_id}/answers",
        json={"module_slug": ASKING, "question_id": question["id"], "answer": chosen},
    )
    assert response.status_code == 200, response.text
    return response.json()


def test_nothing_is_offered_before_a_module_is_completed(practitioner_client):
    overview = practitioner_client.get("/api/v1/me/refresher").json()
    assert overview == {"completed_modules": 0, "due_now": 0, "next_worth_at": None}
    assert practitioner_client.post("/api/v1/me/refresher/sessions").status_code == 409
    assert "When you complete a module" in practitioner_client.get("/refresh").text


def test_questions_come_back_the_day_after_completing(client, practitioner):
    with time_machine.travel(START, tick=False) as clock:
        api_login(client, practitioner)
        complete_asking_basics(client)
        overview = client.get("/api/v1/me/refresher").json()
        assert overview["due_now"] == 0
        assert overview["next_worth_at"].startswith("2026-03-03T09:00")
        clock.shift(timedelta(days=1))
        api_login(client, practitioner)
        assert client.get("/api/v1/me/refresher").json()["due_now"] == 3


def test_missed_questions_come_back_sooner_than_known_ones(client, practitioner, rows):
    with time_machine.travel(START, tick=False) as clock:
        api_login(client, practitioner)
        complete_asking_basics(client)
        clock.shift(timedelta(days=2))
        api_login(client, practitioner)
        sitting = client.post("/api/v1/me/refresher/sessions").json()
        first = sitting["question"]["question"]
        missed = answer(client, sitting["id"], first, right=False)
        assert missed["correct"] is False
        assert missed["feedback"] and missed["key_points_url"] == f"/modules/{ASKING}/key-points"
        second = client.get(f"/api/v1/me/refresher/sessions/{sitting['id']}").json()["question"]
        known = answer(client, sitting["id"], second["question"], right=True)
        assert known["correct"] is True
        missed_due = datetime.fromisoformat(missed["next_due_at"])
        known_due = datetime.fromisoformat(known["next_due_at"])
        now = datetime(2026, 3, 4, 9, tzinfo=UTC)
        assert missed_due - now <= timedelta(days=1)
        assert known_due - now >= timedelta(days=2)
        assert known_due > missed_due

        # Each card is a real fsrs Card, and the schedule moves on with time.
        cards = rows(select(RefresherCard).where(RefresherCard.user_id == practitioner.id))
        assert {card.question_id for card in cards} == {first["id"], second["question"]["id"]}
        assert all("stability" in json.loads(card.card) for card in cards)

        clock.shift(missed_due - now)
        api_login(client, practitioner)
        again = client.post("/api/v1/me/refresher/sessions").json()
        due_ids = {again["question"]["question"]["id"]}
        assert second["question"]["id"] not in due_ids


def test_a_sitting_stops_after_about_five_minutes(client, practitioner):
    with time_machine.travel(START, tick=False) as clock:
        api_login(client, practitioner)
        complete_asking_basics(client)
        clock.shift(timedelta(days=3))
        api_login(client, practitioner)
        sitting = client.post("/api/v1/me/refresher/sessions").json()
        answer(client, sitting["id"], sitting["question"]["question"], right=True)
        on_screen = client.get(f"/api/v1/me/refresher/sessions/{sitting['id']}").json()
        clock.shift(timedelta(minutes=5, seconds=1))
        api_login(client, practitioner)
        late = answer(client, sitting["id"], on_screen["question"]["question"], right=False)
        assert late["correct"] is False and late["feedback"]
        view = client.get(f"/api/v1/me/refresher/sessions/{sitting['id']}").json()
        assert view["finished"] is True and view["question"] is None
        assert view["answered"] == 2
        page = client.get(f"/refresh/sessions/{sitting['id']}").text
        assert "about 5 minutes" in page and "When to come back" in page


def test_a_sitting_stops_at_ten_questions(tmp_path: Path, app_for, make_user):
    modules = tmp_path / "modules"
    modules.mkdir()
    (modules / "sources.yml").write_text(
        (Path(__file__).parents[1] / "fixtures/modules/sources.yml").read_text()
    )
    questions = "".join(
        f"""- id: q{number}
  type: true_false
  prompt: Statement number {number} is true.
  options:
    - text: "True"
      correct: true
      feedback: It is.
    - text: "False"
      feedback: It is not.
"""
        for number in range(1, 13)
    )
    (modules / "many-questions.md").write_text(
        f"""---
slug: many-questions
title: "Many questions"
kind: module
summary: Twelve questions.
topics: [asking]
version: 1
updated: 2026-01-01
sources: [derges-2023]
co_designed: Young people's words.
changelog:
  - {{version: 1, date: 2026-01-01, major: true, summary: "First published"}}
---

## Only section

Text.

## Check your understanding

```quiz
{questions}```
"""
    )
    account = make_user()
    with (
        time_machine.travel(START, tick=False) as clock,
        TestClient(app_for(modules)) as client,
    ):
        api_login(client, account)
        client.post("/api/v1/modules/many-questions/sections/only-section/complete")
        client.post(
            "/api/v1/modules/many-questions/attempts",
            json={"answers": {f"q{n}": ["a"] for n in range(1, 13)}},
        )
        clock.shift(timedelta(days=2))
        api_login(client, account)
        sitting = client.post("/api/v1/me/refresher/sessions").json()
        for _ in range(10):
            view = client.get(f"/api/v1/me/refresher/sessions/{sitting['id']}").json()
            question = view["question"]
            client.post(
                f"/api/v1/me/refresher/sessions/{sitting['id']}/answers",
                json={
                    "module_slug": "many-questions",
                    "question_id": question["question"]["id"],
                    "answer": ["a"],
                },
            )
        view = client.get(f"/api/v1/me/refresher/sessions/{sitting['id']}").json()
        assert view["finished"] is True and view["answered"] == 10
        late = client.post(
            f"/api/v1/me/refresher/sessions/{sitting['id']}/answers",
            json={"module_slug": "many-questions", "question_id": "q12", "answer": ["a"]},
        )
        assert late.status_code == 409
        assert client.get("/api/v1/me/refresher").json()["due_now"] == 2


def test_a_sitting_belongs_to_its_practitioner(client, practitioner, make_user):
    with time_machine.travel(START, tick=False) as clock:
        api_login(client, practitioner)
        complete_asking_basics(client)
        clock.shift(timedelta(days=2))
        api_login(client, practitioner)
        sitting = client.post("/api/v1/me/refresher/sessions").json()
        api_login(client, make_user())
        assert client.get(f"/api/v1/me/refresher/sessions/{sitting['id']}").status_code == 404
        assert client.get(f"/refresh/sessions/{sitting['id']}").status_code == 404


def test_the_page_flow_works_without_javascript_and_keeps_errors_readable(client, practitioner):
    with time_machine.travel(START, tick=False) as clock:
        api_login(client, practitioner)
        complete_asking_basics(client)
        clock.shift(timedelta(days=2))
        api_login(client, practitioner)
        hub = client.get("/refresh")
        assert "Start a 5-minute refresh" in hub.text
        started = client.post(
            "/refresh/sessions", data={"csrf_token": form_token(hub.text)}, follow_redirects=True
        )
        assert "Question 1 of up to 10" in started.text
        sitting_url = str(started.url.path)
        token = form_token(started.text)
        empty = client.post(
            f"{sitting_url}/answers",
            data={"csrf_token": token, "module_slug": ASKING, "question_id": "q1"},
        )
        assert empty.status_code == 400 and "Choose an answer." in empty.text
        feedback = client.post(
            f"{sitting_url}/answers",
            data={"csrf_token": token, "module_slug": ASKING, "question_id": "q1", "answer": "b"},
            follow_redirects=True,
        )
        assert "Right" in feedback.text
        assert f'href="/modules/{ASKING}/key-points"' in feedback.text
        stopped = client.post(
            f"{sitting_url}/finish", data={"csrf_token": token}, follow_redirects=True
        )
        assert "Refresh done" in stopped.text and "1 question" in stopped.text
        assert "streak" not in stopped.text.lower()
        key_points = client.get(f"/modules/{ASKING}/key-points").text
        assert "Ask which and how, not whether." in key_points

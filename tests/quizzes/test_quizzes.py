"""Taking quizzes: grading, feedback on every chosen and right option, bad input, races."""

from __future__ import annotations

import threading

import pytest
from fastapi.testclient import TestClient
from sqlmodel import select

from app.models.quizzes import QuizAnswer, QuizAttempt
from app.models.users import Role
from tests.auth.test_pages_and_csrf import form_token
from tests.conftest import api_login

RIGHT_ANSWERS = {"q1": ["b"], "q2": ["a", "b"], "q3": ["b"]}


def test_all_right_answers_pass_with_feedback_on_each(practitioner_client):
    response = practitioner_client.post(
        "/api/v1/modules/asking-basics/attempts", json={"answers": RIGHT_ANSWERS}
    )
    assert response.status_code == 201
    body = response.json()
    assert body["score"] == 100 and body["passed"] is True
    assert [q["id"] for q in body["questions"]] == ["q1", "q2", "q3"]
    assert all(q["correct"] for q in body["questions"])
    assert body["questions"][0]["feedback"] == [
        {"option_id": "b", "text": "Curiosity keeps the conversation open."}
    ]


def test_wrong_answers_get_feedback_on_what_was_chosen_and_what_was_right(practitioner_client):
    answers = {"q1": ["a"], "q2": ["a"], "q3": ["b"]}
    body = practitioner_client.post(
        "/api/v1/modules/asking-basics/attempts", json={"answers": answers}
    ).json()
    assert body["score"] == 33 and body["passed"] is False
    q1 = body["questions"][0]
    assert q1["correct"] is False
    assert {item["option_id"] for item in q1["feedback"]} == {"a", "b"}
    q2 = body["questions"][1]
    assert q2["correct"] is False  # a multiple-answer question needs every right option
    assert {item["option_id"] for item in q2["feedback"]} == {"a", "b"}


def test_every_attempt_is_kept_with_its_answers(practitioner_client, db):
    practitioner_client.post(
        "/api/v1/modules/asking-basics/attempts",
        json={"answers": {"q1": ["a"], "q2": ["c"], "q3": ["a"]}},
    )
    practitioner_client.post(
        "/api/v1/modules/asking-basics/attempts", json={"answers": RIGHT_ANSWERS}
    )
    attempts = db.exec(select(QuizAttempt).order_by(QuizAttempt.id)).all()
    assert [(a.score, a.passed, a.content_version) for a in attempts] == [
        (0, False, 2),
        (100, True, 2),
    ]
    answers = db.exec(select(QuizAnswer).where(QuizAnswer.attempt_id == attempts[1].id)).all()
    assert {(a.question_id, a.chosen, a.correct) for a in answers} == {
        ("q1", "b", True),
        ("q2", "a,b", True),
        ("q3", "b", True),
    }


def test_malformed_answers_are_a_422_with_a_message(practitioner_client):
    cases = [
        ({"q1": ["b"], "q2": ["a"]}, "question 3 (q3) has no answer"),
        ({**RIGHT_ANSWERS, "q9": ["a"]}, "unknown question q9"),
        ({**RIGHT_ANSWERS, "q1": ["z"]}, "option that does not exist"),
        ({**RIGHT_ANSWERS, "q1": ["a", "b"]}, "takes exactly one answer"),
    ]
    for answers, message in cases:
        response = practitioner_client.post(
            "/api/v1/modules/asking-basics/attempts", json={"answers": answers}
        )
        assert response.status_code == 422, answers
        assert message in response.json()["detail"]
    not_a_mapping = practitioner_client.post(
        "/api/v1/modules/asking-basics/attempts", json={"answers": ["q1"]}
    )
    assert not_a_mapping.status_code == 422
    assert "answers" in not_a_mapping.json()["detail"]
    no_body = practitioner_client.post(
        "/api/v1/modules/asking-basics/attempts",
        content="not json",
        headers={"content-type": "application/json"},
    )
    assert no_body.status_code == 422


def test_only_practitioners_submit_attempts(client, make_user):
    api_login(client, make_user(Role.codesigner))
    response = client.post(
        "/api/v1/modules/asking-basics/attempts", json={"answers": RIGHT_ANSWERS}
    )
    assert response.status_code == 403


@pytest.mark.commits  # requests at the same instant, each on its own connection
def test_a_quiz_submitted_twice_at_once_records_two_attempts(app, practitioner, rows):
    """Two tabs, one click each, the same instant: both attempts kept, one completion."""
    clients = []
    for _ in range(2):
        client = TestClient(app)
        api_login(client, practitioner)
        for section in ("why-ask", "opening-questions", "following-up"):
            client.post(f"/api/v1/modules/asking-basics/sections/{section}/complete")
        clients.append(client)
    barrier = threading.Barrier(2)
    statuses: list[int] = []

    def submit(client: TestClient) -> None:
        barrier.wait()
        statuses.append(
            client.post(
                "/api/v1/modules/asking-basics/attempts", json={"answers": RIGHT_ANSWERS}
            ).status_code
        )

    threads = [threading.Thread(target=submit, args=(client,)) for client in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert statuses == [201, 201]
    assert len(rows(select(QuizAttempt))) == 2
    from app.models.progress import Completion

    assert len(rows(select(Completion))) == 1
    for client in clients:
        client.close()


def test_quiz_page_keeps_answers_and_lists_what_is_missing(practitioner_client):
    page = practitioner_client.get("/modules/asking-basics/quiz")
    response = practitioner_client.post(
        "/modules/asking-basics/quiz", data={"csrf_token": form_token(page.text), "q1": "b"}
    )
    assert response.status_code == 400
    assert "There is a problem" in response.text
    assert "Answer question 2" in response.text and "Answer question 3" in response.text
    assert 'id="question-q1-b" name="q1" type="radio" value="b" checked' in response.text


def test_quiz_page_shows_feedback_after_submitting(practitioner_client):
    page = practitioner_client.get("/modules/asking-basics/quiz")
    response = practitioner_client.post(
        "/modules/asking-basics/quiz",
        data={"csrf_token": form_token(page.text), "q1": "a", "q2": ["a", "b"], "q3": "b"},
    )
    assert response.status_code == 200
    assert "Your quiz result: 67%" in response.text
    assert "Advice to stop closes the conversation down." in response.text  # the chosen wrong one
    assert "Curiosity keeps the conversation open." in response.text  # the right one not chosen


def test_another_persons_attempt_is_not_found(client, make_user, practitioner):
    api_login(client, practitioner)
    attempt_id = client.post(
        "/api/v1/modules/asking-basics/attempts", json={"answers": RIGHT_ANSWERS}
    ).json()["id"]
    api_login(client, make_user(Role.practitioner))
    assert client.get(f"/modules/asking-basics/quiz/attempts/{attempt_id}").status_code == 404

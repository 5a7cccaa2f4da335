"""The whole-trust list of missed questions reads running tallies; they must tell the truth.

The tallies are kept as attempts are recorded: only each person's first attempt at a
version counts, and the totals equal what counting the attempts themselves gives.
"""

from __future__ import annotations

from sqlmodel import select

from app.auth.schemas import Viewer
from app.core.db import session_scope
from app.models.quizzes import FirstQuizAttempt, QuestionTally
from app.models.users import Role
from app.quizzes.service import rebuild_question_tallies
from app.reports import service as reports
from tests.joining import accepts
from tests.reports.conftest import signed_in

ALL_WRONG = {"q1": ["a"], "q2": ["c"], "q3": ["a"]}
ALL_RIGHT = {"q1": ["b"], "q2": ["a", "b"], "q3": ["b"]}
Q1_ONLY = {"q1": ["b"], "q2": ["c"], "q3": ["a"]}


def attempt(client, answers):
    response = client.post(
        "/api/v1/modules/asking-basics/attempts", json=answers and {"answers": answers}
    )
    assert response.status_code == 201, response.text


def tallies(rows):
    return {
        (t.module_slug, t.question_id): (t.first_answers, t.first_correct)
        for t in rows(select(QuestionTally))
    }


def test_only_first_attempts_count_and_retakes_change_nothing(app, make_user, rows):
    people = [make_user(Role.practitioner) for _ in range(3)]
    for person, first in zip(people, (ALL_WRONG, ALL_RIGHT, Q1_ONLY), strict=True):
        with signed_in(app, person) as client:
            attempt(client, first)
            attempt(client, ALL_RIGHT)  # a retake, right this time: not counted
    assert tallies(rows) == {
        ("asking-basics", "q1"): (3, 2),
        ("asking-basics", "q2"): (3, 1),
        ("asking-basics", "q3"): (3, 1),
    }
    assert len(rows(select(FirstQuizAttempt))) == 3


def test_rebuilding_from_the_attempts_gives_the_same_totals(app, make_user, rows):
    for answers in (ALL_WRONG, Q1_ONLY, ALL_RIGHT, ALL_WRONG):
        with signed_in(app, make_user(Role.practitioner)) as client:
            attempt(client, answers)
            attempt(client, ALL_RIGHT)
    kept = tallies(rows)
    with session_scope(app.state.engine) as session:
        rebuild_question_tallies(session)
    assert tallies(rows) == kept


def test_the_whole_trust_list_agrees_with_counting_one_cohort_of_everyone(app, make_user):
    """An admin (tallies) and a trainer whose cohort holds everyone (counted) see the same."""
    people = [make_user(Role.practitioner) for _ in range(4)]
    for person, answers in zip(people, (ALL_WRONG, ALL_WRONG, Q1_ONLY, ALL_RIGHT), strict=True):
        with signed_in(app, person) as client:
            attempt(client, answers)
    trainer = make_user(Role.trainer)
    with signed_in(app, trainer) as client:
        cohort_id = client.post("/api/v1/cohorts", json={"name": "Everyone"}).json()["id"]
        for person in people:
            client.post(f"/api/v1/cohorts/{cohort_id}/members", json={"email": person.email})
            accepts(client.app, cohort_id, person.email)
    admin = make_user(Role.admin)
    as_admin = Viewer(
        id=admin.id,
        email=admin.email,
        display_name="A",
        roles=frozenset({Role.admin}),
        session_id="",
    )
    as_trainer = Viewer(
        id=trainer.id,
        email=trainer.email,
        display_name="T",
        roles=frozenset({Role.trainer}),
        session_id="",
    )
    with session_scope(app.state.engine) as session:
        whole_trust = reports.most_missed_questions(session, app.state.content, as_admin, None)
        one_cohort = reports.most_missed_questions(
            session, app.state.content, as_trainer, cohort_id
        )
    summary = [(s.question.id, s.answered, s.correct) for s in whole_trust]
    assert summary == [(s.question.id, s.answered, s.correct) for s in one_cohort]
    assert summary == [("q2", 4, 1), ("q3", 4, 1)]

"""Per-module figures and quiz item analysis; and the practitioner's assigned modules at home."""

from __future__ import annotations

from datetime import timedelta

import time_machine

from app.auth.schemas import Viewer
from app.core.db import session_scope
from app.models.users import Role
from app.quizzes import service as quizzes
from tests.reports.conftest import RIGHT_ANSWERS, complete_module, create_cohort, signed_in
from tests.reports.test_completion import add, assign

WRONG_Q1 = {**RIGHT_ANSWERS, "q1": ["a"]}


def submit_directly(app, account, answers):
    viewer = Viewer(
        id=account.id,
        email=account.email,
        display_name="",
        roles=frozenset(account.roles),
        session_id="",
    )
    with session_scope(app.state.engine) as session:
        quizzes.submit_attempt(session, app.state.content, viewer, "asking-basics", answers)


def cohort_with(app, trainer, people, slug="asking-basics"):
    with signed_in(app, trainer) as client:
        cohort_id = create_cohort(client)
        for person in people:
            add(client, cohort_id, person)
        assign(client, cohort_id, slug=slug)
    return cohort_id


def test_module_summary_counts_median_time_and_first_attempt_pass_rate(app, make_user, trainer):
    people = [make_user(Role.practitioner) for _ in range(4)]
    cohort_id = cohort_with(app, trainer, people)
    with time_machine.travel("2027-05-01 09:00:00Z", tick=False) as clock:
        for minutes, person in zip((10, 20, 40), people[:3], strict=True):
            with signed_in(app, person) as client:
                client.post("/api/v1/modules/asking-basics/sections/why-ask/complete")
                clock.shift(timedelta(minutes=minutes))
                if person is people[2]:  # fails first, then passes
                    client.post(
                        "/api/v1/modules/asking-basics/attempts",
                        json={"answers": {"q1": ["a"], "q2": ["c"], "q3": ["a"]}},
                    )
                complete_module(client)
    with signed_in(app, people[3]) as client:
        client.post("/api/v1/modules/asking-basics/sections/why-ask/complete")
    with signed_in(app, trainer) as client:
        summary = client.get(f"/api/v1/reports/modules/asking-basics?cohort_id={cohort_id}").json()
        page = client.get(f"/reports/modules/asking-basics?cohort_id={cohort_id}").text
    assert summary["started"] == 4 and summary["completed"] == 3
    assert summary["median_minutes"] == 20
    assert summary["first_attempts"] == 3 and summary["first_attempt_pass_rate"] == 67
    assert "67% (2 of 3)" in page and "20 minutes" in page


def test_item_analysis_names_the_wrong_answer_chosen_most(app, make_user, trainer):
    people = [make_user(Role.practitioner) for _ in range(3)]
    cohort_id = cohort_with(app, trainer, people)
    for number, person in enumerate(people):
        with signed_in(app, person) as client:
            answers = WRONG_Q1 if number < 2 else RIGHT_ANSWERS
            client.post("/api/v1/modules/asking-basics/attempts", json={"answers": answers})
            # A later attempt never changes the first-attempt figures.
            client.post("/api/v1/modules/asking-basics/attempts", json={"answers": RIGHT_ANSWERS})
    with signed_in(app, trainer) as client:
        stats = client.get(
            f"/api/v1/reports/modules/asking-basics/questions?cohort_id={cohort_id}"
        ).json()
        page = client.get(f"/reports/modules/asking-basics/questions?cohort_id={cohort_id}").text
        missed = client.get(f"/reports/questions?cohort_id={cohort_id}").text
    q1 = next(item for item in stats if item["question_id"] == "q1")
    assert q1["answered"] == 3 and q1["correct_share"] == 33
    assert q1["most_chosen_wrong"] == "Tell them to delete it"
    assert q1["discrimination"] is None and q1["reliable"] is False
    assert "Fewer than 20 answers: treat with care" in page
    assert "Tell them to delete it (2)" in page
    assert "Asking basics" in missed and "mentions an app you do not know" in missed


def test_discrimination_appears_once_twenty_people_have_answered(app, make_user, trainer):
    people = [make_user(Role.practitioner) for _ in range(20)]
    cohort_id = cohort_with(app, trainer, people)
    for number, person in enumerate(people):
        # Those who get q1 right also do well on the rest: q1 discriminates.
        answers = RIGHT_ANSWERS if number % 2 else {"q1": ["a"], "q2": ["c"], "q3": ["a"]}
        submit_directly(app, person, answers)  # twenty sign-ins would meet the rate limit
    with signed_in(app, trainer) as client:
        stats = client.get(
            f"/api/v1/reports/modules/asking-basics/questions?cohort_id={cohort_id}"
        ).json()
    q1 = next(item for item in stats if item["question_id"] == "q1")
    assert q1["reliable"] is True and q1["discrimination"] == 1.0


def test_assigned_modules_come_first_at_home_with_overdue_marked(app, make_user, trainer):
    person = make_user(Role.practitioner)
    with signed_in(app, trainer) as client:
        cohort_id = create_cohort(client)
        add(client, cohort_id, person)
        assign(client, cohort_id, slug="second-module", due="2020-01-15")
        assign(client, cohort_id, slug="asking-basics", due="2035-01-01")
    with signed_in(app, person) as client:
        home = client.get("/").text
    assigned = home.index("Assigned to you")
    assert assigned < home.index("<h2>Modules</h2>")
    assert "Overdue" in home and "15 January 2020" in home
    # The overdue module is listed before the one due later.
    assert home.index("Second module", assigned) < home.index("Asking basics", assigned)

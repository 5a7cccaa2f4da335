"""One truth about a practitioner's status, due date and last activity, wherever it shows.

The two reproduce what a trainer saw: a practitioner's record giving the assignment's first
due date while the dashboard and CSV gave the date it rolled forward to, and "last attempt"
still showing the year-old quiz after a refresh made today.
"""

from __future__ import annotations

import csv
import io
import re
from datetime import timedelta

import time_machine
from fastapi.testclient import TestClient

from app.models.users import Role
from tests.cohorts.conftest import complete_module, create_cohort, signed_in
from tests.conftest import api_login
from tests.joining import accepts
from tests.refresh.conftest import ASKING, RIGHT_ANSWERS


def record_cells(trainer: TestClient, user_id: int, title: str) -> list[str]:
    """The cells of one module's row on the trainer's page about one practitioner."""
    page = trainer.get(f"/reports/practitioners/{user_id}")
    assert page.status_code == 200, page.text
    row = next(
        row
        for row in re.findall(r"<tr class=\"nhsuk-table__row\">(.*?)</tr>", page.text, re.S)
        if title in row
    )
    return re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)


def days_in(cell: str) -> list[str]:
    return re.findall(r'<time datetime="(\d{4}-\d{2}-\d{2})">', cell)


def refresh_now(client: TestClient) -> None:
    offer = client.get(f"/api/v1/modules/{ASKING}/refresh")
    assert offer.status_code == 200, offer.text
    asked = [question["id"] for question in offer.json()["questions"]]
    answered = client.post(
        f"/api/v1/modules/{ASKING}/refresh",
        json={"answers": {question: RIGHT_ANSWERS[question] for question in asked}},
    )
    assert answered.json()["completed"] is True, answered.text


def test_after_a_refresh_the_practitioners_record_shows_the_dashboards_due_date(app, make_user):
    trainer_account = make_user(Role.trainer)
    person = make_user(Role.practitioner, name="Pat Practitioner")
    with time_machine.travel("2025-10-23 09:00:00Z", tick=False) as clock:
        with signed_in(app, person) as client:
            complete_module(client, ASKING)
        clock.move_to("2026-11-27 10:00:00Z")
        with signed_in(app, trainer_account) as trainer, signed_in(app, person) as client:
            cohort_id = create_cohort(trainer)
            assert trainer.post(
                f"/api/v1/cohorts/{cohort_id}/members", json={"email": person.email}
            ).status_code in (200, 201)
            accepts(trainer.app, cohort_id, person.email)
            assigned = trainer.post(
                f"/api/v1/cohorts/{cohort_id}/assignments",
                json={"module_slug": ASKING, "due_date": "2026-12-27", "recur_days": 365},
            )
            assert assigned.status_code == 201, assigned.text
            refresh_now(client)

            api_rows = trainer.get(f"/api/v1/reports/completion?cohort_id={cohort_id}").json()
            assert [row["due_date"] for row in api_rows] == ["2027-11-27"]
            exported = list(
                csv.DictReader(
                    io.StringIO(trainer.get(f"/reports/completion.csv?cohort_id={cohort_id}").text)
                )
            )
            assert [row["Due date"] for row in exported] == ["2027-11-27"]

            cells = record_cells(trainer, person.id, "Asking basics")
            assert days_in(cells[2]) == ["2027-11-27"]  # due, as on the dashboard and CSV


def test_a_recurring_assignment_due_soon_is_due_on_the_practitioners_own_pages_too(app, make_user):
    trainer_account = make_user(Role.trainer)
    person = make_user(Role.practitioner)
    with (
        time_machine.travel("2026-03-01 09:00:00Z", tick=False) as clock,
        signed_in(app, trainer_account) as trainer,
        signed_in(app, person) as client,
    ):
        cohort_id = create_cohort(trainer)
        trainer.post(f"/api/v1/cohorts/{cohort_id}/members", json={"email": person.email})
        accepts(trainer.app, cohort_id, person.email)
        trainer.post(
            f"/api/v1/cohorts/{cohort_id}/assignments",
            json={"module_slug": ASKING, "due_date": "2026-03-31", "recur_days": 30},
        )
        complete_module(client, ASKING)
        clock.shift(timedelta(days=20))  # ten days before it falls due again
        for account, browser in ((trainer_account, trainer), (person, client)):
            api_login(browser, account)
        [row] = trainer.get(f"/api/v1/reports/completion?cohort_id={cohort_id}").json()
        mine = {item["slug"]: item for item in client.get("/api/v1/me/progress").json()}[ASKING]
        assert row["status"] == "due_for_refresh" and row["due_date"] == "2026-03-31"
        assert mine["status"] == "due_for_refresh"
        assert (mine["assignment_status"], mine["due_date"]) == ("due_for_refresh", "2026-03-31")
        assert mine["refresh_due"] == "2026-03-31"
        assert client.get(f"/api/v1/modules/{ASKING}/refresh").status_code == 200


def test_a_recurring_assignment_longer_than_the_modules_own_period_sets_the_due_date(
    app, make_user
):
    trainer_account = make_user(Role.trainer)
    person = make_user(Role.practitioner)
    with (
        time_machine.travel("2026-03-01 09:00:00Z", tick=False) as clock,
        signed_in(app, trainer_account) as trainer,
        signed_in(app, person) as client,
    ):
        cohort_id = create_cohort(trainer)
        trainer.post(f"/api/v1/cohorts/{cohort_id}/members", json={"email": person.email})
        accepts(trainer.app, cohort_id, person.email)
        trainer.post(
            f"/api/v1/cohorts/{cohort_id}/assignments",
            json={"module_slug": ASKING, "due_date": "2026-03-31", "recur_days": 500},
        )
        complete_module(client, ASKING)
        clock.shift(timedelta(days=370))  # past the module's own 365 days, not the cohort's 500
        for account, browser in ((trainer_account, trainer), (person, client)):
            api_login(browser, account)
        [row] = trainer.get(f"/api/v1/reports/completion?cohort_id={cohort_id}").json()
        mine = {item["slug"]: item for item in client.get("/api/v1/me/progress").json()}[ASKING]
        assert row["status"] == "completed" and row["due_date"] == "2027-07-14"
        assert (mine["status"], mine["refresh_due"]) == ("completed", "2027-07-14")


def test_a_short_refresh_made_today_is_the_last_activity_everywhere(app, make_user):
    trainer_account = make_user(Role.trainer)
    person = make_user(Role.practitioner)
    with time_machine.travel("2025-10-23 09:00:00Z", tick=False) as clock:
        with signed_in(app, person) as client:
            complete_module(client, ASKING)
        clock.move_to("2026-11-27 10:00:00Z")
        with signed_in(app, trainer_account) as trainer, signed_in(app, person) as client:
            cohort_id = create_cohort(trainer)
            trainer.post(f"/api/v1/cohorts/{cohort_id}/members", json={"email": person.email})
            accepts(trainer.app, cohort_id, person.email)
            trainer.post(
                f"/api/v1/cohorts/{cohort_id}/assignments",
                json={"module_slug": ASKING, "due_date": "2026-12-27"},
            )
            offer = client.get(f"/api/v1/modules/{ASKING}/refresh").json()
            wrong = {question["id"]: ["a"] for question in offer["questions"]}
            failed = client.post(f"/api/v1/modules/{ASKING}/refresh", json={"answers": wrong})
            assert failed.json()["passed"] is False  # not passed, but still what they did today

            mine = {item["slug"]: item for item in client.get("/api/v1/me/progress").json()}
            assert mine[ASKING]["last_activity_at"].startswith("2026-11-27")
            [row] = trainer.get(f"/api/v1/reports/completion?cohort_id={cohort_id}").json()
            assert row["last_activity_at"].startswith("2026-11-27")
            exported = trainer.get(f"/reports/completion.csv?cohort_id={cohort_id}").text
            assert [line["Last activity"] for line in csv.DictReader(io.StringIO(exported))] == [
                "2026-11-27"
            ]
            cells = record_cells(trainer, person.id, "Asking basics")
            assert days_in(cells[-1]) == ["2026-11-27"]


def test_the_dashboard_sorts_by_the_due_date_it_shows_and_by_last_activity(app, make_user):
    trainer_account = make_user(Role.trainer)
    early, late = (
        make_user(Role.practitioner, name="Early"),
        make_user(Role.practitioner, name="Late"),
    )
    with time_machine.travel("2026-03-01 09:00:00Z", tick=False) as clock:
        with signed_in(app, trainer_account) as trainer:
            cohort_id = create_cohort(trainer)
            for person in (early, late):
                trainer.post(f"/api/v1/cohorts/{cohort_id}/members", json={"email": person.email})
                accepts(trainer.app, cohort_id, person.email)
            trainer.post(
                f"/api/v1/cohorts/{cohort_id}/assignments",
                json={"module_slug": ASKING, "due_date": "2026-04-30", "recur_days": 30},
            )
        with signed_in(app, late) as client:
            complete_module(client, ASKING)  # due again 31 March, before the first due date
        clock.shift(timedelta(days=2))
        with signed_in(app, early) as client:
            client.post(f"/api/v1/modules/{ASKING}/sections/why-ask/complete")
        with signed_in(app, trainer_account) as trainer:
            path = f"/api/v1/reports/completion?cohort_id={cohort_id}"
            by_due = trainer.get(f"{path}&sort=due").json()
            assert [(row["display_name"], row["due_date"]) for row in by_due] == [
                ("Late", "2026-03-31"),
                ("Early", "2026-04-30"),
            ]
            by_activity = trainer.get(f"{path}&sort=activity&order=desc").json()
            assert [row["display_name"] for row in by_activity] == ["Early", "Late"]

"""A practitioner's own status and the trainer's report follow one rule.

Assignment recurrence makes the practitioner's module due again, as the report
says; a major content change makes the report show "due for refresh", as the
practitioner's own page says, until they refresh or confirm reading the changes.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
import time_machine
from fastapi.testclient import TestClient

from app.models.users import Role
from tests.cohorts.conftest import complete_module, create_cohort
from tests.conftest import api_login, make_settings
from tests.joining import accepts
from tests.refresh.conftest import ASKING, ModuleFolder


def my_status(client: TestClient, slug: str = ASKING) -> dict:
    return {row["slug"]: row for row in client.get("/api/v1/me/progress").json()}[slug]


def report_status(trainer: TestClient, cohort_id: int, slug: str = ASKING) -> str:
    rows = trainer.get(f"/api/v1/reports/completion?cohort_id={cohort_id}").json()
    return next(row["status"] for row in rows if row["module_slug"] == slug)


def assign(trainer: TestClient, cohort_id: int, practitioner_email: str, **assignment) -> None:
    added = trainer.post(f"/api/v1/cohorts/{cohort_id}/members", json={"email": practitioner_email})
    assert added.status_code in (200, 201), added.text
    accepts(trainer.app, cohort_id, practitioner_email)
    assigned = trainer.post(
        f"/api/v1/cohorts/{cohort_id}/assignments", json={"module_slug": ASKING, **assignment}
    )
    assert assigned.status_code in (200, 201), assigned.text


def test_a_recurring_assignment_makes_the_practitioners_own_module_due(app, make_user):
    trainer_account = make_user(Role.trainer)
    practitioner = make_user(Role.practitioner)
    with (
        time_machine.travel("2026-03-01 09:00:00Z", tick=False) as clock,
        TestClient(app) as trainer,
        TestClient(app) as person,
    ):
        api_login(trainer, trainer_account)
        api_login(person, practitioner)
        cohort_id = create_cohort(trainer)
        assign(trainer, cohort_id, practitioner.email, due_date="2026-03-31", recur_days=30)
        complete_module(person)
        assert my_status(person)["refresh_due"] == "2026-03-31"
        clock.shift(timedelta(days=31))
        api_login(person, practitioner)
        api_login(trainer, trainer_account)
        assert my_status(person)["status"] == "due_for_refresh"
        assert report_status(trainer, cohort_id) in ("due_for_refresh", "overdue")


@pytest.fixture
def module_folder(tmp_path: Path) -> ModuleFolder:
    return ModuleFolder(tmp_path / "modules")


def test_a_major_change_shows_in_the_report_until_they_catch_up(
    database_url, module_folder, make_user, start_app
):
    trainer_account = make_user(Role.trainer)
    practitioner = make_user(Role.practitioner)
    first = start_app(make_settings(database_url, modules_dir=module_folder.root))
    with TestClient(first) as trainer, TestClient(first) as person:
        api_login(trainer, trainer_account)
        api_login(person, practitioner)
        cohort_id = create_cohort(trainer)
        assign(trainer, cohort_id, practitioner.email, due_date="2027-06-30")
        complete_module(person)
        assert report_status(trainer, cohort_id) == "completed"

    module_folder.publish(3, major=True, replace={"Come back to it": "Always come back to it"})
    updated = start_app(make_settings(database_url, modules_dir=module_folder.root))
    with TestClient(updated) as trainer, TestClient(updated) as person:
        api_login(trainer, trainer_account)
        api_login(person, practitioner)
        assert my_status(person)["status"] == "due_for_refresh"
        assert report_status(trainer, cohort_id) == "due_for_refresh"
        assert person.post(f"/api/v1/modules/{ASKING}/changes/read").status_code == 200
        assert my_status(person)["status"] == "completed"
        assert report_status(trainer, cohort_id) == "completed"

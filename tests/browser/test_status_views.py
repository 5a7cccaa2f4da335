"""The practitioner and their trainer see one due date and one last activity, in a browser."""

from __future__ import annotations

from datetime import timedelta

import pytest
from fastapi.testclient import TestClient
from playwright.sync_api import Page, expect

from app.core.templating import format_date
from app.models.base import utcnow
from app.models.users import Role
from tests.browser.conftest import sign_in
from tests.conftest import api_login
from tests.joining import accepts

pytestmark = pytest.mark.browser


def test_a_recurring_assignment_shows_one_due_date_to_practitioner_and_trainer(
    page: Page, browser, live_server, browser_app, make_user, assert_accessible
):
    trainer = make_user(Role.trainer, name="Tess Trainer")
    person = make_user(Role.practitioner, name="Pat Practitioner")
    module = next(m for m in browser_app.state.content.all("module") if m.quiz is not None)
    today = utcnow().date()
    due_again = format_date(today + timedelta(days=90))
    with (
        TestClient(browser_app, base_url="http://testserver") as as_trainer,
        TestClient(browser_app, base_url="http://testserver") as as_person,
    ):
        api_login(as_trainer, trainer)
        api_login(as_person, person)
        cohort_id = as_trainer.post("/api/v1/cohorts", json={"name": "Status cohort"}).json()["id"]
        as_trainer.post(f"/api/v1/cohorts/{cohort_id}/members", json={"email": person.email})
        accepts(as_trainer.app, cohort_id, person.email)
        as_trainer.post(
            f"/api/v1/cohorts/{cohort_id}/assignments",
            json={
                "module_slug": module.slug,
                "due_date": (today + timedelta(days=20)).isoformat(),
                "recur_days": 90,
            },
        )
        for section in module.sections:
            as_person.post(f"/api/v1/modules/{module.slug}/sections/{section.id}/complete")
        right = {q.id: sorted(q.correct_ids) for q in module.quiz.questions}
        assert as_person.post(
            f"/api/v1/modules/{module.slug}/attempts", json={"answers": right}
        ).json()["passed"]

    # The practitioner: the module page and the home page give the date it is due again.
    sign_in(page, person.email, person.password)
    assigned = page.get_by_role("table", name="Modules your trainers have assigned to you")
    expect(assigned.get_by_role("row", name=module.title)).to_contain_text(due_again)
    assert_accessible(page)
    page.goto(f"/modules/{module.slug}")
    expect(page.get_by_text(f"due again {due_again}")).to_be_visible()
    assert_accessible(page)

    # The trainer: the dashboard and the record of this practitioner give the same date,
    # and today as their last activity.
    trainer_context = browser.new_context(base_url=live_server, locale="en-GB")
    trainer_page = trainer_context.new_page()
    try:
        sign_in(trainer_page, trainer.email, trainer.password)
        trainer_page.goto(f"/reports/completion?cohort_id={cohort_id}")
        row = trainer_page.locator("#completion-table tbody tr", has_text=person.email)
        expect(row).to_contain_text(due_again)
        expect(row.locator("td").last).to_have_text(format_date(today))
        assert_accessible(trainer_page)
        trainer_page.get_by_role("link", name="Pat Practitioner").click()
        record = trainer_page.get_by_role("row", name=module.title)
        expect(record).to_contain_text(due_again)
        expect(record.locator("td").last).to_have_text(format_date(today))
        assert_accessible(trainer_page)
        trainer_page.goto(f"/reports/completion?cohort_id={cohort_id}&view=people")
        cell = trainer_page.get_by_role("row", name="Pat Practitioner")
        expect(cell).to_contain_text(f"due {due_again}, last active {format_date(today)}")
        assert_accessible(trainer_page)
    finally:
        trainer_context.close()

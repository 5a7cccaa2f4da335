"""In a browser: a practitioner accepts one trainer's request to join a cohort and declines
another, sees who can see their progress and leaves; and someone signed in as another
account uses a password reset link."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from playwright.sync_api import Page, expect

from app.models.users import Role
from tests.browser.conftest import sign_in
from tests.conftest import api_login

pytestmark = pytest.mark.browser

NEW_PASSWORD = "a brand new passphrase"  # noqa: S105 - a test fixture's password


@pytest.mark.usefixtures("live_server")
def test_a_practitioner_accepts_one_request_declines_another_and_leaves(
    page: Page, browser_app, make_user, assert_accessible
):
    trainer = make_user(Role.trainer, name="Tess Trainer")
    person = make_user(Role.practitioner, name="Pat Practitioner")
    with TestClient(browser_app, base_url="http://testserver") as as_trainer:
        api_login(as_trainer, trainer)
        cohorts = {}
        for name in ("Leeds CAMHS, spring", "Sheffield advisers"):
            cohorts[name] = as_trainer.post("/api/v1/cohorts", json={"name": name}).json()["id"]
            asked = as_trainer.post(
                f"/api/v1/cohorts/{cohorts[name]}/members", json={"email": person.email}
            )
            assert asked.json()["status"] == "asked"

    sign_in(page, person.email, person.password)
    page.goto("/")
    expect(page.get_by_role("heading", name="Join Leeds CAMHS, spring?")).to_be_visible()
    expect(page.get_by_role("heading", name="Join Sheffield advisers?")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("button", name="Accept and join Leeds CAMHS, spring").click()
    expect(page.get_by_text("You have joined the cohort")).to_be_visible()
    expect(page.get_by_role("heading", name="Join Leeds CAMHS, spring?")).to_have_count(0)
    page.get_by_role("button", name="Decline Sheffield advisers").click()
    expect(page.get_by_text("You have declined")).to_be_visible()
    expect(page.get_by_role("heading", name="Join Sheffield advisers?")).to_have_count(0)
    assert_accessible(page)

    page.goto("/account")
    page.get_by_role("link", name="Who can see your progress").click()
    expect(page.get_by_role("heading", name="Who can see your progress")).to_be_visible()
    expect(page.get_by_role("term")).to_have_text(["Leeds CAMHS, spring"])
    expect(page.get_by_text("Trainers: Tess Trainer")).to_be_visible()
    expect(page.get_by_text("Sheffield advisers")).to_have_count(0)
    assert_accessible(page)
    page.get_by_role("button", name="Leave Leeds CAMHS, spring").click()
    expect(page.get_by_text("You have left Leeds CAMHS, spring")).to_be_visible()
    expect(page.get_by_text("You are not in any cohort")).to_be_visible()
    assert_accessible(page)

    with TestClient(browser_app, base_url="http://testserver") as as_trainer:
        api_login(as_trainer, trainer)
        for cohort_id in cohorts.values():
            page_text = as_trainer.get(f"/cohorts/{cohort_id}").text
            assert "Practitioners (0)" in page_text and "Pat Practitioner" not in page_text


@pytest.mark.usefixtures("live_server")
def test_a_reset_link_opened_signed_in_as_someone_else(
    page: Page, browser_app, make_user, assert_accessible
):
    admin = make_user(Role.admin, name="Ada Admin")
    person = make_user(Role.practitioner, name="Pat Practitioner")
    colleague = make_user(Role.trainer, name="Colin Colleague")
    with TestClient(browser_app, base_url="http://testserver") as as_admin:
        api_login(as_admin, admin)
        made = as_admin.post(f"/api/v1/admin/users/{person.id}/password-reset")
        link = made.json()["url"].removeprefix("http://testserver")

    sign_in(page, colleague.email, colleague.password)
    page.goto(link)
    expect(
        page.get_by_text("This password reset link is for another account. Sign out to use it.")
    ).to_be_visible()
    expect(page.get_by_text(person.email)).to_have_count(0)
    assert_accessible(page)

    page.get_by_role("button", name="Sign out and open this link").click()
    expect(page.get_by_role("heading", name="Choose a new password")).to_be_visible()
    expect(page.get_by_text(person.email)).to_be_visible()
    assert_accessible(page)
    page.get_by_label("A new password").fill(NEW_PASSWORD)
    page.get_by_label("Type the new password again").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Save my new password").click()
    expect(page.get_by_text("Your password has been changed")).to_be_visible()

    sign_in(page, person.email, NEW_PASSWORD)
    page.goto("/account")
    expect(page.get_by_text(person.email)).to_be_visible()

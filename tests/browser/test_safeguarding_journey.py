"""A trainer follows up the safeguarding record of a scenario its author has withdrawn, in a
real browser, with axe on every page."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Browser, Page, expect

from app.models.users import Role
from tests.browser.conftest import sign_in
from tests.scenarios.conftest import scenario_body

pytestmark = pytest.mark.browser

WORRYING = "I don't want to be here any more"


def write_and_withdraw(browser: Browser, live_server: str, email: str, password: str) -> None:
    """The young person sends a worrying scenario, then withdraws it, through the API."""
    context = browser.new_context(base_url=live_server)
    try:
        api = context.request
        login = api.post("/api/v1/auth/login", data={"email": email, "password": password})
        assert login.ok, login.text()
        headers = {"X-CSRF-Token": login.json()["csrf_token"]}
        sent = api.post(
            "/api/v1/scenarios",
            data=scenario_body(how_it_felt=f"{WORRYING}. Nobody asked."),
            headers=headers,
        )
        assert sent.status == 201, sent.text()
        withdrawn = api.post(f"/api/v1/scenarios/{sent.json()['id']}/withdraw", headers=headers)
        assert withdrawn.ok, withdrawn.text()
    finally:
        context.close()


def test_a_trainer_reads_and_resolves_the_record_of_a_withdrawn_scenario(
    page: Page, browser, live_server, make_user, assert_accessible
):
    young = make_user(Role.codesigner, name="Riley Young")
    trainer = make_user(Role.trainer, name="Tess Trainer")
    write_and_withdraw(browser, live_server, young.email, young.password)

    sign_in(page, trainer.email, trainer.password)
    expect(page.get_by_text("1 open safeguarding record")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Follow it up now").click()

    expect(page.get_by_role("heading", name="Safeguarding record", exact=True)).to_be_visible()
    expect(page.get_by_text("Withdrawn by the young person on")).to_be_visible()
    expect(page.get_by_text(WORRYING, exact=True)).to_be_visible()
    expect(page.get_by_text("Riley Young")).to_be_visible()
    expect(page.get_by_text(young.email)).to_be_visible()
    assert_accessible(page)

    # An empty follow-up is explained, and nothing is recorded.
    page.get_by_role("button", name="Record the follow-up").click()
    expect(page.get_by_role("heading", name="There is a problem")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("What was done (for the record)").fill(
        "Phoned Riley the same afternoon; safe, and seeing their GP tomorrow."
    )
    page.get_by_role("button", name="Record the follow-up").click()
    expect(page.get_by_text("The follow-up is recorded.")).to_be_visible()
    expect(page.get_by_text("Followed up by Tess Trainer")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Safeguarding records").click()
    expect(page.get_by_text("There are no open safeguarding records.")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Followed up", exact=True).click()
    expect(
        page.get_by_role("cell", name="Withdrawn by the young person on", exact=False)
    ).to_be_visible()
    assert_accessible(page)
    page.goto("/")
    expect(page.get_by_text("open safeguarding record")).to_have_count(0)


def test_the_support_page_after_a_worrying_comment_passes_axe(
    page: Page, make_user, assert_accessible
):
    young = make_user(Role.codesigner, name="Riley Young")
    sign_in(page, young.email, young.password)
    page.goto("/support?after=rating&next=/modules")
    expect(page.get_by_role("heading", name="If you need support now")).to_be_visible()
    expect(
        page.get_by_role("link", name="Call 116 123, free, any time, day or night")
    ).to_have_attribute("href", "tel:116123")
    assert_accessible(page)
    page.get_by_role("link", name="Go back to where you were").click()
    expect(page).to_have_url(re.compile(r"/modules$"))

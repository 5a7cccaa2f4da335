"""A trainer meets the cohort page's forms in a real browser: date errors box by box, a past
date confirmed, removals asked first, and a new invitation link that survives a reload and
copies with one press. axe checks every page."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from playwright.sync_api import Page, expect

from app.models.base import utcnow
from app.models.users import Role
from tests.browser.conftest import sign_in
from tests.joining import accepts

pytestmark = pytest.mark.browser


def open_new_cohort(page: Page, name: str) -> None:
    page.goto("/cohorts")
    page.get_by_label("Cohort name").fill(name)
    page.get_by_role("button", name="Create cohort").click()
    expect(page.get_by_role("heading", name=name)).to_be_visible()


def type_due_date(page: Page, day: str, month: str, year: str) -> None:
    page.get_by_label("Day", exact=True).fill(day)
    page.get_by_label("Month", exact=True).fill(month)
    page.get_by_label("Year", exact=True).fill(year)


def test_due_date_errors_and_a_past_date(page: Page, browser_app, make_user, assert_accessible):
    trainer = make_user(Role.trainer, name="Dana Dates")
    module = browser_app.state.content.all("module")[0]
    sign_in(page, trainer.email, trainer.password)
    open_new_cohort(page, "Dates cohort")

    # Nothing chosen and a month missing: both problems at once, only the month box marked.
    type_due_date(page, "31", "", "2030")
    page.get_by_label("Refresh every (days, optional)").fill("often")
    page.get_by_role("button", name="Assign module").click()
    summary = page.locator(".nhsuk-error-summary")
    expect(summary.get_by_role("link")).to_have_text(
        [
            "Choose a module to assign.",
            "Due date must include a month",
            "Enter how often it recurs as a whole number of days.",
        ]
    )
    assert page.title().startswith("Error: ")
    expect(page.get_by_label("Month", exact=True)).to_have_class(re.compile("nhsuk-input--error"))
    expect(page.get_by_label("Day", exact=True)).not_to_have_class(re.compile("--error"))
    expect(page.get_by_label("Day", exact=True)).to_have_value("31")
    assert_accessible(page)
    summary.get_by_role("link", name="Due date must include a month").click()
    expect(page.get_by_label("Month", exact=True)).to_be_focused()

    # A date that does not exist.
    page.get_by_label("Module", exact=True).select_option(module.slug)
    page.get_by_label("Refresh every (days, optional)").fill("")
    type_due_date(page, "30", "2", "2030")
    page.get_by_role("button", name="Assign module").click()
    expect(summary.get_by_role("link")).to_have_text(["Due date must be a real date"])
    expect(page.get_by_label("Day", exact=True)).to_have_class(re.compile("nhsuk-input--error"))
    expect(page.get_by_label("Year", exact=True)).not_to_have_class(re.compile("--error"))
    assert_accessible(page)

    # Yesterday asks first; changing the date keeps what was typed; confirming saves it.
    yesterday = utcnow().date() - timedelta(days=1)
    type_due_date(page, str(yesterday.day), str(yesterday.month), str(yesterday.year))
    page.get_by_role("button", name="Assign module").click()
    expect(
        page.get_by_role("heading", name="This date is in the past — assign it anyway?")
    ).to_be_visible()
    assert not page.title().startswith("Error: ")
    assert_accessible(page)
    page.get_by_role("button", name="No, change the date").click()
    expect(page.get_by_label("Year", exact=True)).to_have_value(str(yesterday.year))
    expect(page.get_by_label("Module", exact=True)).to_have_value(module.slug)
    expect(page.get_by_text("No modules assigned yet.")).to_be_visible()
    page.get_by_role("button", name="Assign module").click()
    page.get_by_role("button", name=re.compile("^Yes, assign it due")).click()
    expect(page.get_by_text("Module assigned.")).to_be_visible()
    expect(page.get_by_role("row", name=re.compile(re.escape(module.title)))).to_contain_text(
        f"{yesterday.day} {yesterday:%B %Y}"
    )


def test_removing_asks_first(page: Page, browser_app, make_user, assert_accessible):
    trainer = make_user(Role.trainer, name="Rory Removes")
    person = make_user(Role.practitioner, name="Kim Keepme")
    module = browser_app.state.content.all("module")[0]
    sign_in(page, trainer.email, trainer.password)
    open_new_cohort(page, "Removals cohort")
    page.locator("#member-email").fill(person.email)
    page.get_by_role("button", name="Add practitioner").click()
    expect(page.get_by_text("We have asked them to join.")).to_be_visible()
    accepts(browser_app, int(page.url.split("/cohorts/")[1].split("?")[0]), person.email)
    page.reload()

    page.get_by_role("link", name="Remove Kim Keepme").click()
    expect(
        page.get_by_role("heading", name="Remove Kim Keepme from Removals cohort?")
    ).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="No, keep them in the cohort").click()
    expect(page.get_by_role("cell", name="Kim Keepme", exact=True)).to_be_visible()
    page.get_by_role("link", name="Remove Kim Keepme").click()
    page.get_by_role("button", name="Yes, remove them").click()
    expect(page.get_by_text("Practitioner removed from the cohort.")).to_be_visible()
    expect(page.get_by_role("cell", name="Kim Keepme", exact=True)).to_have_count(0)

    page.get_by_label("Module", exact=True).select_option(module.slug)
    type_due_date(page, "31", "3", "2030")
    page.get_by_role("button", name="Assign module").click()
    page.get_by_role("link", name=f"Remove {module.title}").click()
    expect(page.get_by_role("heading", name=re.compile(r"^Remove .* from Removals cohort\?$")))
    assert_accessible(page)
    page.get_by_role("button", name="Yes, remove this assignment").click()
    expect(page.get_by_text("Assignment removed.")).to_be_visible()
    expect(page.get_by_text("No modules assigned yet.")).to_be_visible()


def test_a_new_invitation_link_survives_a_reload_and_copies(
    page: Page, live_server, make_user, assert_accessible
):
    trainer = make_user(Role.trainer, name="Ines Invites")
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server)
    sign_in(page, trainer.email, trainer.password)
    open_new_cohort(page, "Invitations cohort")
    page.locator("#invite-email").fill("sam.new@trust.nhs.uk")
    page.get_by_role("button", name="Create invitation link").click()
    expect(page.get_by_role("heading", name="Invitation link ready")).to_be_visible()
    link = page.get_by_label("Invitation link", exact=True).input_value()
    assert re.match(rf"^{re.escape(live_server)}/invitations/[\w-]+$", link)
    assert_accessible(page)

    page.reload()
    expect(page.get_by_label("Invitation link", exact=True)).to_have_value(link)
    expect(page.get_by_role("cell", name="sam.new@trust.nhs.uk", exact=True)).to_have_count(1)

    page.get_by_role("button", name="Copy link").click()
    expect(page.get_by_role("status").filter(has_text="Link copied")).to_be_visible()
    assert page.evaluate("navigator.clipboard.readText()") == link
    assert_accessible(page)

    # A new link for the same person replaces the first.
    page.get_by_role("button", name="Make a new link for sam.new@trust.nhs.uk").click()
    newer = page.get_by_label("Invitation link", exact=True).input_value()
    assert newer != link
    page.goto(link)
    expect(page.get_by_text("This invitation was withdrawn.")).to_be_visible()


def test_without_javascript_the_link_is_there_to_copy_by_hand(browser, live_server, make_user):
    """axe itself needs JavaScript: the same page with it is checked in the test above."""
    trainer = make_user(Role.trainer, name="Noah Noscript")
    context = browser.new_context(base_url=live_server, java_script_enabled=False)
    try:
        page = context.new_page()
        sign_in(page, trainer.email, trainer.password)
        open_new_cohort(page, "No script cohort")
        page.locator("#invite-email").fill("lee.new@trust.nhs.uk")
        page.get_by_role("button", name="Create invitation link").click()
        expect(page.get_by_label("Invitation link", exact=True)).to_have_value(
            re.compile(r"/invitations/[\w-]+$")
        )
        expect(page.get_by_role("button", name="Copy link")).to_have_count(0)
    finally:
        context.close()

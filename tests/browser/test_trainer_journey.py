"""A trainer runs a cohort end to end in a real browser, with axe on every page visited."""

from __future__ import annotations

import csv
import io
import re

import pytest
from playwright.sync_api import Page, expect

from app.models.users import Role
from tests.browser.conftest import sign_in

pytestmark = pytest.mark.browser


def test_create_invite_assign_complete_see_and_export(
    page: Page, browser, live_server, browser_app, make_user, assert_accessible
):
    trainer = make_user(Role.trainer, name="Tess Trainer")
    module = browser_app.state.content.all("module")[0]

    # The trainer creates a cohort; an empty name is explained, not lost.
    sign_in(page, trainer.email, trainer.password)
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Cohorts").click()
    expect(page.get_by_role("heading", name="Cohorts", exact=True)).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Create cohort").click()
    expect(page.get_by_role("heading", name="There is a problem")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Cohort name").fill("CAMHS North, 2027 intake")
    page.get_by_role("button", name="Create cohort").click()
    expect(page.get_by_role("heading", name="CAMHS North, 2027 intake")).to_be_visible()
    assert_accessible(page)

    # Assign a module with a due date.
    page.get_by_label("Module", exact=True).select_option(module.slug)
    page.get_by_label("Day", exact=True).fill("31")
    page.get_by_label("Month", exact=True).fill("3")
    page.get_by_label("Year", exact=True).fill("2030")
    page.get_by_role("button", name="Assign module").click()
    expect(page.get_by_text("Module assigned.")).to_be_visible()
    expect(page.get_by_role("cell", name=module.title, exact=True)).to_be_visible()
    assert_accessible(page)

    # Invite a new practitioner: the single-use link is shown once.
    page.locator("#invite-email").fill("jo.new@trust.nhs.uk")
    page.get_by_role("button", name="Create invitation link").click()
    expect(page.get_by_role("heading", name="Invitation link ready")).to_be_visible()
    assert_accessible(page)
    link = page.get_by_label("Invitation link", exact=True).input_value()
    assert re.match(rf"^{re.escape(live_server)}/invitations/[\w-]+$", link)

    # The invitee opens it in their own browser, sets a password, and sees the assignment.
    invitee_context = browser.new_context(base_url=live_server, locale="en-GB")
    invitee = invitee_context.new_page()
    try:
        invitee.goto(link)
        expect(invitee.get_by_role("heading", name="Join Askwell")).to_be_visible()
        assert_accessible(invitee)
        invitee.get_by_label("Your name").fill("Jo New")
        invitee.get_by_label("Choose a password").fill("a long enough password")
        invitee.get_by_label("Type the password again").fill("a long enough password")
        invitee.get_by_role("button", name="Create my account").click()
        expect(invitee.get_by_role("heading", name="Assigned to you")).to_be_visible()
        expect(
            invitee.get_by_role("row", name=re.compile(re.escape(module.title))).first
        ).to_contain_text("31 March 2030")
        assert_accessible(invitee)

        # They complete the module: every section, then the quiz.
        invitee.goto(f"/modules/{module.slug}/sections/{module.sections[0].id}")
        for _ in module.sections:
            invitee.get_by_role("button", name=re.compile(r"^Next: ")).click()
        for question in module.quiz.questions:
            for option in question.options:
                if option.correct:
                    invitee.locator(f"#question-{question.id}-{option.id}").check()
        invitee.get_by_role("button", name="Check my answers").click()
        expect(invitee.get_by_role("heading", name="Module completed")).to_be_visible()

        # A certificate to download, and a public page that confirms it.
        invitee.get_by_role("link", name="Continue to your certificate and what is next").click()
        invitee.get_by_role("link", name="your certificates page").click()
        assert_accessible(invitee)
        with invitee.expect_download() as download:
            invitee.get_by_role("link", name=re.compile("^Download PDF")).click()
        pdf = download.value.path().read_bytes()
        assert pdf.startswith(b"%PDF-")
        invitee.goto(live_server + "/verify/0000000000000000")
        expect(invitee.get_by_role("heading", name="Page not found")).to_be_visible()
    finally:
        invitee_context.close()

    # The trainer sees the completion on the dashboard, with counts and a chart.
    page.goto("/cohorts")
    page.get_by_role("link", name=re.compile("^Dashboard")).click()
    expect(page.get_by_role("heading", name="Completion", exact=True)).to_be_visible()
    row = page.get_by_role("row", name=re.compile("Jo New"))
    expect(row).to_contain_text("Completed")
    expect(page.get_by_role("img", name=re.compile("^Line chart"))).to_be_visible()
    assert_accessible(page)

    # Filter to completed only and export exactly that.
    page.get_by_label("Status", exact=True).select_option("completed")
    page.get_by_role("button", name="Apply filters").click()
    expect(page.get_by_role("row", name=re.compile("Jo New"))).to_be_visible()
    assert_accessible(page)
    with page.expect_download() as download:
        page.get_by_role("link", name=re.compile("^Download all")).click()
    exported = list(csv.reader(io.StringIO(download.value.path().read_text(encoding="utf-8"))))
    assert exported[0][:5] == ["Cohort", "Practitioner", "Email", "Module", "Status"]
    assert [r[1:5] for r in exported[1:]] == [
        ["Jo New", "jo.new@trust.nhs.uk", module.title, "Completed"]
    ]

    # The same cohort as a grid: a row per practitioner, a column per module.
    page.get_by_role("link", name="A row per practitioner, a column per module").click()
    person = page.get_by_role("row", name=re.compile("Jo New"))
    expect(person).to_contain_text("Completed")
    expect(page.get_by_role("columnheader", name=module.title)).to_be_visible()
    assert_accessible(page)
    with page.expect_download() as download:
        page.get_by_role("link", name=re.compile("^Download all")).click()
    grid = list(csv.reader(io.StringIO(download.value.path().read_text(encoding="utf-8"))))
    assert grid[0] == ["Practitioner", "Email", module.title]
    assert [r[:2] for r in grid[1:]] == [["Jo New", "jo.new@trust.nhs.uk"]]
    assert grid[1][2].startswith("Completed, due ")

    # Their record, and the module and quiz reports.
    page.get_by_role("link", name="Jo New").click()
    expect(page.get_by_role("heading", name="Jo New")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Reports").click()
    assert_accessible(page)
    page.get_by_role("link", name=module.title).click()
    expect(page.get_by_text("Passed the quiz at the first attempt")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="See how each quiz question was answered").click()
    expect(page.get_by_text("Fewer than 20 answers: treat with care").first).to_be_visible()
    assert_accessible(page)
    page.goto("/reports/questions")
    assert_accessible(page)


def test_the_dashboard_works_on_a_phone_without_javascript(browser, live_server, make_user):
    trainer = make_user(Role.trainer)
    context = browser.new_context(
        base_url=live_server, java_script_enabled=False, viewport={"width": 375, "height": 740}
    )
    page = context.new_page()
    try:
        sign_in(page, trainer.email, trainer.password)
        page.goto("/cohorts")
        page.get_by_label("Cohort name").fill("Phone cohort")
        page.get_by_role("button", name="Create cohort").click()
        expect(page.get_by_role("heading", name="Phone cohort")).to_be_visible()
        page.get_by_role("link", name="Completion dashboard").click()
        expect(page.get_by_role("heading", name="Completion", exact=True)).to_be_visible()
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 375, f"the dashboard scrolls sideways on a phone ({width}px wide)"
    finally:
        context.close()


def test_a_trainer_adds_a_whole_team_by_pasting_addresses(page: Page, make_user, assert_accessible):
    trainer = make_user(Role.trainer)
    known = make_user(Role.practitioner, name="Known Person")
    sign_in(page, trainer.email, trainer.password)
    page.goto("/cohorts")
    page.get_by_label("Cohort name").fill("Student wellbeing team")
    page.get_by_role("button", name="Create cohort").click()
    page.get_by_text("Add many people at once").click()
    page.get_by_label("Email addresses").fill(
        f"Known Person <{known.email}>; new.starter@uni.ac.uk\nnot an address"
    )
    page.get_by_role("button", name="Add these people").click()
    expect(page.get_by_role("heading", name="People added")).to_be_visible()
    expect(
        page.get_by_text("Asked to join (they appear in the cohort once they accept): 1")
    ).to_be_visible()
    expect(page.get_by_role("cell", name="new.starter@uni.ac.uk").first).to_be_visible()
    expect(page.get_by_text("not an address: not an email address")).to_be_visible()
    # Until they accept, the trainer sees only the address they typed, waiting.
    expect(page.get_by_role("cell", name="Known Person", exact=True)).to_have_count(0)
    expect(page.get_by_role("cell", name=known.email, exact=True)).to_be_visible()
    assert_accessible(page)

"""The practitioner's whole learning loop in a real browser, with axe on every page it visits."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from app.models.users import Role
from tests.browser.conftest import sign_in

pytestmark = pytest.mark.browser


def first_module(browser_app):
    return browser_app.state.content.all("module")[0]


def test_sign_in_read_a_module_pass_its_quiz_and_find_it_kept(
    page: Page, browser_app, make_user, assert_accessible
):
    account = make_user(Role.practitioner, name="Jo Practitioner")
    module = first_module(browser_app)

    page.goto("/")
    assert_accessible(page)
    page.get_by_role("link", name="Sign in").click()
    expect(page.get_by_role("heading", name="Sign in to Askwell")).to_be_visible()
    assert_accessible(page)

    # A wrong password shows an error summary and keeps what was typed.
    page.get_by_label("Email address").fill(account.email)
    page.get_by_label("Password").fill("not-my-password")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="There is a problem")).to_be_visible()
    expect(page.get_by_label("Email address")).to_have_value(account.email)
    assert_accessible(page)

    page.get_by_label("Password").fill(account.password)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="Your learning")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Modules").click()
    expect(page.get_by_role("heading", name="Modules", exact=True)).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name=module.title).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(module.title)
    assert_accessible(page)
    page.get_by_role("link", name=re.compile(r"^Start")).click()

    for number, section in enumerate(module.sections, start=1):
        expect(page.get_by_role("heading", level=1)).to_have_text(section.title)
        expect(page.get_by_text(f"section {number} of {len(module.sections)}")).to_be_visible()
        assert_accessible(page)
        if number == 2:
            # Leave half-way, sign out, come back: "continue where you left off".
            page.get_by_role("button", name="Sign out").click()
            expect(page.get_by_text("You have signed out.")).to_be_visible()
            assert_accessible(page)
            sign_in(page, account.email, account.password)
            expect(page.get_by_role("heading", name="Continue where you left off")).to_be_visible()
            page.get_by_role("link", name=re.compile(r"^Continue")).first.click()
            expect(page.get_by_role("heading", level=1)).to_have_text(section.title)
        page.get_by_role("button", name=re.compile(r"^Next: ")).click()

    expect(page.get_by_role("heading", name="Check your understanding")).to_be_visible()
    assert_accessible(page)

    # Submitting with nothing chosen lists every question in the error summary.
    page.get_by_role("button", name="Check my answers").click()
    expect(page.get_by_role("heading", name="There is a problem")).to_be_visible()
    assert_accessible(page)

    for question in module.quiz.questions:
        for option in question.options:
            if option.correct:
                page.locator(f"#question-{question.id}-{option.id}").check()
    page.get_by_role("button", name="Check my answers").click()
    expect(page.get_by_role("heading", name="Your quiz result: 100%")).to_be_visible()
    expect(page.get_by_role("heading", name="Module completed")).to_be_visible()
    right_option = next(o for o in module.quiz.questions[0].options if o.correct)
    expect(page.get_by_text(right_option.feedback).first).to_be_visible()
    assert_accessible(page)

    page.get_by_role("button", name="Sign out").click()
    sign_in(page, account.email, account.password)
    row = page.get_by_role("row", name=re.compile(re.escape(module.title)))
    expect(row.get_by_text("Completed")).to_be_visible()
    expect(row).not_to_contain_text("%")  # the status says it once: no "100%" beside it
    page.get_by_role("link", name=module.title).click()
    status = page.locator(
        "main p", has_text=re.compile(r"Completed\s+on\s+\d+\s+\w+\s+\d{4}; refresh")
    )
    expect(status).to_be_visible()
    assert_accessible(page)


# The real curriculum is checked in shares, so the test workers can check them side by side.
ACCESSIBILITY_SHARES = 4


@pytest.mark.parametrize("share", range(ACCESSIBILITY_SHARES))
def test_every_module_and_app_card_page_is_accessible(
    page: Page, browser_app, make_user, assert_accessible, share: int
):
    """Axe on every real module (one page and all sections), its quiz, and every app card."""
    account = make_user(Role.practitioner)
    sign_in(page, account.email, account.password)
    if share == 0:
        page.goto("/modules?kind=app")
        assert_accessible(page)
    every_entry = sorted(browser_app.state.content.all(), key=lambda entry: entry.slug)
    assert len(every_entry) >= ACCESSIBILITY_SHARES
    for module in every_entry[share::ACCESSIBILITY_SHARES]:
        page.goto(f"/modules/{module.slug}")
        if module.content_warning:
            expect(page.get_by_role("heading", name="Content warning")).to_be_visible()
        assert_accessible(page)
        if module.kind == "module":
            page.goto(f"/modules/{module.slug}/all")
            assert_accessible(page)
            page.goto(f"/modules/{module.slug}/quiz")
            assert_accessible(page)


def test_content_warning_comes_before_the_content(page: Page, browser_app, make_user):
    sensitive = [m for m in browser_app.state.content.all("module") if m.content_warning]
    if not sensitive:
        pytest.skip("no module with a content warning in modules/")
    account = make_user(Role.practitioner)
    sign_in(page, account.email, account.password)
    page.goto(f"/modules/{sensitive[0].slug}")
    warning = page.get_by_role("heading", name="Content warning")
    title = page.get_by_role("heading", level=1)
    assert warning.bounding_box()["y"] < title.bounding_box()["y"]


def test_the_journey_works_without_javascript_and_on_a_phone(
    browser, live_server, browser_app, make_user
):
    account = make_user(Role.practitioner)
    module = first_module(browser_app)
    context = browser.new_context(
        base_url=live_server, java_script_enabled=False, viewport={"width": 375, "height": 740}
    )
    page = context.new_page()
    try:
        sign_in(page, account.email, account.password)
        page.goto(f"/modules/{module.slug}/sections/{module.sections[0].id}")
        page.get_by_role("button", name=re.compile(r"^Next: ")).click()
        expect(page.get_by_role("heading", level=1)).to_have_text(module.sections[1].title)
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 375, f"the page scrolls sideways on a phone ({width}px wide)"
    finally:
        context.close()

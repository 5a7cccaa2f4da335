"""Sharing a scenario through its question pages in a real browser, with and without
JavaScript, on a desktop and on a 320 px phone: the credit name is revealed only when it
applies, Change links come back to check your answers, drafts are deleted, and each scenario
shows its timeline. Axe checks every page on the way (with JavaScript on, as it is a script)."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from playwright.sync_api import Browser, Page, expect

from app.models.users import Role
from tests.browser.conftest import sign_in

pytestmark = pytest.mark.browser

DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 320, "height": 640}


@pytest.fixture
def open_page(browser: Browser, live_server: str) -> Iterator[Callable[..., Page]]:
    contexts = []

    def _open(*, javascript: bool = True, viewport: dict[str, int] = DESKTOP) -> Page:
        context = browser.new_context(
            base_url=live_server,
            locale="en-GB",
            java_script_enabled=javascript,
            viewport=viewport,
        )
        context.set_default_timeout(10_000)
        contexts.append(context)
        return context.new_page()

    yield _open
    for context in contexts:
        context.close()


def fits(page: Page) -> None:
    """Nothing on the page makes it scroll sideways."""
    width = page.evaluate("document.documentElement.scrollWidth")
    viewport = page.viewport_size
    assert viewport is not None and width <= viewport["width"], (
        f"{page.url} scrolls sideways ({width}px wide)"
    )


def continue_on(page: Page, check: Callable[[Page], None]) -> None:
    check(page)
    fits(page)
    page.get_by_role("button", name="Continue").click()


@pytest.mark.parametrize("javascript", [True, False], ids=["with-js", "without-js"])
@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "320px"])
def test_a_young_person_shares_a_scenario_question_by_question(
    open_page, make_user, assert_accessible, javascript, viewport
):
    account = make_user(Role.codesigner)
    page = open_page(javascript=javascript, viewport=viewport)
    # axe-core runs as a script in the page, so it checks the pages when JavaScript is on
    # (the server sends the same HTML either way).
    check = assert_accessible if javascript else fits
    sign_in(page, account.email, account.password)
    page.goto("/scenarios/new")

    expect(page.get_by_text("question 1 of 6")).to_be_visible()
    page.get_by_label("Give your scenario a short title").fill("When my nurse asked")
    continue_on(page, check)

    # A Back link returns to the answer just given, which was saved.
    page.get_by_role("link", name="Back", exact=True).click()
    expect(page.get_by_label("Give your scenario a short title")).to_have_value(
        "When my nurse asked"
    )
    page.get_by_role("button", name="Continue").click()

    page.get_by_label("Which apps, games or sites").fill("Snapchat")
    page.get_by_label("What happened, and what did you see or do?").fill(
        "I kept checking my streaks late at night."
    )
    continue_on(page, check)
    page.get_by_label("What did a practitioner say or do?").fill(
        "She asked what I like about Snapchat."
    )
    continue_on(page, check)
    page.get_by_label("How did that feel?").fill("Like she got it.")
    page.get_by_label("What would have helped?").fill("More of that.")
    continue_on(page, check)
    page.get_by_label("Asking", exact=True).check()
    continue_on(page, check)

    # The name to credit is revealed only for a credit by name when JavaScript runs, and is
    # always there (labelled for when it applies) when it does not.
    name = page.get_by_label("The name to credit (only if you chose a made-up name")
    if javascript:
        expect(name).to_be_hidden()
        page.get_by_label("Credit me with a made-up name").check()
        expect(name).to_be_visible()
        page.get_by_label("Do not credit me").check()
        expect(name).to_be_hidden()
        page.get_by_label("Credit me with my first name only").check()
    else:
        expect(name).to_be_visible()
        page.get_by_label("Credit me with my first name only").check()
    check(page)
    name.fill("Sam")
    continue_on(page, check)

    # Check your answers, with a Change link that comes back here.
    expect(page.get_by_role("heading", name="Check your answers before sending")).to_be_visible()
    expect(page.get_by_text("My first name: Sam")).to_be_visible()
    check(page)
    fits(page)
    page.get_by_role("link", name="Change how it felt").click()
    page.get_by_label("How did that feel?").fill("Like she really got it.")
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", name="Check your answers before sending")).to_be_visible()
    expect(page.get_by_text("Like she really got it.")).to_be_visible()
    expect(page.locator("#personal-details")).to_have_count(0)
    page.get_by_role("button", name="Send for review").click()

    expect(page.get_by_role("heading", name="Your scenario has been sent")).to_be_visible()
    page.get_by_role("link", name="See your scenario").click()
    timeline = page.locator(".askwell-timeline")
    expect(timeline.get_by_text("You sent it for review")).to_be_visible()
    expect(timeline.get_by_text("You started it")).to_be_visible()
    check(page)
    fits(page)


def test_a_draft_is_deleted_not_withdrawn(open_page, make_user, assert_accessible):
    account = make_user(Role.codesigner)
    page = open_page(viewport=PHONE)
    sign_in(page, account.email, account.password)
    page.goto("/scenarios/new")
    page.get_by_label("Give your scenario a short title").fill("Not sure about this")
    page.get_by_role("button", name="Save and come back later").click()
    expect(page.get_by_text("Your draft is saved")).to_be_visible()
    expect(page.get_by_role("link", name="Withdraw this scenario")).to_have_count(0)
    assert_accessible(page)
    page.get_by_role("link", name="Delete draft").click()
    expect(page.get_by_role("heading", name="Delete “Not sure about this”?")).to_be_visible()
    assert_accessible(page)
    fits(page)
    page.get_by_role("button", name="Yes, delete this draft").click()
    expect(page.get_by_text("Your draft has been deleted.")).to_be_visible()
    expect(page.get_by_role("link", name="Not sure about this")).to_have_count(0)
    assert_accessible(page)


def test_a_question_left_unanswered_is_pointed_out(open_page, make_user, assert_accessible):
    account = make_user(Role.codesigner)
    page = open_page()
    sign_in(page, account.email, account.password)
    page.goto("/scenarios/new")
    page.get_by_role("button", name="Continue").click()
    summary = page.get_by_role("alert")
    expect(summary.get_by_role("heading", name="There is a problem")).to_be_visible()
    assert_accessible(page)
    summary.get_by_role("link", name="Give your scenario a short title").click()
    expect(page.get_by_label("Give your scenario a short title")).to_be_focused()


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "320px"])
def test_a_young_person_reads_their_data_in_words(
    open_page, make_user, assert_accessible, viewport
):
    account = make_user(Role.codesigner)
    page = open_page(viewport=viewport)
    sign_in(page, account.email, account.password)
    page.goto("/scenarios/new")
    page.get_by_label("Give your scenario a short title").fill("Streaks at night")
    page.get_by_role("button", name="Save and come back later").click()
    page.goto("/my-data")
    assert_accessible(page)
    page.get_by_role("link", name="Read your data").click()
    expect(page.get_by_role("heading", name="Everything Askwell holds about you")).to_be_visible()
    expect(page.get_by_text(account.email)).to_be_visible()
    expect(page.get_by_role("heading", name="Streaks at night")).to_be_visible()
    expect(page.get_by_text("You started it")).to_be_visible()
    expect(page.get_by_role("link", name="download it as a PDF")).to_be_visible()
    assert_accessible(page)
    fits(page)

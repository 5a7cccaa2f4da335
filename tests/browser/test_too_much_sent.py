"""Someone who sends more than Askwell accepts gets a page that says so, not a broken one."""

from __future__ import annotations

from collections.abc import Callable

from playwright.sync_api import Page, expect

from app.core.config import DEFAULT_MAX_BODY_BYTES


def test_a_form_too_large_to_send_gets_a_plain_page(
    page: Page, assert_accessible: Callable[[Page], None]
) -> None:
    page.goto("/sign-in")
    page.get_by_label("Email address").fill("someone@askwell.test")
    # As if pasted into a field with no length limit: more than the whole request may carry.
    page.get_by_label("Password").evaluate(
        "(field, size) => { field.removeAttribute('maxlength'); field.value = 'x'.repeat(size); }",
        DEFAULT_MAX_BODY_BYTES + 1,
    )
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("That was too much to send")
    expect(page.get_by_text("(1 MB)")).to_be_visible()
    expect(page.get_by_role("link", name="Go to the Askwell home page")).to_be_visible()
    assert_accessible(page)

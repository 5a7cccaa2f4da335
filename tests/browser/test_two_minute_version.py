"""The two-minute version of every module, on a 320 px phone in a real Chromium."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from fastapi import FastAPI
from playwright.sync_api import Browser, Page, expect

from app.models.users import Role
from tests.browser.conftest import sign_in
from tests.browser.test_small_screens import PHONE, Visit, problems_here

pytestmark = pytest.mark.browser


def test_every_module_in_two_minutes_fits_a_phone_and_passes_axe(
    browser: Browser,
    live_server: str,
    browser_app: FastAPI,
    make_user,
    assert_accessible: Callable[[Page], None],
) -> None:
    account = make_user(Role.practitioner)
    modules = browser_app.state.content.all("module")
    context = browser.new_context(base_url=live_server, locale="en-GB", viewport=PHONE)
    context.set_default_timeout(10_000)
    page = context.new_page()
    try:
        sign_in(page, account.email, account.password)
        problems: list[str] = []
        for module in modules:
            if not (module.key_points or module.asks):
                continue
            page.goto(f"/modules/{module.slug}")
            page.get_by_role("link", name="Short on time? The two-minute version").click()
            expect(page.get_by_role("heading", level=1)).to_have_text("In two minutes")
            main = page.locator("main")
            for block in module.key_points:
                expect(
                    main.locator("li").filter(has_text=block.items[0][:40]).first
                ).to_be_visible()
            for ask in module.asks:
                expect(main.get_by_text(ask.do, exact=True)).to_be_visible()
            problems += problems_here(
                page, Visit(page.url, f"/modules/{module.slug}"), assert_accessible
            )
            page.get_by_role("link", name="Read the full module").click()
            expect(page.get_by_role("heading", level=1)).to_have_text(module.title)
        assert not problems, "\n".join(problems)
    finally:
        context.close()

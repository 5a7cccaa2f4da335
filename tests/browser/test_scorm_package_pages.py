"""Every module Askwell ships, as its SCORM package's page reads with the runtime script
blocked (as where an LMS or a browser blocks it): every page shows at once, with no axe
finding."""

from __future__ import annotations

from collections.abc import Callable

from playwright.sync_api import Browser, Page, Route

from tests.scorm.conftest import packages

ORIGIN = "http://lms.askwell.test"


def test_every_shipped_module_reads_without_its_script_and_passes_axe(
    browser_app, browser: Browser, assert_accessible: Callable[[Page], None]
):
    served: dict[str, bytes] = {}

    def serve(route: Route) -> None:
        name = route.request.url.removeprefix(f"{ORIGIN}/").split("?")[0]
        kind = "text/css" if name.endswith(".css") else "text/html"
        # The runtime script never arrives, as where an LMS or a browser blocks it.
        if name in served and not name.endswith(".js"):
            route.fulfill(status=200, body=served[name], content_type=kind)
        else:
            route.fulfill(status=404, body=b"")

    context = browser.new_context(locale="en-GB")
    context.set_default_timeout(10_000)
    context.route(f"{ORIGIN}/**", serve)
    page = context.new_page()
    try:
        for slug, files in packages(browser_app):
            served.clear()
            served.update(files)
            page.goto(f"{ORIGIN}/index.html")
            # Without the script every section shows, one after another.
            for section in browser_app.state.content.get(slug).sections:
                assert page.locator(f"#page-{section.id}").is_visible(), (slug, section.id)
            assert_accessible(page)
    finally:
        context.close()

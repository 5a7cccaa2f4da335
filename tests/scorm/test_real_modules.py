"""Every module Askwell ships, exported: each manifest valid against the ADL schemas, and each
package readable without its script (every page at once) with no axe finding."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from fastapi import FastAPI
from playwright.sync_api import Browser, Page, Route

from app.core.config import PROJECT_ROOT
from app.core.db import session_scope
from app.scorm.service import build_package
from tests.browser.conftest import AxeChecker, browser  # noqa: F401
from tests.conftest import make_settings
from tests.scorm.conftest import read_xml, scorm_12_schema, unzip

ORIGIN = "http://lms.askwell.test"


@pytest.fixture
def shipped(start_app: Callable, database_url: str) -> FastAPI:
    return start_app(make_settings(database_url, modules_dir=PROJECT_ROOT / "modules"))


def packages(app: FastAPI) -> Iterator[tuple[str, dict[str, bytes]]]:
    with session_scope(app.state.engine, write=False) as session:
        for module in app.state.content.all("module"):
            package = build_package(session, app.state.content, app.state.templates, module.slug)
            yield module.slug, unzip(package.data)


def test_every_shipped_module_has_a_manifest_valid_against_scorm_12(shipped):
    schema = scorm_12_schema()
    checked = []
    for slug, files in packages(shipped):
        manifest = read_xml(files["imsmanifest.xml"])
        assert schema.validate(manifest), (slug, schema.error_log)
        checked.append(slug)
    assert len(checked) == len(shipped.state.content.all("module")) >= 10


@pytest.mark.browser
@pytest.mark.commits
def test_every_shipped_module_reads_without_its_script_and_passes_axe(
    shipped,
    browser: Browser,  # noqa: F811
):
    from axe_playwright_python.sync_playwright import Axe

    assert_accessible: Callable[[Page], None] = AxeChecker(checked=[], _axe=Axe())
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
        for slug, files in packages(shipped):
            served.clear()
            served.update(files)
            page.goto(f"{ORIGIN}/index.html")
            # Without the script every section shows, one after another.
            for section in shipped.state.content.get(slug).sections:
                assert page.locator(f"#page-{section.id}").is_visible(), (slug, section.id)
            assert_accessible(page)
    finally:
        context.close()

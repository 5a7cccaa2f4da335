"""A trainer exports a module for their trust's LMS, in a real browser, with axe on each page."""

from __future__ import annotations

import io
import zipfile

import pytest
from playwright.sync_api import Page, expect

from app.models.users import Role
from tests.browser.conftest import sign_in

pytestmark = pytest.mark.browser


def test_a_trainer_downloads_a_scorm_package_from_the_modules_page(
    page: Page, browser_app, make_user, assert_accessible
):
    trainer = make_user(Role.trainer, name="Tess Trainer")
    module = browser_app.state.content.get("why-ask")
    sign_in(page, trainer.email, trainer.password)

    page.goto(f"/modules/{module.slug}")
    page.get_by_role("link", name="Export for another learning system").click()
    expect(page.get_by_role("heading", name="Export as a SCORM package")).to_be_visible()
    expect(page.get_by_text("does not update itself")).to_be_visible()
    assert_accessible(page)

    with page.expect_download() as started:
        page.get_by_role("link", name="Download the SCORM package").click()
    download = started.value
    assert download.suggested_filename == f"askwell-{module.slug}-v{module.version}-scorm12.zip"
    with zipfile.ZipFile(io.BytesIO(download.path().read_bytes())) as archive:
        assert {"imsmanifest.xml", "index.html", "askwell-scorm.js"} <= set(archive.namelist())


def test_a_practitioner_is_offered_no_export(page: Page, browser_app, make_user):
    practitioner = make_user(Role.practitioner)
    module = browser_app.state.content.get("why-ask")
    sign_in(page, practitioner.email, practitioner.password)
    page.goto(f"/modules/{module.slug}")
    expect(page.get_by_role("heading", name=module.title)).to_be_visible()
    expect(page.get_by_role("link", name="Export for another learning system")).to_have_count(0)

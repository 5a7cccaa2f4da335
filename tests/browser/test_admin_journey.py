"""An admin finds a person, gives them a second role, and reads the audit log."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from app.models.users import Role
from tests.browser.conftest import sign_in

pytestmark = pytest.mark.browser


def test_admin_changes_roles_and_sees_it_in_the_audit_log(page: Page, make_user, assert_accessible):
    admin = make_user(Role.admin)
    make_user(Role.practitioner, name="Robin Clinical Lead")
    sign_in(page, admin.email, admin.password)
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Accounts").click()
    assert_accessible(page)
    page.get_by_label("Name or email").fill("robin")
    page.get_by_role("button", name="Find").click()
    page.get_by_role("link", name="Robin Clinical Lead").click()
    assert_accessible(page)
    page.get_by_label("Trainer").check()
    page.get_by_role("button", name="Save changes").click()
    expect(page.get_by_text("Changes saved.")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Audit log").click()
    expect(page.get_by_role("cell", name="account.update")).to_be_visible()
    assert_accessible(page)

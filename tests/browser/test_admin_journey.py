"""An admin finds a person, gives them a second role, and reads the audit log."""

from __future__ import annotations

import re

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
    expect(
        page.get_by_role("cell", name=re.compile("gave Robin Clinical Lead the trainer role"))
    ).to_be_visible()
    assert_accessible(page)


def test_a_forgotten_password_is_reset_with_an_admins_link_then_changed(
    page: Page, browser, live_server, make_user, assert_accessible
):
    admin = make_user(Role.admin)
    person = make_user(Role.practitioner, name="Forgetful Person")
    sign_in(page, admin.email, admin.password)
    page.goto(f"/admin/users/{person.id}")
    page.get_by_role("button", name="Make a password reset link").click()
    expect(page.get_by_role("heading", name="Password reset link ready")).to_be_visible()
    assert_accessible(page)
    link = page.get_by_label("Password reset link").input_value()

    context = browser.new_context(base_url=live_server, locale="en-GB")
    try:
        them = context.new_page()
        them.goto("/sign-in")
        expect(them.get_by_text("Forgotten your password?")).to_be_visible()
        them.goto(link)
        expect(them.get_by_role("heading", name="Choose a new password")).to_be_visible()
        assert_accessible(them)
        them.get_by_label("A new password").fill("first new passphrase")
        them.get_by_label("Type the new password again").fill("first new passphrase")
        them.get_by_role("button", name="Save my new password").click()
        expect(them.get_by_text("Sign in with your new password.")).to_be_visible()
        sign_in(them, person.email, "first new passphrase")
        them.get_by_role("link", name="Forgetful Person").click()
        expect(them.get_by_role("heading", name="Your account")).to_be_visible()
        assert_accessible(them)
        them.get_by_role("link", name="Change your password").click()
        expect(them.get_by_role("heading", name="Change your password")).to_be_visible()
        assert_accessible(them)
        them.get_by_label("Your current password").fill("first new passphrase")
        them.get_by_label("A new password").fill("second new passphrase")
        them.get_by_label("Type the new password again").fill("second new passphrase")
        them.get_by_role("button", name="Change my password").click()
        expect(them.get_by_text("Your password has been changed.")).to_be_visible()
        assert_accessible(them)
    finally:
        context.close()


def test_privacy_and_accessibility_are_a_click_away_before_signing_in(
    page: Page, assert_accessible
):
    page.goto("/")
    page.get_by_role("link", name="Privacy").click()
    expect(
        page.get_by_role("heading", name="Privacy: what Askwell keeps about you")
    ).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Accessibility statement").click()
    expect(page.get_by_role("heading", name="Accessibility statement", level=1)).to_be_visible()
    assert_accessible(page)

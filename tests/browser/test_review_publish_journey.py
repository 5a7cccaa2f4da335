"""A trainer reviews a scenario, decides, chooses its modules, previews and publishes it,
in a real browser with axe on every page; a practitioner then finds it only where chosen."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient
from playwright.sync_api import Browser, Page, expect

from app.models.users import Role
from tests.browser.conftest import sign_in
from tests.conftest import api_login
from tests.scenarios.conftest import scenario_body

pytestmark = pytest.mark.browser

CHOSEN = "the-good-side"
SENSITIVE = "harmful-content-self-harm-suicide-eating"


def new_page(browser: Browser, live_server: str) -> Page:
    context = browser.new_context(base_url=live_server, locale="en-GB")
    context.set_default_timeout(10_000)
    return context.new_page()


def test_review_decide_choose_modules_preview_and_publish(
    browser, live_server, browser_app, make_user, assert_accessible
):
    young_person = make_user(Role.codesigner, name="Young Person")
    trainer = make_user(Role.trainer, name="Sam Trainer")
    practitioner = make_user(Role.practitioner, name="Pat Practitioner")
    modules = {module.slug: module for module in browser_app.state.content.all("module")}
    with TestClient(browser_app, base_url="http://testserver") as client:
        api_login(client, young_person)
        sent = client.post(
            "/api/v1/scenarios",
            json=scenario_body(
                title="A group chat that helped",
                what_happened="Tom set up a group chat where we checked in on each other.",
                topics=["peer-support", "asking"],
            ),
        )
        assert sent.status_code == 201, sent.text

    # The queue names topics in words; the trainer opens the scenario and claims it.
    reviewer = new_page(browser, live_server)
    sign_in(reviewer, trainer.email, trainer.password)
    reviewer.goto("/review/scenarios")
    row = reviewer.get_by_role("row", name=re.compile("A group chat that helped"))
    expect(row).to_contain_text("Asking, Peer support")
    expect(row).to_contain_text("Nobody yet")
    assert_accessible(reviewer)
    row.get_by_role("link", name="A group chat that helped").click()
    reviewer.get_by_role("button", name="Review this scenario").click()
    expect(reviewer.get_by_text("You are reviewing this.")).to_be_visible()
    assert_accessible(reviewer)

    # Accepting keeps the suggested text, where the name became [name]; the page confirms it.
    reviewer.get_by_label("Accept it, with the anonymised text below").check()
    reviewer.get_by_label("Note to the young person").fill("Thank you for sharing this.")
    expect(reviewer.get_by_label("Published text")).to_have_value(re.compile(r"\[name\] set up"))
    reviewer.get_by_role("button", name="Save decision").click()
    banner = reviewer.locator(".nhsuk-notification-banner--success")
    expect(banner).to_contain_text("Scenario accepted")
    expect(reviewer.get_by_text("You are reviewing this.")).to_have_count(0)
    assert_accessible(reviewer)

    # Suggested modules are ticked; the sensitive one that only shares "asking" is not.
    expect(reviewer.locator(f'input[name="modules"][value="{CHOSEN}"]')).to_be_checked()
    expect(reviewer.locator(f'input[name="modules"][value="{SENSITIVE}"]')).not_to_be_checked()
    for box in reviewer.locator('input[name="modules"]').all():
        if box.get_attribute("value") != CHOSEN:
            box.uncheck()
    preview = reviewer.locator(".askwell-preview")
    expect(preview).to_contain_text("[name] set up a group chat")

    # Publishing with the placeholder left is refused with an error summary, nothing lost.
    reviewer.get_by_role("button", name="Publish it in the modules").click()
    summary = reviewer.locator(".nhsuk-error-summary")
    expect(summary).to_contain_text("[name]")
    expect(reviewer.locator(f'input[name="modules"][value="{CHOSEN}"]')).to_be_checked()
    assert_accessible(reviewer)

    # The trainer rewrites it and previews the change as practitioners will see it.
    text = reviewer.get_by_label("Published text")
    text.fill(text.input_value().replace("[name]", "A friend"))
    reviewer.get_by_role("button", name="Preview changes").click()
    expect(
        reviewer.get_by_role("heading", name=re.compile("Preview of your changes"))
    ).to_be_visible()
    expect(preview).to_contain_text("A friend set up a group chat")
    expect(preview).to_contain_text("Shared by a young co-designer")
    assert_accessible(reviewer)

    reviewer.get_by_role("button", name="Publish it in the modules").click()
    expect(banner).to_contain_text("Scenario published")
    expect(banner.get_by_role("link", name=modules[CHOSEN].title)).to_be_visible()
    expect(banner.get_by_role("link", name=modules[SENSITIVE].title)).to_have_count(0)
    assert_accessible(reviewer)

    # A practitioner finds it in the chosen module only.
    reader = new_page(browser, live_server)
    sign_in(reader, practitioner.email, practitioner.password)
    reader.goto(f"/modules/{CHOSEN}")
    expect(reader.get_by_text("A friend set up a group chat")).to_be_visible()
    reader.goto(f"/modules/{SENSITIVE}")
    expect(reader.get_by_role("heading", name="Self-harm, suicide")).to_be_visible()
    expect(reader.get_by_text("A friend set up a group chat")).to_have_count(0)

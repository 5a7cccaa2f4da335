"""The co-design loop in a real browser: a young person shares a scenario, a trainer reviews it,
a practitioner reads it, and the young person withdraws it. Axe checks every page visited."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Browser, Page, expect

from app.models.users import Role
from tests.browser.conftest import sign_in

pytestmark = pytest.mark.browser


def new_page(browser: Browser, live_server: str) -> Page:
    context = browser.new_context(base_url=live_server, locale="en-GB")
    context.set_default_timeout(10_000)
    return context.new_page()


def module_about_asking(browser_app):
    return next(m for m in browser_app.state.content.all("module") if "asking" in m.topics)


def test_share_review_revise_publish_read_and_withdraw(
    browser, live_server, browser_app, make_user, assert_accessible
):
    young_person = make_user(Role.codesigner, name="Young Person")
    trainer = make_user(Role.trainer, name="Tess Trainer")
    practitioner = make_user(Role.practitioner, name="Pat Practitioner")
    module = module_about_asking(browser_app)

    # The young person shares a scenario with a phone number in it and sees the warning.
    young = new_page(browser, live_server)
    sign_in(young, young_person.email, young_person.password)
    expect(young.get_by_role("heading", name="Shape the training")).to_be_visible()
    assert_accessible(young)
    young.get_by_role("link", name="Share a scenario").click()
    expect(young.get_by_role("heading", name="Give your scenario a short title")).to_be_visible()
    assert_accessible(young)
    young.get_by_label("Give your scenario a short title").fill("Asked to show my feed")
    young.get_by_role("button", name="Continue").click()
    young.get_by_label("Which apps, games or sites").fill("TikTok")
    young.get_by_label("What happened, and what did you see or do?").fill(
        "I was up every night scrolling. Text me on 07700 900123 if you want to know more."
    )
    young.get_by_role("button", name="Continue").click()
    young.get_by_label("What did a practitioner say or do?").fill(
        "My nurse asked me to show her my feed."
    )
    young.get_by_role("button", name="Continue").click()
    young.get_by_label("How did that feel?").fill("Like she was interested, not judging me.")
    young.get_by_label("What would have helped?").fill("Being asked which apps, not how long.")
    young.get_by_role("button", name="Continue").click()
    young.get_by_label("Asking", exact=True).check()
    young.get_by_role("button", name="Continue").click()
    young.get_by_label("Credit me with a made-up name").check()
    young.get_by_label("The name to credit").fill("Robin")
    young.get_by_label("My words may be quoted").check()
    young.get_by_role("button", name="Continue").click()

    # Check your answers shows the phone number before anything is sent.
    expect(young.get_by_role("heading", name="Check your answers before sending")).to_be_visible()
    callout = young.locator("#personal-details")
    expect(callout).to_contain_text("Phone number: 07700 900123")
    assert_accessible(young)

    # They take the number out and send it.
    callout.get_by_role("link", name="Phone number").click()
    expect(young.get_by_label("Which apps, games or sites")).to_have_value("TikTok")
    young.get_by_label("What happened, and what did you see or do?").fill(
        "I was up every night scrolling."
    )
    young.get_by_role("button", name="Continue").click()
    expect(young.locator("#personal-details")).to_have_count(0)
    young.get_by_role("button", name="Send for review").click()
    expect(young.get_by_role("heading", name="Your scenario has been sent")).to_be_visible()
    expect(young.get_by_role("heading", name="If you need support now")).to_have_count(0)
    assert_accessible(young)
    young.get_by_role("link", name="My contributions").first.click()
    expect(young.get_by_text("Sent – waiting for review")).to_be_visible()
    assert_accessible(young)

    # The trainer claims it and asks for changes.
    reviewer = new_page(browser, live_server)
    sign_in(reviewer, trainer.email, trainer.password)
    reviewer.get_by_role("navigation", name="Menu").get_by_role(
        "link", name="Review scenarios"
    ).click()
    assert_accessible(reviewer)
    reviewer.get_by_role("link", name="Asked to show my feed").click()
    assert_accessible(reviewer)
    reviewer.get_by_role("button", name="Review this scenario").click()
    reviewer.get_by_label("Ask the young person for changes").check()
    reviewer.get_by_label("Note to the young person").fill(
        "Thank you! Could you say what your nurse asked next?"
    )
    reviewer.get_by_role("button", name="Save decision").click()
    expect(reviewer.get_by_text("Changes suggested").first).to_be_visible()
    assert_accessible(reviewer)

    # The young person reads the note and revises.
    young.reload()
    expect(young.get_by_text("Could you say what your nurse asked next?")).to_be_visible()
    young.get_by_role("link", name=re.compile("^Make changes")).click()
    expect(young.get_by_role("heading", name="Check your answers before sending")).to_be_visible()
    assert_accessible(young)
    young.get_by_role("link", name="Change what a practitioner said or did").click()
    young.get_by_label("What did a practitioner say or do?").fill(
        "My nurse asked me to show her my feed, then whether any of it made me feel worse."
    )
    young.get_by_role("button", name="Continue").click()
    young.get_by_role("button", name="Send it again").click()
    expect(young.get_by_role("heading", name="Your scenario has been sent")).to_be_visible()

    # The trainer accepts it with an anonymised text and publishes it.
    reviewer.goto("/review/scenarios")
    reviewer.get_by_role("link", name="Asked to show my feed").click()
    reviewer.get_by_role("button", name="Review this scenario").click()
    reviewer.get_by_label("Accept it, with the anonymised text below").check()
    reviewer.get_by_label("Published title").fill("Show me your feed")
    reviewer.get_by_label("Published text").fill(
        "My nurse asked me to show her my feed, then whether any of it made me feel worse. "
        "It felt like she was interested, not judging me."
    )
    reviewer.get_by_role("button", name="Save decision").click()
    assert_accessible(reviewer)
    reviewer.get_by_role("button", name="Publish it in the modules").click()
    expect(reviewer.get_by_text(re.compile("^Published .* in:"))).to_be_visible()
    assert_accessible(reviewer)

    # A practitioner reads it in the module, credited as the young person chose.
    reader = new_page(browser, live_server)
    sign_in(reader, practitioner.email, practitioner.password)
    reader.goto(f"/modules/{module.slug}")
    part = reader.locator(
        "section", has=reader.get_by_role("heading", name="Scenarios from young people")
    )
    expect(part.get_by_role("heading", name="Show me your feed")).to_be_visible()
    expect(part.get_by_text("Shared by Robin, a young co-designer")).to_be_visible()
    expect(reader.get_by_text("I was up every night scrolling.")).to_have_count(0)
    assert_accessible(reader)

    # The young person changes their mind about the credit; the module follows at once.
    young.goto("/scenarios/mine")
    young.get_by_role("link", name="Asked to show my feed").click()
    expect(young.get_by_role("heading", name="Where it is published")).to_be_visible()
    assert_accessible(young)
    young.get_by_role("link", name=re.compile("Change how you are credited")).click()
    assert_accessible(young)
    young.get_by_label("Do not credit me").check()
    young.get_by_role("button", name="Save my choices").click()
    expect(young.get_by_text("Your choices are saved.")).to_be_visible()
    reader.reload()
    expect(part.get_by_text("Shared by a young co-designer")).to_be_visible()
    expect(reader.get_by_text("Robin")).to_have_count(0)

    # The young person withdraws it; it is gone from the module at once.
    young.get_by_role("link", name="Withdraw this scenario").click()
    assert_accessible(young)
    young.get_by_role("button", name="Withdraw and delete it").click()
    expect(young.get_by_text("Your scenario has been withdrawn.")).to_be_visible()
    assert_accessible(young)

    reader.reload()
    expect(reader.get_by_role("heading", name="Show me your feed")).to_have_count(0)
    expect(reader.get_by_role("heading", name="Scenarios from young people")).to_have_count(0)


def test_a_young_person_rates_an_example_and_finds_their_data(
    page: Page, browser_app, make_user, assert_accessible
):
    account = make_user(Role.codesigner)
    module = next(m for m in browser_app.state.content.all("module") if m.asks)
    section = next(s for s in module.sections if any(b.kind == "ask" for b in s.blocks))
    ask = next(b for b in section.blocks if b.kind == "ask")
    sign_in(page, account.email, account.password)
    page.goto(f"/modules/{module.slug}/sections/{section.id}")
    assert_accessible(page)
    page.locator(f"#rating-{ask.id}-no").check()
    page.locator(f"#rating-{ask.id}-comment").fill("It sounds like a form. " * 30)
    page.locator(f"#ask-{ask.id}").get_by_role("button", name=re.compile("Save my rating")).click()
    expect(page.get_by_role("heading", name="Your rating was not saved")).to_be_visible()
    expect(page.locator(f"#rating-{ask.id}-no")).to_be_checked()
    assert_accessible(page)
    page.get_by_role("link", name=re.compile("must be 500 characters or fewer")).click()
    page.locator(f"#rating-{ask.id}-comment").fill("It sounds like a form.")
    page.locator(f"#ask-{ask.id}").get_by_role("button", name=re.compile("Save my rating")).click()
    expect(page.get_by_text("Your rating is saved")).to_be_visible()
    expect(page.locator(f"#rating-{ask.id}-no")).to_be_checked()
    assert_accessible(page)

    page.goto("/my-data")
    assert_accessible(page)
    page.get_by_role("link", name="Delete your account").click()
    assert_accessible(page)
    page.get_by_role("button", name="Delete my account").click()
    expect(page.get_by_role("heading", name="There is a problem")).to_be_visible()
    assert_accessible(page)


def test_sharing_works_without_javascript_on_a_phone(browser, live_server, make_user):
    account = make_user(Role.codesigner)
    context = browser.new_context(
        base_url=live_server, java_script_enabled=False, viewport={"width": 375, "height": 740}
    )
    page = context.new_page()
    try:
        sign_in(page, account.email, account.password)
        page.goto("/scenarios/new")
        page.get_by_label("Give your scenario a short title").fill("On my phone")
        page.get_by_role("button", name="Save and come back later").click()
        expect(page.get_by_text("Your draft is saved")).to_be_visible()
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 375, f"the page scrolls sideways on a phone ({width}px wide)"
    finally:
        context.close()

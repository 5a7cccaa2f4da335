"""Reading a module with Next to the end, and the completion page it leads to; axe on each."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from app.models.users import Role
from tests.browser.conftest import sign_in

pytestmark = pytest.mark.browser


def pass_the_quiz(page: Page, module) -> None:
    for question in module.quiz.questions:
        for option in question.options:
            if option.correct:
                page.locator(f"#question-{question.id}-{option.id}").check()
    page.get_by_role("button", name="Check my answers").click()


def test_next_to_the_end_then_the_completion_page(
    page: Page, browser_app, make_user, assert_accessible
):
    modules = browser_app.state.content.all("module")
    module, other = modules[0], modules[1]
    account = make_user(Role.practitioner, name="Sam Reader")
    sign_in(page, account.email, account.password)

    # The quiz first this time, so the last section's Next is the module's last step.
    page.goto(f"/modules/{module.slug}/quiz")
    pass_the_quiz(page, module)
    expect(page.get_by_role("heading", name="Your quiz result: 100%")).to_be_visible()
    unread = page.get_by_role("main").get_by_role("listitem").get_by_role("link")
    expect(unread).to_have_text([section.title for section in module.sections])
    assert_accessible(page)
    unread.first.click()

    for number, section in enumerate(module.sections, start=1):
        expect(page.get_by_role("heading", level=1)).to_have_text(section.title)
        expect(page.get_by_role("button", name=re.compile("Mark"))).to_have_count(0)
        following = module.sections[number].title if number < len(module.sections) else None
        next_button = page.get_by_role("button", name=re.compile(r"^Next: "))
        expect(next_button).to_have_text(f"Next: {following or 'Finish the module'}")
        if number in (1, len(module.sections)):
            assert_accessible(page)
        next_button.click()

    expect(page).to_have_url(re.compile(f"/modules/{module.slug}/completed$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Module completed")
    expect(page.get_by_text(f"You finished {module.title}")).to_be_visible()
    expect(page.get_by_role("link", name=re.compile("Download your certificate"))).to_be_visible()
    expect(page.get_by_role("heading", name="Reflect on what you read")).to_be_visible()
    if module.reflect_prompts:
        expect(page.get_by_text(module.reflect_prompts[0])).to_be_visible()
    expect(page.get_by_role("heading", name="What is next")).to_be_visible()
    expect(page.get_by_role("link", name=other.title)).to_be_visible()
    assert_accessible(page)

    # Back on the module page the contents show every step done, the quiz passed.
    page.get_by_role("link", name=module.title).first.click()
    contents = page.get_by_role("main").locator("ol.nhsuk-list--number > li")
    expect(contents.last).to_contain_text("Passed")
    expect(page.get_by_text("% complete")).to_have_count(0)
    assert_accessible(page)


def test_reading_in_order_ends_at_the_quiz_and_its_result_leads_on(
    page: Page, browser_app, make_user, assert_accessible
):
    module = browser_app.state.content.all("module")[1]
    account = make_user(Role.practitioner)
    sign_in(page, account.email, account.password)
    page.goto(f"/modules/{module.slug}/sections/{module.sections[0].id}")
    for _ in module.sections:
        page.get_by_role("button", name=re.compile(r"^Next: ")).click()
    expect(page.get_by_role("heading", name="Check your understanding")).to_be_visible()
    pass_the_quiz(page, module)
    expect(page.get_by_role("heading", name="Module completed")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Continue to your certificate and what is next").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Module completed")
    assert_accessible(page)

"""Keeping current in a real browser: what changed, the five-minute refresher, What's new,
search and the learning record, with axe on every page visited."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from playwright.sync_api import Page, expect
from sqlmodel import select

from app.content.snapshots import text_hash
from app.core.db import session_scope
from app.demo import complete_as_of
from app.models.base import utcnow
from app.models.progress import ModuleProgress
from app.models.refresh import SectionSnapshot
from app.models.users import Role
from app.search.service import index_content
from tests.browser.conftest import sign_in

pytestmark = pytest.mark.browser


def test_the_five_minute_refresher_with_feedback_and_a_clear_end(
    page: Page, browser_app, make_user, assert_accessible
):
    account = make_user(Role.practitioner, name="Ria Refresher")
    module = browser_app.state.content.all("module")[1]
    with session_scope(browser_app.state.engine) as session:
        complete_as_of(session, account.id, module, utcnow() - timedelta(days=30))

    sign_in(page, account.email, account.password)
    expect(page.get_by_role("heading", name="Refresh in 5 minutes")).to_be_visible()
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Refresh").click()
    expect(page.get_by_role("heading", name="Refresh", exact=True)).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Start a 5-minute refresh").click()

    # Checking with nothing chosen shows an error summary, not a lost page.
    expect(page.get_by_role("heading", name="Question 1 of up to 10")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Check my answer").click()
    expect(page.get_by_role("heading", name="There is a problem")).to_be_visible()
    assert_accessible(page)

    prompt = page.locator("legend").inner_text()
    asked = next(q for q in module.quiz.questions if q.prompt in prompt)
    wrong = next(option for option in asked.options if not option.correct)
    page.locator(f"#question-{asked.id}-{wrong.id}").check()
    page.get_by_role("button", name="Check my answer").click()
    expect(page.get_by_role("heading", name="Not quite")).to_be_visible()
    expect(page.get_by_text(wrong.feedback)).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name=re.compile("Re-read the key points")).click()
    expect(page.get_by_role("heading", name="Key points", exact=True)).to_be_visible()
    assert_accessible(page)
    page.go_back()

    page.get_by_role("link", name="Next question").click()
    expect(page.get_by_role("heading", name="Question 2 of up to 10")).to_be_visible()
    page.get_by_role("button", name="Stop here").click()
    expect(page.get_by_role("heading", name="Refresh done")).to_be_visible()
    expect(page.get_by_role("heading", name="When to come back")).to_be_visible()
    assert_accessible(page)


def test_what_changed_since_the_version_they_completed(
    page: Page, browser_app, make_user, assert_accessible
):
    content = browser_app.state.content
    module = next(m for m in content.all("module") if m.version >= 2)
    previous = module.version - 1
    changed = module.sections[1]
    account = make_user(Role.practitioner, name="Val Version")
    with session_scope(browser_app.state.engine) as session:
        complete_as_of(session, account.id, module, utcnow() - timedelta(days=60))
        row = session.exec(select(ModuleProgress).where(ModuleProgress.user_id == account.id)).one()
        row.completed_version = previous
        for position, section in enumerate(module.sections):
            old_text = (
                section.text.replace(section.text.split()[3], "formerly", 1)
                if section.id == changed.id
                else section.text
            )
            session.add(
                SectionSnapshot(
                    module_slug=module.slug,
                    version=previous,
                    position=position,
                    section_id=section.id,
                    title=section.title,
                    text_hash=text_hash(old_text),
                    text=old_text,
                )
            )
        index_content(session, content)

    sign_in(page, account.email, account.password)
    page.goto("/modules")
    card = page.get_by_role("listitem").filter(has=page.get_by_role("link", name=module.title))
    expect(card.get_by_text("Updated since you completed it")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name=module.title).click()
    expect(page.get_by_text("Updated since you completed it.")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="See what changed").click()

    expect(page.get_by_role("heading", name="What changed", exact=True)).to_be_visible()
    expect(page.get_by_role("heading", name=changed.title)).to_be_visible()
    expect(page.locator(f"#change-{changed.id} ~ .askwell-diff del")).to_contain_text("formerly")
    other = next(s for s in module.sections if s.id != changed.id)
    expect(page.locator(f"#change-{other.id}")).to_have_count(0)
    assert_accessible(page)

    page.get_by_role("button", name="I've read what changed").click()
    expect(page.get_by_role("heading", name="You are up to date")).to_be_visible()
    assert_accessible(page)

    for path in ("/whats-new", f"/search?q={module.sections[0].title.split()[0]}", "/record"):
        page.goto(path)
        expect(page.get_by_role("heading", level=1)).to_be_visible()
        assert_accessible(page)

    reflective = next(m for m in content.all("module") if m.reflect_prompts)
    page.goto(f"/modules/{reflective.slug}/reflect")
    page.get_by_label(reflective.reflect_prompts[0]).fill("<b>bold?</b> I will ask which apps.")
    page.get_by_role("button", name="Save my reflections").click()
    expect(page.get_by_text("Your reflections are saved")).to_be_visible()
    assert_accessible(page)
    page.goto("/record")
    expect(page.get_by_text("<b>bold?</b> I will ask which apps.")).to_be_visible()

"""What a person sees when a request cannot be answered: a plain page, never a traceback."""

from __future__ import annotations

import re
from pathlib import Path

from fastapi.testclient import TestClient
from playwright.sync_api import Page, expect

from app.core.db import make_engine
from app.models.users import Role
from tests.browser.conftest import sign_in
from tests.conftest import api_login
from tests.scenarios.conftest import publish


def test_a_nul_or_an_impossible_number_in_an_address_gets_a_plain_page(
    page: Page, make_user, assert_accessible
):
    trainer = make_user(Role.trainer)
    sign_in(page, trainer.email, trainer.password)
    response = page.goto("/search?q=feed%00")
    assert response is not None and response.status == 400
    expect(page.get_by_role("heading", name="Something was not right")).to_be_visible()
    expect(page.get_by_text("control characters")).to_be_visible()
    assert_accessible(page)
    response = page.goto("/review/scenarios/99999999999999999999")
    assert response is not None and response.status == 400
    expect(page.get_by_text("too large to be an Askwell record")).to_be_visible()
    assert_accessible(page)


def test_a_database_outage_shows_a_page_saying_to_try_again(
    page: Page, browser_app, make_user, assert_accessible, tmp_path: Path
):
    person = make_user(Role.practitioner)
    sign_in(page, person.email, person.password)
    working = browser_app.state.engine
    browser_app.state.engine = make_engine(f"sqlite:///{tmp_path}")  # a folder: no database
    try:
        response = page.goto("/modules")
        assert response is not None and response.status == 503
        assert response.headers["retry-after"].isdigit()
        expect(
            page.get_by_role("heading", name="Askwell is not available right now")
        ).to_be_visible()
        expect(page.get_by_text("what you have saved is safe; try again")).to_be_visible()
        assert_accessible(page)
    finally:
        browser_app.state.engine.dispose()
        browser_app.state.engine = working
    assert page.goto("/modules").status == 200


def test_a_published_scenarios_credit_cannot_become_a_handle(
    page: Page, browser_app, make_user, assert_accessible
):
    young_person = make_user(Role.codesigner)
    trainer = make_user(Role.trainer)
    with TestClient(browser_app) as young, TestClient(browser_app) as reviewer:
        api_login(young, young_person)
        api_login(reviewer, trainer)
        scenario_id = publish(young, reviewer, credit="pseudonym", credit_name="Sunny Fox")
    sign_in(page, young_person.email, young_person.password)
    page.goto(f"/scenarios/{scenario_id}/choices")
    page.get_by_label("The name to credit").fill("@sam_x")
    page.get_by_role("button", name="Save my choices").click()
    summary = page.get_by_role("alert")
    expect(summary).to_contain_text(re.compile("looks like it has personal details"))
    expect(summary).to_contain_text("username or @handle")
    assert_accessible(page)
    page.goto(f"/scenarios/{scenario_id}")
    expect(page.get_by_text("Sunny Fox")).to_be_visible()

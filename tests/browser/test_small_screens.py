"""Every page on a 320 px phone: nothing scrolls sideways, tables read as labelled rows,
pages below the top level offer a back link, and axe finds nothing.

The demo data (every role, a cohort with members and assignments, scenarios in review,
ratings, completions) fills the pages, so tables and tags are as wide as in real use.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from fastapi import FastAPI
from playwright.sync_api import Browser, Page, expect
from sqlmodel import Session, select

from app.accounts import service as accounts
from app.auth import service as auth
from app.auth.passwords import Passwords
from app.auth.schemas import Viewer
from app.cohorts import service as cohorts
from app.core.config import PasswordHashProfile
from app.core.db import session_scope
from app.demo import DEMO_ACCOUNTS, DEMO_COHORT, seed_demo
from app.models.cohorts import Cohort
from app.models.contributions import Scenario, ScenarioStatus
from app.models.progress import Completion
from app.models.quizzes import QuizAttempt
from app.models.users import User
from tests.browser.conftest import sign_in

pytestmark = pytest.mark.browser

PHONE = {"width": 320, "height": 640}
PRACTITIONER, CODESIGNER, TRAINER, ADMIN = DEMO_ACCOUNTS


# The innermost elements that reach past the right edge: where to look when a page is too wide.
TOO_WIDE = """
[...document.querySelectorAll("body *")]
  .filter((e) => e.getBoundingClientRect().right > innerWidth + 1)
  .filter((e) => ![...e.children].some((c) => c.getBoundingClientRect().right > innerWidth + 1))
  .slice(0, 5)
  .map((e) => [e.tagName.toLowerCase(), ...String(e.className || "").split(" ")].join("."))
  .join(", ")
"""


# In a table that reflows on a phone, every cell with something in it must print its
# column's header before it, and that header must stay a real column header.
UNLABELLED_CELLS = """
[...document.querySelectorAll("table.askwell-table-reflow")].flatMap((table) => {
  const headers = [...table.querySelectorAll("thead th")].map((th) => th.textContent.trim());
  return [...table.querySelectorAll("tbody tr")].flatMap((row) =>
    [...row.cells].flatMap((cell, column) => {
      if (!cell.textContent.trim() || cell.querySelector("button")) return [];
      const shown = getComputedStyle(cell, "::before").content;
      const header = headers[column];
      const label = cell.dataset.label;
      if (label !== header) return [`a cell under "${header}" is labelled "${label}"`];
      if (!shown.includes(header)) return [`a cell under "${header}" does not show its label`];
      const headerShows = getComputedStyle(table.tHead).position !== "absolute";
      if (headerShows) return ["its header row still shows"];
      return [];
    }),
  );
})
"""


@dataclass(frozen=True)
class Visit:
    path: str
    back: str | None = None  # where the back link leads; None for a top-level page


@dataclass(frozen=True)
class Seeded:
    module_slug: str
    section_id: str
    app_card_slug: str
    cohort_id: int
    practitioner_id: int
    trainer_attempt: tuple[str, int]
    certificate_code: str
    scenario_changes_requested: int
    scenario_submitted: int
    completed_module_slug: str
    reflective_module_slug: str
    invitation_path: str
    password_reset_path: str


@pytest.fixture
def seeded(browser_app: FastAPI) -> Seeded:
    content = browser_app.state.content
    with session_scope(browser_app.state.engine) as session:
        seed_demo(session, Passwords(PasswordHashProfile.fast), content)
    with session_scope(browser_app.state.engine) as session:
        cohort_id = session.exec(select(Cohort.id).where(Cohort.name == DEMO_COHORT)).one()
        assert cohort_id is not None
        invitation = cohorts.create_invitation(
            session, viewer_of(session, TRAINER.email), cohort_id, "new.starter@askwell.test"
        )
        reset = accounts.create_password_reset(
            session,
            viewer_of(session, ADMIN.email),
            viewer_of(session, CODESIGNER.email).id,
        )
    with session_scope(browser_app.state.engine, write=False) as session:
        practitioner_id = session.exec(
            select(User.id).where(User.email == PRACTITIONER.email)
        ).one()
        trainer_id = session.exec(select(User.id).where(User.email == TRAINER.email)).one()
        attempt = session.exec(select(QuizAttempt).where(QuizAttempt.user_id == trainer_id)).one()
        code = session.exec(
            select(Completion.verification_code).where(Completion.user_id == practitioner_id)
        ).first()
        by_status = {
            scenario.status: scenario.id for scenario in session.exec(select(Scenario)).all()
        }
    modules = content.all("module")
    module = modules[0]
    reflective = next(m for m in modules[1:] if m.reflect_prompts)
    assert attempt.id is not None and practitioner_id is not None
    return Seeded(
        module_slug=module.slug,
        section_id=module.sections[0].id,
        app_card_slug=content.all("app")[0].slug,
        cohort_id=cohort_id,
        practitioner_id=practitioner_id,
        trainer_attempt=(attempt.module_slug, attempt.id),
        certificate_code=str(code),
        scenario_changes_requested=by_status[ScenarioStatus.changes_requested.value],
        scenario_submitted=by_status[ScenarioStatus.submitted.value],
        completed_module_slug=modules[1].slug,
        reflective_module_slug=reflective.slug,
        invitation_path=invitation.path,
        password_reset_path=reset.path,
    )


def viewer_of(session: Session, email: str) -> Viewer:
    user = auth.find_user_by_email(session, email)
    assert user is not None and user.id is not None
    return Viewer(
        id=user.id,
        email=user.email,
        display_name=user.display_name,
        roles=auth.roles_of(session, user.id),
        session_id="",
    )


def practitioner_pages(seeded: Seeded) -> list[Visit]:
    slug = seeded.module_slug
    return [
        Visit("/"),
        Visit("/modules"),
        Visit("/modules?kind=app"),
        Visit(f"/modules/{slug}", "/modules"),
        Visit(f"/modules/{slug}/sections/{seeded.section_id}", f"/modules/{slug}"),
        Visit(f"/modules/{slug}/all", f"/modules/{slug}"),
        Visit(f"/modules/{slug}/quiz", f"/modules/{slug}"),
        Visit(f"/modules/{slug}/key-points", f"/modules/{slug}"),
        Visit(f"/modules/{slug}/in-two-minutes", f"/modules/{slug}"),
        Visit(f"/modules/{seeded.app_card_slug}", "/modules?kind=app"),
        Visit(
            f"/modules/{seeded.completed_module_slug}/refresh",
            f"/modules/{seeded.completed_module_slug}",
        ),
        Visit(
            f"/modules/{seeded.completed_module_slug}/changes",
            f"/modules/{seeded.completed_module_slug}",
        ),
        Visit(
            f"/modules/{seeded.reflective_module_slug}/reflect",
            f"/modules/{seeded.reflective_module_slug}",
        ),
        Visit("/refresh"),
        Visit("/record"),
        Visit("/certificates"),
        Visit("/search?q=asking"),
        Visit("/account"),
        Visit("/account/password", "/account"),
        Visit("/whats-new"),
    ]


def codesigner_pages(seeded: Seeded) -> list[Visit]:
    revising = seeded.scenario_changes_requested
    return [
        Visit("/"),
        Visit("/scenarios/mine"),
        Visit("/scenarios/new", "/scenarios/mine"),
        Visit(f"/scenarios/{revising}", "/scenarios/mine"),
        Visit(
            f"/scenarios/{revising}/questions/feelings",
            f"/scenarios/{revising}/questions/practitioner",
        ),
        Visit(f"/scenarios/{revising}/check", f"/scenarios/{revising}/questions/credit"),
        Visit(f"/scenarios/{revising}/choices", f"/scenarios/{revising}"),
        Visit(f"/scenarios/{revising}/withdraw", "/scenarios/mine"),
        Visit(
            f"/scenarios/{seeded.scenario_submitted}/sent",
            f"/scenarios/{seeded.scenario_submitted}",
        ),
        Visit("/my-data"),
        Visit("/my-data/delete", "/my-data"),
        Visit("/my-data/askwell-data", "/my-data"),
    ]


def trainer_pages(seeded: Seeded) -> list[Visit]:
    slug = seeded.module_slug
    attempt_slug, attempt_id = seeded.trainer_attempt
    cohort = seeded.cohort_id
    return [
        Visit("/"),
        Visit("/review/scenarios"),
        Visit(f"/review/scenarios/{seeded.scenario_submitted}", "/review/scenarios"),
        Visit("/review/asks", "/review/scenarios"),
        Visit("/cohorts"),
        Visit(f"/cohorts/{cohort}", "/cohorts"),
        Visit(f"/reports/completion?cohort_id={cohort}", "/reports/modules"),
        Visit(f"/reports/completion?cohort_id={cohort}&view=people", "/reports/modules"),
        Visit("/reports/modules"),
        Visit(f"/reports/modules/{slug}", "/reports/modules"),
        Visit(f"/reports/modules/{slug}/questions", f"/reports/modules/{slug}"),
        Visit("/reports/questions", "/reports/modules"),
        Visit(f"/reports/practitioners/{seeded.practitioner_id}", "/reports/modules"),
        Visit(f"/modules/{attempt_slug}/quiz/attempts/{attempt_id}", f"/modules/{attempt_slug}"),
    ]


def admin_pages(seeded: Seeded) -> list[Visit]:
    return [
        Visit("/"),
        Visit("/admin/users"),
        Visit(f"/admin/users/{seeded.practitioner_id}", "/admin/users"),
        Visit("/admin/audit"),
        Visit("/cohorts"),
    ]


def signed_out_pages(seeded: Seeded) -> list[Visit]:
    return [
        Visit("/sign-in"),
        Visit("/privacy"),
        Visit("/accessibility"),
        Visit(f"/verify/{seeded.certificate_code}", "/"),
        Visit(seeded.invitation_path, "/"),
        Visit(seeded.password_reset_path, "/"),
    ]


def lost_table_semantics(page: Page) -> list[str]:
    """What Chromium's own accessibility tree says of the reflowed tables: still tables,
    with column headers, and each cell named by its value alone (the printed label is
    not read out as well)."""
    reflowed = page.locator("table.askwell-table-reflow")
    if not reflowed.count():
        return []
    cdp = page.context.new_cdp_session(page)
    try:
        nodes = cdp.send("Accessibility.getFullAXTree")["nodes"]
    finally:
        cdp.detach()
    roles = [node.get("role", {}).get("value") for node in nodes if not node.get("ignored")]
    names = {
        " ".join(str(node.get("name", {}).get("value", "")).split())
        for node in nodes
        if node.get("role", {}).get("value") in ("cell", "rowheader")
    }
    problems = []
    if roles.count("table") < page.locator("table").count():
        problems.append("a table is no longer a table to assistive technology")
    if roles.count("columnheader") < reflowed.locator("thead th").count():
        problems.append("a column header is no longer a column header to assistive technology")
    labelled = reflowed.locator("td[data-label], th[data-label]")
    for index in range(min(labelled.count(), 20)):
        cell = labelled.nth(index)
        value = " ".join(cell.inner_text().split())
        label = cell.get_attribute("data-label")
        if value and (f"{label}{value}" in names or f"{label} {value}" in names):
            problems.append(f'the cell "{value}" is read out with its printed label "{label}"')
    return problems


def problems_on_a_phone(
    page: Page, visit: Visit, assert_accessible: Callable[[Page], None]
) -> list[str]:
    """What a phone user would trip over on one page (empty when nothing)."""
    response = page.goto(visit.path)
    if response is None or not response.ok:
        return [f"{visit.path} answered {response and response.status}"]
    return problems_here(page, visit, assert_accessible)


def problems_here(page: Page, visit: Visit, assert_accessible: Callable[[Page], None]) -> list[str]:
    """The same checks on the page the browser is showing now."""
    problems: list[str] = []
    width = page.evaluate("document.documentElement.scrollWidth")
    if width > PHONE["width"]:
        problems.append(f"{visit.path} is {width} px wide at 320 px: {page.evaluate(TOO_WIDE)}")
    back = page.locator("a.nhsuk-back-link:visible")
    if visit.back is None and back.count():
        problems.append(f"{visit.path} is top level but shows a back link")
    elif visit.back is not None and back.count() != 1:
        problems.append(f"{visit.path} shows {back.count()} back links on a phone, not 1")
    elif visit.back is not None and back.get_attribute("href") != visit.back:
        problems.append(
            f"{visit.path} links back to {back.get_attribute('href')}, not {visit.back}"
        )
    problems.extend(f"{visit.path}: {problem}" for problem in page.evaluate(UNLABELLED_CELLS))
    problems.extend(f"{visit.path}: {problem}" for problem in lost_table_semantics(page))
    try:
        assert_accessible(page)
    except AssertionError as found:
        problems.append(str(found))
    return problems


@pytest.mark.parametrize(
    ("account", "pages"),
    [
        pytest.param(PRACTITIONER, practitioner_pages, id="practitioner"),
        pytest.param(CODESIGNER, codesigner_pages, id="codesigner"),
        pytest.param(TRAINER, trainer_pages, id="trainer"),
        pytest.param(ADMIN, admin_pages, id="admin"),
        pytest.param(None, signed_out_pages, id="signed-out"),
    ],
)
def test_no_page_scrolls_sideways_on_a_320px_phone(
    browser: Browser,
    live_server: str,
    seeded: Seeded,
    assert_accessible: Callable[[Page], None],
    account,
    pages: Callable[[Seeded], list[Visit]],
) -> None:
    context = browser.new_context(base_url=live_server, locale="en-GB", viewport=PHONE)
    context.set_default_timeout(10_000)
    page = context.new_page()
    try:
        if account is not None:
            sign_in(page, account.email, account.password)
        problems = [
            problem
            for visit in pages(seeded)
            for problem in problems_on_a_phone(page, visit, assert_accessible)
        ]
        assert not problems, "\n".join(problems)
    finally:
        context.close()


@pytest.mark.usefixtures("seeded")
def test_a_5_minute_refresh_fits_a_320px_phone(
    browser: Browser,
    live_server: str,
    assert_accessible: Callable[[Page], None],
) -> None:
    context = browser.new_context(base_url=live_server, locale="en-GB", viewport=PHONE)
    context.set_default_timeout(10_000)
    page = context.new_page()
    try:
        sign_in(page, PRACTITIONER.email, PRACTITIONER.password)
        page.goto("/refresh")
        page.get_by_role("button", name="Start a 5-minute refresh").click()
        expect(page.get_by_role("heading", name=re.compile(r"^Question 1 of"))).to_be_visible()
        problems = problems_here(page, Visit(page.url, "/refresh"), assert_accessible)
        page.locator("input[name=answer]").first.check()
        page.get_by_role("button", name="Check my answer").click()
        expect(page.get_by_role("link", name="Next question")).to_be_visible()
        problems += problems_here(page, Visit(page.url, "/refresh"), assert_accessible)
        page.get_by_role("link", name="Next question").click()
        page.get_by_role("button", name="Stop here").click()
        expect(page.get_by_role("heading", name="Refresh done")).to_be_visible()
        problems += problems_here(page, Visit(page.url, "/refresh"), assert_accessible)
        assert not problems, "\n".join(problems)
    finally:
        context.close()

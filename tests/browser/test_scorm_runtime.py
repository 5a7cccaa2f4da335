"""A package run by a real SCORM 1.2 runtime: scorm-again's Scorm12API as the LMS's
``window.API``, in Chromium, the SCO in a frame under it, as an LMS player launches it.

Everything is served from memory through Playwright's routes on one made-up origin, so
nothing leaves the machine; what scorm-again recorded is read back from the LMS page.
"""

from __future__ import annotations

import json
import mimetypes
import os
import re
from collections.abc import Callable, Iterator

import pytest
from playwright.sync_api import Browser, BrowserContext, FrameLocator, Page, Route, expect

from app.content import Module
from app.core.config import PROJECT_ROOT
from app.scorm.service import build_package
from tests.scorm.conftest import unzip

pytestmark = [pytest.mark.browser, pytest.mark.commits]

ORIGIN = "http://lms.askwell.test"
SCORM_AGAIN = PROJECT_ROOT / "node_modules" / "scorm-again" / "dist" / "scorm12.js"
SLUG = "asking-basics"

LMS_PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>A test LMS</title>
<script src="/scorm-again/scorm12.js"></script>
<script>
  // The LMS: scorm-again's SCORM 1.2 runtime as window.API, committing nowhere.
  window.API = new Scorm12API({ autocommit: false, lmsCommitUrl: false, logLevel: 5 });
  window.sets = [];
  window.calls = [];
  window.API.on("LMSSetValue.cmi.*", function (element, value) {
    window.sets.push([element, String(value)]);
  });
  ["LMSInitialize", "LMSCommit", "LMSFinish"].forEach(function (name) {
    window.API.on(name, function () { window.calls.push(name); });
  });
  var saved = __SAVED__;
  if (saved) { window.API.loadFromJSON(saved, ""); }
</script></head>
<body>
<iframe src="/course/index.html" title="The course" width="1000" height="900"></iframe>
</body></html>
"""

RECORDED = """() => {
  const core = window.API.cmi.core;
  const last = (element) => {
    const found = window.sets.filter((pair) => pair[0] === element);
    return found.length ? found[found.length - 1][1] : null;
  };
  return {
    lesson_status: core.lesson_status,
    lesson_location: core.lesson_location,
    score_raw: core.score.raw,
    score_min: core.score.min,
    score_max: core.score.max,
    suspend_data: window.API.cmi.suspend_data,
    session_time: last("cmi.core.session_time"),
    exit: last("cmi.core.exit"),
    statuses: window.sets
      .filter((pair) => pair[0] === "cmi.core.lesson_status")
      .map((pair) => pair[1]),
    calls: window.calls,
  };
}"""


class Lms:
    """One browser context serving the LMS page, scorm-again and the unzipped package."""

    def __init__(self, context: BrowserContext, files: dict[str, bytes]) -> None:
        self.context = context
        self.files = files
        self.saved: dict | None = None
        context.route(f"{ORIGIN}/**", self._serve)

    def _serve(self, route: Route) -> None:
        path = route.request.url.removeprefix(ORIGIN).split("?")[0]
        if path == "/lms.html":
            body = LMS_PAGE.replace("__SAVED__", json.dumps(self.saved)).encode()
            route.fulfill(status=200, body=body, content_type="text/html")
        elif path == "/scorm-again/scorm12.js":
            route.fulfill(status=200, body=SCORM_AGAIN.read_bytes(), content_type="text/javascript")
        elif path.startswith("/course/") and path.removeprefix("/course/") in self.files:
            name = path.removeprefix("/course/")
            kind = mimetypes.guess_type(name)[0] or "application/octet-stream"
            route.fulfill(status=200, body=self.files[name], content_type=kind)
        else:
            route.fulfill(status=404, body=b"not found")

    def launch(self) -> tuple[Page, FrameLocator]:
        page = self.context.new_page()
        page.goto(f"{ORIGIN}/lms.html")
        page.wait_for_function("() => window.calls.includes('LMSInitialize')")
        return page, page.frame_locator("iframe")


@pytest.fixture
def module(app) -> Module:
    return app.state.content.get(SLUG)


@pytest.fixture
def package_files(app) -> dict[str, bytes]:
    package = build_package(app.state.content, app.state.templates, SLUG)
    return unzip(package.data)


@pytest.fixture
def lms(browser: Browser, package_files: dict[str, bytes]) -> Iterator[Lms]:
    if not SCORM_AGAIN.is_file():
        message = f"scorm-again is not installed ({SCORM_AGAIN}): `npm ci` installs it"
        if os.environ.get("ASKWELL_TEST_REQUIRE_BROWSER", "") not in ("", "0", "false"):
            pytest.fail(message)
        pytest.skip(message)
    context = browser.new_context(locale="en-GB")
    context.set_default_timeout(10_000)
    yield Lms(context, package_files)
    context.close()


def read_sections(sco: FrameLocator, module: Module, count: int) -> None:
    """Select "Next" (or "Mark as done") on the first ``count`` sections, in order."""
    for section in module.sections[:count]:
        expect(sco.get_by_role("heading", name=section.title, exact=True)).to_be_visible()
        sco.get_by_role("button", name=re.compile(r"^(Next|Mark)")).click()


def answer(sco: FrameLocator, module: Module, *, right: bool) -> None:
    """Tick the right options for every question, or only wrong ones."""
    for question in module.quiz.questions:
        wanted = [option for option in question.options if option.correct == right]
        for option in wanted if question.type == "multiple" else wanted[:1]:
            sco.locator(f"#question-{question.id}-{option.id}").check()
    sco.get_by_role("button", name="Check my answers").click()


def go_to(sco: FrameLocator, title: str) -> None:
    sco.get_by_role("navigation", name="Contents").get_by_role("link", name=title).click()


def test_reading_every_section_and_passing_records_passed_score_and_time(lms, module):
    page, sco = lms.launch()
    assert page.evaluate(RECORDED)["lesson_status"] == "incomplete"

    read_sections(sco, module, len(module.sections))
    expect(sco.get_by_role("heading", name="Key points")).to_be_visible()
    sco.get_by_role("button", name=re.compile("^Next: Check your understanding")).click()
    answer(sco, module, right=True)
    expect(sco.get_by_role("heading", name="Your quiz result: 100%")).to_be_visible()
    expect(sco.get_by_text("You passed. This module is complete.")).to_be_visible()
    # Feedback on every option, the ones not chosen too.
    for question in module.quiz.questions:
        for option in question.options:
            expect(sco.get_by_text(option.feedback)).to_be_visible()
    sco.get_by_role("button", name="Save and finish").click()
    expect(sco.get_by_text("Your progress is saved.")).to_be_visible()

    recorded = page.evaluate(RECORDED)
    assert recorded["lesson_status"] == "passed"
    assert (recorded["score_raw"], recorded["score_min"], recorded["score_max"]) == (
        "100",
        "0",
        "100",
    )
    assert re.fullmatch(r"\d{4}:\d{2}:\d{2}\.\d{2}", recorded["session_time"])
    assert recorded["calls"][-2:] == ["LMSCommit", "LMSFinish"]
    # The status was set explicitly from the first launch on, never left to the LMS.
    assert recorded["statuses"][0] == "incomplete"
    assert recorded["exit"] == ""
    saved = json.loads(recorded["suspend_data"])
    assert saved["r"] == "1" * len(module.sections)
    assert saved["b"] == 100
    page.close()


def test_a_failed_quiz_is_recorded_and_the_second_launch_resumes_from_suspend_data(lms, module):
    page, sco = lms.launch()
    read_sections(sco, module, 1)
    go_to(sco, "Check your understanding (quiz)")
    answer(sco, module, right=False)
    expect(sco.get_by_role("heading", name="Your quiz result: 0%")).to_be_visible()
    expect(sco.locator('[data-outcome="failed"]')).to_contain_text(
        f"You need {module.pass_mark}% to pass."
    )
    sco.get_by_role("button", name="Save and finish").click()

    first = page.evaluate(RECORDED)
    assert first["lesson_status"] == "failed"
    assert first["score_raw"] == "0"
    assert first["exit"] == "suspend"
    assert first["lesson_location"] == "askwell-quiz"
    assert len(first["suspend_data"]) < 4096
    assert json.loads(first["suspend_data"])["r"] == "1" + "0" * (len(module.sections) - 1)
    page.close()

    # The LMS keeps what the SCO left and launches it again, as SCORM 1.2 says: entry resume.
    lms.saved = {
        "suspend_data": first["suspend_data"],
        "core": {
            "entry": "resume",
            "lesson_status": first["lesson_status"],
            "lesson_location": first["lesson_location"],
            "score": {"raw": first["score_raw"], "min": "0", "max": "100"},
        },
    }
    page, sco = lms.launch()
    expect(sco.get_by_text("Welcome back: you are where you left off.")).to_be_visible()
    expect(sco.get_by_role("heading", name="Your quiz result: 0%")).to_be_visible()
    contents = sco.get_by_role("navigation", name="Contents")
    expect(contents.locator("[data-done]:visible")).to_have_count(1)

    sco.get_by_role("button", name="Try the quiz again").click()
    answer(sco, module, right=True)
    passed_unread = sco.get_by_text("You passed. To complete the module, read every section")
    expect(passed_unread).to_be_visible()
    assert page.evaluate(RECORDED)["lesson_status"] == "incomplete"

    go_to(sco, module.sections[1].title)
    for section in module.sections[1:]:
        expect(sco.get_by_role("heading", name=section.title, exact=True)).to_be_visible()
        sco.get_by_role("button", name=re.compile(r"^(Next|Mark)")).click()
    sco.get_by_role("button", name="Save and finish").click()

    second = page.evaluate(RECORDED)
    assert second["lesson_status"] == "passed"
    assert second["score_raw"] == "100"
    assert re.fullmatch(r"\d{4}:\d{2}:\d{2}\.\d{2}", second["session_time"])
    assert json.loads(second["suspend_data"])["r"] == "1" * len(module.sections)
    page.close()


def test_scorm_again_refuses_an_invalid_value_with_its_error_code_and_the_rest_records(lms, module):
    page, sco = lms.launch()
    frame = page.frames[1]

    refused = frame.evaluate(
        "() => [AskwellScorm.set('cmi.core.lesson_status', 'finished'),"
        " AskwellScorm.set('cmi.core.score.raw', '150'),"
        " AskwellScorm.set('cmi.core.session_time', '5 minutes'),"
        " AskwellScorm.set('cmi.core.student_id', 'someone-else')]"
    )
    assert refused == [False, False, False, False]
    errors = frame.evaluate("() => AskwellScorm.errors.map((error) => [error.element, error.code])")
    assert errors == [
        ["cmi.core.lesson_status", "405"],  # not a SCORM 1.2 status
        ["cmi.core.score.raw", "405"],  # out of 0 to 100
        ["cmi.core.session_time", "405"],  # not HHHH:MM:SS.SS
        ["cmi.core.student_id", "403"],  # read-only
    ]
    assert page.evaluate("() => window.API.lmsGetLastError()") == "403"
    assert page.evaluate(RECORDED)["lesson_status"] == "incomplete"

    # What Askwell itself sends stays valid: the module still records as it goes.
    read_sections(sco, module, 1)
    recorded = page.evaluate(RECORDED)
    assert recorded["lesson_status"] == "incomplete"
    assert json.loads(recorded["suspend_data"])["r"].startswith("1")
    assert frame.evaluate("() => AskwellScorm.errors.length") == 4
    page.close()


def test_suspend_data_stays_under_scorm_12s_limit_however_long_the_answers(lms, module):
    """scorm-again itself takes more than 4,096 characters; an LMS keeping to SCORM 1.2
    need not, so the runtime drops the answers before it would send more."""
    page, _sco = lms.launch()
    frame = page.frames[1]
    huge = frame.evaluate(
        """() => AskwellScorm.suspendData({
             read: {}, page: "askwell-quiz", best: 40,
             answers: {q1: ["x".repeat(5000)]}
           })"""
    )
    assert len(huge) <= 4096
    assert json.loads(huge) == {
        "v": module.version,
        "r": "0" * len(module.sections),
        "p": "askwell-quiz",
        "b": 40,
    }
    page.close()


def test_without_an_lms_the_package_says_so_scores_the_quiz_and_passes_axe(
    lms, module, assert_accessible: Callable[[Page], None]
):
    page = lms.context.new_page()
    page.goto(f"{ORIGIN}/course/index.html")
    expect(page.get_by_text("No learning system was found")).to_be_visible()
    assert_accessible(page)
    go_to(page, "Check your understanding (quiz)")
    page.get_by_role("button", name="Check my answers").click()
    expect(page.get_by_role("link", name="Answer question 1")).to_be_visible()
    answer(page, module, right=True)
    expect(page.get_by_role("heading", name="Your quiz result: 100%")).to_be_visible()
    assert_accessible(page)
    page.close()


def test_the_runtime_writes_session_time_as_scorm_12_asks(lms):
    page, _sco = lms.launch()
    frame = page.frames[1]
    spans = frame.evaluate(
        "() => [0, 1234, 61000, 3600000 * 25 + 5, 3600000 * 10000].map(AskwellScorm.timespan)"
    )
    assert spans == [
        "0000:00:00.00",
        "0000:00:01.23",
        "0000:01:01.00",
        "0025:00:00.01",
        "9999:59:59.99",
    ]
    page.close()

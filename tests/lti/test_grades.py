"""Completing a launched module puts the score in the platform's gradebook, through the
learning-event stream, once, even when the platform was down at first."""

from __future__ import annotations

from datetime import timedelta

from sqlmodel import select

from app.events import service as events
from app.models.base import utcnow
from app.models.events import EventDelivery
from app.models.lti import LtiGradeTarget
from tests.auth.test_pages_and_csrf import form_token
from tests.lti.conftest import LEARNER, Person, launch

LEE = Person("lms-user-42", [LEARNER])
RIGHT_ANSWERS = {"q1": ["b"], "q2": ["a", "b"], "q3": ["b"]}
SECTIONS = ["why-ask", "opening-questions", "following-up"]


def complete_module(browser) -> None:
    token = form_token(browser.get("/modules/asking-basics/quiz").text)
    browser.headers["X-CSRF-Token"] = token
    for section in SECTIONS:
        response = browser.post(f"/api/v1/modules/asking-basics/sections/{section}/complete")
        assert response.status_code == 200, response.text
    response = browser.post(
        "/api/v1/modules/asking-basics/attempts", json={"answers": RIGHT_ANSWERS}
    )
    assert response.json()["passed"] is True


def test_a_completed_module_lands_in_the_platforms_gradebook(app, browser, platform, rows):
    response, _ = launch(browser, platform, LEE)
    assert response.status_code == 303
    [target] = rows(select(LtiGradeTarget))
    assert target.subject == "lms-user-42" and target.lineitem_url.endswith("/lineitems/7/lineitem")
    complete_module(browser)

    report = events.deliver_due(app.state.engine, app.state.event_destinations)
    assert report.delivered == 2, report.problems
    book = platform.keys.gradebook
    assert [(s["userId"], s["activityProgress"], s["scoreGiven"]) for s in book] == [
        ("lms-user-42", "Submitted", 100.0),
        ("lms-user-42", "Completed", 100.0),
    ]
    assert all(s["scoreMaximum"] == 100 and s["line_item"] == "7" for s in book)
    assert all(s["gradingProgress"] == "FullyGraded" for s in book)
    # One access token for both scores: kept in the database, shared by every worker.
    assert platform.keys.token_requests == 1
    # Sent is sent: another run posts nothing more.
    events.deliver_due(app.state.engine, app.state.event_destinations)
    assert len(book) == 2


def test_while_the_platform_is_down_scores_wait_and_then_arrive(app, browser, platform, rows):
    launch(browser, platform, LEE)
    complete_module(browser)
    platform.keys.down = True
    report = events.deliver_due(app.state.engine, app.state.event_destinations)
    assert report.failed == 1 and report.left_for_later == 1
    assert "did not" in report.problems[0] or "503" in report.problems[0]
    assert platform.keys.gradebook == []
    assert {d.status for d in rows(select(EventDelivery))} == {"failed", "pending"}

    platform.keys.down = False
    later = utcnow() + timedelta(minutes=5)
    report = events.deliver_due(app.state.engine, app.state.event_destinations, now=later)
    assert report.delivered == 2
    assert [s["activityProgress"] for s in platform.keys.gradebook] == ["Submitted", "Completed"]


def test_learning_outside_any_course_sends_nothing_to_the_platform(
    app, platform, practitioner_client
):
    """Someone signed in to Askwell itself: their quiz is delivered as nothing to send."""
    practitioner_client.post(
        "/api/v1/modules/asking-basics/attempts", json={"answers": RIGHT_ANSWERS}
    )
    report = events.deliver_due(app.state.engine, app.state.event_destinations)
    assert report.delivered == 1
    assert platform.keys.gradebook == [] and platform.keys.token_requests == 0

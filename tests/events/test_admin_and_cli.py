"""Admins see what is waiting or failing and send it again; the command line delivers."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import select
from typer.testing import CliRunner

from app.cli import cli
from app.events import service as events
from app.events.destinations import Destinations
from app.models.audit import AuditEvent
from app.models.events import EventDelivery
from app.models.users import Role
from tests.auth.test_pages_and_csrf import form_token
from tests.conftest import FIXTURE_MODULES, api_login
from tests.events.conftest import ASKING, Recorder


def test_admins_see_failing_deliveries_with_the_reason_and_can_send_them_again(
    app, client, recorder, make_user, rows
):
    practitioner = make_user(Role.practitioner, name="Pat Practitioner")
    api_login(client, practitioner)
    client.post(f"/api/v1/modules/{ASKING}/sections/why-ask/complete")
    client.post(f"/api/v1/modules/{ASKING}/sections/opening-questions/complete")
    recorder.down = True
    installed = app.state.event_destinations
    app.state.event_destinations = Destinations(recorder)
    try:
        failing_then_delivered(app, client, recorder, make_user, rows)
    finally:
        app.state.event_destinations = installed


def failing_then_delivered(app, client, recorder, make_user, rows):
    events.deliver_due(app.state.engine, app.state.event_destinations)

    admin = make_user(Role.admin)
    client.cookies.clear()
    api_login(client, admin)
    page = client.get("/admin/events")
    assert page.status_code == 200
    assert "Connection refused by lms.example.org" in page.text
    assert "Failed, will be tried again after 1 try" in page.text
    assert "Pat Practitioner" in page.text and "Read a section" in page.text
    assert page.text.count("Waiting to be sent") >= 1
    failed = [d for d in rows(select(EventDelivery)) if d.status == "failed"][0]
    # Failing first, before what is only waiting.
    assert page.text.index("Failed, will be tried again") < page.text.index("Waiting to be sent<")

    response = client.post(
        f"/admin/events/deliveries/{failed.id}/retry",
        data={"csrf_token": form_token(page.text)},
        follow_redirects=True,
    )
    assert response.status_code == 200
    assert "It will be sent at the next delivery run." in response.text
    retried = [d for d in rows(select(EventDelivery)) if d.id == failed.id][0]
    assert retried.status == "pending" and retried.attempts == 1
    assert [e.action for e in rows(select(AuditEvent))] == ["events.retry"]
    assert "asked for event delivery" in client.get("/admin/audit").text

    recorder.down = False
    assert events.deliver_due(app.state.engine, app.state.event_destinations).delivered == 2
    page = client.get("/admin/events")
    assert "Everything has been delivered." in page.text
    # A delivered event cannot be sent again.
    again = client.post(f"/api/v1/admin/event-deliveries/{failed.id}/retry")
    assert again.status_code == 409
    assert (
        again.json()["detail"] == "That event has already been delivered; it is never sent twice."
    )
    listed = client.get("/api/v1/admin/event-deliveries").json()
    assert listed["destinations"] == [
        {
            "destination": "recorder",
            "installed": True,
            "pending": 0,
            "failed": 0,
            "stopped": 0,
            "delivered": 2,
        }
    ]


def test_retry_every_failed_delivery_at_once(app, client, recorder, make_user, rows):
    practitioner = make_user()
    api_login(client, practitioner)
    client.post(f"/api/v1/modules/{ASKING}/sections/why-ask/complete")
    recorder.refuse = True
    events.deliver_due(app.state.engine, Destinations(recorder))
    client.cookies.clear()
    api_login(client, make_user(Role.admin))
    page = client.get("/admin/events?status=stopped")
    assert "Refused, will not be tried again" in page.text
    response = client.post(
        "/admin/events/retry", data={"csrf_token": form_token(page.text)}, follow_redirects=True
    )
    assert "1 deliveries will be sent" in response.text or "It will be sent" in response.text
    assert [d.status for d in rows(select(EventDelivery))] == ["pending"]


def test_only_admins_see_deliveries(client, make_user):
    api_login(client, make_user(Role.trainer))
    assert client.get("/admin/events").status_code == 403
    assert client.get("/api/v1/admin/event-deliveries").status_code == 403


def test_with_no_destination_the_page_says_events_stay_here(client, make_user):
    api_login(client, make_user(Role.admin))
    page = client.get("/admin/events")
    assert "Askwell is not connected to any other system yet" in page.text


runner = CliRunner()


@pytest.fixture
def env(database_url, monkeypatch):
    monkeypatch.setenv("ASKWELL_DATABASE_URL", database_url)
    monkeypatch.setenv("ASKWELL_MODULES_DIR", str(FIXTURE_MODULES))
    monkeypatch.delenv("ASKWELL_ENV", raising=False)
    return monkeypatch


@pytest.mark.commits  # the command opens the database itself
def test_the_command_delivers_and_says_what_failed(env, app, make_user):
    import app.main as main

    recorder = Recorder("lms")
    env.setattr(main, "event_destinations", lambda _settings, _engine: Destinations(recorder))
    practitioner = make_user()
    from app.core.db import session_scope
    from app.models.events import EventKind

    with session_scope(app.state.engine) as session:
        events.install_destinations(session, Destinations(recorder))
        for section in ("a", "b"):
            events.record(
                session,
                EventKind.section_read,
                user_id=practitioner.id,
                module_slug=ASKING,
                content_version=1,
                payload={"section_id": section},
            )
    # No waiting between tries, so the second run may try again at once.
    env.setattr(events, "backoff", lambda _attempts: timedelta(0))
    recorder.down = True
    result = runner.invoke(cli, ["events", "deliver"])
    assert result.exit_code == 1
    assert "Delivered 0 events to lms." in result.output
    assert "Not delivered: lms: Connection refused by lms.example.org" in result.output
    assert "1 failed; each is tried again later" in result.output
    assert "1 left for the next run." in result.output

    recorder.down = False
    result = runner.invoke(cli, ["events", "deliver"])
    assert result.exit_code == 0, result.output
    assert "Delivered 2 events to lms." in result.output
    assert len(recorder.received) == 2


@pytest.mark.commits
@pytest.mark.usefixtures("env")
def test_the_command_with_nothing_due_says_so():
    result = runner.invoke(cli, ["events", "deliver"])
    assert result.exit_code == 0
    assert "Nothing was due" in result.output

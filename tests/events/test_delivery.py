"""Delivering events: nothing lost while a destination is down, nothing sent twice."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from sqlmodel import col, select

from app.core.db import make_engine, session_scope
from app.events import service as events
from app.events.destinations import Destinations
from app.models.base import utcnow
from app.models.events import EventDelivery, EventKind, LearningEvent
from tests.events.conftest import ASKING, SECTIONS, Recorder


def read_sections(client, sections=SECTIONS):
    for section in sections:
        response = client.post(f"/api/v1/modules/{ASKING}/sections/{section}/complete")
        assert response.status_code == 200, response.text


def deliveries(rows):
    return rows(select(EventDelivery).order_by(col(EventDelivery.id)))


def test_a_failed_delivery_waits_longer_each_time_and_arrives_when_the_destination_is_back(
    app, recorder, practitioner_client, rows
):
    read_sections(practitioner_client, ["why-ask"])
    event = rows(select(LearningEvent))[0]
    engine, destinations = app.state.engine, Destinations(recorder)
    start = utcnow()

    recorder.down = True
    report = events.deliver_due(engine, destinations, now=start)
    assert (report.delivered, report.failed) == (0, 1)
    assert report.problems == ["recorder: Connection refused by lms.example.org"]
    [failed] = deliveries(rows)
    assert failed.status == "failed" and failed.attempts == 1
    assert failed.last_error == "Connection refused by lms.example.org"
    assert failed.next_attempt_at == start + timedelta(seconds=30)

    # Still down at the next try: it waits twice as long.
    report = events.deliver_due(engine, destinations, now=start + timedelta(seconds=31))
    assert report.failed == 1
    [failed] = deliveries(rows)
    assert failed.attempts == 2
    assert failed.next_attempt_at == start + timedelta(seconds=31 + 60)

    # Back up, but the wait is not over: nothing is tried.
    recorder.down = False
    calls = recorder.calls
    report = events.deliver_due(engine, destinations, now=start + timedelta(seconds=60))
    assert report.tried == 0 and recorder.calls == calls

    report = events.deliver_due(engine, destinations, now=start + timedelta(seconds=92))
    assert report.delivered == 1
    assert recorder.event_ids == [event.event_id]
    [delivered] = deliveries(rows)
    assert delivered.status == "delivered" and delivered.attempts == 3
    assert delivered.last_error == "" and delivered.lease_holder is None

    # Delivered is delivered: later runs send nothing more.
    events.deliver_due(engine, destinations, now=start + timedelta(days=1))
    assert recorder.event_ids == [event.event_id]


def test_while_a_destination_is_down_one_try_per_run_and_the_rest_wait(
    app, recorder, practitioner_client, rows
):
    read_sections(practitioner_client)
    recorder.down = True
    report = events.deliver_due(app.state.engine, Destinations(recorder))
    assert (report.failed, report.left_for_later) == (1, 2)
    assert recorder.calls == 1
    statuses = sorted((d.status, d.attempts) for d in deliveries(rows))
    assert statuses == [("failed", 1), ("pending", 0), ("pending", 0)]
    assert all(d.lease_holder is None for d in deliveries(rows))

    recorder.down = False
    report = events.deliver_due(
        app.state.engine, Destinations(recorder), now=utcnow() + timedelta(minutes=1)
    )
    assert report.delivered == 3
    assert sorted(recorder.event_ids) == sorted(e.event_id for e in rows(select(LearningEvent)))


def test_a_refused_event_stops_until_an_admin_retries_it(app, recorder, practitioner_client, rows):
    read_sections(practitioner_client, ["why-ask"])
    recorder.refuse = True
    report = events.deliver_due(app.state.engine, Destinations(recorder))
    assert report.stopped == 1
    [stopped] = deliveries(rows)
    assert stopped.status == "stopped" and stopped.next_attempt_at is None
    recorder.refuse = False
    later = utcnow() + timedelta(days=30)
    assert events.deliver_due(app.state.engine, Destinations(recorder), now=later).tried == 0
    assert recorder.received == []


@pytest.mark.usefixtures("recorder")
def test_deliveries_for_a_destination_this_askwell_does_not_have_wait(
    app, practitioner_client, rows
):
    read_sections(practitioner_client, ["why-ask"])
    other = Recorder("another")
    assert events.deliver_due(app.state.engine, Destinations(other)).tried == 0
    assert [d.status for d in deliveries(rows)] == ["pending"]


@pytest.mark.commits  # two engines, as two machines have, each in its own transactions
def test_two_deliverers_at_once_never_send_an_event_twice(database_url, make_user, app):
    """Two processes (an engine each, as on two machines) deliver the same queue at once."""
    practitioner = make_user()
    recorder = Recorder(delay=0.002)
    destinations = Destinations(recorder)
    engine = app.state.engine
    with session_scope(engine) as session:
        events.install_destinations(session, destinations)
    with session_scope(engine) as session:
        for number in range(60):
            events.record(
                session,
                EventKind.section_read,
                user_id=practitioner.id,
                module_slug=ASKING,
                content_version=1,
                payload={"section_id": f"s{number}"},
            )
    engines = [make_engine(database_url), make_engine(database_url)]
    barrier = threading.Barrier(2)
    reports = []
    errors = []

    def deliver(engine_of_one) -> None:
        try:
            barrier.wait()
            reports.append(events.deliver_due(engine_of_one, destinations))
        except Exception as error:  # the assertion below shows it
            errors.append(error)

    threads = [threading.Thread(target=deliver, args=(e,)) for e in engines]
    try:
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
    finally:
        for each in engines:
            each.dispose()
    assert errors == []
    assert len(recorder.event_ids) == 60
    assert len(set(recorder.event_ids)) == 60, "an event was sent twice"
    assert sum(report.delivered for report in reports) == 60
    # Both really worked: neither waited for the other to finish everything.
    assert all(report.delivered > 0 for report in reports), [r.delivered for r in reports]
    with session_scope(engine, write=False) as session:
        rows = session.exec(select(EventDelivery)).all()
        assert {(row.status, row.attempts) for row in rows} == {("delivered", 1)}


@pytest.mark.commits  # the server's own loop runs on the app's engine
def test_the_server_delivers_by_itself_when_turned_on(database_url, make_user):
    import time

    from fastapi.testclient import TestClient

    from app.main import create_app
    from tests.conftest import make_settings

    practitioner = make_user()
    app = create_app(make_settings(database_url, events_delivery_interval_seconds=0.05))
    recorder = Recorder()
    app.state.event_destinations.add(recorder)
    with session_scope(app.state.engine) as session:
        events.install_destinations(session, app.state.event_destinations)
        event_id = events.record(
            session,
            EventKind.module_completed,
            user_id=practitioner.id,
            module_slug=ASKING,
            content_version=2,
            payload={"score": 100},
        )
    with TestClient(app):
        deadline = time.monotonic() + 10
        while not recorder.received and time.monotonic() < deadline:
            time.sleep(0.02)
    app.state.engine.dispose()
    assert recorder.event_ids == [event_id]
    assert recorder.received[0].payload == {"score": 100}

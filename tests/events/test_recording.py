"""Every learning event is written with the change it records, or not at all."""

from __future__ import annotations

import uuid
from datetime import timedelta

import time_machine
from sqlmodel import col, select

from app.auth.schemas import Viewer
from app.core.db import open_session, session_scope
from app.events import service as events
from app.events.destinations import Destinations
from app.models.events import EventDelivery, LearningEvent
from app.models.progress import SectionProgress
from app.models.users import Role
from app.progress import service as progress
from tests.conftest import api_login
from tests.events.conftest import ASKING, RIGHT_ANSWERS, SECTIONS, Recorder


def kinds_of(rows, user_id):
    found = rows(
        select(LearningEvent)
        .where(LearningEvent.user_id == user_id)
        .order_by(col(LearningEvent.id))
    )
    return found


def test_reading_and_passing_a_module_are_recorded_as_events(
    practitioner_client, practitioner, rows
):
    for section in SECTIONS:
        assert (
            practitioner_client.post(
                f"/api/v1/modules/{ASKING}/sections/{section}/complete"
            ).status_code
            == 200
        )
    # Reading a section again is not a new event.
    practitioner_client.post(f"/api/v1/modules/{ASKING}/sections/why-ask/complete")
    wrong = practitioner_client.post(
        f"/api/v1/modules/{ASKING}/attempts",
        json={"answers": {"q1": ["a"], "q2": ["a"], "q3": ["b"]}},
    ).json()
    right = practitioner_client.post(
        f"/api/v1/modules/{ASKING}/attempts", json={"answers": RIGHT_ANSWERS}
    ).json()
    assert right["passed"] is True

    found = kinds_of(rows, practitioner.id)
    assert [event.kind for event in found] == [
        "section_read",
        "section_read",
        "section_read",
        "quiz_attempted",
        "quiz_attempted",
        "module_completed",
    ]
    assert [event.payload["section_id"] for event in found[:3]] == SECTIONS
    assert found[3].payload["score"] == wrong["score"] and found[3].payload["passed"] is False
    assert found[4].payload == {
        "attempt_id": right["id"],
        "score": 100,
        "passed": True,
        "pass_mark": found[4].payload["pass_mark"],
    }
    completed = found[5]
    assert completed.payload["score"] == 100
    assert completed.payload["minutes"] > 0
    assert all(event.module_slug == ASKING for event in found)
    assert all(event.content_version == completed.content_version for event in found)
    ids = [event.event_id for event in found]
    assert len(set(ids)) == len(ids)
    assert all(str(uuid.UUID(event_id)) == event_id for event_id in ids)


def test_refresher_answers_are_recorded(client, practitioner, rows):
    with time_machine.travel("2026-03-02 09:00:00Z", tick=False) as clock:
        api_login(client, practitioner)
        for section in SECTIONS:
            client.post(f"/api/v1/modules/{ASKING}/sections/{section}/complete")
        client.post(f"/api/v1/modules/{ASKING}/attempts", json={"answers": RIGHT_ANSWERS})
        clock.shift(timedelta(days=2))
        api_login(client, practitioner)
        sitting = client.post("/api/v1/me/refresher/sessions").json()
        question = sitting["question"]["question"]
        response = client.post(
            f"/api/v1/me/refresher/sessions/{sitting['id']}/answers",
            json={
                "module_slug": ASKING,
                "question_id": question["id"],
                "answer": RIGHT_ANSWERS[question["id"]],
            },
        )
        assert response.status_code == 200, response.text
    last = kinds_of(rows, practitioner.id)[-1]
    assert last.kind == "refresher_answered"
    assert last.payload == {"question_id": question["id"], "correct": True, "source": "refresher"}
    assert last.module_slug == ASKING


def test_an_event_and_its_deliveries_are_rolled_back_with_the_change(app, practitioner, rows):
    with session_scope(app.state.engine) as session:
        events.install_destinations(session, Destinations(Recorder("lms"), Recorder("badges")))
    viewer = Viewer(
        id=practitioner.id,
        email=practitioner.email,
        display_name="P",
        roles=frozenset({Role.practitioner}),
        session_id="s",
    )
    session = open_session(app.state.engine, write=True)
    try:
        progress.complete_section(session, app.state.content, viewer, ASKING, "why-ask")
        session.flush()
        # Inside the transaction, the change, its event and a delivery per destination.
        assert len(session.exec(select(SectionProgress)).all()) == 1
        assert len(session.exec(select(LearningEvent)).all()) == 1
        assert len(session.exec(select(EventDelivery)).all()) == 2
        session.rollback()
    finally:
        session.close()
    assert rows(select(SectionProgress)) == []
    assert rows(select(LearningEvent)) == []
    assert rows(select(EventDelivery)) == []

    session = open_session(app.state.engine, write=True)
    try:
        progress.complete_section(session, app.state.content, viewer, ASKING, "why-ask")
        session.commit()
    finally:
        session.close()
    assert len(rows(select(SectionProgress))) == 1
    assert len(rows(select(LearningEvent))) == 1
    assert {d.destination for d in rows(select(EventDelivery))} == {"lms", "badges"}


def test_a_destination_gets_only_the_kinds_it_wants(app, practitioner_client, rows):
    from app.models.events import EventKind

    with session_scope(app.state.engine) as session:
        events.install_destinations(
            session, Destinations(Recorder("gradebook", frozenset({EventKind.module_completed})))
        )
    for section in SECTIONS:
        practitioner_client.post(f"/api/v1/modules/{ASKING}/sections/{section}/complete")
    practitioner_client.post(f"/api/v1/modules/{ASKING}/attempts", json={"answers": RIGHT_ANSWERS})
    deliveries = rows(
        select(EventDelivery, LearningEvent).join(
            LearningEvent, col(LearningEvent.id) == col(EventDelivery.event_id)
        )
    )
    assert [(delivery.destination, event.kind) for delivery, event in deliveries] == [
        ("gradebook", "module_completed")
    ]

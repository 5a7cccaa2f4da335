"""Privacy information and the accessibility statement: open to all, and true to the settings."""

from __future__ import annotations

from datetime import timedelta

import time_machine
from fastapi.testclient import TestClient
from sqlmodel import select

from app.models.auth import LoginAttempt
from tests.conftest import make_settings


def test_anyone_can_read_both_pages_from_every_footer(client):
    for path, heading in (
        ("/privacy", "Privacy: what Askwell keeps about you"),
        ("/accessibility", "Accessibility statement"),
    ):
        page = client.get(path)
        assert page.status_code == 200 and f"<h1>{heading}</h1>" in page.text
        assert f'href="{path}"' in client.get("/sign-in").text


def test_the_privacy_page_states_the_timings_askwell_runs_with(database_url, start_app):
    settings = make_settings(
        database_url,
        session_idle_minutes=25,
        session_absolute_hours=8,
        contact_email="data.protection@trust.nhs.uk",
    )
    with TestClient(start_app(settings)) as client:
        page = client.get("/privacy").text
        statement = client.get("/accessibility").text
    assert "after 25 minutes without activity, and after 8 hours in any case" in page
    assert "Invitation links work for 14 days and password reset links for 24 hours" in page
    assert "deletes these notes after 24 hours" in page
    assert "askwell_session" in page and "askwell_presession" in page
    assert 'href="mailto:data.protection@trust.nhs.uk"' in page
    assert 'href="mailto:data.protection@trust.nhs.uk"' in statement


def test_sign_in_attempts_are_deleted_after_a_day_whoever_made_them(client, make_user, rows):
    someone, later = make_user(), make_user()
    with time_machine.travel("2027-01-05 09:00:00Z", tick=False) as clock:
        client.post("/api/v1/auth/login", json={"email": someone.email, "password": "wrong one"})
        assert len(rows(select(LoginAttempt))) == 1
        clock.shift(timedelta(hours=24, minutes=1))
        with TestClient(client.app, client=("10.1.2.3", 50000)) as other:
            other.post("/api/v1/auth/login", json={"email": later.email, "password": "nope"})
    assert [attempt.email for attempt in rows(select(LoginAttempt))] == [later.email]

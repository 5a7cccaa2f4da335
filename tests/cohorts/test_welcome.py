"""A new invitee lands on a welcome that says what Askwell is and what is assigned to them."""

from __future__ import annotations

import html
import re

from tests.cohorts.conftest import create_cohort
from tests.cohorts.test_invitations import accept, invite


def visible_text(page: str) -> str:
    main = page[page.index("<main") :]
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", main)))


def test_an_invitee_is_welcomed_with_what_askwell_is_and_their_assigned_modules(
    app, trainer_client
):
    cohort_id = create_cohort(trainer_client)
    assigned = trainer_client.post(
        f"/api/v1/cohorts/{cohort_id}/assignments",
        json={"module_slug": "asking-basics", "due_date": "2030-01-31"},
    )
    assert assigned.status_code == 201, assigned.text
    browser, _, response = accept(app, invite(trainer_client, cohort_id), name="Nia Newcomer")
    assert response.status_code == 303
    assert response.headers["location"] == "/welcome"
    welcome = browser.get(response.headers["location"])
    assert welcome.status_code == 200
    text = visible_text(welcome.text)
    assert "Welcome to Askwell, Nia Newcomer" in text
    assert "training for mental health practitioners on talking with young people" in text
    assert "You have joined CAMHS North, 2027 intake" in text
    assert "Assigned to you" in text and "Asking basics" in text
    assert "31 January 2030" in text
    assert 'href="/modules/asking-basics"' in welcome.text


def test_an_invitee_with_nothing_assigned_yet_is_told_so(app, trainer_client):
    cohort_id = create_cohort(trainer_client)
    browser, _, response = accept(app, invite(trainer_client, cohort_id))
    text = visible_text(browser.get(response.headers["location"]).text)
    assert "Welcome to Askwell, New Person" in text
    assert "Nothing is assigned to you yet" in text

"""Versions: a major change makes completers due, a minor one only informs; "what changed"
shows exactly the changed sections; reading it, or refreshing, brings someone up to date."""

from __future__ import annotations

from datetime import timedelta

import time_machine
from fastapi.testclient import TestClient
from sqlmodel import select

from app.models.base import utcnow
from app.models.progress import Completion
from app.models.refresh import RefresherCard, SectionSnapshot
from tests.auth.test_pages_and_csrf import form_token
from tests.conftest import api_login
from tests.refresh.conftest import ASKING, complete_asking_basics, progress_of

REWORDED = {
    "Come back to it at the next appointment.": (
        "Come back to it at the next appointment, and again when things change."
    )
}
NEW_SECTION = "## After a crisis\n\nAsk again once things are calmer."


def completed_on_version_2(app_for, module_folder, make_user):
    """A practitioner completes asking-basics while version 2 is live."""
    first = app_for(module_folder.root)
    account = make_user()
    with TestClient(first) as client:
        api_login(client, account)
        complete_asking_basics(client)
        assert progress_of(client)["completed_version"] == 2
    return account


def test_a_major_change_makes_completers_due_and_a_minor_one_does_not(
    app_for, module_folder, make_user
):
    account = completed_on_version_2(app_for, module_folder, make_user)

    module_folder.publish(3, major=False, replace=REWORDED)
    with TestClient(app_for(module_folder.root)) as client:
        api_login(client, account)
        minor = progress_of(client)
        assert minor["status"] == "completed"
        assert minor["updated_since_completion"] is True
        assert minor["current_version"] == 2
        assert "Updated since you completed it" in client.get("/modules").text

    module_folder.publish(4, major=True, replace=REWORDED)
    with TestClient(app_for(module_folder.root)) as client:
        api_login(client, account)
        major = progress_of(client)
        assert major["status"] == "due_for_refresh"
        assert major["refresh_due"] == "2026-12-04"  # the date of the major change
        dashboard = client.get("/").text
        assert "Due for a refresh" in dashboard
        assert f'href="/modules/{ASKING}/changes"' in dashboard


def test_what_changed_shows_exactly_the_changed_sections(app_for, module_folder, make_user):
    account = completed_on_version_2(app_for, module_folder, make_user)
    module_folder.publish(
        3,
        major=True,
        replace={
            **REWORDED,
            "## Opening questions": "## First questions",  # a renamed section is a new one
        },
        append=NEW_SECTION,
    )
    with TestClient(app_for(module_folder.root)) as client:
        api_login(client, account)
        changes = client.get(f"/api/v1/modules/{ASKING}/changes").json()
        assert changes["since_version"] == 2 and changes["version"] == 3
        assert [entry["version"] for entry in changes["entries"]] == [3]
        kinds = {section["id"]: section["change"] for section in changes["sections"]}
        assert kinds == {
            "following-up": "changed",
            "first-questions": "added",
            "after-a-crisis": "added",
            "opening-questions": "removed",
        }
        assert changes["unchanged_sections"] == 1  # "Why ask" is not shown
        following = next(s for s in changes["sections"] if s["id"] == "following-up")
        added = "".join(seg["text"] for seg in following["segments"] if seg["op"] == "added")
        removed = [seg for seg in following["segments"] if seg["op"] == "removed"]
        assert "again when things change" in added
        assert removed and "appointment." in removed[0]["text"]

        page = client.get(f"/modules/{ASKING}/changes").text
        assert "<ins>" in page and "<del>" in page
        assert "Why ask" not in page.split("Sections that changed")[1]
        assert "I&#39;ve read what changed" in page or "I've read what changed" in page


def test_hostile_text_in_a_changed_section_is_escaped(app_for, module_folder, make_user):
    account = completed_on_version_2(app_for, module_folder, make_user)
    module_folder.publish(
        3,
        replace={
            "Come back to it at the next appointment.": (
                "Come back `<script>alert(1)</script>` and [x](javascript:alert(1)) \u202eevil"
            )
        },
    )
    with TestClient(app_for(module_folder.root)) as client:
        api_login(client, account)
        page = client.get(f"/modules/{ASKING}/changes").text
        assert "<script>alert(1)</script>" not in page
        assert "&lt;script&gt;" in page
        assert 'href="javascript:' not in page


def test_confirming_a_major_change_brings_them_up_to_date(app_for, module_folder, make_user):
    account = completed_on_version_2(app_for, module_folder, make_user)
    module_folder.publish(3, major=True, replace=REWORDED)
    with TestClient(app_for(module_folder.root)) as client:
        api_login(client, account)
        assert progress_of(client)["status"] == "due_for_refresh"
        page = client.get(f"/modules/{ASKING}/changes")
        confirmed = client.post(
            f"/modules/{ASKING}/changes/read",
            data={"csrf_token": form_token(page.text)},
            follow_redirects=True,
        )
        assert "You are up to date" in confirmed.text
        after = progress_of(client)
        assert after["status"] == "completed"
        assert after["current_version"] == 3 and after["completed_version"] == 2
        assert after["updated_since_completion"] is False
        # Confirming again changes nothing and never fails.
        again = client.post(f"/api/v1/modules/{ASKING}/changes/read")
        assert again.status_code == 200 and again.json()["current_version"] == 3


def test_confirming_needs_a_completion_and_a_forged_form_is_refused(practitioner_client):
    response = practitioner_client.post(f"/api/v1/modules/{ASKING}/changes/read")
    assert response.status_code == 409
    forged = practitioner_client.post(f"/modules/{ASKING}/changes/read", data={})
    assert forged.status_code == 403


def test_anyone_signed_in_can_compare_named_versions_but_not_impossible_ones(
    app_for, module_folder, make_user
):
    completed_on_version_2(app_for, module_folder, make_user)
    module_folder.publish(3, replace=REWORDED)
    with TestClient(app_for(module_folder.root)) as client:
        api_login(client, make_user())
        assert client.get(f"/api/v1/modules/{ASKING}/changes").status_code == 409
        assert client.get(f"/api/v1/modules/{ASKING}/changes?since=2").json()["sections"]
        assert client.get(f"/api/v1/modules/{ASKING}/changes?since=9").status_code == 422
        assert client.get(f"/modules/{ASKING}/changes?since=9").status_code == 422


def test_snapshots_are_recorded_once_however_often_askwell_starts(app_for, module_folder, rows):
    app_for(module_folder.root)
    app_for(module_folder.root)
    snapshots = rows(select(SectionSnapshot).where(SectionSnapshot.module_slug == ASKING))
    assert sorted(s.section_id for s in snapshots) == sorted(
        ["why-ask", "opening-questions", "following-up"]
    )


def test_a_module_completed_long_ago_is_due_and_the_short_refresh_records_a_completion(
    client, practitioner, rows
):
    with time_machine.travel("2026-01-10 10:00:00Z", tick=False) as clock:
        api_login(client, practitioner)
        complete_asking_basics(client)
        assert client.get(f"/api/v1/modules/{ASKING}/refresh").status_code == 409
        clock.shift(timedelta(days=400))
        api_login(client, practitioner)
        assert progress_of(client)["status"] == "due_for_refresh"

        offer = client.get(f"/api/v1/modules/{ASKING}/refresh").json()
        assert offer["key_points"] == [
            ["Ask every young person.", "Ask which and how, not whether."]
        ]
        asked = [question["id"] for question in offer["questions"]]
        assert len(asked) == 3

        wrong = client.post(
            f"/api/v1/modules/{ASKING}/refresh", json={"answers": {q: ["a"] for q in asked}}
        ).json()
        assert wrong["passed"] is False and wrong["completed"] is False
        assert progress_of(client)["status"] == "due_for_refresh"

        from tests.refresh.conftest import RIGHT_ANSWERS

        right = client.post(
            f"/api/v1/modules/{ASKING}/refresh",
            json={"answers": {q: RIGHT_ANSWERS[q] for q in asked}},
        ).json()
        assert right["passed"] is True and right["completed"] is True
        after = progress_of(client)
        assert after["status"] == "completed"
        assert after["refresh_due"] == "2028-02-14"
    completions = rows(select(Completion).where(Completion.user_id == practitioner.id))
    assert len(completions) == 2


def test_the_short_refresh_tells_the_spaced_scheduler_what_was_missed_and_known(
    client, practitioner, rows
):
    from tests.refresh.conftest import RIGHT_ANSWERS

    with time_machine.travel("2026-01-10 10:00:00Z", tick=False) as clock:
        api_login(client, practitioner)
        complete_asking_basics(client)
        clock.shift(timedelta(days=400))
        api_login(client, practitioner)
        asked = [
            q["id"] for q in client.get(f"/api/v1/modules/{ASKING}/refresh").json()["questions"]
        ]
        missed, known = asked[0], asked[1:]
        answers = {q: RIGHT_ANSWERS[q] for q in known} | {missed: ["a"]}
        assert answers[missed] != RIGHT_ANSWERS[missed]
        client.post(f"/api/v1/modules/{ASKING}/refresh", json={"answers": answers})
        now = utcnow()

    cards = {
        card.question_id: card
        for card in rows(select(RefresherCard).where(RefresherCard.user_id == practitioner.id))
    }
    assert set(cards) == set(asked)
    assert (cards[missed].reviews, cards[missed].lapses) == (1, 1)
    assert all((cards[q].reviews, cards[q].lapses) == (1, 0) for q in known)
    assert all(cards[missed].due_at < cards[q].due_at for q in known)
    assert cards[missed].due_at - now <= timedelta(days=2)


def test_the_short_refresh_page_keeps_answers_and_lists_what_is_missing(client, practitioner):
    with time_machine.travel("2026-01-10 10:00:00Z", tick=False) as clock:
        api_login(client, practitioner)
        complete_asking_basics(client)
        clock.shift(timedelta(days=366))
        api_login(client, practitioner)
        page = client.get(f"/modules/{ASKING}/refresh")
        assert "Key points" in page.text and "take the whole module again" in page.text
        response = client.post(
            f"/modules/{ASKING}/refresh",
            data={"csrf_token": form_token(page.text), "q1": "b"},
        )
        assert response.status_code == 400
        assert "There is a problem" in response.text
        assert 'value="b" checked' in response.text


def test_taking_the_whole_module_again_also_refreshes_it(client, practitioner, rows):
    from tests.refresh.conftest import RIGHT_ANSWERS

    with time_machine.travel("2026-01-10 10:00:00Z", tick=False) as clock:
        api_login(client, practitioner)
        complete_asking_basics(client)
        clock.shift(timedelta(days=366))
        api_login(client, practitioner)
        client.post(f"/api/v1/modules/{ASKING}/attempts", json={"answers": RIGHT_ANSWERS})
        assert progress_of(client)["status"] == "completed"
    assert len(rows(select(Completion).where(Completion.user_id == practitioner.id))) == 2

"""After a decision the page says what happened; the queue names topics and reviewers in words."""

from __future__ import annotations

import re

from app.models.users import Role
from tests.form_pages import read_form_page
from tests.scenarios.conftest import error_beside, send


def token(html: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)


def claimed(young, reviewer, **overrides) -> int:
    scenario_id = send(young, **overrides)["id"]
    assert reviewer.post(f"/api/v1/review/scenarios/{scenario_id}/claim").status_code == 200
    return scenario_id


def decide_on_page(reviewer, scenario_id: int, **fields: str):
    page = reviewer.get(f"/review/scenarios/{scenario_id}").text
    return reviewer.post(
        f"/review/scenarios/{scenario_id}/decision",
        data={"csrf_token": token(page), **fields},
        follow_redirects=True,
    )


def test_accepting_confirms_it_and_no_longer_says_you_are_reviewing_it(young, reviewer):
    scenario_id = claimed(young, reviewer)
    assert "You are reviewing this" in reviewer.get(f"/review/scenarios/{scenario_id}").text
    done = decide_on_page(
        reviewer,
        scenario_id,
        decision="accept",
        note="Thank you.",
        published_title="Show me your feed",
        published_text="My nurse asked to see my feed.",
    )
    assert done.status_code == 200
    assert "nhsuk-notification-banner--success" in done.text
    assert "Scenario accepted" in done.text
    assert "You are reviewing this" not in done.text


def test_asking_for_changes_and_turning_down_are_confirmed_in_words(young, reviewer):
    changes = claimed(young, reviewer)
    done = decide_on_page(
        reviewer, changes, decision="request_changes", note="Could you say a bit more?"
    )
    assert "Changes requested" in done.text and "You are reviewing this" not in done.text
    turned_down = claimed(young, reviewer)
    done = decide_on_page(reviewer, turned_down, decision="reject", note="Thank you, but no.")
    assert "Scenario turned down" in done.text and "You are reviewing this" not in done.text


def test_an_old_confirmation_address_never_confirms_what_is_no_longer_true(young, reviewer):
    scenario_id = claimed(young, reviewer)
    decide_on_page(reviewer, scenario_id, decision="reject", note="Thank you, but no.")
    stale = reviewer.get(f"/review/scenarios/{scenario_id}?done=accept").text
    assert "Scenario accepted" not in stale
    assert "nhsuk-notification-banner" not in stale


def test_the_queue_names_topics_in_words_and_who_reviewed_each(young, reviewer, trainer):
    waiting = send(young, topics=["social-media", "peer-support"])["id"]
    decided = claimed(young, reviewer, topics=["asking"])
    decide_on_page(reviewer, decided, decision="reject", note="Thank you, but no.")
    page = reviewer.get("/review/scenarios?status=all").text
    assert "Peer support, Social media" in page
    assert "social-media" not in page.replace('value="social-media"', "")
    rows = {item["id"]: item for item in reviewer.get("/api/v1/review/scenarios?status=all").json()}
    assert rows[decided]["reviewed_by"] == trainer.user.display_name == "Tess Trainer"
    assert rows[decided]["claimed_by"] is None
    assert rows[waiting]["reviewed_by"] is None


def test_another_trainer_sees_who_decided_in_the_queue(young, reviewer, signed_in, make_user):
    decided = claimed(young, reviewer)
    decide_on_page(reviewer, decided, decision="reject", note="Thank you, but no.")
    colleague = signed_in(make_user(Role.trainer, name="Cara Colleague"))
    page = colleague.get("/review/scenarios?status=rejected").text
    row = page[page.index(f'href="/review/scenarios/{decided}"') :]
    row = row[: row.index("</tr>")]
    assert "Tess Trainer" in row and "Nobody yet" not in row


def test_every_problem_with_a_decision_is_shown_at_once(young, reviewer):
    scenario_id = claimed(young, reviewer)
    refused = decide_on_page(
        reviewer,
        scenario_id,
        decision="accept",
        note="n" * 2001,
        published_title="Show me your feed",
        published_text="",
        content_warning="w" * 201,
    )
    assert refused.status_code == 400
    assert re.search(r"<title>Error: ", refused.text)
    summary = refused.text.split("nhsuk-error-summary__list", 1)[1].split("</ul>", 1)[0]
    assert 'href="#note"' in summary
    assert 'href="#published_text"' in summary
    assert 'href="#content_warning"' in summary
    assert "You are reviewing this" in refused.text
    view = reviewer.get(f"/api/v1/review/scenarios/{scenario_id}").json()
    assert view["scenario"]["status"] == "in_review" and view["claimed_by_me"]


def test_a_detail_that_still_looks_personal_is_ticked_as_checked_before_accepting(young, reviewer):
    scenario_id = claimed(young, reviewer)
    fields = {
        "decision": "accept",
        "note": "Thank you.",
        "published_title": "Show me your feed",
        "published_text": "She said to text 07700 900123 if it got worse.",
    }
    held = decide_on_page(reviewer, scenario_id, **fields)
    assert held.status_code == 400
    assert "Still looks personal" in held.text
    assert 'name="confirmed_not_personal" type="checkbox" value="07700 900123"' in held.text

    page = reviewer.get(f"/review/scenarios/{scenario_id}").text
    accepted = reviewer.post(
        f"/review/scenarios/{scenario_id}/decision",
        data={"csrf_token": token(page), **fields, "confirmed_not_personal": "07700 900123"},
        follow_redirects=True,
    )
    assert "Scenario accepted" in accepted.text


def test_a_decision_without_its_note_says_so_beside_the_note(young, reviewer):
    scenario_id = claimed(young, reviewer)
    for decision, message in (
        ("request_changes", "Write a note telling the young person what to change."),
        ("reject", "Write a kind note telling the young person why it will not be used."),
    ):
        refused = decide_on_page(reviewer, scenario_id, decision=decision, note="  ")
        assert refused.status_code == 400
        assert error_beside(refused.text, "note") == message
        for other in ("decision", "published_title", "published_text", "content_warning"):
            assert error_beside(refused.text, other) is None, other
        read_form_page(refused.text).check_every_error_is_summarised()


def test_a_queue_filter_not_in_its_list_is_refused_beside_that_filter(reviewer):
    for name, message in (
        ("status", "Choose a status from the list."),
        ("topic", "Choose a topic from the list."),
    ):
        page = reviewer.get("/review/scenarios", params={name: "nonsense"}).text
        assert error_beside(page, name) == message
        other = "topic" if name == "status" else "status"
        assert error_beside(page, other) is None
        read_form_page(page).check_every_error_is_summarised()

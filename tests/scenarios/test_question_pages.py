"""Writing a scenario as question pages (one topic a page, Continue and Back) with a check
your answers page: every step saves a draft, nothing typed is lost, personal details are shown
once before sending, and a scenario sent back for changes is revised the same way."""

from __future__ import annotations

import re
from typing import Any

from fastapi.testclient import TestClient
from sqlmodel import select

from app.models.contributions import Scenario, ScenarioTransition
from tests.scenarios.conftest import publish, scenario_body, send
from tests.scenarios.test_pages import token

ANSWERS: dict[str, dict[str, Any]] = {
    "online": {"platforms": "TikTok, Discord", "what_happened": scenario_body()["what_happened"]},
    "practitioner": {"what_was_said": scenario_body()["what_was_said"]},
    "feelings": {
        "how_it_felt": scenario_body()["how_it_felt"],
        "what_would_help": scenario_body()["what_would_help"],
    },
    "topics": {"topics": ["asking", "rapport"]},
    "credit": {"credit": "none", "consent_to_quote": "yes"},
}


def answer(client: TestClient, url: str, action: str = "continue", **fields: Any) -> Any:
    """Open a question page and answer it as a browser would, without following the redirect."""
    page = client.get(url)
    assert page.status_code == 200, page.text
    data = {"csrf_token": token(page.text), "action": action, **fields}
    return client.post(url, data=data, follow_redirects=False)


def write_scenario(client: TestClient, title: str = "Asked about my feed", **changed: Any) -> int:
    """Answers every question page in order and ends on check your answers."""
    response = answer(client, "/scenarios/new", title=title)
    assert response.status_code == 303, response.text
    location = response.headers["location"]
    scenario_id = int(location.split("/")[2])
    for slug, fields in ANSWERS.items():
        assert location == f"/scenarios/{scenario_id}/questions/{slug}"
        response = answer(client, location, **{**fields, **changed.get(slug, {})})
        assert response.status_code == 303, response.text
        location = response.headers["location"]
    assert location == f"/scenarios/{scenario_id}/check"
    return scenario_id


def send_from_check(client: TestClient, scenario_id: int) -> Any:
    page = client.get(f"/scenarios/{scenario_id}/check")
    data = {"csrf_token": token(page.text)}
    seen = re.search(r'name="warnings_seen" value="([^"]+)"', page.text)
    if seen:
        data["warnings_seen"] = seen.group(1)
    return client.post(f"/scenarios/{scenario_id}/check", data=data, follow_redirects=False)


def test_each_page_asks_one_topic_and_saves_a_draft_before_the_next(young, rows):
    first = young.get("/scenarios/new")
    assert "question 1 of 6" in first.text
    assert '<a class="nhsuk-back-link" href="/scenarios/mine">Back</a>' in first.text
    assert 'name="what_happened"' not in first.text  # one topic a page
    started = answer(young, "/scenarios/new", title="Asked about my feed")
    scenario_id = int(started.headers["location"].split("/")[2])
    assert [(s.title, s.status) for s in rows(select(Scenario))] == [
        ("Asked about my feed", "draft")
    ]

    online = f"/scenarios/{scenario_id}/questions/online"
    page = young.get(online)
    assert f'href="/scenarios/{scenario_id}/questions/title">Back</a>' in page.text
    moved_on = answer(young, online, **ANSWERS["online"])
    assert moved_on.headers["location"] == f"/scenarios/{scenario_id}/questions/practitioner"
    saved = rows(select(Scenario))[0]
    assert saved.what_happened == ANSWERS["online"]["what_happened"]
    assert saved.platforms == ["TikTok", "Discord"] and saved.title == "Asked about my feed"


def test_continue_asks_for_the_answer_and_keeps_what_was_typed(young, rows):
    started = answer(young, "/scenarios/new", title="")
    assert started.status_code == 400
    assert "There is a problem" in started.text and 'href="#title"' in started.text
    assert rows(select(Scenario)) == []

    scenario_id = int(
        answer(young, "/scenarios/new", title="Mine").headers["location"].split("/")[2]
    )
    typed = "What I typed, with an émoji 👩‍👩‍👧 and <angle> brackets " + "x" * 3000
    refused = answer(
        young, f"/scenarios/{scenario_id}/questions/online", what_happened=typed, platforms="Kik"
    )
    assert refused.status_code == 400
    assert "What happened online must be 3,000 characters or fewer" in refused.text
    assert "What I typed, with an émoji 👩‍👩‍👧 and &lt;angle&gt; brackets" in refused.text
    assert 'value="Kik"' in refused.text
    assert rows(select(Scenario.what_happened)) == [""]  # what was saved before is untouched


def test_save_and_come_back_later_keeps_a_draft_with_missing_answers(young, rows):
    later = answer(young, "/scenarios/new", action="later", title="Later")
    scenario_id = rows(select(Scenario.id))[0]
    assert later.headers["location"] == f"/scenarios/{scenario_id}?saved=true"
    assert "Your draft is saved" in young.get(later.headers["location"]).text
    unfinished = answer(young, f"/scenarios/{scenario_id}/questions/online", action="later")
    assert unfinished.status_code == 303
    assert rows(select(Scenario.status)) == ["draft"]
    # Carrying on goes to the first question still to answer.
    resumed = young.get(f"/scenarios/{scenario_id}/edit", follow_redirects=False)
    assert resumed.headers["location"] == f"/scenarios/{scenario_id}/questions/online"


def test_check_your_answers_lists_every_answer_with_change_links_and_the_notice(young):
    scenario_id = write_scenario(young)
    check = young.get(f"/scenarios/{scenario_id}/check")
    assert "<h1>Check your answers before sending</h1>" in check.text
    for slug in ("title", "online", "practitioner", "feelings", "topics", "credit"):
        assert f'href="/scenarios/{scenario_id}/questions/{slug}?change=yes">Change' in check.text
    for words in (
        "Asked about my feed",
        "TikTok, Discord",
        ANSWERS["feelings"]["what_would_help"],
        "Asking, Rapport",
        "Not credited",
        "Who reads it:",
        "It is anonymised first:",
        "You can withdraw it at any time",
        "If it suggests you are at risk now",
    ):
        assert words in check.text
    assert "Check for details that could identify someone" not in check.text


def test_a_change_link_comes_back_to_check_your_answers(young, rows):
    scenario_id = write_scenario(young)
    change = f"/scenarios/{scenario_id}/questions/practitioner?change=yes"
    page = young.get(change)
    assert f'href="/scenarios/{scenario_id}/check">Back</a>' in page.text
    changed = answer(young, change, what_was_said="She asked which apps I use.")
    assert changed.headers["location"] == f"/scenarios/{scenario_id}/check"
    assert rows(select(Scenario.what_was_said)) == ["She asked which apps I use."]
    assert "She asked which apps I use." in young.get(f"/scenarios/{scenario_id}/check").text


def test_the_credit_name_is_revealed_only_for_a_credit_by_name(young, rows):
    started = answer(young, "/scenarios/new", title="Credit me")
    scenario_id = int(started.headers["location"].split("/")[2])
    credit = young.get(f"/scenarios/{scenario_id}/questions/credit")
    # Without JavaScript the field is there and labelled for when it applies.
    assert 'class="nhsuk-radios__conditional" id="credit-name-conditional"' in credit.text
    assert "The name to credit (only if you chose a made-up name or your first name)" in (
        credit.text
    )
    assert 'aria-controls="credit-name-conditional"' in credit.text
    assert "js/conditional-reveal.js" in credit.text
    # Quoting is off and credit is "none" until the young person chooses otherwise.
    assert not re.search(r'id="consent_to_quote"[^>]*checked', credit.text)
    assert re.search(
        r'id="credit" name="credit" type="radio" value="none"[^>]*checked', credit.text
    )
    missing = answer(young, f"/scenarios/{scenario_id}/questions/credit", credit="pseudonym")
    assert missing.status_code == 400 and "Enter the pseudonym" in missing.text
    answer(young, f"/scenarios/{scenario_id}/questions/credit", credit="none", credit_name="Robin")
    assert rows(select(Scenario.credit, Scenario.credit_name)) == [("none", "")]


def test_personal_details_are_shown_once_on_the_check_page_then_sent(young, rows):
    scenario_id = write_scenario(
        young, online={"what_happened": "Call me on 07700 900123", "platforms": ""}
    )
    check = young.get(f"/scenarios/{scenario_id}/check")
    assert "Check for details that could identify someone" in check.text
    assert "Phone number: <bdi" in check.text and "07700 900123" in check.text
    assert f'href="/scenarios/{scenario_id}/questions/online?change=yes">Phone number' in (
        check.text
    )
    sent = send_from_check(young, scenario_id)
    assert sent.headers["location"] == f"/scenarios/{scenario_id}/sent"
    assert rows(select(Scenario.status)) == ["submitted"]


def test_details_that_changed_since_the_check_page_are_shown_before_sending(young, rows):
    scenario_id = write_scenario(young)
    check = young.get(f"/scenarios/{scenario_id}/check")
    # Meanwhile, in another tab, a phone number is added.
    answer(
        young,
        f"/scenarios/{scenario_id}/questions/online?change=yes",
        what_happened="Text me on 07700 900123",
    )
    again = young.post(f"/scenarios/{scenario_id}/check", data={"csrf_token": token(check.text)})
    assert again.status_code == 200 and "Phone number: <bdi" in again.text
    assert rows(select(Scenario.status)) == ["draft"]
    assert send_from_check(young, scenario_id).status_code == 303
    assert rows(select(Scenario.status)) == ["submitted"]


def test_sending_with_answers_missing_links_to_their_questions(young, rows):
    scenario_id = int(
        answer(young, "/scenarios/new", title="Half").headers["location"].split("/")[2]
    )
    check = young.get(f"/scenarios/{scenario_id}/check")
    assert "Not answered yet" in check.text
    refused = young.post(f"/scenarios/{scenario_id}/check", data={"csrf_token": token(check.text)})
    assert refused.status_code == 400 and "There is a problem" in refused.text
    assert (
        f'<a href="/scenarios/{scenario_id}/questions/online?change=yes">Tell us what happened'
        in refused.text
    )
    assert rows(select(Scenario.status)) == ["draft"]


def test_risk_words_show_support_on_the_confirmation_page(young):
    scenario_id = write_scenario(
        young, feelings={"how_it_felt": "I can't go on like this", "what_would_help": "Help"}
    )
    sent = send_from_check(young, scenario_id)
    main = young.get(sent.headers["location"]).text.split("<footer")[0]
    assert "If you need support now" in main
    for service in ("Samaritans", "Shout", "Childline", "999"):
        assert service in main


def test_changes_asked_for_are_made_on_the_same_pages_and_sent_again(young, reviewer, rows):
    scenario_id = send(young)["id"]
    reviewer.post(f"/api/v1/review/scenarios/{scenario_id}/claim")
    reviewer.post(
        f"/api/v1/review/scenarios/{scenario_id}/decision",
        json={"decision": "request_changes", "note": "Say what she asked next?"},
    )
    resumed = young.get(f"/scenarios/{scenario_id}/edit", follow_redirects=False)
    assert resumed.headers["location"] == f"/scenarios/{scenario_id}/check"
    check = young.get(resumed.headers["location"])
    assert "Send it again" in check.text and "Change your scenario" in check.text
    answer(
        young,
        f"/scenarios/{scenario_id}/questions/practitioner?change=yes",
        what_was_said="She asked to see my feed, then whether it made me feel worse.",
    )
    # Saved, but the trainer is not told until it is sent again.
    assert rows(select(Scenario.status)) == ["changes_requested"]
    assert send_from_check(young, scenario_id).status_code == 303
    assert rows(select(Scenario.status, Scenario.what_was_said)) == [
        ("submitted", "She asked to see my feed, then whether it made me feel worse.")
    ]
    notes = rows(select(ScenarioTransition.note).order_by(ScenarioTransition.id))
    assert notes[-1] == "Revised and sent again"


def test_a_draft_offers_delete_draft_not_withdraw(young, rows):
    scenario_id = int(
        answer(young, "/scenarios/new", title="Maybe").headers["location"].split("/")[2]
    )
    page = young.get(f"/scenarios/{scenario_id}")
    assert "Delete draft" in page.text and "Withdraw this scenario" not in page.text
    confirm = young.get(f"/scenarios/{scenario_id}/delete")
    assert "Yes, delete this draft" in confirm.text
    deleted = young.post(
        f"/scenarios/{scenario_id}/delete",
        data={"csrf_token": token(confirm.text)},
        follow_redirects=True,
    )
    assert "Your draft has been deleted." in deleted.text
    assert rows(select(Scenario)) == []


def test_a_sent_scenario_is_withdrawn_not_deleted(young, rows):
    scenario_id = send(young)["id"]
    page = young.get(f"/scenarios/{scenario_id}")
    assert "Withdraw this scenario" in page.text and "Delete draft" not in page.text
    assert young.get(f"/scenarios/{scenario_id}/delete").status_code == 409
    assert young.delete(f"/api/v1/scenarios/{scenario_id}").status_code == 409
    assert rows(select(Scenario.status)) == ["submitted"]


def test_someone_else_cannot_delete_a_draft(young, signed_in, make_user, rows):
    from app.models.users import Role

    draft = young.post("/api/v1/scenarios", json={"title": "Mine", "draft": True}).json()
    other = signed_in(make_user(Role.codesigner, name="Other"))
    assert other.delete(f"/api/v1/scenarios/{draft['id']}").status_code == 404
    assert len(rows(select(Scenario))) == 1


def test_the_timeline_says_what_happened_and_when(young, reviewer):
    scenario_id = publish(young, reviewer)
    page = young.get(f"/scenarios/{scenario_id}").text
    timeline = page.split("<h2>What has happened</h2>")[1].split("</ol>")[0]
    events = re.findall(r'<p class="nhsuk-u-margin-bottom-2">([^<]+)</p>', timeline)
    assert events == [
        "It was published in the training",
        "A trainer accepted it",
        "A trainer started reviewing it",
        "You sent it for review",
        "You started it",
    ]
    assert len(re.findall(r"<time datetime=", timeline)) == 5
    assert "Note from a trainer" in timeline and "Thank you." in timeline


def test_a_withdrawn_scenario_is_titled_withdrawn_not_untitled_draft(young):
    scenario_id = send(young)["id"]
    young.post(f"/api/v1/scenarios/{scenario_id}/withdraw")
    page = young.get(f"/scenarios/{scenario_id}").text
    assert "<title>Withdrawn scenario – Askwell</title>" in page
    assert "Untitled draft" not in page
    assert "You withdrew it, and everything you wrote was deleted" in page


def test_no_page_title_repeats_askwell(young):
    home = young.get("/")
    assert home.status_code == 200
    assert "Askwell – Askwell" not in home.text


def test_the_api_saves_changes_asked_for_without_sending_them(young, reviewer, rows):
    scenario_id = send(young)["id"]
    reviewer.post(f"/api/v1/review/scenarios/{scenario_id}/claim")
    reviewer.post(
        f"/api/v1/review/scenarios/{scenario_id}/decision",
        json={"decision": "request_changes", "note": "A little more?"},
    )
    saved = young.put(
        f"/api/v1/scenarios/{scenario_id}",
        json=scenario_body(how_it_felt="Relieved, honestly.", draft=True),
    )
    assert saved.status_code == 200 and saved.json()["status"] == "changes_requested"
    assert rows(select(Scenario.how_it_felt)) == ["Relieved, honestly."]
    sent = young.put(f"/api/v1/scenarios/{scenario_id}", json=scenario_body())
    assert sent.json()["status"] == "submitted"

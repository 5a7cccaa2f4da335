"""The co-designer's pages work without JavaScript, never lose what was typed, and show every
young person's words escaped."""

from __future__ import annotations

import re

from sqlmodel import select

from app.models.contributions import Scenario
from tests.contributions.conftest import publish, scenario_body


def token(html: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)


def form_data(page_html: str, **overrides):
    body = scenario_body()
    data = {
        "csrf_token": token(page_html),
        "title": body["title"],
        "what_happened": body["what_happened"],
        "what_was_said": body["what_was_said"],
        "how_it_felt": body["how_it_felt"],
        "what_would_help": body["what_would_help"],
        "platforms": "TikTok, Discord",
        "topics": ["asking", "rapport"],
        "credit": "none",
        "credit_name": "",
        "consent_to_quote": "yes",
        "action": "send",
    }
    data.update(overrides)
    return data


def test_the_notice_explains_who_reads_it_anonymising_withdrawal_and_risk(young):
    page = young.get("/scenarios/new")
    assert page.status_code == 200
    for words in (
        "Who reads it:",
        "It is anonymised first:",
        "You can withdraw it at any time",
        "If it suggests you are at risk now",
    ):
        assert words in page.text
    # Quoting is off and credit is "none" until the young person chooses otherwise.
    assert not re.search(r'id="consent_to_quote"[^>]*checked', page.text)
    assert re.search(r'id="credit" name="credit" type="radio" value="none"[^>]*checked', page.text)


def test_a_validation_error_keeps_everything_typed(young, rows):
    page = young.get("/scenarios/new")
    typed = "What I typed, with an émoji 👩‍👩‍👧 and <angle> brackets"
    response = young.post(
        "/scenarios/new", data=form_data(page.text, what_happened=typed, how_it_felt="")
    )
    assert response.status_code == 400
    assert "There is a problem" in response.text and 'href="#how_it_felt"' in response.text
    assert "What I typed, with an émoji 👩‍👩‍👧 and &lt;angle&gt; brackets" in response.text
    assert 'value="rapport" checked' in response.text
    assert rows(select(Scenario)) == []


def test_personal_details_are_shown_first_then_it_can_be_fixed_and_sent(young, rows):
    page = young.get("/scenarios/new")
    with_phone = young.post(
        "/scenarios/new", data=form_data(page.text, what_happened="Call me on 07700 900123")
    )
    assert with_phone.status_code == 200
    assert "Check for details that could identify someone" in with_phone.text
    assert "Phone number: <bdi" in with_phone.text and "07700 900123" in with_phone.text
    assert 'action="/scenarios/' in with_phone.text  # saved as a draft, edited from now on
    assert [s.status for s in rows(select(Scenario))] == ["draft"]
    scenario_id = rows(select(Scenario))[0].id
    fixed = young.post(
        f"/scenarios/{scenario_id}/edit",
        data=form_data(with_phone.text, what_happened="They messaged me about it"),
        follow_redirects=False,
    )
    assert (
        fixed.status_code == 303 and fixed.headers["location"] == f"/scenarios/{scenario_id}/sent"
    )
    sent = young.get(fixed.headers["location"])
    assert (
        "Your scenario has been sent" in sent.text
        and "Samaritans" not in sent.text.split("<footer")[0]
    )


def test_sending_anyway_after_seeing_the_warnings(young, rows):
    page = young.get("/scenarios/new")
    first = young.post("/scenarios/new", data=form_data(page.text, what_happened="@sam_x did it"))
    scenario_id = rows(select(Scenario))[0].id
    signature = re.search(r'name="warnings_seen" value="([^"]+)"', first.text).group(1)
    anyway = young.post(
        f"/scenarios/{scenario_id}/edit",
        data=form_data(first.text, what_happened="@sam_x did it", warnings_seen=signature),
        follow_redirects=False,
    )
    assert anyway.headers["location"] == f"/scenarios/{scenario_id}/sent"


def test_risk_words_show_support_on_the_confirmation_page(young):
    page = young.get("/scenarios/new")
    response = young.post(
        "/scenarios/new", data=form_data(page.text, how_it_felt="I can't go on like this")
    )
    assert response.status_code == 200
    main = response.text.split("<footer")[0]
    assert "If you need support now" in main
    for service in ("Samaritans", "Shout", "Childline", "999"):
        assert service in main


def test_a_draft_is_saved_with_missing_answers(young, rows):
    page = young.get("/scenarios/new")
    response = young.post(
        "/scenarios/new",
        data={"csrf_token": token(page.text), "title": "Later", "action": "draft"},
        follow_redirects=False,
    )
    assert response.status_code == 303
    assert "Your draft is saved" in young.get(response.headers["location"]).text
    assert rows(select(Scenario.status)) == ["draft"]


def test_withdrawing_from_the_page_asks_first_then_removes_it_everywhere(
    young, reviewer, practitioner_client
):
    scenario_id = publish(young, reviewer)
    confirm = young.get(f"/scenarios/{scenario_id}/withdraw")
    assert "it disappears from every module at once" in confirm.text
    done = young.post(
        f"/scenarios/{scenario_id}/withdraw",
        data={"csrf_token": token(confirm.text)},
        follow_redirects=True,
    )
    assert "Your scenario has been withdrawn" in done.text and "Withdrawn scenario" in done.text
    assert (
        "My nurse asked to see my feed"
        not in practitioner_client.get("/modules/asking-basics").text
    )


HOSTILE = {
    "title": '<script>alert("t")</script>',
    "what_happened": "<img src=x onerror=alert(1)> [click](javascript:alert(2)) " + "w" * 2900,
    "what_was_said": "javascript:alert(3)",
    "how_it_felt": "safe\u202eetirw\u200b text",
    "what_would_help": "<a href='javascript:alert(4)'>help</a>",
    "content_warning": "<b>bold</b>",
}


def test_hostile_input_is_shown_escaped_everywhere_it_appears(
    young, reviewer, practitioner_client, rows
):
    body = scenario_body(**HOSTILE)
    created = young.post("/api/v1/scenarios", json=body)
    assert created.status_code == 201, created.text
    scenario_id = created.json()["id"]
    stored = rows(select(Scenario).where(Scenario.id == scenario_id))[0]
    assert "\u202e" not in stored.how_it_felt and "\u200b" not in stored.how_it_felt
    reviewer.post(f"/api/v1/review/scenarios/{scenario_id}/claim")
    reviewer.post(
        f"/api/v1/review/scenarios/{scenario_id}/decision",
        json={
            "decision": "accept",
            "published_title": "<script>alert('p')</script>",
            "published_text": "[x](javascript:alert(5)) <iframe src=//evil></iframe>",
            "content_warning": "<i>cw</i>",
        },
    )
    reviewer.post(f"/api/v1/review/scenarios/{scenario_id}/publish")
    pages = [
        young.get("/scenarios/mine").text,
        young.get(f"/scenarios/{scenario_id}").text,
        reviewer.get(f"/review/scenarios/{scenario_id}").text,
        reviewer.get("/review/scenarios?status=all").text,
        practitioner_client.get("/modules/asking-basics").text,
        practitioner_client.get("/modules/asking-basics/all").text,
    ]
    for html in pages:
        assert "<script>alert" not in html
        assert "<img src=x" not in html and "<iframe" not in html and "<b>bold" not in html
        assert 'href="javascript:' not in html and "href='javascript:" not in html
        assert "\u202e" not in html
    assert "&lt;script&gt;alert(&#39;p&#39;)&lt;/script&gt;" in pages[4]
    assert "&lt;script&gt;alert(&#34;t&#34;)&lt;/script&gt;" in pages[0]


def test_my_data_downloads_everything_about_me(young, reviewer, codesigner):
    publish(young, reviewer)
    young.put("/api/v1/modules/asking-basics/asks/curiosity/rating", json={"verdict": "yes"})
    for response in (young.get("/api/v1/me/data"), young.get("/my-data/askwell-data.json")):
        data = response.json()
        assert data["account"]["email"] == codesigner.email
        assert data["account"]["age_band"] == "18-24"
        assert "date_of_birth" not in str(data)
        assert data["scenarios"][0]["status"] == "published"
        assert [s["to_status"] for s in data["scenarios"][0]["reviewer_notes"]][-1] == "published"
        assert data["ratings"][0]["verdict"] == "yes"
    attachment = young.get("/my-data/askwell-data.json")
    assert "attachment" in attachment.headers["content-disposition"]


def test_deleting_my_account_removes_my_words_and_ends_my_sessions(
    young, reviewer, practitioner_client, codesigner, rows
):
    publish(young, reviewer)
    page = young.get("/my-data/delete")
    unconfirmed = young.post("/my-data/delete", data={"csrf_token": token(page.text)})
    assert unconfirmed.status_code == 400 and "Tick the box" in unconfirmed.text
    deleted = young.post(
        "/my-data/delete",
        data={"csrf_token": token(page.text), "confirm": "yes"},
        follow_redirects=False,
    )
    assert deleted.headers["location"] == "/account-deleted"
    assert young.get("/api/v1/me").status_code == 401
    assert rows(select(Scenario)) == []
    assert (
        "My nurse asked to see my feed"
        not in practitioner_client.get("/modules/asking-basics").text
    )


def test_trainers_cannot_delete_their_account_themselves(signed_in, make_user):
    from app.models.users import Role

    both = signed_in(make_user(Role.codesigner, Role.trainer))
    assert both.delete("/api/v1/me").status_code == 409
    assert both.get("/api/v1/me").status_code == 200

"""Wherever a young person types words about risk now, the page that follows shows support
first, above any confirmation, and a record is raised even if nothing is sent."""

from __future__ import annotations

import re

from sqlmodel import select

from app.models.safeguarding import SafeguardingRecord
from tests.contributions.conftest import send
from tests.contributions.test_pages import form_data, token

SUPPORT = "If you need support now"
DESPAIR = "I can't cope any more and I want to die"


def main_of(html: str) -> str:
    return html[html.index("<main") : html.index("</main>")]


def assert_support_before(html: str, *later: str) -> None:
    html = main_of(html)
    assert SUPPORT in html, "support is not shown"
    for text in later:
        assert text in html, f"{text!r} is not on the page"
        assert html.index(SUPPORT) < html.index(text), f"support is not above {text!r}"
    for number in ('href="tel:116123"', 'href="sms:85258"', 'href="tel:08001111"', "tel:999"):
        assert number in html


def typed_in(rows) -> list[str]:
    records = rows(select(SafeguardingRecord))
    return [entry["typed_in"] for record in records for entry in record.sentences]


def test_saving_a_draft_shows_support_above_the_saved_message(young, rows):
    page = young.get("/scenarios/new")
    saved = young.post(
        "/scenarios/new", data=form_data(page.text, how_it_felt=DESPAIR, action="draft")
    )
    assert saved.status_code == 200
    assert_support_before(saved.text, "Your draft is saved")
    assert typed_in(rows) == ["scenario_draft"]


def test_sending_shows_support_above_the_thank_you_panel(young, rows):
    page = young.get("/scenarios/new")
    sent = young.post("/scenarios/new", data=form_data(page.text, how_it_felt=DESPAIR))
    assert sent.status_code == 200 and "/sent" in str(sent.url)
    assert_support_before(sent.text, "Your scenario has been sent", "Thank you for sharing it")
    assert typed_in(rows) == ["scenario_sent"]


def test_the_personal_details_check_shows_support_first(young, rows):
    page = young.get("/scenarios/new")
    checked = young.post(
        "/scenarios/new",
        data=form_data(page.text, how_it_felt=DESPAIR, what_happened="Text me on 07700 900123."),
    )
    assert checked.status_code == 200
    assert_support_before(
        checked.text,
        "Check for details that could identify someone",
        "We have saved this as a draft",
    )
    assert typed_in(rows) == ["scenario_check"]


def test_checking_a_revision_before_sending_raises_a_record_and_shows_support(
    young, reviewer, rows
):
    scenario_id = send(young)["id"]
    reviewer.post(f"/api/v1/review/scenarios/{scenario_id}/claim")
    reviewer.post(
        f"/api/v1/review/scenarios/{scenario_id}/decision",
        json={"decision": "request_changes", "note": "Could you say more about the app?"},
    )
    page = young.get(f"/scenarios/{scenario_id}/edit")
    checked = young.post(
        f"/scenarios/{scenario_id}/edit",
        data=form_data(page.text, how_it_felt=DESPAIR, what_happened="Call 07700 900123."),
    )
    assert checked.status_code == 200
    assert_support_before(checked.text, "Check for details that could identify someone")
    assert typed_in(rows) == ["scenario_check"]
    stored = young.get(f"/api/v1/scenarios/{scenario_id}").json()
    assert stored["how_it_felt"] != DESPAIR, "a check saves nothing of the revision"

    anyway = young.post(
        f"/scenarios/{scenario_id}/edit",
        data={
            **form_data(page.text, how_it_felt=DESPAIR, what_happened="Call 07700 900123."),
            "warnings_seen": re.search(r'name="warnings_seen" value="([^"]+)"', checked.text)[1],
        },
    )
    assert_support_before(anyway.text, "Your scenario has been sent")
    assert typed_in(rows) == ["scenario_check"], "the same sentence raises nothing new"


def test_a_form_with_problems_still_shows_support_first(young):
    page = young.get("/scenarios/new")
    problem = young.post("/scenarios/new", data=form_data(page.text, title="", how_it_felt=DESPAIR))
    assert problem.status_code == 400
    assert_support_before(problem.text, "There is a problem")
    assert DESPAIR.replace("'", "&#39;") in problem.text, "nothing typed is lost"


def test_a_rating_comment_with_risk_words_is_followed_by_support_first(young, rows):
    page = young.get("/modules/asking-basics/all").text
    rated = young.post(
        "/modules/asking-basics/asks/curiosity/rating",
        data={
            "csrf_token": token(page),
            "verdict": "no",
            "comment": "Nobody asks. I want to hurt myself.",
            "next": "/modules/asking-basics/all",
        },
        follow_redirects=False,
    )
    assert rated.status_code == 303 and rated.headers["location"].startswith("/support?")
    after = young.get(rated.headers["location"]).text
    assert_support_before(after, "Thank you. Your rating is saved.")
    assert 'href="/modules/asking-basics/all?rated=curiosity#ask-curiosity"' in after
    assert typed_in(rows) == ["rating_comment"]


def test_the_support_page_links_back_only_within_askwell(young):
    page = young.get("/support?after=rating&next=https://evil.example/").text
    assert "evil.example" not in page and 'href="/"' in page


def test_the_notice_before_writing_says_drafts_are_checked_too(young):
    page = main_of(young.get("/scenarios/new").text)
    notice = page[: page.index("<form")]
    assert "even in a draft you have not sent" in notice


def test_the_privacy_page_says_what_a_record_holds_who_sees_it_and_for_how_long(
    client, app, monkeypatch
):
    monkeypatch.setattr(app.state.settings, "safeguarding_retention_days", 730)
    page = main_of(client.get("/privacy").text)
    section = page[page.index('id="safeguarding"') :]
    assert "only the sentences that suggested a risk" in section
    assert "trainers" in section and "audit log" in section
    assert "730 days (2 years)" in section


def test_withdrawing_and_deleting_say_the_safeguarding_record_stays(young):
    scenario_id = send(young)["id"]
    withdraw = main_of(young.get(f"/scenarios/{scenario_id}/withdraw").text)
    delete = main_of(young.get("/my-data/delete").text)
    for page in (withdraw, delete):
        assert 'href="/privacy#safeguarding"' in page and "safeguarding record" in page

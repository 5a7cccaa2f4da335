"""Wherever a young person types words about risk now, the page that follows shows support
first, above any confirmation, and a record is raised even if nothing is sent."""

from __future__ import annotations

from sqlmodel import select

from app.models.safeguarding import SafeguardingRecord
from tests.scenarios.conftest import send
from tests.scenarios.test_pages import token
from tests.scenarios.test_question_pages import answer, send_from_check, write_scenario

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


def test_saving_a_question_page_shows_support_first_on_the_next_page(young, rows):
    scenario_id = write_scenario(young, title="Asked about my feed")
    feelings = f"/scenarios/{scenario_id}/questions/feelings"
    moved_on = answer(young, feelings, how_it_felt=DESPAIR, what_would_help="Being asked.")
    assert moved_on.status_code == 303
    following = young.get(moved_on.headers["location"]).text
    assert_support_before(following, "<h1", "<form")
    assert typed_in(rows) == ["scenario_draft"], "a draft nobody sent still raises a record"


def test_save_and_come_back_later_shows_support_above_the_saved_message(young, rows):
    started = answer(young, "/scenarios/new", title="Online")
    scenario_id = int(started.headers["location"].split("/")[2])
    later = answer(
        young,
        f"/scenarios/{scenario_id}/questions/online",
        action="later",
        what_happened=DESPAIR,
    )
    assert later.status_code == 303
    assert_support_before(young.get(later.headers["location"]).text, "Your draft is saved")
    assert typed_in(rows) == ["scenario_draft"]


def test_sending_shows_support_above_the_thank_you_panel(young, rows):
    scenario_id = write_scenario(
        young, feelings={"how_it_felt": DESPAIR, "what_would_help": "Being asked."}
    )
    sent = send_from_check(young, scenario_id)
    assert sent.status_code == 303 and sent.headers["location"].endswith("/sent")
    after = young.get(sent.headers["location"]).text
    assert_support_before(after, "Your scenario has been sent", "Thank you for sharing it")
    assert typed_in(rows) == ["scenario_draft"], "the same sentence raises nothing new"


def test_the_personal_details_check_shows_support_first(young):
    scenario_id = write_scenario(
        young,
        online={"what_happened": "Text me on 07700 900123."},
        feelings={"how_it_felt": DESPAIR, "what_would_help": "Being asked."},
    )
    checked = young.get(f"/scenarios/{scenario_id}/check").text
    assert_support_before(checked, "Check your answers before sending", "could identify someone")


def test_revising_after_changes_were_asked_for_shows_support_first(young, reviewer, rows):
    scenario_id = send(young)["id"]
    reviewer.post(f"/api/v1/review/scenarios/{scenario_id}/claim")
    reviewer.post(
        f"/api/v1/review/scenarios/{scenario_id}/decision",
        json={"decision": "request_changes", "note": "Could you say more about the app?"},
    )
    changed = answer(
        young,
        f"/scenarios/{scenario_id}/questions/feelings?change=yes",
        how_it_felt=DESPAIR,
        what_would_help="Being asked.",
    )
    assert changed.headers["location"] == f"/scenarios/{scenario_id}/check"
    assert_support_before(young.get(changed.headers["location"]).text, "Check your answers")
    assert typed_in(rows) == ["scenario_draft"]


def test_a_question_page_with_problems_still_shows_support_first(young):
    scenario_id = write_scenario(young)
    problem = answer(
        young,
        f"/scenarios/{scenario_id}/questions/feelings",
        how_it_felt=DESPAIR,
        what_would_help="",
    )
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
    """The first question page says it, before the young person writes anything but a title."""
    page = main_of(young.get("/scenarios/new").text)
    assert "question 1 of" in page
    notice = page[: page.index('value="continue"')]
    assert "even in a draft you have not sent" in notice
    assert 'href="/privacy#safeguarding"' in notice


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

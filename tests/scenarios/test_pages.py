"""The co-designer's pages: withdrawal, their own data, and every young person's words shown
escaped. The question pages that write a scenario are in test_question_pages.py."""

from __future__ import annotations

import io
import re

import pytest
from pypdf import PdfReader
from sqlmodel import select

from app.models.contributions import Scenario
from tests.scenarios.conftest import publish, scenario_body


def token(html: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)


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


@pytest.mark.usefixtures("codesigner")
def test_deleting_my_account_removes_my_words_and_ends_my_sessions(
    young, reviewer, practitioner_client, rows
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


def test_my_data_can_be_read_as_a_page_and_kept_as_a_pdf(young, reviewer, codesigner):
    scenario_id = publish(young, reviewer)
    young.put(
        "/api/v1/modules/asking-basics/asks/curiosity/rating",
        json={"verdict": "not_sure", "comment": "Bit formal"},
    )
    offer = young.get("/my-data").text
    for link in (
        "/my-data/askwell-data",
        "/my-data/askwell-data.pdf",
        "/my-data/askwell-data.json",
    ):
        assert f'href="{link}"' in offer

    page = young.get("/my-data/askwell-data")
    assert page.status_code == 200
    for words in (
        codesigner.email,
        "18-24",
        scenario_body()["what_happened"],
        "Published",
        "It was published in the training",
        "Not sure. Your comment:",
        "Bit formal",
    ):
        assert words in page.text, words

    pdf = young.get("/my-data/askwell-data.pdf")
    assert pdf.headers["content-type"] == "application/pdf"
    assert "attachment" in pdf.headers["content-disposition"]
    assert pdf.content.startswith(b"%PDF")
    text = pdf_text(pdf.content)
    assert codesigner.email in text and "When my nurse asked about my phone" in text
    assert "It was published in the training" in text and "Bit formal" in text
    assert young.get(f"/scenarios/{scenario_id}").status_code == 200


def pdf_text(content: bytes) -> str:
    reader = PdfReader(io.BytesIO(content))
    return "\n".join(page.extract_text() for page in reader.pages)


def test_only_a_codesigner_has_data_to_read_here(practitioner_client):
    assert practitioner_client.get("/my-data/askwell-data").status_code == 403
    assert practitioner_client.get("/my-data/askwell-data.pdf").status_code == 403

"""Finding and reading modules, through the API and the pages."""

from __future__ import annotations

from app.models.users import Role
from tests.conftest import api_login


def test_module_list_has_the_public_fields(practitioner_client):
    response = practitioner_client.get("/api/v1/modules")
    assert response.status_code == 200
    modules = {item["slug"]: item for item in response.json()}
    assert set(modules) == {"asking-basics", "second-module", "sample-app"}
    first = modules["asking-basics"]
    assert set(first) == {
        "slug",
        "title",
        "kind",
        "summary",
        "minutes",
        "version",
        "topics",
        "updated",
    }
    assert first["version"] == 2 and first["kind"] == "module" and first["minutes"] >= 1


def test_module_list_filters_by_kind(practitioner_client):
    apps = practitioner_client.get("/api/v1/modules?kind=app").json()
    assert [item["slug"] for item in apps] == ["sample-app"]
    bad = practitioner_client.get("/api/v1/modules?kind=nonsense")
    assert bad.status_code == 422


def test_module_detail_never_reveals_the_answers(practitioner_client):
    body = practitioner_client.get("/api/v1/modules/asking-basics").json()
    assert [section["id"] for section in body["sections"]] == [
        "why-ask",
        "opening-questions",
        "following-up",
    ]
    assert "directly asked" in body["sections"][0]["html"]
    assert body["quiz"]["pass_mark"] == 60
    text = str(body["quiz"])
    assert "correct" not in text and "feedback" not in text
    # In the viewer's own shuffled order, as on the quiz page; answers go back by id.
    assert sorted(body["quiz"]["questions"][0]["options"], key=lambda o: o["id"]) == [
        {"id": "a", "text": "Tell them to delete it"},
        {"id": "b", "text": "Ask them to show you how it works"},
    ]


def test_unknown_module_is_a_404_in_json_and_on_a_page(practitioner_client):
    api = practitioner_client.get("/api/v1/modules/no-such-module")
    assert api.status_code == 404
    assert "could not find that module" in api.json()["detail"]
    page = practitioner_client.get("/modules/no-such-module")
    assert page.status_code == 404
    assert "could not find that module" in page.text
    assert "Traceback" not in page.text


def test_unknown_page_is_a_friendly_404(practitioner_client):
    page = practitioner_client.get("/no/such/page")
    assert page.status_code == 404
    assert "Page not found" in page.text


def test_catalogue_page_searches_and_filters_by_topic(practitioner_client):
    everything = practitioner_client.get("/modules")
    assert "Asking basics" in everything.text and "Second module" in everything.text
    searched = practitioner_client.get("/modules?q=gaming")
    assert "Second module" in searched.text and "Asking basics" not in searched.text
    by_topic = practitioner_client.get("/modules?topic=rapport")
    assert "Asking basics" in by_topic.text and "Second module" not in by_topic.text
    nothing = practitioner_client.get("/modules?q=zzzznotaword")
    assert "No modules match" in nothing.text


def test_catalogue_shows_minutes_version_updated_and_status(practitioner_client):
    page = practitioner_client.get("/modules").text
    assert "version 2" in page and "updated 20 November 2026" in page
    assert "Not started" in page
    # Minutes count the activities, not only the reading: second-module's 71 words are
    # under a minute, but its quiz question and two reflection prompts make 2.855.
    minutes = {m["slug"]: m["minutes"] for m in practitioner_client.get("/api/v1/modules").json()}
    assert minutes["second-module"] == 3
    assert "3 minutes · version 1" in " ".join(
        practitioner_client.get("/modules/second-module").text.split()
    )


def test_app_cards_are_listed_on_their_own_and_read_in_full(practitioner_client):
    cards = practitioner_client.get("/modules?kind=app").text
    assert "Sample app" in cards and "Asking basics" not in cards
    card = practitioner_client.get("/modules/sample-app").text
    assert "13+" in card and "Could you show me how you use it?" in card


def test_search_text_is_escaped_on_the_page(practitioner_client):
    page = practitioner_client.get("/modules", params={"q": "<script>alert(1)</script>"}).text
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;" in page


def test_trainers_and_codesigners_can_read_but_have_no_progress(client, make_user):
    api_login(client, make_user(Role.codesigner))
    page = client.get("/modules/asking-basics")
    assert page.status_code == 200
    assert "% complete" not in page.text
    assert client.get("/api/v1/me/progress").status_code == 403

"""Search answers with one result per module, card or scenario, on SQLite and PostgreSQL."""

from __future__ import annotations

import re

import pytest

from app.core.db import session_scope
from app.search import service


@pytest.fixture
def indexed(app):
    with session_scope(app.state.engine) as session:
        service.index_content(session, app.state.content)
    return app


def search(client, query):
    response = client.get("/api/v1/search", params={"q": query})
    assert response.status_code == 200, response.text
    return response.json()["results"]


@pytest.mark.usefixtures("indexed")
def test_a_word_in_every_section_of_a_module_gives_one_result_for_it(practitioner_client):
    # "asking" is in the module's title, so its overview and all three sections match.
    found = search(practitioner_client, "asking")
    items = [result["item_url"] for result in found]
    assert items.count("/modules/asking-basics") == 1
    assert len(items) == len(set(items))
    basics = next(r for r in found if r["item_url"] == "/modules/asking-basics")
    assert basics["matches"] == 4


@pytest.mark.usefixtures("indexed")
def test_a_cards_sections_are_one_result_too(practitioner_client):
    found = search(practitioner_client, "sample")
    assert [(r["kind"], r["item_url"]) for r in found] == [("app", "/modules/sample-app")]
    assert found[0]["matches"] == 3


@pytest.mark.usefixtures("indexed")
def test_the_best_matching_section_is_shown_under_its_module(practitioner_client):
    found = search(practitioner_client, "appointment")
    assert len(found) == 1
    assert found[0]["item_url"] == "/modules/asking-basics"
    assert found[0]["url"] == "/modules/asking-basics/sections/following-up"
    page = practitioner_client.get("/search", params={"q": "asking"}).text
    assert page.count('<a href="/modules/asking-basics">Asking basics</a>') == 1
    modules_found = len(search(practitioner_client, "asking"))
    assert (
        f"<h2>{modules_found} result{'s' if modules_found != 1 else ''} for “asking”</h2>" in page
    )
    best = re.search(r"Best match: <a href=\"(/modules/asking-basics[^\"]*)\">([^<]+)</a>", page)
    assert best, "the module's best-matching section is not shown under it"
    assert "(and 3 more parts of it)" in page


@pytest.mark.usefixtures("indexed")
def test_the_section_shown_is_one_whose_own_words_match(practitioner_client):
    # Every section carries the title "Asking basics"; the one shown must itself mention asking.
    found = search(practitioner_client, "ask")
    basics = next(r for r in found if r["item_url"] == "/modules/asking-basics")
    assert "ask" in (basics["heading"] + " " + basics["snippet"]).lower()
    assert basics["url"] != "/modules/asking-basics/sections/following-up"


def test_scenarios_each_stay_a_result_of_their_own(indexed, practitioner_client):
    with session_scope(indexed.state.engine) as session:
        for key in ("51", "52"):
            service.index_document(
                session,
                kind="scenario",
                key=key,
                title=f"Scenario {key}",
                body="Lurking in a group chat.",
                url=f"/scenarios/{key}",
            )
    found = search(practitioner_client, "lurking")
    assert sorted(r["item_url"] for r in found) == ["/scenarios/51", "/scenarios/52"]


@pytest.mark.usefixtures("indexed")
def test_a_one_word_miss_is_worded_for_one_word(practitioner_client):
    page = practitioner_client.get("/search", params={"q": "qzxwv"}).text
    assert "No results for “qzxwv”" in page
    assert "word" not in page.split("No results for", 1)[1].split("</main>", 1)[0].lower()
    several = practitioner_client.get("/search", params={"q": "qzxwv asking"}).text
    assert "No results for “qzxwv asking”" in several
    assert "Nothing matched all 2 words. Try fewer words" in several


def test_a_one_word_miss_in_the_catalogue_does_not_talk_of_words(practitioner_client):
    page = practitioner_client.get("/modules", params={"q": "qzxwv"}).text
    message = re.search(r"<p>No modules match[^<]*</p>", page)
    assert message and "word" not in message.group(0)
    several = practitioner_client.get("/modules", params={"q": "qzxwv asking"}).text
    assert "Try fewer words" in several

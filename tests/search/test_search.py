"""Search: one service over SQLite FTS5 and PostgreSQL full-text search."""

from __future__ import annotations

import pytest

from app.core.db import session_scope
from app.search import service
from tests.conftest import api_login


@pytest.fixture
def indexed(app):
    """Askwell indexes content when it starts; the suite empties tables between tests."""
    with session_scope(app.state.engine) as session:
        service.index_content(session, app.state.content)
    return app


def results(client, query):
    response = client.get("/api/v1/search", params={"q": query})
    assert response.status_code == 200, response.text
    return response.json()["results"]


@pytest.mark.usefixtures("indexed")
def test_a_word_in_a_section_finds_that_section(practitioner_client):
    found = results(practitioner_client, "appointment")
    assert found[0]["url"] == "/modules/asking-basics/sections/following-up"
    assert found[0]["heading"] == "Following up"
    assert "appointment" in found[0]["snippet"]


@pytest.mark.usefixtures("indexed")
def test_stemming_and_prefixes_find_forms_of_a_word(practitioner_client):
    assert any(r["heading"] == "Gaming" for r in results(practitioner_client, "gamer"[:4]))
    assert results(practitioner_client, "asks")  # "ask" in the text, stemmed


@pytest.mark.usefixtures("indexed")
def test_an_apps_other_name_finds_its_card(practitioner_client):
    found = results(practitioner_client, "sampler")
    assert found[0]["kind"] == "app" and found[0]["url"] == "/modules/sample-app"
    section = results(practitioner_client, "photo sharing")
    assert section[0]["url"] == "/modules/sample-app#what-it-is"


@pytest.mark.usefixtures("indexed")
def test_a_misspelt_word_gets_a_spelling_that_finds_something(practitioner_client):
    answer = practitioner_client.get("/api/v1/search", params={"q": "apointment"}).json()
    assert answer["results"] == [] and answer["suggestion"] == "appointment"
    page = practitioner_client.get("/search", params={"q": "photo sharng"})
    assert 'Did you mean <a href="/search?q=photo%20sharing">photo sharing</a>?' in page.text
    found = practitioner_client.get("/api/v1/search", params={"q": "appointment"}).json()
    assert found["results"] and found["suggestion"] is None
    nonsense = practitioner_client.get("/api/v1/search", params={"q": "qzxwv"}).json()
    assert nonsense == {"query": "qzxwv", "results": [], "suggestion": None}


def test_published_scenarios_are_found_and_drafts_or_withdrawn_ones_never(
    indexed, practitioner_client
):
    with session_scope(indexed.state.engine) as session:
        service.index_document(
            session,
            kind="scenario",
            key="41",
            title="Group chat pile-on",
            body="Everyone in the chat turned on me over a meme.",
            url="/scenarios/41",
        )
        # A draft is simply never indexed: the publish code is the only caller.
    found = results(practitioner_client, "meme")
    assert [(r["kind"], r["url"]) for r in found] == [("scenario", "/scenarios/41")]
    assert results(practitioner_client, "draftword") == []
    with session_scope(indexed.state.engine) as session:
        service.remove_document(session, "scenario", "41")
    assert results(practitioner_client, "meme") == []


def test_republishing_replaces_rather_than_duplicates(indexed, practitioner_client):
    with session_scope(indexed.state.engine) as session:
        for body in ("First wording about lurking.", "Second wording about lurking."):
            service.index_document(
                session, kind="scenario", key="7", title="T", body=body, url="/scenarios/7"
            )
    found = results(practitioner_client, "lurking")
    assert len(found) == 1 and "Second wording" in found[0]["snippet"]


@pytest.mark.parametrize(
    "query",
    [
        '"unbalanced',
        "NEAR(a b)",
        "a OR b AND NOT c*",
        "'; DROP TABLE users; --",
        "title:secret",
        "ask:* & !x | (y",
        "\u202egnimag",
        "ab\u200bc",
        "💬 emoji",
    ],
)
@pytest.mark.usefixtures("indexed")
def test_search_syntax_in_a_query_is_only_ever_words(practitioner_client, query):
    response = practitioner_client.get("/api/v1/search", params={"q": query})
    assert response.status_code == 200
    page = practitioner_client.get("/search", params={"q": query})
    assert page.status_code == 200


@pytest.mark.usefixtures("indexed")
def test_the_page_escapes_the_query_and_refuses_a_very_long_one(practitioner_client):
    page = practitioner_client.get("/search", params={"q": "<script>alert(1)</script> ask"})
    assert "<script>alert(1)</script>" not in page.text
    assert "&lt;script&gt;" in page.text
    too_long = practitioner_client.get("/search", params={"q": "x" * 201})
    assert too_long.status_code == 400 and "at most 200 characters" in too_long.text
    assert practitioner_client.get("/api/v1/search", params={"q": "x" * 201}).status_code == 422


def test_index_document_refuses_links_off_askwell(indexed):
    from app.core.errors import InvalidInput

    with session_scope(indexed.state.engine) as session, pytest.raises(InvalidInput):
        service.index_document(
            session, kind="scenario", key="1", title="t", body="b", url="javascript:alert(1)"
        )


@pytest.mark.usefixtures("indexed")
def test_search_needs_a_sign_in(client):
    assert client.get("/api/v1/search", params={"q": "ask"}).status_code == 401


def test_a_new_version_is_reindexed_and_only_once(
    app, tmp_path, database_url, practitioner, start_app
):
    from fastapi.testclient import TestClient

    from tests.conftest import make_settings
    from tests.refresh.conftest import ModuleFolder

    folder = ModuleFolder(tmp_path / "modules")
    folder.publish(3, replace={"Come back to it": "Return to it"})
    with TestClient(start_app(make_settings(database_url, modules_dir=folder.root))) as client:
        api_login(client, practitioner)
        assert results(client, "return")[0]["heading"] == "Following up"
        assert results(client, "come back") == []
        with session_scope(app.state.engine) as session:
            assert service.index_content(session, client.app.state.content) == 0

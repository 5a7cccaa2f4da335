"""What's new: changes newest first, a public Atom feed, and a review list for trainers."""

from __future__ import annotations

from xml.etree import ElementTree

import time_machine
from fastapi.testclient import TestClient

from app.models.users import Role
from app.whatsnew.service import atom_feed
from tests.conftest import api_login
from tests.refresh.conftest import ModuleFolder

ATOM = "{http://www.w3.org/2005/Atom}"


def test_changes_are_listed_newest_first_with_dates(client, practitioner):
    api_login(client, practitioner)
    changes = client.get("/api/v1/whats-new").json()["changes"]
    dates = [change["date"] for change in changes]
    assert dates == sorted(dates, reverse=True)
    assert changes[0] == {
        "slug": "second-module",
        "title": "Second module",
        "kind": "module",
        "version": 1,
        "date": "2026-11-21",
        "major": True,
        "summary": "First published",
    }
    page = client.get("/whats-new").text
    assert "21 November 2026" in page and "Clearer opening" in page
    assert 'href="/modules/asking-basics/changes?since=1"' in page


def test_the_atom_feed_is_public_and_holds_titles_and_dates_only(client):
    response = client.get("/whats-new.atom")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/atom+xml")
    feed = ElementTree.fromstring(response.content)
    assert feed.tag == f"{ATOM}feed"
    entries = feed.findall(f"{ATOM}entry")
    assert len(entries) == 4
    first = entries[0]
    assert first.findtext(f"{ATOM}title") == "Module: Second module, version 1: First published"
    assert first.findtext(f"{ATOM}updated") == "2026-11-21T00:00:00+00:00"
    assert first.find(f"{ATOM}link").get("href") == "http://testserver/modules/second-module"
    assert {child.tag for child in first} == {
        f"{ATOM}title",
        f"{ATOM}id",
        f"{ATOM}link",
        f"{ATOM}updated",
    }
    signed_out_page = client.get("/whats-new")
    assert signed_out_page.status_code == 200 and "Second module" in signed_out_page.text


def test_a_hostile_changelog_summary_cannot_break_the_feed(tmp_path):
    from app.content import load_content

    folder = ModuleFolder(tmp_path / "modules")
    folder.publish(3, summary="</title><script>alert(1)</script> & more")
    feed_bytes = atom_feed(load_content(folder.root), "http://askwell.test/")
    feed = ElementTree.fromstring(feed_bytes)
    titles = [entry.findtext(f"{ATOM}title") for entry in feed.findall(f"{ATOM}entry")]
    assert any("<script>alert(1)</script> & more 3" in title for title in titles)
    assert b"<script>" not in feed_bytes


def test_app_cards_past_review_are_listed_for_trainers_only(client, make_user):
    with time_machine.travel("2027-06-01 09:00:00Z", tick=False):
        api_login(client, make_user(Role.trainer))
        trainer = client.get("/api/v1/whats-new").json()["needs_review"]
        assert trainer == [{"slug": "sample-app", "title": "Sample app", "review_by": "2027-05-01"}]
        assert "App cards that need review" in client.get("/whats-new").text
        api_login(client, make_user(Role.practitioner))
        assert client.get("/api/v1/whats-new").json()["needs_review"] == []
        assert "App cards that need review" not in client.get("/whats-new").text
    with time_machine.travel("2027-04-01 09:00:00Z", tick=False):
        api_login(client, make_user(Role.trainer))
        assert client.get("/api/v1/whats-new").json()["needs_review"] == []


def test_the_api_needs_a_sign_in(app):
    with TestClient(app) as anonymous:
        assert anonymous.get("/api/v1/whats-new").status_code == 401

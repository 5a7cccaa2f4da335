"""Pages below the top level carry a back link (shown on phones, where breadcrumbs hide)."""

from __future__ import annotations

import re

import pytest
from starlette.requests import Request

from app.models.users import Role
from tests.conftest import api_login

BACK_LINK = re.compile(
    r'<a class="nhsuk-back-link askwell-back-link" href="([^"]*)">(.*?)</a>', re.S
)


def back_links(html: str) -> list[tuple[str, str]]:
    """Each back link's target and its words, tags removed."""
    return [(href, re.sub(r"<[^>]+>", "", words)) for href, words in BACK_LINK.findall(html)]


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        # The last breadcrumb, when the page has breadcrumbs.
        ("/modules/asking-basics", ("/modules", "Back to Modules")),
        ("/modules/sample-app", ("/modules?kind=app", "Back to App cards")),
        (
            "/modules/asking-basics/sections/opening-questions",
            ("/modules/asking-basics", "Back to Asking basics"),
        ),
        # Otherwise the nearest shorter path that is a page.
        ("/account/password", ("/account", "Back")),
        ("/modules/asking-basics/key-points", ("/modules/asking-basics", "Back to Asking basics")),
    ],
)
def test_a_page_below_the_top_level_links_back_up(practitioner_client, path, expected):
    page = practitioner_client.get(path)
    assert page.status_code == 200
    assert back_links(page.text) == [expected]


@pytest.mark.parametrize("path", ["/", "/modules", "/modules?kind=app", "/refresh", "/record"])
def test_a_top_level_page_has_no_back_link(practitioner_client, path):
    page = practitioner_client.get(path)
    assert page.status_code == 200
    assert back_links(page.text) == []


def test_a_page_in_a_menu_section_without_a_page_above_it_links_to_that_section(client, make_user):
    api_login(client, make_user(Role.trainer))
    page = client.get("/reports/questions")
    assert page.status_code == 200
    assert back_links(page.text) == [("/reports/modules", "Back to Reports")]


def test_a_signed_out_page_below_the_top_level_links_home(client):
    page = client.get("/verify/0000000000000000")
    assert back_links(page.text) == [("/", "Back to Askwell home")]


def _render_below_top_level(app, content: str) -> str:
    request = Request(
        {"type": "http", "path": "/verify/abc", "query_string": b"", "headers": [], "app": app}
    )
    page = '{% extends "base.html" %}{% block content %}' + content + "{% endblock %}"
    template = app.state.templates.env.from_string(page)
    return template.render(request=request, current_user=None, csrf_token="", title="")


def test_a_page_with_its_own_back_link_shows_only_that_one(app):
    own = '<a class="nhsuk-back-link" href="/somewhere">Back</a>'
    assert _render_below_top_level(app, own).count("nhsuk-back-link") == 1
    assert back_links(_render_below_top_level(app, "<h1>Verify</h1>")) == [
        ("/", "Back to Askwell home")
    ]

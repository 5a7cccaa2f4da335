"""Every route that changes something refuses a browser's cookie without Askwell's token.

For each non-GET route, API and page alike, the person it is for sends a request that would
work (their own object, a good body) with the token missing, wrong, or another session's:
each is a 403, and no row in any table changes. The signed-out forms (sign-in, an invitation,
a reset link) are held to the same with the pre-session cookie.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from fastapi.testclient import TestClient
from httpx2 import Response

from app.auth.service import SESSION_COOKIE
from tests.security.matrix.conftest import ANONYMOUS, OWN, World
from tests.security.matrix.requests import valid_body
from tests.security.matrix.routes import is_api
from tests.security.matrix.rules import RULES, Rule

CSRF_HEADER = "X-CSRF-Token"
ROLES_IN_TURN = ("practitioner", "codesigner", "trainer", "admin")
# API sign-in uses nothing from a cookie: the credentials are the body. What a cross-site
# page could forge instead is a form post, which the JSON route refuses (tested below).
# An LMS starts an LTI login and posts its launch from its own site, so neither can carry
# Askwell's token: login only sends the browser to the registered platform, and a launch
# is proven by the platform's signature, a state that must match the cookie this browser
# got at login, and a nonce used up by the first launch (tests/lti: forged and replayed
# launches are refused).
SIGNED_BY_THE_PLATFORM = frozenset({("POST", "/lti/login"), ("POST", "/lti/launch")})
NO_AMBIENT_CREDENTIAL = frozenset({("POST", "/api/v1/auth/login")}) | SIGNED_BY_THE_PLATFORM
WRITING = sorted(
    route for route in RULES if route[0] != "GET" and route not in NO_AMBIENT_CREDENTIAL
)


def acting_identity(rule: Rule) -> str:
    """Someone the route is for, so only the token stands between them and the change."""
    return next(role for role in ROLES_IN_TURN if rule.allows(role, OWN))


def bad_tokens(world: World, identity: str) -> dict[str, str | None]:
    someone_else = "admin" if identity != "admin" else "trainer"
    return {
        "missing": None,
        "wrong": "0" * 64,
        "another session's": world.tokens[someone_else],
    }


@contextmanager
def without_header(client: TestClient) -> Iterator[None]:
    """The API clients send their token by default; take it away for one request."""
    saved = client.headers.pop(CSRF_HEADER, None)
    try:
        yield
    finally:
        if saved is not None:
            client.headers[CSRF_HEADER] = saved


def forged(client: TestClient, method: str, path: str, body: dict, token: str | None) -> Response:
    with without_header(client):
        if is_api(path):
            headers = {CSRF_HEADER: token} if token is not None else {}
            return client.request(method, path, json=body, headers=headers, follow_redirects=False)
        form = {**body, **({"csrf_token": token} if token is not None else {})}
        return client.request(method, path, data=form, follow_redirects=False)


@pytest.mark.parametrize(("method", "template"), WRITING, ids=[f"{m} {p}" for m, p in WRITING])
def test_a_cookie_without_a_valid_token_is_refused_and_changes_nothing(
    world: World, method: str, template: str
) -> None:
    identity = acting_identity(RULES[(method, template)])
    client = world.client(identity)
    path = world.path_for(template, identity, OWN)
    body = valid_body(method, template)
    failures = []
    for kind, token in bad_tokens(world, identity).items():
        before = world.snapshot()
        response = forged(client, method, path, body, token)
        changed = world.changed_since(before)
        if response.status_code != 403 or changed:
            failures.append(
                f"{kind} token as {identity}: {response.status_code}, changed {changed}"
            )
    assert not failures, "\n".join(failures)


SIGNED_OUT_FORMS = sorted(
    route for route in WRITING if RULES[route].anonymous and not is_api(route[1])
)


@pytest.mark.parametrize(
    ("method", "template"), SIGNED_OUT_FORMS, ids=[f"{m} {p}" for m, p in SIGNED_OUT_FORMS]
)
def test_a_signed_out_form_needs_the_token_of_its_own_pre_session(
    world: World, method: str, template: str
) -> None:
    client = world.client(ANONYMOUS)
    path = world.path_for(template, ANONYMOUS, OWN)
    failures = []
    for kind, token in {
        "missing": None,
        "wrong": "0" * 64,
        "a session's": world.tokens["admin"],
    }.items():
        before = world.snapshot()
        response = forged(client, method, path, valid_body(method, template), token)
        changed = world.changed_since(before)
        if response.status_code != 403 or changed:
            failures.append(f"{kind} token: {response.status_code}, changed {changed}")
    assert not failures, "\n".join(failures)


def test_api_sign_in_cannot_be_forged_by_a_cross_site_form(world: World) -> None:
    """A page elsewhere can post text/plain that looks like JSON, but not JSON itself."""
    account = world.accounts["practitioner"]
    body = f'{{"email": "{account.email}", "password": "{account.password}"}}'
    before = world.snapshot()
    response = world.client(ANONYMOUS).post(
        "/api/v1/auth/login", content=body, headers={"Content-Type": "text/plain"}
    )
    assert response.status_code == 422
    assert SESSION_COOKIE not in response.cookies
    assert world.changed_since(before) == []


def test_the_walk_covers_every_route_that_writes(world: World) -> None:
    """Every non-GET route is walked; a good token is what those requests lacked."""
    writing = {route for route in RULES if route[0] != "GET"}
    assert set(WRITING) | NO_AMBIENT_CREDENTIAL == writing
    assert len(writing) > 60
    response = world.client("trainer").put(
        world.path_for("/api/v1/cohorts/{cohort_id}", "trainer", OWN), json={"name": "North"}
    )
    assert response.status_code == 200

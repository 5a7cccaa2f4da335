"""Every route × every identity × their own object and someone else's, through real requests.

The expected answer comes from one declared rule per route (``rules.RULES``), and the first
test holds that table to the app's own route table, so a route added without a rule fails
here before it ships. Reading routes run first on the shared seeded world; routes that
write run after them, those that end a session or erase an account last of all.
"""

from __future__ import annotations

import re

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from httpx2 import Response

from tests.conftest import api_login
from tests.security.matrix.conftest import (
    ANONYMOUS,
    IDENTITIES,
    OBJECT_PARAMETERS,
    OTHER,
    OWN,
    PARAMETER,
    World,
    browser,
)
from tests.security.matrix.requests import HARMLESS, valid_body
from tests.security.matrix.routes import is_allowed, is_api, is_refusal, served_routes
from tests.security.matrix.rules import RULES, Rule

# Checks that fail today for a known reason, and pass once it is fixed elsewhere.
KNOWN_GAPS: dict[tuple[str, str, str, str], str] = {}

# A short refresh check exists only once a module is due for refresh, a year after
# completion; the world is not aged that far, so for it only refusals are tried.
UNSEEDED = frozenset({"check_id"})

# Links are tried before anything could make a newer one that replaces them.
FIRST = (
    ("POST", "/invitations/{token}"),
    ("POST", "/password-reset/{token}"),
)
# Withdrawing erases a young person's scenario, so it comes after everything that reads it.
ERASING = (
    ("DELETE", "/api/v1/scenarios/{scenario_id}"),
    ("POST", "/scenarios/{scenario_id}/delete"),
    ("POST", "/api/v1/scenarios/{scenario_id}/withdraw"),
    ("POST", "/scenarios/{scenario_id}/withdraw"),
)
# These end the caller's session or erase their account, so nothing may run after them.
LAST = (
    ("POST", "/sign-out"),
    ("POST", "/api/v1/auth/logout"),
    ("POST", "/my-data/delete"),
    ("DELETE", "/api/v1/me"),
)


def variants(path: str) -> tuple[str, ...]:
    """Own and someone else's object where the path names one; once where it names none
    (a module's slug, or a link's secret token, belongs to nobody)."""
    named = set(PARAMETER.findall(path))
    return (OWN, OTHER) if named & OBJECT_PARAMETERS else (OWN,)


def checks(method: str, path: str) -> list[tuple[str, str]]:
    """Every identity and object for this route, less the known gaps (tried on their own,
    expected to fail) and the let-through checks of objects the world cannot seed."""
    unseeded = bool(set(PARAMETER.findall(path)) & UNSEEDED)
    return [
        (identity, variant)
        for identity in IDENTITIES
        for variant in variants(path)
        if (method, path, identity, variant) not in KNOWN_GAPS
        and not (unseeded and RULES[(method, path)].allows(identity, variant))
    ]


def browser_for(world: World, method: str, template: str, identity: str) -> tuple[TestClient, str]:
    """The identity's browser and CSRF token; a fresh sign-in for a route that ends it."""
    if (method, template) in LAST and identity != ANONYMOUS:
        client = browser(world.app, identity)
        return client, api_login(client, world.accounts[identity])
    return world.client(identity), world.tokens[identity]


def send(
    world: World,
    method: str,
    template: str,
    identity: str,
    variant: str,
    *,
    acting: bool,
    signed_in: tuple[TestClient, str],
) -> Response:
    """One request as ``identity`` with a valid CSRF token.

    A request that should be refused carries a body that would work, so only the
    authorisation stands in its way; one that should be let through carries an empty one,
    so it gets past the door without changing what later checks rely on."""
    client, token = signed_in
    path = world.path_for(template, identity, variant)
    if method == "GET":
        return client.get(path, follow_redirects=False)
    harmless = (method, template) in HARMLESS
    body = {} if acting and not harmless else valid_body(method, template)
    if is_api(path):
        return client.request(method, path, json=body, follow_redirects=False)
    form = {"csrf_token": token, **body}
    return client.request(method, path, data=form, follow_redirects=False)


def existence_is_private(rule: Rule, template: str, identity: str, variant: str) -> bool:
    """Someone else's scenario or cohort is "not found" to a person who could hold their
    own, so an id never tells them that one exists (README: scenarios and cohorts)."""
    named = set(PARAMETER.findall(template))
    return (
        variant == OTHER
        and identity in rule.own_object
        and bool(named & {"scenario_id", "cohort_id"})
    )


def verdict(world: World, method: str, template: str, identity: str, variant: str) -> str | None:
    """What went wrong with one check, or None when the answer is the declared one."""
    rule = RULES[(method, template)]
    signed_in = browser_for(world, method, template, identity)
    before = world.row_counts() if method == "GET" or not rule.allows(identity, variant) else {}
    expected = "allowed" if rule.allows(identity, variant) else "refused"
    response = send(
        world,
        method,
        template,
        identity,
        variant,
        acting=expected == "allowed",
        signed_in=signed_in,
    )
    if expected == "refused" and existence_is_private(rule, template, identity, variant):
        right = response.status_code == 404
    elif expected == "refused":
        right = is_refusal(response, identity, world.path_for(template, identity, variant))
    elif (method, template) in HARMLESS:
        right = response.status_code < 400  # a good body, so it must simply work
    else:
        right = is_allowed(response)
    problems = []
    if not right:
        problems.append(
            f"expected {expected} ({rule.name}), got {response.status_code} "
            f"{response.headers.get('location', '')}{_gist(response)}"
        )
    if before:
        after = world.row_counts()
        changed = {
            name: (before[name], after[name]) for name in before if before[name] != after[name]
        }
        if changed:
            problems.append(f"rows changed: {changed}")
    if problems:
        return f"{method} {template} as {identity} on {variant} object: " + "; ".join(problems)
    return None


def _gist(response: Response) -> str:
    """The message of an error page or JSON answer, for a readable failure."""
    if response.headers.get("content-type", "").startswith("application/json"):
        return response.text[:100]
    heading = re.search(r"<h1[^>]*>(.*?)</h1>", response.text, re.S)
    return heading.group(1).strip()[:100] if heading else ""


def test_every_served_route_has_exactly_one_declared_rule(app: FastAPI) -> None:
    served = set(served_routes(app))
    declared = set(RULES)
    assert served - declared == set(), "served without a rule in tests/security/rules.py"
    assert declared - served == set(), "a rule for a route Askwell no longer serves"


READING = sorted(route for route in RULES if route[0] == "GET")
WRITING = sorted(
    (route for route in RULES if route[0] != "GET"),
    key=lambda route: (
        -1 if route in FIRST else 1 if route in ERASING else 2 if route in LAST else 0,
        LAST.index(route) if route in LAST else 0,
        route,
    ),
)


@pytest.mark.parametrize(("method", "path"), READING, ids=[f"{m} {p}" for m, p in READING])
def test_reading_route_answers_each_identity_as_declared(
    world: World, method: str, path: str
) -> None:
    failures = [verdict(world, method, path, *check) for check in checks(method, path)]
    failures = [failure for failure in failures if failure]
    assert not failures, "\n".join(failures)


def test_head_changes_no_row(world: World) -> None:
    """HEAD is GET without a body: as each role a reading route is for (refusals were just
    tried as GET), nothing is written and nothing fails."""
    failures = []
    for method, template in READING:
        rule = RULES[(method, template)]
        for identity in (who for who in IDENTITIES if rule.allows(who, OWN)):
            path = world.path_for(template, identity, OWN)
            before = world.row_counts()
            response = world.client(identity).head(path, follow_redirects=False)
            after = world.row_counts()
            if before != after or response.status_code >= 500:
                failures.append((template, identity, response.status_code))
    assert failures == []


@pytest.mark.parametrize(("method", "path"), WRITING, ids=[f"{m} {p}" for m, p in WRITING])
def test_writing_route_answers_each_identity_as_declared(
    world: World, method: str, path: str
) -> None:
    ordered = sorted(checks(method, path), key=lambda check: RULES[(method, path)].allows(*check))
    failures = [verdict(world, method, path, *check) for check in ordered]
    failures = [failure for failure in failures if failure]
    assert not failures, "\n".join(failures)


def test_anonymous_identity_is_really_signed_out(world: World) -> None:
    """The matrix's signed-out browser holds no session, only the sign-in form's token."""
    response = world.client(ANONYMOUS).get("/api/v1/me")
    assert response.status_code == 401
    assert re.fullmatch(r"[0-9a-f]{64}", world.tokens[ANONYMOUS])

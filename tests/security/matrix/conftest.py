"""One seeded world for the security suite: an account of every role, each with things of its
own (cohorts, scenarios, attempts, certificates, invitations, links) and a second account of
the same role holding the same kinds of things, so every route can be tried on one's own
object and on someone else's.

The world is built once per test module through real requests and shared by its checks,
which is what keeps hundreds of requests to a few seconds; the database is emptied when the
module ends rather than after each test.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import delete, func, select, update
from sqlmodel import SQLModel, col

from app.auth import service as auth_service
from app.auth.passwords import Passwords
from app.core.config import PasswordHashProfile
from app.core.db import connect, session_scope
from app.models.events import EventDelivery, EventDestination
from app.models.progress import Completion, ModuleProgress
from app.models.users import Role
from tests.conftest import TEST_PASSWORD, Account, api_login
from tests.scenarios.conftest import scenario_body

ASKING = "asking-basics"
SECTIONS = ["why-ask", "opening-questions", "following-up"]
RIGHT_ANSWERS = {"q1": ["b"], "q2": ["a", "b"], "q3": ["b"]}
RISK_WORDS = "Some nights I want to die and nobody asks me about it."

ANONYMOUS = "anonymous"
IDENTITIES = (ANONYMOUS, "practitioner", "codesigner", "trainer", "admin")
OWN, OTHER = "own", "other"
# Renewing or withdrawing an invitation uses it up, so each identity allowed to has its own.
INVITATION_USES = (
    "invitation_id",
    "trainer_renew",
    "trainer_revoke",
    "admin_renew",
    "admin_revoke",
)
# Path values that name someone's object; a route naming none is tried once per identity.
OBJECT_PARAMETERS = frozenset(
    {
        "cohort_id",
        "user_id",
        "scenario_id",
        "attempt_id",
        "completion_id",
        "session_id",
        "answer_id",
        "check_id",
        "record_id",
        "invitation_id",
        "assignment_id",
        "batch",
    }
)
# Answering a request to join or leaving a cohort uses it up, so each route has a cohort of
# its own: one that asked the practitioner (answering) or that they are in (leaving).
ANSWERING = {
    "/cohort-requests/{cohort_id}/accept": "accept_page",
    "/cohort-requests/{cohort_id}/decline": "decline_page",
    "/api/v1/me/cohort-requests/{cohort_id}/accept": "accept_api",
    "/api/v1/me/cohort-requests/{cohort_id}/decline": "decline_api",
    "/account/cohorts/{cohort_id}/leave": "leave_page",
    "/api/v1/me/cohorts/{cohort_id}/leave": "leave_api",
}
WITHDRAWING = "/cohorts/{cohort_id}/requests/{user_id}/withdraw"
REFLECTING = "second-module"
AUDITED = frozenset({"audit_events"})
TOUCHED = frozenset({"user_sessions"})
SEEDED_ROLES = ("admin", "trainer", "codesigner", "practitioner")
PARAMETER = re.compile(r"\{(\w+)\}")


@pytest.fixture(autouse=True)
def _clean_database() -> Iterator[None]:
    """The seeded world outlives single tests here; ``world`` empties the tables at the end."""
    yield


@dataclass
class World:
    """Who is signed in where, and the path values that name each one's own objects."""

    app: FastAPI
    accounts: dict[str, Account]
    clients: dict[str, TestClient]
    tokens: dict[str, str]
    params: dict[str, dict[str, dict[str, str]]] = field(default_factory=dict)

    def client(self, identity: str) -> TestClient:
        return self.clients[identity]

    def values(self, identity: str, variant: str) -> dict[str, str]:
        """Path values for ``identity``'s own objects, or for the same role's other account's.

        A role that owns no such object (a trainer and a certificate, say) is tried on the
        owner's: the practitioner's own is in the trainer's cohort, the other is not."""
        first = identity if identity in self.params else "practitioner"
        merged: dict[str, str] = {}
        for role in (*SEEDED_ROLES, first):
            merged.update(self.params[role][variant])
        return merged

    def snapshot(self) -> dict[str, list[tuple[Any, ...]]]:
        """Every row of every table, to tell whether a request changed anything at all.

        Sessions are compared by count only: any signed-in request may note the time."""
        contents: dict[str, list[tuple[Any, ...]]] = {}
        with connect(self.app.state.engine) as connection:
            for table in SQLModel.metadata.sorted_tables:
                if table.name in TOUCHED:
                    count = connection.execute(select(func.count()).select_from(table)).scalar()
                    contents[table.name] = [(count,)]
                else:
                    rows = connection.execute(select(table)).all()
                    contents[table.name] = sorted((tuple(row) for row in rows), key=repr)
        return contents

    def changed_since(self, before: dict[str, list[tuple[Any, ...]]]) -> list[str]:
        after = self.snapshot()
        return [name for name in before if before[name] != after[name]]

    def path_for(self, template: str, identity: str, variant: str) -> str:
        values = self.values(identity, variant)
        if "/people-added/" in template:
            values["batch"] = values["people_batch"]
        if "/password-reset/{batch}" in template:
            values["user_id"] = values["reset_user_id"]
            values["batch"] = values["reset_batch"]
        if template.startswith("/password-reset/"):
            values["token"] = values["reset_token"]
        if template.startswith("/invitations/"):
            values["token"] = values["invitation_token"]
        if "/questions/{slug}" in template:
            values["slug"] = "title"
        if "reflect" in template:
            values["slug"] = REFLECTING
        if template in ANSWERING:
            values["cohort_id"] = values[ANSWERING[template]]
        if template == WITHDRAWING and identity in ("trainer", "admin"):
            values["user_id"] = values[f"{identity}_withdraw"]
        for action in ("renew", "revoke"):
            if template.endswith(action) and identity in ("trainer", "admin"):
                values["invitation_id"] = values[f"{identity}_{action}"]
        if identity == "admin" and template.endswith("/remove"):
            # The cohort's trainer has just removed the usual ones: the admin has their own.
            values["user_id"] = values["spare_member_id"]
            values["assignment_id"] = values["spare_assignment_id"]
        path = PARAMETER.sub(lambda match: values.get(match.group(1), "0"), template)
        if template == "/api/v1/reports/completion/people":
            path += f"?cohort_id={values['cohort_id']}"
        return path

    def row_counts(self) -> dict[str, int]:
        """How many rows every table holds, in one statement.

        The audit log is left out: reading a person's record, a safeguarding record or an
        export is itself audited, by design."""
        tables = [table for table in SQLModel.metadata.sorted_tables if table.name not in AUDITED]
        query = select(
            *(select(func.count()).select_from(table).scalar_subquery() for table in tables)
        )
        with connect(self.app.state.engine) as connection:
            counts = connection.execute(query).one()
        return {table.name: count for table, count in zip(tables, counts, strict=True)}


ADDRESSES = {
    name: f"192.0.2.{number}"
    for number, name in enumerate(
        (ANONYMOUS, "practitioner", "practitioner2", "spare", "codesigner", "codesigner2")
        + ("trainer", "trainer2", "admin", "admin2"),
        start=10,
    )
}


def browser(app: FastAPI, identity: str) -> TestClient:
    """A browser of its own on a machine of its own, as each person really has: the
    sign-in rate limit counts per client address, and these people are not one client."""
    return TestClient(app, base_url="http://testserver", client=(ADDRESSES[identity], 50000))


def _account(app: FastAPI, role: Role, email: str, name: str) -> Account:
    with session_scope(app.state.engine) as session:
        user = auth_service.create_user(
            session,
            Passwords(PasswordHashProfile.fast),
            email=email,
            password=TEST_PASSWORD,
            display_name=name,
            roles=(role,),
            age_band="18-24" if role is Role.codesigner else None,
        )
    return Account(user=user, email=email, password=TEST_PASSWORD, roles=(role,))


def _ok(response: Any, *statuses: int) -> Any:
    assert response.status_code in (statuses or (200, 201)), (
        response.request.method,
        response.request.url,
        response.status_code,
        response.text[:300],
    )
    return response


def _last_segment(response: Any) -> str:
    """The last part of the address a post/redirect/get answer sends the browser to."""
    location = response.headers["location"]
    return urlsplit(location).path.rstrip("/").rsplit("/", 1)[-1]


def _token_in(url: str) -> str:
    return urlsplit(url).path.rstrip("/").rsplit("/", 1)[-1]


def _verification_code(app: Any, completion_id: int) -> str:
    with session_scope(app.state.engine, write=False) as session:
        completion = session.get(Completion, completion_id)
        assert completion is not None
        return completion.verification_code


def _seed_practitioner(client: TestClient) -> dict[str, str]:
    """A finished module (attempt, certificate), reflections and a refresher sitting."""
    for section in SECTIONS:
        _ok(client.post(f"/api/v1/modules/{ASKING}/sections/{section}/complete"))
    attempt = _ok(
        client.post(f"/api/v1/modules/{ASKING}/attempts", json={"answers": RIGHT_ANSWERS})
    ).json()
    certificates = _ok(client.get("/certificates"))
    completion = re.search(r"/certificates/(\d+)\.pdf", certificates.text)
    assert completion, "the practitioner has no certificate to seed"
    values = {
        "slug": ASKING,
        "section_id": SECTIONS[0],
        "attempt_id": str(attempt["id"]),
        "completion_id": completion.group(1),
        "code": _verification_code(client.app, int(completion.group(1))),
    }
    # A day after completing, a module's questions fall due for a five-minute refresher.
    with session_scope(client.app.state.engine) as session:
        session.execute(
            update(ModuleProgress)
            .where(col(ModuleProgress.completed_at).is_not(None))
            .where(col(ModuleProgress.user_id) == _signed_in_user(client))
            .values(completed_at=datetime.now(UTC) - timedelta(days=2))
        )
    sitting = _ok(client.post("/api/v1/me/refresher/sessions"), 200, 201).json()
    question = sitting["question"]
    answered = _ok(
        client.post(
            f"/api/v1/me/refresher/sessions/{sitting['id']}/answers",
            json={
                "module_slug": question["module_slug"],
                "question_id": question["question"]["id"],
                "answer": RIGHT_ANSWERS[question["question"]["id"]],
            },
        )
    ).json()
    values["session_id"] = str(sitting["id"])
    values["answer_id"] = str(answered["id"])
    return values


def _signed_in_user(client: TestClient) -> int:
    return int(_ok(client.get("/api/v1/me")).json()["id"])


def _ask(client: TestClient, cohort: int, account: Account) -> None:
    """The trainer adds a practitioner by email, which only asks them to join."""
    _ok(client.post(f"/api/v1/cohorts/{cohort}/members", json={"email": account.email}))


def _accept(practitioner: TestClient, cohort: int) -> None:
    """The practitioner says yes through the real API route, as their Accept button does."""
    _ok(practitioner.post(f"/api/v1/me/cohort-requests/{cohort}/accept"))


def _seed_answers(
    trainer: TestClient, practitioner: TestClient, account: Account, name: str
) -> dict[str, str]:
    """A cohort per answering route that asked this practitioner and waits for their
    answer, and one per leaving route that they accepted joining."""
    values = {}
    for use in ANSWERING.values():
        created = trainer.post("/api/v1/cohorts", json={"name": f"{name} {use}"})
        cohort = _ok(created, 201).json()["id"]
        _ask(trainer, cohort, account)
        if use.startswith("leave"):
            _accept(practitioner, cohort)
        values[use] = str(cohort)
    return values


def _seed_trainer(
    client: TestClient,
    token: str,
    members: tuple[tuple[Account, TestClient], tuple[Account, TestClient]],
    waiting: tuple[Account, Account],
    codesigner_scenario: int,
    name: str,
) -> dict[str, str]:
    """A cohort with members (asked, and accepted), requests still waiting, assignments,
    invitations, links shown, and a claimed scenario."""
    (member, _), (spare, _) = members
    cohort = _ok(client.post("/api/v1/cohorts", json={"name": name}), 201).json()["id"]
    for account, practitioner in members:
        _ask(client, cohort, account)
        _accept(practitioner, cohort)
    for account in waiting:
        _ask(client, cohort, account)
    due = (date.today() + timedelta(days=30)).isoformat()
    spare_assignment = _ok(
        client.post(
            f"/api/v1/cohorts/{cohort}/assignments",
            json={"module_slug": REFLECTING, "due_date": due},
        ),
        201,
    ).json()["id"]
    assignment = _ok(
        client.post(
            f"/api/v1/cohorts/{cohort}/assignments",
            json={"module_slug": ASKING, "due_date": due},
        ),
        201,
    ).json()["id"]
    # The seeding holds: the trainer sees those who accepted, and nobody still asked.
    people = _ok(client.get("/api/v1/reports/completion/people", params={"cohort_id": cohort}))
    assert {row["email"] for row in people.json()["people"]} == {member.email, spare.email}
    invitations = {
        use: _ok(
            client.post(
                f"/api/v1/cohorts/{cohort}/invitations",
                json={"email": f"{use}.{cohort}@askwell.test"},
            ),
            201,
        ).json()
        for use in INVITATION_USES
    }
    shown = _ok(
        client.post(
            f"/cohorts/{cohort}/invitations",
            data={"csrf_token": token, "invite-email": f"shown.{cohort}@askwell.test"},
            follow_redirects=False,
        ),
        303,
    )
    added = _ok(
        client.post(
            f"/cohorts/{cohort}/members/bulk",
            data={"csrf_token": token, "member-emails": f"bulk.{cohort}@askwell.test"},
            follow_redirects=False,
        ),
        303,
    )
    _ok(client.post(f"/api/v1/review/scenarios/{codesigner_scenario}/claim"))
    return {
        "cohort_id": str(cohort),
        "user_id": str(member.id),
        "spare_member_id": str(spare.id),
        "trainer_withdraw": str(waiting[0].id),
        "admin_withdraw": str(waiting[1].id),
        "spare_assignment_id": str(spare_assignment),
        "assignment_id": str(assignment),
        **{use: str(invitation["id"]) for use, invitation in invitations.items()},
        "invitation_token": _token_in(invitations["invitation_id"]["url"]),
        "batch": _last_segment(shown),
        "people_batch": _last_segment(added),
        "scenario_id": str(codesigner_scenario),
        "slug": ASKING,
    }


def _seed_codesigner(client: TestClient) -> tuple[dict[str, str], int]:
    """A sent scenario (for review), and a draft whose words raise a safeguarding record."""
    sent = _ok(client.post("/api/v1/scenarios", json=scenario_body()), 201).json()["id"]
    draft = _ok(
        client.post(
            "/api/v1/scenarios",
            json=scenario_body(what_happened=RISK_WORDS, draft=True),
        ),
        201,
    ).json()["id"]
    values = {
        "scenario_id": str(sent),
        "draft_id": str(draft),
        "slug": ASKING,
        "ask_id": "curiosity",
    }
    return values, sent


@pytest.fixture(scope="module")
def world(app: FastAPI, cleanup_engine: Any) -> Iterator[World]:
    """Nine accounts (two of each role, and a spare practitioner in both cohorts), two
    practitioners asked to join and not answering, and their things, through real requests."""
    accounts = {
        "practitioner": _account(app, Role.practitioner, "pat@askwell.test", "Pat Practitioner"),
        "practitioner2": _account(app, Role.practitioner, "priya@askwell.test", "Priya Other"),
        "spare": _account(app, Role.practitioner, "sol@askwell.test", "Sol Spare"),
        "codesigner": _account(app, Role.codesigner, "yas@askwell.test", "Yas Young"),
        "codesigner2": _account(app, Role.codesigner, "yuri@askwell.test", "Yuri Young"),
        "trainer": _account(app, Role.trainer, "tess@askwell.test", "Tess Trainer"),
        "trainer2": _account(app, Role.trainer, "tom@askwell.test", "Tom Trainer"),
        "admin": _account(app, Role.admin, "ada@askwell.test", "Ada Admin"),
        "admin2": _account(app, Role.admin, "abe@askwell.test", "Abe Admin"),
    }
    # Practitioners whom both trainers have asked to join, who have not answered yet.
    waiting = (
        _account(app, Role.practitioner, "wes@askwell.test", "Wes Waiting"),
        _account(app, Role.practitioner, "wyn@askwell.test", "Wyn Waiting"),
    )
    clients: dict[str, TestClient] = {}
    tokens: dict[str, str] = {}
    for name, account in accounts.items():
        client = browser(app, name)
        client.__enter__()
        tokens[name] = api_login(client, account)
        clients[name] = client
    anonymous = browser(app, ANONYMOUS)
    anonymous.__enter__()
    sign_in = anonymous.get("/sign-in")
    pre_session = re.search(r'name="csrf_token" value="([^"]+)"', sign_in.text)
    tokens[ANONYMOUS] = pre_session.group(1) if pre_session else ""
    clients[ANONYMOUS] = anonymous

    # A destination, so what the practitioners do below leaves deliveries an admin can retry.
    with session_scope(app.state.engine) as session:
        session.add(EventDestination(name="matrix-lms"))
    practitioner = {
        OWN: _seed_practitioner(clients["practitioner"]),
        OTHER: _seed_practitioner(clients["practitioner2"]),
    }
    own_young, own_sent = _seed_codesigner(clients["codesigner"])
    other_young, other_sent = _seed_codesigner(clients["codesigner2"])
    trainer = {
        OWN: _seed_trainer(
            clients["trainer"],
            tokens["trainer"],
            (
                (accounts["practitioner"], clients["practitioner"]),
                (accounts["spare"], clients["spare"]),
            ),
            waiting,
            own_sent,
            "North",
        ),
        OTHER: _seed_trainer(
            clients["trainer2"],
            tokens["trainer2"],
            (
                (accounts["practitioner2"], clients["practitioner2"]),
                (accounts["spare"], clients["spare"]),
            ),
            waiting,
            other_sent,
            "South",
        ),
    }
    for variant, (trainer_name, practitioner_name, name) in {
        OWN: ("trainer", "practitioner", "North"),
        OTHER: ("trainer2", "practitioner2", "South"),
    }.items():
        practitioner[variant].update(
            _seed_answers(
                clients[trainer_name],
                clients[practitioner_name],
                accounts[practitioner_name],
                name,
            )
        )
    records = _ok(clients["trainer"].get("/api/v1/safeguarding")).json()
    record_ids = sorted(str(item["id"]) for item in records)
    assert len(record_ids) == 2, records
    reset = _ok(
        clients["admin"].post(f"/api/v1/admin/users/{accounts['practitioner'].id}/password-reset"),
        200,
        201,
    ).json()
    shown_reset = _ok(
        clients["admin2"].post(
            f"/admin/users/{accounts['practitioner2'].id}/password-reset",
            data={"csrf_token": tokens["admin2"]},
            follow_redirects=False,
        ),
        303,
    )
    admin = {
        OWN: {
            "user_id": str(accounts["practitioner"].id),
            "reset_user_id": str(accounts["trainer2"].id),
            "reset_token": _token_in(reset["url"]),
        },
        OTHER: {
            "user_id": str(accounts["practitioner2"].id),
            "reset_user_id": str(accounts["practitioner2"].id),
            "reset_batch": _last_segment(shown_reset),
        },
    }
    own_reset = _ok(
        clients["admin"].post(
            f"/admin/users/{accounts['trainer2'].id}/password-reset",
            data={"csrf_token": tokens["admin"]},
            follow_redirects=False,
        ),
        303,
    )
    admin[OWN]["reset_batch"] = _last_segment(own_reset)
    with session_scope(app.state.engine, write=False) as session:
        delivery_id = session.execute(select(func.min(EventDelivery.id))).scalar_one()
    assert delivery_id is not None
    common = {"record_id": record_ids[0], "slug": ASKING, "delivery_id": str(delivery_id)}
    params: dict[str, dict[str, dict[str, str]]] = {
        "practitioner": practitioner,
        "codesigner": {OWN: own_young, OTHER: other_young},
        "trainer": trainer,
        "admin": admin,
    }
    for values_by_variant in params.values():
        for variant, values in values_by_variant.items():
            for key, value in common.items():
                values.setdefault(key, value)
            values.setdefault("record_id", record_ids[0 if variant == OWN else 1])

    world = World(app=app, accounts=accounts, clients=clients, tokens=tokens, params=params)
    yield world
    for client in clients.values():
        client.__exit__(None, None, None)
    with session_scope(cleanup_engine) as session:
        for table in reversed(SQLModel.metadata.sorted_tables):
            session.execute(delete(table))

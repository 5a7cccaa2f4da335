"""A trainer adding or inviting people learns nothing about who else uses Askwell: a young
co-designer's address reads exactly like an address with no account, on every page, in
every API answer and in the audit log. Only the co-designer, signed in, is told why the
invitation cannot be used, and nothing about their account changes."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, datetime

import pytest
import time_machine
from fastapi.testclient import TestClient
from sqlmodel import select

from app.core.db import session_scope
from app.models.audit import AuditEvent
from app.models.auth import ShownLink
from app.models.cohorts import CohortInvitation, CohortMember
from app.models.users import Role, User, UserRole
from tests.cohorts.conftest import create_cohort, form_token, signed_in
from tests.cohorts.test_invitations import accept, invite

YOUNG_PERSON = "young.person@example.org"
NOBODY = "nobody.yet@example.org"
_TOKEN = re.compile(r"(/|%2F)invitations(/|%2F)[A-Za-z0-9_-]{20,}")
_NUMBERED = re.compile(r"/(cohorts|invitations)/\d+\b|/(people-added|new)/[A-Za-z0-9_-]+")
_CSRF = re.compile(r'name="csrf_token" value="[^"]+"')


def same_apart_from_the_address(text: str, address: str) -> str:
    """A response with what always differs between two runs (the address, the cohort,
    link tokens and ids) put in words, so everything else can be compared exactly."""
    text = text.replace(address, "ADDRESS")
    text = _TOKEN.sub(r"\1invitations\2TOKEN", text)
    text = _NUMBERED.sub(lambda match: f"/{match.group(1) or match.group(2)}/N", text)
    text = re.sub(r"cohort_id=\d+", "cohort_id=N", text)
    text = re.sub(r'"(id|user_id)":\s*\d+', r'"\1": N', text)
    return _CSRF.sub('name="csrf_token" value="T"', text)


@pytest.fixture
def frozen():
    """One instant for both runs, so expiry dates and times shown read the same."""
    with time_machine.travel(datetime.now(UTC), tick=False):
        yield


@pytest.fixture
def codesigner(make_user):
    return make_user(Role.codesigner, email=YOUNG_PERSON, name="Young Person")


def both(trainer_client: TestClient, action: Callable[[int, str], str]) -> tuple[str, str]:
    """Run the same action for the co-designer's address and a new one, each in a fresh
    cohort with the same name, and return both responses made comparable."""
    said = []
    for address in (YOUNG_PERSON, NOBODY):
        cohort_id = create_cohort(trainer_client)
        said.append(same_apart_from_the_address(action(cohort_id, address), address))
    return said[0], said[1]


def page_after(client: TestClient, cohort_id: int, form: str, data: dict[str, str]) -> str:
    """Send a form on the cohort's page, as a trainer would, and read where it leads."""
    token = form_token(client.get(f"/cohorts/{cohort_id}").text)
    response = client.post(f"/cohorts/{cohort_id}/{form}", data={"csrf_token": token, **data})
    return f"{response.status_code}\n{response.text}"


def audit_trail(rows) -> list[tuple[str, str]]:
    return [
        (
            event.action,
            (event.detail or "").replace(YOUNG_PERSON, "ADDRESS").replace(NOBODY, "ADDRESS"),
        )
        for event in rows(select(AuditEvent))
        if event.action.startswith("cohort.") and event.action != "cohort.create"
    ]


@pytest.mark.usefixtures("frozen", "codesigner")
def test_the_add_a_list_page_reads_the_same_with_invitations(trainer_client, rows):
    def add(cohort_id: int, address: str) -> str:
        return page_after(
            trainer_client,
            cohort_id,
            "members/bulk",
            {"member-emails": address, "invite-the-rest": "yes"},
        )

    young, nobody = both(trainer_client, add)
    assert young == nobody
    assert "Invited (no account yet): 1" in young and "cannot be added" not in young
    invited = {invitation.email for invitation in rows(select(CohortInvitation))}
    assert invited == {YOUNG_PERSON, NOBODY}


@pytest.mark.usefixtures("frozen", "codesigner")
def test_the_add_a_list_page_reads_the_same_without_invitations(trainer_client):
    def add(cohort_id: int, address: str) -> str:
        return page_after(trainer_client, cohort_id, "members/bulk", {"member-emails": address})

    young, nobody = both(trainer_client, add)
    assert young == nobody
    assert "ADDRESS cannot be added: only practitioner accounts can join a cohort" in young


@pytest.mark.parametrize("invite_the_rest", [True, False])
@pytest.mark.usefixtures("frozen", "codesigner")
def test_the_add_a_list_api_reads_the_same(trainer_client, invite_the_rest):
    def add(cohort_id: int, address: str) -> str:
        return trainer_client.post(
            f"/api/v1/cohorts/{cohort_id}/members/bulk",
            json={"emails": address, "invite_the_rest": invite_the_rest},
        ).text

    young, nobody = both(trainer_client, add)
    assert young == nobody


@pytest.mark.usefixtures("codesigner")
def test_the_add_a_list_api_puts_everyone_who_cannot_join_in_one_sorted_field(
    trainer_client, make_user
):
    cohort_id = create_cohort(trainer_client)
    admin = make_user(Role.admin, email="an.admin@trust.nhs.uk")
    result = trainer_client.post(
        f"/api/v1/cohorts/{cohort_id}/members/bulk",
        json={"emails": f"{NOBODY}\n{YOUNG_PERSON}, {admin.email}", "invite_the_rest": False},
    ).json()
    assert result["cannot_add"] == sorted([NOBODY, YOUNG_PERSON, admin.email])
    assert result["without_account"] == result["cannot_add"]
    assert result["not_practitioners"] == []


@pytest.mark.usefixtures("frozen", "codesigner")
def test_adding_one_person_reads_the_same_on_the_page_and_in_the_api(trainer_client, rows):
    def on_the_page(cohort_id: int, address: str) -> str:
        return page_after(trainer_client, cohort_id, "members", {"member-email": address})

    def in_the_api(cohort_id: int, address: str) -> str:
        response = trainer_client.post(
            f"/api/v1/cohorts/{cohort_id}/members", json={"email": address}
        )
        return f"{response.status_code}\n{response.text}"

    for action in (on_the_page, in_the_api):
        young, nobody = both(trainer_client, action)
        assert young == nobody
    assert rows(select(CohortMember)) == []


@pytest.mark.usefixtures("frozen", "codesigner")
def test_inviting_one_person_reads_the_same_on_the_page_and_in_the_api(trainer_client, rows):
    def on_the_page(cohort_id: int, address: str) -> str:
        return page_after(trainer_client, cohort_id, "invitations", {"invite-email": address})

    def in_the_api(cohort_id: int, address: str) -> str:
        response = trainer_client.post(
            f"/api/v1/cohorts/{cohort_id}/invitations", json={"email": address}
        )
        # The cohort's page afterwards lists the invitation as pending, the same for both.
        afterwards = trainer_client.get(f"/cohorts/{cohort_id}")
        return f"{response.status_code}\n{response.text}\n{afterwards.text}"

    for action in (on_the_page, in_the_api):
        young, nobody = both(trainer_client, action)
        assert young == nobody
        assert "ADDRESS" in young and "/invitations/TOKEN" in young
    assert "Pending invitations" in young
    invited = sorted(invitation.email for invitation in rows(select(CohortInvitation)))
    assert invited == [NOBODY, NOBODY, YOUNG_PERSON, YOUNG_PERSON]
    # The audit log an admin reads says the same of both.
    assert audit_trail(rows) == [("cohort.invite", "invited ADDRESS")] * 4


@pytest.mark.usefixtures("frozen", "codesigner")
def test_the_trainer_opening_either_link_sees_the_same_join_page(app, trainer_client):
    def open_link(cohort_id: int, address: str) -> str:
        path = invite(trainer_client, cohort_id, address)
        signed_in_page = trainer_client.get(path)
        with TestClient(app, base_url="http://testserver") as somebody:
            not_signed_in = somebody.get(path)
        return "\n".join(
            f"{page.status_code}\n{page.text}" for page in (signed_in_page, not_signed_in)
        )

    young, nobody = both(trainer_client, open_link)
    assert young == nobody and "Create my account" in young


def account_as_it_is(rows, user_id: int) -> tuple:
    user = rows(select(User).where(User.id == user_id))[0]
    roles = sorted(role.role for role in rows(select(UserRole).where(UserRole.user_id == user_id)))
    return (user.email, user.display_name, user.password_hash, roles)


def test_the_co_designer_opening_the_link_is_told_why_and_nothing_changes(
    app, trainer_client, codesigner, rows
):
    cohort_id = create_cohort(trainer_client)
    path = invite(trainer_client, cohort_id, YOUNG_PERSON)
    account_before = account_as_it_is(rows, codesigner.user.id)

    # Not signed in, the form cannot make a second account for the address.
    _, page, submitted = accept(app, path, name="Someone Else")
    assert page.status_code == 200
    assert submitted.status_code == 409
    assert "already has an Askwell account. Sign in with it" in submitted.text

    with signed_in(app, codesigner) as young_person:
        explained = young_person.get(path)
    assert explained.status_code == 409
    assert (
        f"{YOUNG_PERSON} already has an Askwell account, and that kind of account cannot "
        "join a cohort" in explained.text
    )
    assert "invite you again using a different email address" in explained.text
    assert "Create my account" not in explained.text

    assert account_as_it_is(rows, codesigner.user.id) == account_before
    assert len(rows(select(User))) == 2  # the trainer and the co-designer, nobody new
    assert rows(select(CohortMember)) == []
    (invitation,) = rows(select(CohortInvitation))
    assert invitation.used_at is None and invitation.used_by is None
    assert [e.action for e in rows(select(AuditEvent)) if e.action == "invitation.accept"] == []
    # The trainer still sees one open, pending invitation, as for anyone not yet joined.
    detail = trainer_client.get(f"/cohorts/{cohort_id}").text
    assert YOUNG_PERSON in detail and "already has an Askwell account" not in detail


def test_a_result_held_from_before_still_shows_both_kinds_as_one_list(app, trainer_client):
    """A list added just before this release, reloaded after it, reads the same way."""
    cohort_id = create_cohort(trainer_client)
    token = form_token(trainer_client.get(f"/cohorts/{cohort_id}").text)
    made = trainer_client.post(
        f"/cohorts/{cohort_id}/members/bulk",
        data={"csrf_token": token, "member-emails": f"{NOBODY}\n{YOUNG_PERSON}"},
        follow_redirects=False,
    )
    with session_scope(app.state.engine) as session:
        held = {link.detail: link for link in session.exec(select(ShownLink)).all()}
        held[f"cannot_add:{NOBODY}"].detail = f"without_account:{NOBODY}"
        held[f"cannot_add:{YOUNG_PERSON}"].detail = f"not_practitioners:{YOUNG_PERSON}"
    page = trainer_client.get(made.headers["location"]).text
    said = re.findall(r"<li>(\S+@\S+) cannot be added: only practitioner accounts", page)
    assert said == sorted([NOBODY, YOUNG_PERSON])

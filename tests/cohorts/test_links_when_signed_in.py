"""Invitation and password reset links work whether or not someone is signed in, and say
plainly, without naming it, when a link is meant for another account."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlmodel import select

from app.models.cohorts import CohortInvitation, CohortMember
from app.models.users import Role
from tests.cohorts.conftest import create_cohort, form_token, signed_in
from tests.cohorts.test_invitations import invite

NEW_PASSWORD = "a brand new passphrase"  # noqa: S105 - a test fixture's password
INVITED = "invited.person@trust.nhs.uk"


def reset_link(app, make_user, person) -> str:
    with signed_in(app, make_user(Role.admin)) as admin:
        made = admin.post(f"/api/v1/admin/users/{person.id}/password-reset")
    assert made.status_code == 201
    return made.json()["url"].removeprefix("http://testserver")


def signs_in(app, email: str, password: str) -> bool:
    with TestClient(app, base_url="http://testserver") as client:
        answer = client.post("/api/v1/auth/login", json={"email": email, "password": password})
        return answer.status_code == 200


def test_a_reset_link_works_for_its_own_account_signed_in(app, make_user):
    person = make_user(Role.practitioner)
    path = reset_link(app, make_user, person)
    with signed_in(app, person) as browser:
        page = browser.get(path)
        assert page.status_code == 200 and person.email in page.text
        done = browser.post(
            path,
            data={
                "csrf_token": form_token(page.text),
                "new_password": NEW_PASSWORD,
                "confirm_password": NEW_PASSWORD,
            },
            follow_redirects=False,
        )
        assert done.status_code == 303, done.text
    assert signs_in(app, person.email, NEW_PASSWORD)


def test_a_reset_link_opened_signed_in_as_someone_else_says_so_and_signs_out_to_it(app, make_user):
    person, other = make_user(Role.practitioner), make_user(Role.trainer)
    path = reset_link(app, make_user, person)
    with signed_in(app, other) as browser:
        page = browser.get(path)
        assert page.status_code == 409
        assert "This password reset link is for another account. Sign out to use it." in page.text
        assert person.email not in page.text
        refused = browser.post(
            path,
            data={
                "csrf_token": form_token(page.text),
                "new_password": NEW_PASSWORD,
                "confirm_password": NEW_PASSWORD,
            },
        )
        assert refused.status_code == 409 and not signs_in(app, person.email, NEW_PASSWORD)
        back = browser.post(
            "/sign-out",
            data={"csrf_token": form_token(page.text), "next": path},
            follow_redirects=True,
        )
        assert back.url.path == path and person.email in back.text
        done = browser.post(
            path,
            data={
                "csrf_token": form_token(back.text),
                "new_password": NEW_PASSWORD,
                "confirm_password": NEW_PASSWORD,
            },
            follow_redirects=False,
        )
        assert done.status_code == 303
    assert signs_in(app, person.email, NEW_PASSWORD)


def test_signing_out_never_sends_anyone_off_askwell(app, make_user):
    with signed_in(app, make_user(Role.practitioner)) as browser:
        token = form_token(browser.get("/account").text)
        gone = browser.post(
            "/sign-out",
            data={"csrf_token": token, "next": "https://evil.example/"},
            follow_redirects=False,
        )
    assert gone.status_code == 303 and gone.headers["location"] == "/"


def test_an_invitation_opened_signed_in_as_someone_else_says_so_without_the_address(
    app, trainer_client, make_user, rows
):
    cohort_id = create_cohort(trainer_client)
    path = invite(trainer_client, cohort_id, INVITED)
    other = make_user(Role.practitioner)
    for browser_of in (trainer_client, None):
        if browser_of is None:
            with signed_in(app, other) as browser:
                page = browser.get(path)
        else:
            page = browser_of.get(path)  # the trainer who made it, signed in
        assert page.status_code == 409
        assert "This invitation is for another address. Sign out to use it." in page.text
        assert INVITED not in page.text
    assert rows(select(CohortMember)) == []


def test_an_invitation_works_after_signing_out_from_another_account(
    app, trainer_client, make_user, rows
):
    cohort_id = create_cohort(trainer_client)
    path = invite(trainer_client, cohort_id, INVITED)
    with signed_in(app, make_user(Role.practitioner)) as browser:
        page = browser.get(path)
        back = browser.post(
            "/sign-out",
            data={"csrf_token": form_token(page.text), "next": path},
            follow_redirects=True,
        )
        assert back.url.path == path and "Create my account" in back.text
        joined = browser.post(
            path,
            data={
                "csrf_token": form_token(back.text),
                "display_name": "Ivy Invited",
                "password": NEW_PASSWORD,
                "password_confirm": NEW_PASSWORD,
            },
            follow_redirects=False,
        )
        assert joined.status_code == 303, joined.text
        assert browser.get("/api/v1/me").json()["email"] == INVITED
    assert len(rows(select(CohortMember))) == 1


def test_a_practitioner_signed_in_with_the_invited_address_joins_with_one_button(
    app, trainer_client, make_user, rows
):
    cohort_id = create_cohort(trainer_client)
    path = invite(trainer_client, cohort_id, INVITED)
    person = make_user(Role.practitioner, email=INVITED)  # an account made since
    with signed_in(app, person) as browser:
        page = browser.get(path)
        assert page.status_code == 200 and "Join CAMHS North, 2027 intake" in page.text
        assert "Choose a password" not in page.text
        joined = browser.post(path, data={"csrf_token": form_token(page.text)})
        assert joined.status_code == 200 and "Welcome" in joined.text
        assert browser.get(path).status_code == 409  # used once
    assert [m.user_id for m in rows(select(CohortMember))] == [person.id]
    assert rows(select(CohortInvitation))[0].used_by == person.id
    assert trainer_client.get(f"/reports/practitioners/{person.id}").status_code == 200

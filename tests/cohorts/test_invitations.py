"""Invitations: single-use, expiring links that let a new practitioner join a cohort."""

from __future__ import annotations

from datetime import timedelta

import time_machine
from fastapi.testclient import TestClient
from sqlmodel import select

from app.models.cohorts import CohortInvitation, CohortMember
from app.models.users import Role
from tests.cohorts.conftest import create_cohort, form_token, signed_in


def invite(client: TestClient, cohort_id: int, email: str = "new.person@trust.nhs.uk") -> str:
    response = client.post(f"/api/v1/cohorts/{cohort_id}/invitations", json={"email": email})
    assert response.status_code == 201, response.text
    url = response.json()["url"]
    return url.removeprefix("http://testserver")


def accept(app, path: str, name: str = "New Person", password: str = "a long enough password"):
    browser = TestClient(app, base_url="http://testserver")
    page = browser.get(path)
    response = browser.post(
        path,
        data={
            "csrf_token": form_token(page.text) if page.status_code == 200 else "",
            "display_name": name,
            "password": password,
            "password_confirm": password,
        },
        follow_redirects=False,
    )
    return browser, page, response


def test_an_invitee_sets_a_password_and_joins_the_cohort(app, trainer_client, rows):
    cohort_id = create_cohort(trainer_client)
    path = invite(trainer_client, cohort_id)
    browser, page, response = accept(app, path)
    assert page.status_code == 200
    assert "CAMHS North, 2027 intake" in page.text and "new.person@trust.nhs.uk" in page.text
    assert response.status_code == 303
    me = browser.get("/api/v1/me").json()
    assert me["email"] == "new.person@trust.nhs.uk" and me["roles"] == ["practitioner"]
    assert [m.user_id for m in rows(select(CohortMember))] == [me["id"]]


def test_only_a_hash_of_the_link_is_stored(trainer_client, rows):
    cohort_id = create_cohort(trainer_client)
    path = invite(trainer_client, cohort_id)
    token = path.rsplit("/", 1)[1]
    stored = rows(select(CohortInvitation))[0]
    assert token not in stored.token_hash and len(stored.token_hash) == 64


def test_a_used_invitation_is_refused_with_a_clear_message(app, trainer_client):
    cohort_id = create_cohort(trainer_client)
    path = invite(trainer_client, cohort_id)
    accept(app, path)
    _, page, response = accept(app, path, name="Someone Else")
    assert page.status_code == 409
    assert "already been used" in page.text
    assert response.status_code in (403, 409)  # no form token to reuse, and the link is spent


def test_an_expired_invitation_is_refused_with_a_clear_message(app, trainer):
    with time_machine.travel("2027-03-01 09:00:00Z", tick=False) as clock:
        with signed_in(app, trainer) as trainer_client:
            cohort_id = create_cohort(trainer_client)
            path = invite(trainer_client, cohort_id)
        clock.shift(timedelta(days=14, seconds=1))
        _, page, _ = accept(app, path)
    assert page.status_code == 409
    assert "expired on 15 March 2027" in page.text
    assert "Ask your trainer for a new link" in page.text


def test_a_forged_or_withdrawn_link_opens_nothing(app, trainer_client, rows):
    cohort_id = create_cohort(trainer_client)
    page = TestClient(app).get("/invitations/not-a-real-token")
    assert page.status_code == 404 and "not valid" in page.text
    path = invite(trainer_client, cohort_id)
    invitation_id = rows(select(CohortInvitation))[0].id
    cohort_page = trainer_client.get(f"/cohorts/{cohort_id}")
    trainer_client.post(
        f"/cohorts/{cohort_id}/invitations/{invitation_id}/revoke",
        data={"csrf_token": form_token(cohort_page.text)},
    )
    _, page, _ = accept(app, path)
    assert page.status_code == 409 and "withdrawn" in page.text


def test_the_invite_form_keeps_the_name_and_explains_each_problem(app, trainer_client):
    cohort_id = create_cohort(trainer_client)
    path = invite(trainer_client, cohort_id)
    browser = TestClient(app, base_url="http://testserver")
    token = form_token(browser.get(path).text)
    response = browser.post(
        path,
        data={
            "csrf_token": token,
            "display_name": "Ali \u202eevil",
            "password": "short",
            "password_confirm": "short",
        },
    )
    assert response.status_code == 400
    assert "There is a problem" in response.text
    assert "invisible or control characters" in response.text
    assert "at least 10 characters" in response.text
    mismatch = browser.post(
        path,
        data={
            "csrf_token": token,
            "display_name": "Ali Khan",
            "password": "a long enough password",
            "password_confirm": "a different long password",
        },
    )
    assert "do not match" in mismatch.text and 'value="Ali Khan"' in mismatch.text
    # The link still works after mistakes.
    assert browser.get(path).status_code == 200


def test_the_invite_form_needs_its_csrf_token(app, trainer_client):
    cohort_id = create_cohort(trainer_client)
    path = invite(trainer_client, cohort_id)
    browser = TestClient(app, base_url="http://testserver")
    response = browser.post(
        path, data={"display_name": "A", "password": "x" * 12, "password_confirm": "x" * 12}
    )
    assert response.status_code == 403


def test_someone_with_an_account_is_added_not_invited(trainer_client, make_user):
    cohort_id = create_cohort(trainer_client)
    existing = make_user(Role.practitioner)
    response = trainer_client.post(
        f"/api/v1/cohorts/{cohort_id}/invitations", json={"email": existing.email}
    )
    assert response.status_code == 422
    assert "add them by email" in response.json()["detail"]


def test_only_the_cohorts_trainers_can_invite(app, trainer_client, make_user):
    cohort_id = create_cohort(trainer_client)
    with signed_in(app, make_user(Role.trainer)) as other:
        response = other.post(
            f"/api/v1/cohorts/{cohort_id}/invitations", json={"email": "x@trust.nhs.uk"}
        )
        assert response.status_code == 404

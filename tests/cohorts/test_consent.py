"""A practitioner with an account joins a cohort only by saying yes: until then the trainer
who asked sees nothing of them; they can decline, or leave later; only an admin adds directly."""

from __future__ import annotations

from sqlmodel import select

from app.auth.passwords import Passwords
from app.core.config import PasswordHashProfile
from app.core.db import session_scope
from app.demo import seed_demo
from app.models.audit import AuditEvent
from app.models.cohorts import CohortMember, CohortRequest
from app.models.users import Role
from tests.cohorts.conftest import complete_module, create_cohort, form_token, signed_in


def _sees_nothing_of(trainer_client, cohort_id: int, person) -> None:
    """Every way a trainer could see a practitioner's progress shows nothing of them."""
    assert trainer_client.get(f"/reports/practitioners/{person.id}").status_code == 404
    rows = trainer_client.get(f"/api/v1/reports/completion?cohort_id={cohort_id}").json()
    assert all(row["user_id"] != person.id for row in rows)
    csv = trainer_client.get(f"/reports/completion.csv?cohort_id={cohort_id}").text
    assert person.email not in csv and person.user.display_name not in csv
    page = trainer_client.get(f"/reports/completion?cohort_id={cohort_id}").text
    assert person.user.display_name not in page
    listed = trainer_client.get("/api/v1/cohorts").json()
    assert [item["members"] for item in listed if item["id"] == cohort_id] == [0]


def test_a_trainer_sees_nothing_until_the_practitioner_accepts(app, trainer_client, make_user):
    person = make_user(Role.practitioner, name="Priya Practitioner")
    cohort_id = create_cohort(trainer_client)
    trainer_client.post(
        f"/api/v1/cohorts/{cohort_id}/assignments",
        json={"module_slug": "asking-basics", "due_date": "2030-01-31"},
    )
    with signed_in(app, person) as practitioner:
        complete_module(practitioner)
        asked = trainer_client.post(
            f"/api/v1/cohorts/{cohort_id}/members", json={"email": person.email}
        )
        assert asked.status_code == 201
        assert asked.json()["status"] == "asked" and asked.json()["display_name"] == ""

        _sees_nothing_of(trainer_client, cohort_id, person)
        cohort_page = trainer_client.get(f"/cohorts/{cohort_id}").text
        assert person.email in cohort_page and "Invited, waiting" in cohort_page
        assert "Priya Practitioner" not in cohort_page

        waiting = practitioner.get("/api/v1/me/cohort-requests").json()
        assert [item["name"] for item in waiting] == ["CAMHS North, 2027 intake"]
        assert waiting[0]["trainers"] == ["Tess Trainer"]
        home = practitioner.get("/").text
        assert "Join CAMHS North, 2027 intake?" in home and "Tess Trainer" in home
        accepted = practitioner.post(
            f"/cohort-requests/{cohort_id}/accept",
            data={"csrf_token": form_token(home)},
            follow_redirects=True,
        )
        assert "You have joined the cohort" in accepted.text
        assert practitioner.get("/api/v1/me/cohort-requests").json() == []

    assert trainer_client.get(f"/reports/practitioners/{person.id}").status_code == 200
    rows = trainer_client.get(f"/api/v1/reports/completion?cohort_id={cohort_id}").json()
    assert [row["status"] for row in rows if row["user_id"] == person.id] == ["completed"]
    assert person.email in trainer_client.get(f"/reports/completion.csv?cohort_id={cohort_id}").text


def test_declining_leaves_the_trainer_seeing_nothing(app, trainer_client, make_user, rows):
    person = make_user(Role.practitioner, name="Dev Decliner")
    cohort_id = create_cohort(trainer_client)
    trainer_client.post(f"/api/v1/cohorts/{cohort_id}/members", json={"email": person.email})
    with signed_in(app, person) as practitioner:
        complete_module(practitioner)
        declined = practitioner.post(f"/api/v1/me/cohort-requests/{cohort_id}/decline")
        assert declined.status_code == 204
        assert practitioner.get("/api/v1/me/cohort-requests").json() == []
        again = practitioner.post(f"/api/v1/me/cohort-requests/{cohort_id}/accept")
        assert again.status_code == 404
    _sees_nothing_of(trainer_client, cohort_id, person)
    assert rows(select(CohortRequest)) == [] and rows(select(CohortMember)) == []
    assert person.email not in trainer_client.get(f"/cohorts/{cohort_id}").text


def test_only_the_person_asked_can_accept(app, trainer_client, make_user):
    person, someone_else = make_user(Role.practitioner), make_user(Role.practitioner)
    cohort_id = create_cohort(trainer_client)
    trainer_client.post(f"/api/v1/cohorts/{cohort_id}/members", json={"email": person.email})
    with signed_in(app, someone_else) as other:
        assert other.post(f"/api/v1/me/cohort-requests/{cohort_id}/accept").status_code == 404
        assert other.get("/api/v1/me/cohorts").json() == []
    _sees_nothing_of(trainer_client, cohort_id, person)


def test_a_practitioner_sees_who_can_see_their_progress_and_leaves(app, trainer_client, make_user):
    person = make_user(Role.practitioner, name="Lee Leaver")
    cohort_id = create_cohort(trainer_client)
    trainer_client.post(f"/api/v1/cohorts/{cohort_id}/members", json={"email": person.email})
    with signed_in(app, person) as practitioner:
        complete_module(practitioner)
        practitioner.post(f"/api/v1/me/cohort-requests/{cohort_id}/accept")
        assert trainer_client.get(f"/reports/practitioners/{person.id}").status_code == 200
        mine = practitioner.get("/api/v1/me/cohorts").json()
        assert [(item["name"], item["trainers"]) for item in mine] == [
            ("CAMHS North, 2027 intake", ["Tess Trainer"])
        ]
        assert 'href="/account/cohorts"' in practitioner.get("/account").text
        page = practitioner.get("/account/cohorts")
        assert "CAMHS North, 2027 intake" in page.text and "Tess Trainer" in page.text
        left = practitioner.post(
            f"/account/cohorts/{cohort_id}/leave",
            data={"csrf_token": form_token(page.text)},
            follow_redirects=True,
        )
        assert "You have left CAMHS North, 2027 intake" in left.text
        assert "You are not in any cohort" in left.text
        assert practitioner.get("/api/v1/me/cohorts").json() == []
    _sees_nothing_of(trainer_client, cohort_id, person)


def test_an_admin_adds_directly_and_the_audit_log_says_so(app, make_user, rows):
    admin, person = make_user(Role.admin), make_user(Role.practitioner, name="Ada Added")
    with signed_in(app, admin) as admin_client:
        cohort_id = create_cohort(admin_client)
        added = admin_client.post(
            f"/api/v1/cohorts/{cohort_id}/members", json={"email": person.email}
        )
        assert added.json()["status"] == "added"
        assert added.json()["display_name"] == "Ada Added"
        assert admin_client.get(f"/reports/practitioners/{person.id}").status_code == 200
        log = admin_client.get("/admin/audit").text
    assert "directly, as an admin, without asking them" in log
    actions = [event.action for event in rows(select(AuditEvent))]
    assert "cohort.member_add_direct" in actions and "cohort.member_request" not in actions


def test_the_add_form_says_the_person_was_asked(trainer_client, make_user):
    person = make_user(Role.practitioner)
    cohort_id = create_cohort(trainer_client)
    page = trainer_client.get(f"/cohorts/{cohort_id}")
    added = trainer_client.post(
        f"/cohorts/{cohort_id}/members",
        data={"csrf_token": form_token(page.text), "member-email": person.email},
        follow_redirects=True,
    )
    assert "We have asked them to join" in added.text
    assert "Practitioners (0)" in added.text


def test_a_list_asks_practitioners_and_shows_them_like_anyone_invited(trainer_client, make_user):
    person = make_user(Role.practitioner, name="Pat Practitioner")
    young = make_user(Role.codesigner, name="Young Codesigner")
    cohort_id = create_cohort(trainer_client)
    result = trainer_client.post(
        f"/api/v1/cohorts/{cohort_id}/members/bulk",
        json={"emails": f"{person.email}\n{young.email}\nnew.person@trust.nhs.uk"},
    ).json()
    assert result["added"] == [] and result["asked"] == [person.email]
    assert sorted(item["email"] for item in result["invited"]) == sorted(
        [young.email, "new.person@trust.nhs.uk"]
    )
    page = trainer_client.get(f"/cohorts/{cohort_id}").text
    for email in (person.email, young.email, "new.person@trust.nhs.uk"):
        row = page.split(f">{email}</td>", 1)[1].split("</tr>", 1)[0]
        assert "Invited, waiting" in row
    assert "Pat Practitioner" not in page and "Young Codesigner" not in page
    _sees_nothing_of(trainer_client, cohort_id, person)


def test_a_trainer_can_withdraw_a_request(app, trainer_client, make_user):
    person = make_user(Role.practitioner)
    cohort_id = create_cohort(trainer_client)
    trainer_client.post(f"/api/v1/cohorts/{cohort_id}/members", json={"email": person.email})
    page = trainer_client.get(f"/cohorts/{cohort_id}").text
    withdrawn = trainer_client.post(
        f"/cohorts/{cohort_id}/requests/{person.id}/withdraw",
        data={"csrf_token": form_token(page)},
        follow_redirects=True,
    )
    assert "Request withdrawn" in withdrawn.text and person.email not in withdrawn.text
    with signed_in(app, person) as practitioner:
        assert practitioner.get("/api/v1/me/cohort-requests").json() == []


def test_the_demo_cohort_still_has_members_who_accepted(app, rows):
    with session_scope(app.state.engine) as session:
        seed_demo(session, Passwords(PasswordHashProfile.fast), app.state.content)
    assert len(rows(select(CohortMember))) == 2
    assert rows(select(CohortRequest)) == []
    actions = [event.action for event in rows(select(AuditEvent))]
    assert actions.count("cohort.request_accept") == 2


def test_the_privacy_page_says_who_can_see_a_practitioners_progress(client):
    page = " ".join(client.get("/privacy").text.split())
    assert "You are in a cohort only because you said yes" in page
    assert "You can leave a cohort at any time" in page and 'href="/account/cohorts"' in page

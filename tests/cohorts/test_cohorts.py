"""Cohorts: who may create and see them, members, assignments, and the audit trail."""

from __future__ import annotations

from sqlmodel import select

from app.models.audit import AuditEvent
from app.models.users import Role
from tests.cohorts.conftest import create_cohort, signed_in
from tests.joining import accepts


def test_trainer_creates_a_cohort_and_manages_it(trainer_client, rows):
    cohort_id = create_cohort(trainer_client)
    listed = trainer_client.get("/api/v1/cohorts").json()
    assert [(c["id"], c["name"]) for c in listed] == [(cohort_id, "CAMHS North, 2027 intake")]
    assert [e.action for e in rows(select(AuditEvent))] == ["cohort.create"]


def test_practitioners_cannot_create_cohorts(practitioner_client):
    response = practitioner_client.post("/api/v1/cohorts", json={"name": "Mine"})
    assert response.status_code == 403


def test_a_cohort_name_is_checked(trainer_client):
    for name, message in [
        ("   ", "Enter a name"),
        ("x" * 121, "at most 120"),
        ("Evil\u202ecohort", "invisible or control characters"),
        ("Zero\u200bwidth", "invisible or control characters"),
    ]:
        response = trainer_client.post("/api/v1/cohorts", json={"name": name})
        assert response.status_code == 422
        assert message in response.json()["detail"]


def test_trainer_adds_an_existing_practitioner_by_email(app, trainer_client, make_user):
    cohort_id = create_cohort(trainer_client)
    person = make_user(Role.practitioner, email="Jo.Bloggs@Trust.nhs.uk")
    response = trainer_client.post(
        f"/api/v1/cohorts/{cohort_id}/members", json={"email": " jo.bloggs@trust.nhs.uk "}
    )
    assert response.status_code == 201
    assert response.json()["user_id"] == person.id
    again = trainer_client.post(
        f"/api/v1/cohorts/{cohort_id}/members", json={"email": person.email}
    )
    assert again.status_code == 201
    assert trainer_client.get("/api/v1/cohorts").json()[0]["members"] == 0
    accepts(app, cohort_id, person.email)  # asked twice, one request: one yes joins them
    assert trainer_client.get("/api/v1/cohorts").json()[0]["members"] == 1


def test_adding_an_unknown_email_says_to_invite_instead(trainer_client, make_user):
    cohort_id = create_cohort(trainer_client)
    codesigner = make_user(Role.codesigner)
    for email in ["nobody@trust.nhs.uk", codesigner.email]:
        response = trainer_client.post(
            f"/api/v1/cohorts/{cohort_id}/members", json={"email": email}
        )
        assert response.status_code == 422
        assert "invite them if they are new to Askwell" in response.json()["detail"]


def test_a_trainer_cannot_touch_another_trainers_cohort(app, trainer_client, make_user):
    cohort_id = create_cohort(trainer_client)
    other = make_user(Role.trainer)
    person = make_user(Role.practitioner)
    with signed_in(app, other) as other_client:
        assert other_client.get("/api/v1/cohorts").json() == []
        response = other_client.post(
            f"/api/v1/cohorts/{cohort_id}/members", json={"email": person.email}
        )
        assert response.status_code == 404
        assert other_client.get(f"/cohorts/{cohort_id}").status_code == 404
        assignment = other_client.post(
            f"/api/v1/cohorts/{cohort_id}/assignments",
            json={"module_slug": "asking-basics", "due_date": "2030-01-01"},
        )
        assert assignment.status_code == 404


def test_admins_see_every_cohort(app, trainer_client, make_user):
    cohort_id = create_cohort(trainer_client)
    admin = make_user(Role.admin)
    with signed_in(app, admin) as admin_client:
        assert [c["id"] for c in admin_client.get("/api/v1/cohorts").json()] == [cohort_id]
        assert admin_client.get(f"/cohorts/{cohort_id}").status_code == 200


def test_assigning_a_module_checks_module_date_and_recurrence(trainer_client):
    cohort_id = create_cohort(trainer_client)
    url = f"/api/v1/cohorts/{cohort_id}/assignments"
    ok = trainer_client.post(
        url, json={"module_slug": "asking-basics", "due_date": "2030-01-31", "recur_days": 365}
    )
    assert ok.status_code == 201
    assert ok.json()["recur_days"] == 365
    for body, message in [
        ({"module_slug": "no-such-module", "due_date": "2030-01-31"}, "Choose a module"),
        ({"module_slug": "sample-app", "due_date": "2030-01-31"}, "Choose a module"),
        ({"module_slug": "asking-basics", "due_date": "2999-01-31"}, "within 10 years"),
        (
            {"module_slug": "asking-basics", "due_date": "2030-01-31", "recur_days": 3},
            "every 30 to 3650 days",
        ),
    ]:
        response = trainer_client.post(url, json=body)
        assert response.status_code == 422, body
        assert message in response.json()["detail"]
    # Assigning again changes the due date rather than adding a second assignment.
    trainer_client.post(url, json={"module_slug": "asking-basics", "due_date": "2031-01-31"})
    assert trainer_client.get("/api/v1/cohorts").json()[0]["assignments"] == 1


def test_cohort_page_forms_keep_what_was_typed_and_show_an_error_summary(trainer_client):
    cohort_id = create_cohort(trainer_client)
    page = trainer_client.get(f"/cohorts/{cohort_id}")
    from tests.cohorts.conftest import form_token

    token = form_token(page.text)
    response = trainer_client.post(
        f"/cohorts/{cohort_id}/assignments",
        data={
            "csrf_token": token,
            "module_slug": "asking-basics",
            "due_date-day": "31",
            "due_date-month": "02",
            "due_date-year": "2030",
        },
    )
    assert response.status_code == 400
    assert "There is a problem" in response.text
    assert "Due date must be a real date" in response.text
    assert 'name="due_date-day" type="text" inputmode="numeric"\n                 value="31"' in (
        response.text
    )


def test_cohort_forms_need_the_csrf_token(trainer_client):
    cohort_id = create_cohort(trainer_client)
    response = trainer_client.post(f"/cohorts/{cohort_id}/members", data={"email": "a@b.nhs.uk"})
    assert response.status_code == 403


def test_hostile_cohort_names_are_escaped(trainer_client):
    cohort_id = create_cohort(trainer_client, "<script>alert(1)</script> javascript:alert(1)")
    page = trainer_client.get(f"/cohorts/{cohort_id}").text
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_the_cohort_page_forms_add_a_member_and_a_trainer(app, trainer_client, make_user):
    from tests.cohorts.conftest import form_token

    cohort_id = create_cohort(trainer_client)
    person = make_user(Role.practitioner, name="Form Person")
    colleague = make_user(Role.trainer, name="Co Trainer")
    page = trainer_client.get(f"/cohorts/{cohort_id}").text
    assert "it expires after 14 days" in page and "{{" not in page
    token = form_token(page)
    added = trainer_client.post(
        f"/cohorts/{cohort_id}/members", data={"csrf_token": token, "member-email": person.email}
    )
    assert "We have asked them to join" in added.text and "Form Person" not in added.text
    accepts(app, cohort_id, person.email)
    assert "Form Person" in trainer_client.get(f"/cohorts/{cohort_id}").text
    shared = trainer_client.post(
        f"/cohorts/{cohort_id}/trainers",
        data={"csrf_token": token, "trainer-email": colleague.email},
    )
    assert "Co Trainer" in shared.text
    unknown = trainer_client.post(
        f"/cohorts/{cohort_id}/members",
        data={"csrf_token": token, "member-email": "who@trust.nhs.uk"},
    )
    assert unknown.status_code == 400 and 'value="who@trust.nhs.uk"' in unknown.text


def test_a_cohort_is_renamed_by_its_trainers_only_and_the_change_is_audited(
    app, trainer_client, make_user, rows
):
    from sqlmodel import select

    from app.models.audit import AuditEvent
    from tests.cohorts.conftest import form_token, signed_in

    cohort_id = create_cohort(trainer_client, "CAMHS Nroth")
    renamed = trainer_client.put(f"/api/v1/cohorts/{cohort_id}", json={"name": "CAMHS North"})
    assert renamed.status_code == 200 and renamed.json()["name"] == "CAMHS North"
    page = trainer_client.get(f"/cohorts/{cohort_id}")
    refused = trainer_client.post(
        f"/cohorts/{cohort_id}/name", data={"csrf_token": form_token(page.text), "cohort-name": ""}
    )
    assert refused.status_code == 400 and 'href="#cohort-name"' in refused.text
    done = trainer_client.post(
        f"/cohorts/{cohort_id}/name",
        data={"csrf_token": form_token(page.text), "cohort-name": "CAMHS North, 2027"},
    )
    assert "Cohort renamed." in done.text and "<h1>CAMHS North, 2027</h1>" in done.text
    with signed_in(app, make_user(Role.trainer)) as other:
        assert other.put(f"/api/v1/cohorts/{cohort_id}", json={"name": "Mine"}).status_code == 404
    details = [e.detail for e in rows(select(AuditEvent)) if e.action == "cohort.rename"]
    assert details == ["CAMHS Nroth -> CAMHS North", "CAMHS North -> CAMHS North, 2027"]

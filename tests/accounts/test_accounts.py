"""Admins manage accounts and roles; every change is audited."""

from __future__ import annotations

from sqlmodel import select

from app.models.audit import AuditEvent
from app.models.users import Role
from tests.auth.test_pages_and_csrf import form_token
from tests.conftest import api_login


def test_admin_finds_accounts_by_name_email_and_role(client, make_user):
    admin = make_user(Role.admin)
    make_user(Role.trainer, name="Morgan Trainer", email="morgan@trust.example.org")
    make_user(Role.practitioner, name="Alex Practitioner")
    api_login(client, admin)
    by_name = client.get("/api/v1/admin/users?q=morgan").json()
    assert [a["email"] for a in by_name["accounts"]] == ["morgan@trust.example.org"]
    by_role = client.get("/api/v1/admin/users?role=practitioner").json()
    assert [a["display_name"] for a in by_role["accounts"]] == ["Alex Practitioner"]
    assert "Morgan Trainer" in client.get("/admin/users").text


def test_changing_roles_is_audited(client, make_user, rows):
    admin = make_user(Role.admin)
    person = make_user(Role.practitioner)
    api_login(client, admin)
    response = client.put(
        f"/api/v1/admin/users/{person.id}",
        json={"roles": ["practitioner", "trainer"], "is_active": True},
    )
    assert response.status_code == 200
    assert response.json()["roles"] == ["practitioner", "trainer"]
    events = rows(select(AuditEvent))
    assert [(e.action, e.target_id, e.detail) for e in events] == [
        ("account.update", str(person.id), "roles practitioner -> practitioner,trainer")
    ]


def test_switching_an_account_off_signs_them_out_everywhere(app, client, make_user):
    from fastapi.testclient import TestClient

    admin = make_user(Role.admin)
    person = make_user(Role.practitioner)
    with TestClient(app) as their_browser:
        api_login(their_browser, person)
        api_login(client, admin)
        client.put(
            f"/api/v1/admin/users/{person.id}", json={"roles": ["practitioner"], "is_active": False}
        )
        assert their_browser.get("/api/v1/me").status_code == 401
        refused = their_browser.post(
            "/api/v1/auth/login", json={"email": person.email, "password": person.password}
        )
        assert refused.status_code == 401


def test_an_admin_cannot_lock_themselves_out(client, make_user):
    admin = make_user(Role.admin)
    api_login(client, admin)
    response = client.put(
        f"/api/v1/admin/users/{admin.id}", json={"roles": ["trainer"], "is_active": True}
    )
    assert response.status_code == 409
    assert "your own admin role" in response.json()["detail"]


def test_only_admins_manage_accounts(client, make_user):
    person = make_user(Role.practitioner)
    for role in (Role.trainer, Role.practitioner, Role.codesigner):
        api_login(client, make_user(role))
        assert client.get("/api/v1/admin/users").status_code == 403
        assert (
            client.put(
                f"/api/v1/admin/users/{person.id}", json={"roles": ["admin"], "is_active": True}
            ).status_code
            == 403
        )
        assert client.get("/admin/users").status_code == 403


def test_unknown_account_and_empty_roles_get_clear_answers(client, make_user):
    api_login(client, make_user(Role.admin))
    assert client.get("/api/v1/admin/users/999999").status_code == 404
    person = make_user(Role.practitioner)
    bad = client.put(f"/api/v1/admin/users/{person.id}", json={"roles": [], "is_active": True})
    assert bad.status_code == 422


def test_account_page_keeps_choices_and_shows_an_error_summary(client, make_user):
    api_login(client, make_user(Role.admin))
    person = make_user(Role.practitioner)
    page = client.get(f"/admin/users/{person.id}")
    response = client.post(
        f"/admin/users/{person.id}", data={"csrf_token": form_token(page.text), "is_active": "no"}
    )
    assert response.status_code == 400
    assert "There is a problem" in response.text and "Choose at least one role." in response.text
    assert 'id="is_active-no" name="is_active" type="radio" value="no" checked' in response.text
    saved = client.post(
        f"/admin/users/{person.id}",
        data={
            "csrf_token": form_token(page.text),
            "roles": ["practitioner", "codesigner"],
            "is_active": "yes",
        },
    )
    assert saved.status_code == 200 and "Changes saved." in saved.text


def test_the_filter_form_with_any_role_lists_everyone(client, make_user):
    api_login(client, make_user(Role.admin, name="Ada Admin"))
    make_user(Role.codesigner, name="Casey Codesigner")
    page = client.get("/admin/users?q=&role=")
    assert page.status_code == 200
    assert ">Ada Admin</a>" in page.text and ">Casey Codesigner</a>" in page.text
    only = client.get("/admin/users?q=&role=codesigner")
    assert ">Casey Codesigner</a>" in only.text and ">Ada Admin</a>" not in only.text

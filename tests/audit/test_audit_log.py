"""Admins read the audit log; nobody else can."""

from __future__ import annotations

from app.audit import service
from app.auth.schemas import Viewer
from app.core.db import session_scope
from app.models.users import Role
from tests.conftest import api_login


def viewer_of(account) -> Viewer:
    return Viewer(
        id=account.id,
        email=account.email,
        display_name="x",
        roles=frozenset(account.roles),
        session_id="",
    )


def test_admins_read_events_newest_first_with_who_did_them(app, client, make_user):
    admin = make_user(Role.admin)
    trainer = make_user(Role.trainer)
    with session_scope(app.state.engine) as session:
        service.record(session, viewer_of(trainer), "scenario.accept", "scenario", 7, "published")
        service.record(session, viewer_of(trainer), "report.export", "cohort", 3)
    api_login(client, admin)
    body = client.get("/api/v1/audit").json()
    assert [e["action"] for e in body["events"]] == ["report.export", "scenario.accept"]
    assert body["events"][0]["actor_email"] == trainer.email
    filtered = client.get("/api/v1/audit?action=scenario").json()
    assert [e["target_id"] for e in filtered["events"]] == ["7"]
    page = client.get("/admin/audit")
    assert page.status_code == 200 and "scenario.accept" in page.text
    assert "Audit log" in page.text


def test_everyone_but_admins_is_refused(client, make_user):
    for role in (Role.trainer, Role.practitioner, Role.codesigner):
        api_login(client, make_user(role))
        assert client.get("/api/v1/audit").status_code == 403
        assert client.get("/admin/audit").status_code == 403
        assert "Audit log" not in client.get("/").text


def test_the_log_pages_through_long_histories(app, client, make_user):
    admin = make_user(Role.admin)
    with session_scope(app.state.engine) as session:
        for number in range(service.PAGE_SIZE + 5):
            service.record(session, viewer_of(admin), "account.view", "user", number)
    api_login(client, admin)
    first = client.get("/api/v1/audit").json()
    second = client.get("/api/v1/audit?page=2").json()
    assert len(first["events"]) == service.PAGE_SIZE and first["has_more"] is True
    assert len(second["events"]) == 5 and second["has_more"] is False

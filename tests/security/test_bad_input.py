"""Hostile input is answered with a clear 4xx, never a 500 or a half-sent export."""

from __future__ import annotations

import pytest

from app.models.users import Role
from tests.cohorts.conftest import create_cohort, signed_in
from tests.scenarios.conftest import scenario_body

TOO_BIG = "99999999999999999999"  # beyond 64 bits
BEYOND_INT32 = "3000000000"  # fits SQLite's INTEGER, not PostgreSQL's


def sign_in_page_token(client) -> str:
    from tests.cohorts.conftest import form_token

    return form_token(client.get("/sign-in").text)


def test_a_non_ascii_csrf_token_in_the_sign_in_form_is_refused_not_a_crash(client):
    sign_in_page_token(client)
    response = client.post(
        "/sign-in",
        data={"email": "a@askwell.test", "password": "x", "csrf_token": "tökén-☃"},
    )
    assert response.status_code == 403
    assert "reload the page" in response.text


def test_a_non_ascii_csrf_header_on_the_api_is_refused_not_a_crash(practitioner_client):
    response = practitioner_client.post(
        "/api/v1/auth/logout", headers={"X-CSRF-Token": "tökén".encode()}
    )
    assert response.status_code == 403
    assert "reload the page" in response.json()["detail"]


@pytest.mark.parametrize("number", [TOO_BIG, BEYOND_INT32, "-" + TOO_BIG])
def test_an_id_beyond_the_databases_range_in_a_path_is_a_4xx(app, make_user, number):
    trainer = make_user(Role.trainer)
    with signed_in(app, trainer) as client:
        api = client.get(f"/api/v1/scenarios/{number}")
        assert 400 <= api.status_code < 500, api.text
        assert api.json()["detail"]
        page = client.get(f"/review/scenarios/{number}")
        assert 400 <= page.status_code < 500
        assert "<html" in page.text and "Traceback" not in page.text


@pytest.mark.parametrize("number", [TOO_BIG, BEYOND_INT32])
def test_an_id_beyond_the_databases_range_in_a_query_is_a_4xx(app, make_user, number):
    trainer = make_user(Role.trainer)
    with signed_in(app, trainer) as client:
        api = client.get(f"/api/v1/reports/completion?cohort_id={number}")
        assert 400 <= api.status_code < 500, api.text
        assert api.json()["detail"]
        page = client.get(f"/reports/completion?cohort_id={number}")
        assert 400 <= page.status_code < 500
        export = client.get(f"/reports/completion.csv?cohort_id={number}")
        assert 400 <= export.status_code < 500


def test_a_member_added_to_a_cohort_beyond_the_range_is_a_4xx(app, make_user):
    trainer = make_user(Role.trainer)
    with signed_in(app, trainer) as client:
        cohort = create_cohort(client)
        response = client.post(
            f"/api/v1/cohorts/{TOO_BIG}/assignments",
            json={"module_slug": "asking-basics", "due_date": "2027-01-01"},
        )
        assert 400 <= response.status_code < 500, response.text
        still_there = client.get(f"/cohorts/{cohort}")
        assert still_there.status_code == 200


def test_a_nul_in_the_sign_in_email_is_refused_clearly(client, practitioner):
    token = sign_in_page_token(client)
    response = client.post(
        "/sign-in",
        data={"email": practitioner.email + "\x00", "password": "x", "csrf_token": token},
    )
    assert response.status_code == 400
    assert "control characters" in response.text
    api = client.post("/api/v1/auth/login", json={"email": "a\u0000@askwell.test", "password": "x"})
    assert api.status_code == 400
    assert "control characters" in api.json()["detail"]


def test_a_nul_in_a_report_search_is_refused_before_any_export_starts(app, make_user):
    trainer = make_user(Role.trainer)
    with signed_in(app, trainer) as client:
        cohort = create_cohort(client)
        for path in ("/reports/completion", "/reports/completion.csv"):
            response = client.get(path, params={"cohort_id": cohort, "q": "a\x00b"})
            assert response.status_code == 400, path
            assert "control characters" in response.text
        api = client.get("/api/v1/reports/completion", params={"q": "\x00"})
        assert api.status_code == 400


def test_a_nul_in_the_admin_user_search_and_the_audit_filter_is_refused(app, make_user):
    admin = make_user(Role.admin)
    with signed_in(app, admin) as client:
        for path, params in (
            ("/admin/users", {"q": "x\x00"}),
            ("/admin/audit", {"action": "\x00"}),
            ("/admin/audit", {"actor": "a\x00@b"}),
        ):
            response = client.get(path, params=params)
            assert response.status_code == 400, (path, params)
            assert "control characters" in response.text


def test_a_control_character_escaped_in_json_is_refused_and_nothing_saved_is_lost(app, make_user):
    young = make_user(Role.codesigner)
    with signed_in(app, young) as client:
        kept = client.post("/api/v1/scenarios", json=scenario_body())
        assert kept.status_code == 201, kept.text
        refused = client.post(
            "/api/v1/scenarios", json=scenario_body(what_happened="It began\u0000 at night")
        )
        assert refused.status_code == 400
        assert "control characters" in refused.json()["detail"]
        mine = client.get("/api/v1/scenarios/mine").json()
        assert [s["id"] for s in mine] == [kept.json()["id"]]


def test_ordinary_text_with_line_breaks_tabs_and_backslashes_still_arrives(app, make_user):
    young = make_user(Role.codesigner)
    text = 'Line one\nline two\twith a tab, a quote " and a literal \\u0000'
    with signed_in(app, young) as client:
        created = client.post("/api/v1/scenarios", json=scenario_body(what_happened=text))
        assert created.status_code == 201, created.text
        shown = client.get(f"/api/v1/scenarios/{created.json()['id']}").json()
        assert shown["what_happened"] == text

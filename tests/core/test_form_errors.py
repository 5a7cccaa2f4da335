"""Every form, sent back with mistakes, says so the NHS.UK way: the page title starts
"Error: " and the error summary lists every error shown beside a field, each linking to it.

Each case fills a form as wrongly as it can be filled at once, so a form that reports one
problem at a time fails here.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from fastapi.testclient import TestClient

from app.models.users import Role
from app.reflections.service import prompt_key
from tests.cohorts.conftest import form_token
from tests.conftest import Account, api_login
from tests.form_pages import read_form_page

Case = Callable[[TestClient, Callable[..., Account]], tuple[object, int]]


def _post(client: TestClient, page: str, action: str, data: dict[str, str]):
    token = form_token(client.get(page).text)
    return client.post(action, data={"csrf_token": token, **data}, follow_redirects=False)


def _as(client: TestClient, make_user, *roles: Role) -> Account:
    account = make_user(*roles)
    api_login(client, account)
    return account


def sign_in(client, _make_user):  # every case takes the same two arguments
    return _post(client, "/sign-in", "/sign-in", {"email": "", "password": ""}), 2


def wrong_password(client, make_user):
    account = make_user(Role.practitioner)
    data = {"email": account.email, "password": "not the password"}
    return _post(client, "/sign-in", "/sign-in", data), 1


def change_password(client, make_user):
    _as(client, make_user, Role.practitioner)
    data = {"current_password": "", "new_password": "short", "confirm_password": ""}
    return _post(client, "/account/password", "/account/password", data), 2


def own_details(client, make_user):
    _as(client, make_user, Role.practitioner)
    return _post(client, "/account", "/account", {"display_name": "   "}), 1


def create_cohort(client, make_user):
    _as(client, make_user, Role.trainer)
    return _post(client, "/cohorts", "/cohorts", {"name": ""}), 1


def _cohort(client, make_user) -> str:
    _as(client, make_user, Role.trainer)
    cohort_id = client.post("/api/v1/cohorts", json={"name": "Walk"}).json()["id"]
    return f"/cohorts/{cohort_id}"


def rename_cohort(client, make_user):
    cohort = _cohort(client, make_user)
    return _post(client, cohort, f"{cohort}/name", {"cohort-name": ""}), 1


def add_member(client, make_user):
    cohort = _cohort(client, make_user)
    return _post(client, cohort, f"{cohort}/members", {"member-email": "nobody@x.nhs.uk"}), 1


def invite(client, make_user):
    cohort = _cohort(client, make_user)
    return _post(client, cohort, f"{cohort}/invitations", {"invite-email": ""}), 1


def add_many(client, make_user):
    cohort = _cohort(client, make_user)
    return _post(client, cohort, f"{cohort}/members/bulk", {"member-emails": " ; "}), 1


def assign(client, make_user):
    cohort = _cohort(client, make_user)
    data = {
        "module_slug": "",
        "due_date-day": "",
        "due_date-month": "14",
        "due_date-year": "2030",
        "recur_days": "2",
    }
    return _post(client, cohort, f"{cohort}/assignments", data), 3


def add_trainer(client, make_user):
    cohort = _cohort(client, make_user)
    return _post(client, cohort, f"{cohort}/trainers", {"trainer-email": ""}), 1


def quiz(client, make_user):
    _as(client, make_user, Role.practitioner)
    page = "/modules/asking-basics/quiz"
    return _post(client, page, page, {}), 3


def account_roles(client, make_user):
    _as(client, make_user, Role.admin)
    person = make_user(Role.practitioner)
    page = f"/admin/users/{person.id}"
    return _post(client, page, page, {"is_active": "yes"}), 1


def accept_invitation(client, make_user):
    cohort = _cohort(client, make_user)
    url = client.post(
        f"/api/v1{cohort}/invitations", json={"email": "walk.new@trust.nhs.uk"}
    ).json()["url"]
    path = url.removeprefix("http://testserver")
    with TestClient(client.app, base_url="http://testserver") as invitee:
        data = {"display_name": "", "password": "short", "password_confirm": ""}
        return _post(invitee, path, path, data), 2


def password_reset_link(client, make_user):
    _as(client, make_user, Role.admin)
    person = make_user(Role.practitioner)
    url = client.post(f"/api/v1/admin/users/{person.id}/password-reset").json()["url"]
    path = url.removeprefix("http://testserver")
    with TestClient(client.app, base_url="http://testserver") as visitor:
        data = {"new_password": "short", "confirm_password": ""}
        return _post(visitor, path, path, data), 1


def search(client, make_user):
    _as(client, make_user, Role.practitioner)
    return client.get("/search", params={"q": "x" * 300}), 1


def delete_my_account(client, make_user):
    _as(client, make_user, Role.codesigner)
    return _post(client, "/my-data/delete", "/my-data/delete", {}), 1


def catalogue_search(client, make_user):
    _as(client, make_user, Role.practitioner)
    return client.get("/modules", params={"q": "x" * 300}), 1


def review_filter(client, make_user):
    _as(client, make_user, Role.trainer)
    return client.get("/review/scenarios", params={"status": "nonsense"}), 1


def rate_an_example(client, make_user):
    _as(client, make_user, Role.codesigner)
    data = {"verdict": "", "comment": "x" * 600, "next": "/modules/asking-basics/all"}
    page, action = "/modules/asking-basics/all", "/modules/asking-basics/asks/curiosity/rating"
    return _post(client, page, action, data), 1


def reflect(client, make_user):
    _as(client, make_user, Role.practitioner)
    page = "/modules/second-module/reflect"
    first = "What do you know about the games the young people you see play?"
    second = "What would you ask a young person about gaming next time?"
    data = {
        f"answer-{prompt_key(first)}": "word " * 1100,
        f"answer-{prompt_key(second)}": "w " * 3000,
    }
    return _post(client, page, page, data), 2


CASES = [
    sign_in,
    wrong_password,
    change_password,
    own_details,
    create_cohort,
    rename_cohort,
    add_member,
    invite,
    add_many,
    assign,
    add_trainer,
    quiz,
    account_roles,
    accept_invitation,
    password_reset_link,
    search,
    delete_my_account,
    catalogue_search,
    review_filter,
    rate_an_example,
    reflect,
]


@pytest.mark.parametrize("case", CASES, ids=[case.__name__ for case in CASES])
def test_a_form_with_errors_says_so_in_its_title_and_summarises_every_error(
    case: Case, client: TestClient, make_user
):
    response, expected_errors = case(client, make_user)
    if response.request.method == "POST":  # nothing was saved, and the browser is told so
        assert 400 <= response.status_code < 500, response.status_code
    page = read_form_page(response.text)
    page.check_every_error_is_summarised()
    assert len(page.summary) == expected_errors, page.summary


def test_a_page_without_errors_has_a_plain_title(client, make_user):
    _as(client, make_user, Role.trainer)
    for path in ("/cohorts", "/account", "/account/password"):
        assert not read_form_page(client.get(path).text).title.startswith("Error")

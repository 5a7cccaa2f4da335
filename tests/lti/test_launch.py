"""A launch from a real LTI 1.3 platform signs the person in on the module, once."""

from __future__ import annotations

import jwt
import pytest
from sqlmodel import select

from app.core.db import session_scope
from app.lti import service as lti
from app.models.lti import LtiIdentity
from app.models.users import User, UserRole
from tests.lti.conftest import (
    ADMINISTRATOR,
    INSTRUCTOR,
    LEARNER,
    TOOL,
    Person,
    launch,
    new_private_key,
)

LEE = Person("lms-user-42", [LEARNER])


def test_a_learner_launched_from_the_platform_lands_on_the_module_signed_in(
    browser, platform, rows
):
    response, _form = launch(browser, platform, LEE)
    assert response.status_code == 303, response.text
    assert response.headers["location"] == "/modules/asking-basics"
    cookie = response.headers["set-cookie"]
    assert "SameSite=none" in cookie or "samesite=none" in cookie.lower()
    assert "Secure" in cookie and "Partitioned" in cookie
    page = browser.get("/modules/asking-basics")
    assert page.status_code == 200
    assert "Lee Learner" in page.text or "Sign out" in page.text
    me = browser.get("/api/v1/me").json()
    assert me["roles"] == ["practitioner"]
    assert me["display_name"] == "Lee Learner"
    # Known by issuer and the platform's id, never by the email the platform sent.
    [identity] = rows(select(LtiIdentity))
    assert (identity.issuer, identity.subject) == ("https://lms.example.org", "lms-user-42")
    user = rows(select(User).where(User.id == identity.user_id))[0]
    assert user.email != LEE.email and user.email.endswith("@lti.askwell.invalid")


def test_the_same_person_launching_again_is_the_same_account(browser, platform, rows):
    launch(browser, platform, LEE)
    browser.cookies.clear()
    response, _ = launch(browser, platform, LEE)
    assert response.status_code == 303
    assert len(rows(select(LtiIdentity))) == 1


def test_a_replayed_launch_is_refused(browser, platform, app):
    response, form = launch(browser, platform, LEE)
    assert response.status_code == 303
    # The same signed message and state again, with the browser's state cookie still there.
    replay = browser.post("/lti/launch", data=form, follow_redirects=False)
    assert replay.status_code == 403
    assert "already been used" in replay.text
    # And from another browser, without the cookie.
    from fastapi.testclient import TestClient

    with TestClient(app, base_url=TOOL) as other:
        again = other.post("/lti/launch", data=form, follow_redirects=False)
    assert again.status_code == 403


def test_instructors_become_trainers_and_nobody_becomes_an_admin(browser, platform, rows):
    teacher = Person("lms-teacher-1", [INSTRUCTOR, ADMINISTRATOR], name="Tia Teacher")
    response, _ = launch(browser, platform, teacher)
    assert response.status_code == 303
    assert browser.get("/api/v1/me").json()["roles"] == ["trainer"]
    roles = {row.role for row in rows(select(UserRole))}
    assert "admin" not in roles


def test_someone_neither_learner_nor_instructor_is_refused(browser, platform):
    response, _ = launch(browser, platform, Person("lms-admin", [ADMINISTRATOR]))
    assert response.status_code == 403
    assert "learners and instructors only" in response.text


def test_a_launch_for_another_client_id_is_refused(browser, platform):
    platform.conf_overrides = {"client_id": "someone-else"}
    login = browser.get(
        platform.login_url(LEE).removeprefix(TOOL).replace("someone-else", "askwell-client"),
        follow_redirects=False,
    )
    form = platform.authorise(
        login.headers["location"].replace("askwell-client", "someone-else"), LEE
    )
    response = browser.post("/lti/launch", data=form, follow_redirects=False)
    assert response.status_code == 403
    assert "not meant for Askwell" in response.text


def test_an_unknown_deployment_is_refused(browser, platform):
    platform.conf_overrides = {"deployment_id": "not-registered"}
    response, _ = launch(browser, platform, LEE)
    assert response.status_code == 403
    assert "deployment of Askwell is not registered" in response.text


def test_an_expired_launch_is_refused(browser, platform):
    platform.expiration = -120
    response, _ = launch(browser, platform, LEE)
    assert response.status_code == 403
    assert "expired" in response.text


def test_a_launch_signed_with_a_key_the_platform_does_not_publish_is_refused(browser, platform):
    platform.private_key = new_private_key()  # signs with it, never publishes it
    response, _ = launch(browser, platform, LEE)
    assert response.status_code == 403
    assert "signature could not be checked" in response.text


def test_after_the_platform_rotates_its_key_launches_still_work(browser, platform):
    platform.rotate()
    response, _ = launch(browser, platform, LEE)
    assert response.status_code == 303, response.text


def test_only_rs256_is_accepted(browser, platform):
    login = browser.get(platform.login_url(LEE).removeprefix(TOOL), follow_redirects=False)
    form = platform.authorise(login.headers["location"], LEE)
    claims = jwt.decode(form["id_token"], options={"verify_signature": False})
    forged = jwt.encode(claims, "a-shared-secret-nobody-should-use", algorithm="HS256")
    response = browser.post(
        "/lti/launch", data={"id_token": forged, "state": form["state"]}, follow_redirects=False
    )
    assert response.status_code == 403
    assert "RS256 only" in response.text


def test_an_unregistered_platform_cannot_start_a_login(browser, platform):
    platform.conf_overrides = {"issuer": "https://stranger.example.org"}
    response = browser.get(platform.login_url(LEE).removeprefix(TOOL), follow_redirects=False)
    assert response.status_code == 422
    assert "not registered with Askwell" in response.text


@pytest.mark.usefixtures("platform")
def test_askwell_publishes_its_keys_and_keeps_the_old_one_through_a_rotation(browser, app):
    first = browser.get("/lti/jwks").json()["keys"]
    assert len(first) == 1 and first[0]["kid"] and first[0]["alg"] == "RS256"
    with session_scope(app.state.engine) as session:
        new_kid = lti.rotate_key(session)
    both = browser.get("/lti/jwks").json()["keys"]
    assert [key["kid"] for key in both] == [new_kid, first[0]["kid"]]
    with session_scope(app.state.engine) as session:
        assert lti.retire_keys_except_newest(session) == [first[0]["kid"]]
    assert [key["kid"] for key in browser.get("/lti/jwks").json()["keys"]] == [new_kid]
    assert "private" not in str(both) and '"d"' not in str(both)


def test_a_launch_posted_from_another_browser_without_its_state_cookie_is_refused(
    browser, platform, app
):
    """Someone's own fresh launch, posted from a victim's browser, signs nobody in there."""
    from fastapi.testclient import TestClient

    login = browser.get(platform.login_url(LEE).removeprefix(TOOL), follow_redirects=False)
    form = platform.authorise(login.headers["location"], LEE)
    with TestClient(app, base_url=TOOL) as victim:
        response = victim.post("/lti/launch", data=form, follow_redirects=False)
        assert response.status_code == 403
        assert "askwell_session" not in response.headers.get("set-cookie", "")
    # The state and nonce were not used up by the refusal: the real browser still can.
    assert browser.post("/lti/launch", data=form, follow_redirects=False).status_code == 303


def test_only_registered_platforms_may_show_askwell_in_a_frame(app, browser, platform):
    """Framing follows the registrations, read again from the database by every worker."""
    from app.main import refresh_frame_ancestors

    before = browser.get("/lti/jwks")
    assert "frame-ancestors 'none'" in before.headers["content-security-policy"]
    assert before.headers["x-frame-options"] == "DENY"
    try:
        refresh_frame_ancestors(app)
        response, _ = launch(browser, platform, LEE)
        page = browser.get(response.headers["location"])
        policy = page.headers["content-security-policy"]
        assert "frame-ancestors https://lms.example.org;" in policy + ";"
        assert "x-frame-options" not in page.headers
        assert (
            "frame-ancestors https://lms.example.org"
            in browser.get("/").headers["content-security-policy"]
        )
    finally:
        app.state.frame_ancestors.origins = ()


def test_platform_keys_are_kept_and_fetched_again_for_a_new_key_id_at_most_so_often(
    browser, platform, monkeypatch
):
    from app.lti import adapter

    assert launch(browser, platform, LEE)[0].status_code == 303
    fetched = platform.keys.requests
    browser.cookies.clear()
    assert launch(browser, platform, LEE)[0].status_code == 303
    assert platform.keys.requests == fetched, "the kept keys were not used"

    # The platform rotates: a launch with the new key id may fetch again, once the last
    # fetch is old enough; until then it is refused without asking the platform.
    platform.rotate()
    browser.cookies.clear()
    assert launch(browser, platform, LEE)[0].status_code == 403
    assert platform.keys.requests == fetched
    monkeypatch.setattr(adapter, "KEYS_REFETCH_AFTER", 0.0)
    browser.cookies.clear()
    assert launch(browser, platform, LEE)[0].status_code == 303
    assert platform.keys.requests == fetched + 1

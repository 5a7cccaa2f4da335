"""An instructor adds Askwell modules to their course (LTI Deep Linking), and the platform
accepts the signed answer; a learner following the new link lands on the module."""

from __future__ import annotations

import jwt
from fastapi.testclient import TestClient

from tests.auth.test_pages_and_csrf import form_token
from tests.lti.conftest import INSTRUCTOR, LEARNER, TOOL, Person, launch

TIA = Person("lms-teacher-1", [INSTRUCTOR], name="Tia Teacher")
CONTENT_ITEMS = "https://purl.imsglobal.org/spec/lti-dl/claim/content_items"


def choose(browser, platform, person=TIA):
    response, _ = launch(browser, platform, person, deep_link=True)
    return response


def test_an_instructor_picks_modules_and_the_platform_accepts_them(browser, platform):
    response = choose(browser, platform)
    assert response.status_code == 303, response.text
    assert response.headers["location"].startswith("/lti/deep-link/")
    page = browser.get(response.headers["location"])
    assert page.status_code == 200
    assert "Add Askwell modules to your course" in page.text
    assert 'value="asking-basics"' in page.text

    answer = browser.post(
        response.headers["location"],
        data={"csrf_token": form_token(page.text), "modules": ["asking-basics", "second-module"]},
    )
    assert answer.status_code == 200, answer.text
    assert 'action="https://lms.example.org/course/1/deep-link-return"' in answer.text
    assert "form-action 'self' https://lms.example.org" in answer.headers["content-security-policy"]
    signed = answer.text.split('name="JWT" value="')[1].split('"')[0]

    # The platform checks Askwell's signature with the keys Askwell publishes.
    items = platform.conf().validate_deeplinking_resp({"JWT": signed})
    assert [item["custom"] for item in items] == [
        {"module": "asking-basics"},
        {"module": "second-module"},
    ]
    assert all(item["type"] == "ltiResourceLink" for item in items)
    assert all(item["url"] == f"{TOOL}/lti/launch" for item in items)
    header = jwt.get_unverified_header(signed)
    assert header["alg"] == "RS256" and header["kid"]

    # The choice is used up: the same page cannot sign another answer.
    again = browser.post(
        response.headers["location"],
        data={"csrf_token": form_token(page.text), "modules": ["asking-basics"]},
    )
    assert again.status_code == 409


def test_a_learner_follows_the_new_link_to_the_module(browser, platform):
    """The custom parameter the answer set is what the platform sends back on launch."""
    learner = Person("lms-user-9", [LEARNER])
    response, _ = launch(browser, platform, learner, module="second-module")
    assert response.headers["location"] == "/modules/second-module"


def test_choosing_nothing_asks_again(browser, platform):
    location = choose(browser, platform).headers["location"]
    page = browser.get(location)
    response = browser.post(location, data={"csrf_token": form_token(page.text)})
    assert response.status_code == 422
    assert "Choose at least one module." in response.text


def test_a_learner_cannot_add_modules_and_nobody_else_can_use_the_choice(
    app, browser, platform, make_user
):
    response, _ = launch(browser, platform, Person("lms-user-9", [LEARNER]), deep_link=True)
    assert response.status_code == 403
    assert "instructors can add Askwell" in response.text

    location = choose(browser, platform).headers["location"]
    from app.models.users import Role
    from tests.conftest import api_login

    with TestClient(app, base_url=TOOL) as other:
        api_login(other, make_user(Role.trainer))
        assert other.get(location).status_code == 409

"""Malformed input to every JSON API operation, as each role: never a 5xx, never a response
that breaks the API's own published schema.

schemathesis generates the requests from /api/openapi.json and sends them to the app in
process (ASGI, no network). The run is derandomized with a fixed number of examples per
operation, so it is the same every time and stays short.
"""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from app.main import create_app
from app.models.users import Role
from tests.conftest import TEST_PASSWORD, make_settings

# Really commits: one app for the whole module, fuzzed through many requests.
pytestmark = pytest.mark.commits

EXAMPLES_PER_OPERATION = 6
# Signing out or erasing oneself ends the session the rest of the examples use.
SESSION_ENDING = {
    ("POST", "/api/v1/auth/logout"),
    ("DELETE", "/api/v1/me"),
    ("PUT", "/api/v1/me/password"),
    ("POST", "/api/v1/auth/login"),
}


@pytest.fixture(scope="module")
def fuzzed_app(database_url):
    """The app on the test database, with a sign-in limit the generated logins cannot reach
    (they all come from one test client address)."""
    return create_app(make_settings(database_url, login_attempts_per_minute=1_000_000))


@pytest.fixture(scope="module")
def api_schema(fuzzed_app):
    return schemathesis.openapi.from_asgi("/api/openapi.json", fuzzed_app)


class Sessions:
    """One signed-in account per role, signed in again after an example ended its session."""

    def __init__(self, app, make_user) -> None:
        self.app = app
        self.make_user = make_user
        self.current: dict[str, dict] = {}

    def of(self, role: str) -> dict:
        if role not in self.current:
            from fastapi.testclient import TestClient

            account = self.make_user(Role(role))
            with TestClient(self.app, base_url="http://testserver") as client:
                response = client.post(
                    "/api/v1/auth/login", json={"email": account.email, "password": TEST_PASSWORD}
                )
                assert response.status_code == 200, response.text
                self.current[role] = {
                    "headers": {"X-CSRF-Token": response.json()["csrf_token"]},
                    "cookies": dict(client.cookies.items()),
                }
        return self.current[role]

    def forget(self, role: str) -> None:
        self.current.pop(role, None)


@pytest.fixture
def sessions(fuzzed_app, make_user) -> Sessions:
    return Sessions(fuzzed_app, make_user)


def api_operations(api_schema) -> list:
    operations = []
    for result in api_schema.include(path_regex="^/api/").get_all_operations():
        operations.append(result.ok())
    return operations


def test_no_operation_answers_5xx_or_breaks_its_schema(api_schema, sessions):
    """Each generated request is sent once as each role, with that role's cookie and token;
    every operation is run, and every failing one is named at the end."""
    failures: dict[str, str] = {}
    operations = api_operations(api_schema)
    assert len(operations) > 30

    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(
            max_examples=EXAMPLES_PER_OPERATION,
            derandomize=True,
            deadline=None,
            database=None,
            phases=[Phase.explicit, Phase.generate],
            suppress_health_check=list(HealthCheck),
            report_multiple_bugs=False,
        )
        def each_role_gets_a_sound_answer(case) -> None:
            for role in Role:
                signed_in = sessions.of(role.value)
                case.call_and_validate(
                    headers=signed_in["headers"],
                    cookies=signed_in["cookies"],
                    checks=[not_a_server_error, response_schema_conformance],
                )
                if (case.method.upper(), case.path) in SESSION_ENDING:
                    sessions.forget(role.value)

        try:
            each_role_gets_a_sound_answer()
        except (AssertionError, Exception, BaseExceptionGroup) as failure:
            failures[operation.label] = str(failure)[:2000]
    assert not failures, "\n\n".join(f"{label}:\n{text}" for label, text in failures.items())

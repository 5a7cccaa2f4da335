"""`askwell check-deploy`: an operator learns every unsafe production setting before going live."""

from __future__ import annotations

import os

import pytest
from typer.testing import CliRunner

from app.cli import cli

runner = CliRunner()

GOOD_PRODUCTION = {
    "ASKWELL_ENV": "production",
    "ASKWELL_SECRET_KEY": "Zq3" * 20,
    "ASKWELL_BASE_URL": "https://askwell.example.org",
    "ASKWELL_TRUSTED_PROXIES": "10.0.0.5",
    "ASKWELL_PASSWORD_HASH_PROFILE": "standard",
}


@pytest.fixture
def environment(monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    """Only the variables a test sets: the machine's own ASKWELL_* never leak in."""
    for name in list(os.environ):
        if name.startswith("ASKWELL_"):
            monkeypatch.delenv(name)
    return monkeypatch


def run_with(environment: pytest.MonkeyPatch, **variables: str) -> tuple[int, str]:
    for name, value in variables.items():
        environment.setenv(name, value)
    result = runner.invoke(cli, ["check-deploy"])
    return result.exit_code, result.output


def test_a_good_production_configuration_passes_with_what_was_checked(environment):
    code, output = run_with(environment, **GOOD_PRODUCTION)
    assert code == 0, output
    assert "Safe to deploy" in output
    assert "Secure cookies" in output
    assert "https://askwell.example.org" in output


def test_development_defaults_fail_listing_every_problem(environment):
    code, output = run_with(environment)
    assert code == 1
    assert "Not safe to deploy" in output
    for problem in (
        "development (debug) mode",
        "API documentation",
        "without Secure",
        "development default",
        "ASKWELL_BASE_URL is not set",
    ):
        assert problem in output


@pytest.mark.parametrize(
    ("variable", "value", "problem"),
    [
        ("ASKWELL_SECRET_KEY", "short-key", "use at least 32"),
        ("ASKWELL_PASSWORD_HASH_PROFILE", "fast", "for tests only"),
        ("ASKWELL_SQL_ECHO", "true", "ASKWELL_SQL_ECHO is on"),
        ("ASKWELL_DEBUG", "1", "ASKWELL_DEBUG is on"),
        ("ASKWELL_BASE_URL", "http://askwell.example.org", "does not start with https://"),
        ("ASKWELL_TRUSTED_PROXIES", "*", "trusts any address"),
        ("ASKWELL_TRUSTED_PROXIES", "10.0.0.5, 0.0.0.0/0", "trusts any address"),
    ],
)
def test_one_unsafe_production_setting_fails_and_is_named(environment, variable, value, problem):
    code, output = run_with(environment, **{**GOOD_PRODUCTION, variable: value})
    assert code == 1
    assert problem in output
    assert output.count("\n  - ") == 1, output

"""Co-designers give an age band, never a date of birth, when their account is made."""

from __future__ import annotations

import pytest
from sqlmodel import select
from typer.testing import CliRunner

from app.cli import cli
from app.models.users import User
from tests.conftest import FIXTURE_MODULES

# Really commits: the command line opens the database itself.
pytestmark = pytest.mark.commits

runner = CliRunner()


@pytest.fixture
def env(database_url, monkeypatch):
    monkeypatch.setenv("ASKWELL_DATABASE_URL", database_url)
    monkeypatch.setenv("ASKWELL_MODULES_DIR", str(FIXTURE_MODULES))
    monkeypatch.setenv("ASKWELL_PASSWORD_HASH_PROFILE", "fast")
    monkeypatch.delenv("ASKWELL_ENV", raising=False)


def create(*extra: str):
    return runner.invoke(
        cli,
        ["users", "create", "--email", "yp@example.org", "--name", "Young Person", *extra]
        + ["--password-stdin"],
        input="a-long-enough-password\n",
    )


@pytest.mark.usefixtures("env")
def test_a_codesigner_needs_an_age_band(rows):
    refused = create("--role", "codesigner")
    assert refused.exit_code == 1 and "age band" in refused.output
    created = create("--role", "codesigner", "--age-band", "16-17")
    assert created.exit_code == 0, created.output
    assert rows(select(User.age_band).where(User.email == "yp@example.org")) == ["16-17"]


@pytest.mark.usefixtures("env")
def test_only_the_two_bands_are_accepted():
    assert create("--role", "codesigner", "--age-band", "2008-01-01").exit_code != 0


@pytest.mark.usefixtures("env")
def test_other_roles_need_no_age_band(rows):
    assert create("--role", "practitioner").exit_code == 0
    assert rows(select(User.age_band).where(User.email == "yp@example.org")) == [None]


def test_there_is_no_date_of_birth_anywhere_in_the_schema():
    assert not any("birth" in column.name for column in User.__table__.columns)

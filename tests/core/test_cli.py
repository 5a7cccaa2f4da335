"""The askwell command as an operator uses it."""

from __future__ import annotations

import re

import pytest
from sqlmodel import select
from typer.testing import CliRunner

from app.auth.passwords import PasswordHashProfile, Passwords
from app.cli import cli
from app.models.progress import Completion, SectionProgress
from app.models.reflections import Reflection
from app.models.users import Role, User, UserRole
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
    return monkeypatch


@pytest.mark.usefixtures("env")
def test_users_create_reads_the_password_from_stdin_and_takes_several_roles(rows):
    result = runner.invoke(
        cli,
        [
            "users",
            "create",
            "--email",
            "Lead@Trust.example.org",
            "--name",
            "Clinical Lead",
            "--role",
            "trainer",
            "--role",
            "practitioner",
            "--password-stdin",
        ],
        input="a-long-enough-password\n",
    )
    assert result.exit_code == 0, result.output
    assert "Created lead@trust.example.org (practitioner, trainer)" in result.output
    user = rows(select(User).where(User.email == "lead@trust.example.org"))[0]
    assert user.password_hash.startswith("$argon2id$")
    assert {r.role for r in rows(select(UserRole).where(UserRole.user_id == user.id))} == {
        "trainer",
        "practitioner",
    }


@pytest.mark.usefixtures("env")
def test_users_create_explains_bad_input_without_a_traceback():
    short = runner.invoke(
        cli,
        [
            "users",
            "create",
            "--email",
            "a@b.org",
            "--name",
            "A",
            "--role",
            "trainer",
            "--password-stdin",
        ],
        input="short\n",
    )
    assert short.exit_code == 1
    assert "at least 10 characters" in short.output
    bad_role = runner.invoke(
        cli,
        [
            "users",
            "create",
            "--email",
            "a@b.org",
            "--name",
            "A",
            "--role",
            "boss",
            "--password-stdin",
        ],
        input="x" * 12,
    )
    assert bad_role.exit_code == 2
    assert "Traceback" not in short.output + bad_role.output


@pytest.mark.usefixtures("env")
def test_users_create_prompts_for_the_password_twice():
    result = runner.invoke(
        cli,
        ["users", "create", "--email", "p@b.org", "--name", "P", "--role", "practitioner"],
        input="a-long-enough-password\na-long-enough-password\n",
    )
    assert result.exit_code == 0, result.output


@pytest.mark.usefixtures("env")
def test_demo_creates_one_account_per_role_and_can_run_again(rows):
    first = runner.invoke(cli, ["demo"])
    assert first.exit_code == 0, first.output
    for role in ("practitioner", "codesigner", "trainer", "admin"):
        assert f"{role}@askwell.test" in first.output
    second = runner.invoke(cli, ["demo"])
    assert second.exit_code == 0, second.output
    assert len(rows(select(User))) == 4
    practitioner = rows(select(User).where(User.email == "practitioner@askwell.test"))[0]
    mine = SectionProgress.user_id == practitioner.id
    # Two sections of the first module, and the second module (one section) completed
    # a while ago so Refresh has something to show: none of it doubled by the second run.
    assert len(rows(select(SectionProgress).where(mine))) == 3
    assert len(rows(select(Completion).where(Completion.user_id == practitioner.id))) == 1
    assert len(rows(select(Reflection))) == 1


def test_demo_and_serve_refuse_production_without_a_proper_key(env):
    env.setenv("ASKWELL_ENV", "production")
    env.setenv("ASKWELL_PASSWORD_HASH_PROFILE", "standard")
    served = runner.invoke(cli, ["serve"])
    assert served.exit_code == 2
    assert "ASKWELL_SECRET_KEY" in served.output
    env.setenv("ASKWELL_SECRET_KEY", "k" * 48)
    env.setenv("ASKWELL_BASE_URL", "https://askwell.example.org")
    demo = runner.invoke(cli, ["demo"])
    assert demo.exit_code == 2
    assert "never created in production" in demo.output


def test_content_check_exit_codes(tmp_path):
    good = runner.invoke(cli, ["content", "check", str(FIXTURE_MODULES)])
    assert good.exit_code == 0, good.output
    broken = tmp_path / "modules"
    broken.mkdir()
    (broken / "oops.md").write_text("---\nslug: oops\ntitle: [unclosed\n---\n## A\ntext\n")
    bad = runner.invoke(cli, ["content", "check", str(broken)])
    assert bad.exit_code == 1
    assert "oops.md:" in bad.output


def test_serve_refuses_a_database_that_is_behind(env, fresh_database_url):
    from app.core.migrations import upgrade

    upgrade(fresh_database_url, "0001")
    env.setenv("ASKWELL_DATABASE_URL", fresh_database_url)
    result = runner.invoke(cli, ["serve"])
    assert result.exit_code == 2
    assert "behind this version of Askwell" in result.output
    assert "askwell db upgrade" in result.output


@pytest.mark.usefixtures("env")
def test_users_set_password_lets_a_locked_out_admin_back_in(make_user, rows):
    admin = make_user(Role.admin)
    result = runner.invoke(
        cli,
        ["users", "set-password", "--email", admin.email.upper(), "--password-stdin"],
        input="a-fresh-long-password\n",
    )
    assert result.exit_code == 0, result.output
    assert f"Password set for {admin.email}" in result.output
    user = rows(select(User).where(User.email == admin.email))[0]
    assert Passwords(PasswordHashProfile.fast).verify(user.password_hash, "a-fresh-long-password")
    unknown = runner.invoke(
        cli,
        ["users", "set-password", "--email", "nobody@trust.nhs.uk", "--password-stdin"],
        input="a-fresh-long-password\n",
    )
    assert unknown.exit_code == 1 and "No account uses nobody@trust.nhs.uk" in unknown.output


def broken_modules(tmp_path):
    """The test modules plus one whose front matter is not valid YAML (line 3)."""
    import shutil

    modules = tmp_path / "modules"
    shutil.copytree(FIXTURE_MODULES, modules)
    (modules / "oops.md").write_text("---\nslug: oops\ntitle: [unclosed\n---\n## A\ntext\n")
    return modules


def test_serve_refuses_to_start_with_a_malformed_module_and_says_where(env, tmp_path):
    env.setenv("ASKWELL_MODULES_DIR", str(broken_modules(tmp_path)))
    result = runner.invoke(cli, ["serve"])
    assert result.exit_code == 2
    assert re.search(r"Refusing to start: 1 content error\(s\):\n\S*oops\.md:3: ", result.output)
    assert "askwell content check" in result.output
    assert "Traceback" not in result.output


def test_the_app_is_not_built_from_a_malformed_module(database_url, tmp_path):
    from app.content import ContentError
    from app.main import create_app
    from tests.conftest import make_settings

    with pytest.raises(ContentError, match=r"oops\.md:3: front matter is not valid YAML"):
        create_app(make_settings(database_url, modules_dir=broken_modules(tmp_path)))

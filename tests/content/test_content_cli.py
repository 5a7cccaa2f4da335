"""`askwell content check DIR`: what authors see and the exit code CI relies on."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
import time_machine
from typer.testing import CliRunner

from app.content.cli import content_app

runner = CliRunner()
REPO_ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.usefixtures("modules_dir")
def test_valid_content_exits_zero(add_sample) -> None:
    add_sample("valid/how-to-ask.md")
    add_sample("valid/apps/chatterbox.md")
    result = runner.invoke(content_app, ["check", "modules"])
    assert result.exit_code == 0, result.output
    assert result.output == "Checked 2 files in modules: no problems.\n"


@pytest.mark.usefixtures("modules_dir")
def test_errors_are_printed_and_exit_one(add_sample) -> None:
    add_sample("broken/unknown-key.md")
    add_sample("broken/option-without-feedback.md")
    result = runner.invoke(content_app, ["check", "modules"])
    assert result.exit_code == 1
    assert result.output.splitlines() == [
        "modules/option-without-feedback.md:31: option b of question `q1` has no feedback",
        "modules/unknown-key.md:6: unknown front-matter key `colour`",
        "Checked 2 files in modules: 2 errors, 0 warnings.",
    ]


@time_machine.travel("2026-11-26 12:00", tick=False)
@pytest.mark.usefixtures("modules_dir")
def test_a_card_past_review_is_a_warning_and_exits_zero(add_sample) -> None:
    add_sample("broken/apps/app-past-review.md")
    result = runner.invoke(content_app, ["check", "modules"])
    assert result.exit_code == 0
    assert result.output.splitlines() == [
        "modules/apps/app-past-review.md:13: warning: review_by 2026-11-01 has passed: "
        "check the card against its sources, then update last_reviewed and review_by",
        "Checked 1 file in modules: 0 errors, 1 warning.",
    ]


@pytest.mark.usefixtures("modules_dir")
def test_dir_defaults_to_modules(add_sample) -> None:
    add_sample("broken/missing-key.md")
    result = runner.invoke(content_app, ["check"])
    assert result.exit_code == 1
    assert "modules/missing-key.md:1: missing required front-matter key `summary`" in result.output


def test_a_missing_dir_exits_one(tmp_path: Path) -> None:
    result = runner.invoke(content_app, ["check", str(tmp_path / "nowhere")])
    assert result.exit_code == 1
    assert "not a directory" in result.output


@pytest.mark.usefixtures("modules_dir")
def test_python_dash_m_runs_the_checker(add_sample) -> None:
    add_sample("broken/unknown-key.md")
    completed = subprocess.run(  # noqa: S603 - fixed arguments, our own interpreter
        [sys.executable, "-m", "app.content", "check", "modules"],
        capture_output=True,
        text=True,
        env={"PYTHONPATH": str(REPO_ROOT)},
        check=False,
    )
    assert completed.returncode == 1, completed.stderr
    assert "modules/unknown-key.md:6: unknown front-matter key `colour`" in completed.stdout

"""``askwell export scorm`` as an operator uses it."""

from __future__ import annotations

import pytest
from sqlmodel import select
from typer.testing import CliRunner

from app.cli import cli
from app.models.audit import AuditEvent
from tests.conftest import FIXTURE_MODULES
from tests.scorm.conftest import read_xml, scorm_12_schema, unzip

# Really commits: the command line opens the database itself.
pytestmark = pytest.mark.commits

runner = CliRunner()


@pytest.fixture
def env(database_url, monkeypatch):
    monkeypatch.setenv("ASKWELL_DATABASE_URL", database_url)
    monkeypatch.setenv("ASKWELL_MODULES_DIR", str(FIXTURE_MODULES))
    monkeypatch.delenv("ASKWELL_ENV", raising=False)
    return monkeypatch


@pytest.mark.usefixtures("env")
def test_export_scorm_writes_a_valid_package_stamped_with_the_version(tmp_path, app, rows):
    version = app.state.content.get("asking-basics").version
    target = tmp_path / "asking.zip"
    result = runner.invoke(
        cli, ["export", "scorm", "asking-basics", "--version", str(version), "-o", str(target)]
    )
    assert result.exit_code == 0, result.output
    assert f"version {version}" in result.output
    assert "frozen copy" in result.output
    manifest = read_xml(unzip(target.read_bytes())["imsmanifest.xml"])
    assert manifest.get("identifier") == f"askwell-asking-basics-v{version}"
    assert scorm_12_schema().validate(manifest)
    exports = rows(select(AuditEvent).where(AuditEvent.action == "module.export_scorm"))
    assert [(event.actor_id, event.target_id) for event in exports] == [(None, "asking-basics")]


@pytest.mark.usefixtures("env")
@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["no-such-module"], "not a module Askwell has"),
        (["asking-basics", "--version", "1"], "can be exported"),
    ],
)
def test_an_unknown_slug_or_version_is_refused_in_a_sentence_and_nothing_written(
    tmp_path, arguments, message
):
    target = tmp_path / "package.zip"
    result = runner.invoke(cli, ["export", "scorm", *arguments, "-o", str(target)])
    assert result.exit_code == 1
    assert message in result.output
    assert "Traceback" not in result.output
    assert not target.exists()


@pytest.mark.usefixtures("env")
def test_a_file_that_cannot_be_written_is_said_plainly(tmp_path):
    (tmp_path / "taken.zip").mkdir()
    result = runner.invoke(
        cli, ["export", "scorm", "asking-basics", "-o", str(tmp_path / "taken.zip")]
    )
    assert result.exit_code != 0
    assert "Traceback" not in result.output

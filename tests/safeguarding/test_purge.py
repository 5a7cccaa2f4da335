"""`askwell safeguarding purge` removes records followed up longer ago than the retention
period, and never an open one or a recent one."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import select
from typer.testing import CliRunner

from app.cli import cli
from app.core.db import session_scope
from app.models.base import utcnow
from app.models.safeguarding import SafeguardingRecord
from tests.conftest import FIXTURE_MODULES

# Really commits: the command line opens the database itself.
pytestmark = pytest.mark.commits

runner = CliRunner()


def keep(app, **fields) -> None:
    with session_scope(app.state.engine) as session:
        session.add(
            SafeguardingRecord(
                name="Young Person",
                email="yp@example.org",
                age_band="18-24",
                reasons="Words about not being able to cope now",
                sentences=[{"text": "I can't cope any more", "typed_in": "scenario_draft"}],
                **fields,
            )
        )


def test_purge_removes_only_records_resolved_before_the_retention_period(
    app, rows, database_url, monkeypatch
):
    monkeypatch.setenv("ASKWELL_DATABASE_URL", database_url)
    monkeypatch.setenv("ASKWELL_MODULES_DIR", str(FIXTURE_MODULES))
    monkeypatch.setenv("ASKWELL_SAFEGUARDING_RETENTION_DAYS", "30")
    monkeypatch.delenv("ASKWELL_ENV", raising=False)
    now = utcnow()
    keep(app, raised_at=now - timedelta(days=400), resolution_note="long ago")
    keep(
        app,
        raised_at=now - timedelta(days=400),
        resolved_at=now - timedelta(days=31),
        resolution_note="resolved 31 days ago",
    )
    keep(
        app,
        raised_at=now - timedelta(days=60),
        resolved_at=now - timedelta(days=29),
        resolution_note="resolved 29 days ago",
    )

    result = runner.invoke(cli, ["safeguarding", "purge"])

    assert result.exit_code == 0, result.output
    assert "Deleted 1 safeguarding record followed up more than 30 days ago." in result.output
    left = {record.resolution_note for record in rows(select(SafeguardingRecord))}
    assert left == {"long ago", "resolved 29 days ago"}
    again = runner.invoke(cli, ["safeguarding", "purge"])
    assert "Deleted 0 safeguarding records" in again.output


def test_the_default_retention_period_is_six_years(monkeypatch):
    from app.core.config import Settings

    monkeypatch.delenv("ASKWELL_SAFEGUARDING_RETENTION_DAYS", raising=False)
    assert Settings().safeguarding_retention_days == 6 * 365

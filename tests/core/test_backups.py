"""`askwell db backup` while people write, and `askwell db restore`: every write
acknowledged before the backup began is in the restored database."""

from __future__ import annotations

import shutil
import sqlite3
import threading
import time
from pathlib import Path

import httpx2 as httpx
import pytest
from sqlmodel import select
from typer.testing import CliRunner

from app.cli import cli
from app.core.db import make_engine, session_scope
from app.main import create_app
from app.models.cohorts import Cohort
from app.models.users import Role
from tests.conftest import FIXTURE_MODULES, make_settings, require_postgres
from tests.live_server import serve_in_thread

# Really commits: backups copy what is committed.
pytestmark = pytest.mark.commits

WRITERS = 20
runner = CliRunner()


@pytest.fixture
def backend(request: pytest.FixtureRequest) -> str:
    name = request.config.getoption("--db")
    if name == "postgresql" and not (shutil.which("pg_dump") and shutil.which("pg_restore")):
        message = "pg_dump and pg_restore are not installed (apt-get install postgresql-client)"
        if require_postgres():
            pytest.fail(message)
        pytest.skip(message)
    return name


@pytest.fixture
def askwell_env(monkeypatch):
    monkeypatch.setenv("ASKWELL_MODULES_DIR", str(FIXTURE_MODULES))
    monkeypatch.setenv("ASKWELL_PASSWORD_HASH_PROFILE", "fast")
    monkeypatch.delenv("ASKWELL_ENV", raising=False)
    return monkeypatch


def askwell(env, database_url: str, *arguments: str):
    env.setenv("ASKWELL_DATABASE_URL", database_url)
    return runner.invoke(cli, list(arguments))


class Writer(threading.Thread):
    """One trainer creating cohorts through the API as fast as the server answers, noting
    when each was acknowledged."""

    def __init__(self, base_url: str, number: int, email: str, password: str) -> None:
        super().__init__(daemon=True)
        self.client = httpx.Client(base_url=base_url, timeout=30)
        self.number = number
        signed_in = self.client.post(
            "/api/v1/auth/login", json={"email": email, "password": password}
        )
        assert signed_in.status_code == 200, signed_in.text
        self.client.headers["X-CSRF-Token"] = signed_in.json()["csrf_token"]
        self.acknowledged: list[tuple[str, float]] = []
        self.refused: list[int] = []
        self.stop = threading.Event()

    def run(self) -> None:
        count = 0
        while not self.stop.is_set():
            count += 1
            name = f"Cohort {self.number}-{count}"
            response = self.client.post("/api/v1/cohorts", json={"name": name})
            if response.status_code == 201:
                self.acknowledged.append((name, time.monotonic()))
            else:
                self.refused.append(response.status_code)
        self.client.close()


@pytest.mark.usefixtures("backend")
def test_a_backup_under_twenty_writers_restores_every_acknowledged_write(
    database_url, fresh_database_url, make_user, askwell_env, tmp_path
):
    app = create_app(make_settings(database_url, login_attempts_per_minute=1000))
    trainers = [make_user(Role.trainer) for _ in range(WRITERS)]
    backup_file = tmp_path / "askwell.backup"
    try:
        with serve_in_thread(app) as base_url:
            writers = [
                Writer(base_url, number, account.email, account.password)
                for number, account in enumerate(trainers, start=1)
            ]
            for writer in writers:
                writer.start()
            deadline = time.monotonic() + 20
            while sum(len(w.acknowledged) for w in writers) < 3 * WRITERS:
                assert time.monotonic() < deadline, "the writers are not getting through"
                time.sleep(0.05)

            began = time.monotonic()
            made = askwell(askwell_env, database_url, "db", "backup", str(backup_file))
            ended = time.monotonic()
            time.sleep(0.3)  # people keep writing after it, too
            for writer in writers:
                writer.stop.set()
            for writer in writers:
                writer.join(timeout=30)
    finally:
        app.state.engine.dispose()

    assert made.exit_code == 0, made.output
    assert f"Backed up the database to {backup_file}" in made.output
    before = {name for w in writers for name, when in w.acknowledged if when < began}
    after = {name for w in writers for name, when in w.acknowledged if when > ended}
    assert len(before) >= 3 * WRITERS and after, "the backup was not taken among writes"
    assert {code for w in writers for code in w.refused} <= {503}, "a write failed otherwise"
    assert backup_file.stat().st_mode & 0o077 == 0, "a backup is readable by its owner only"

    restored = askwell(askwell_env, fresh_database_url, "db", "restore", str(backup_file), "--yes")
    assert restored.exit_code == 0, restored.output
    engine = make_engine(fresh_database_url)
    try:
        with session_scope(engine, write=False) as session:
            names = set(session.exec(select(Cohort.name)).all())
    finally:
        engine.dispose()
    assert before - names == set(), f"{len(before - names)} acknowledged writes are missing"


@pytest.mark.usefixtures("backend")
def test_restore_refuses_a_database_askwell_has_open_and_backup_never_overwrites(
    app, database_url, askwell_env, tmp_path
):
    """The running app (the test's own) has the database open: restoring under it would
    leave it serving what it built from the old data, so that takes --force."""
    backup_file = tmp_path / "askwell.backup"
    assert askwell(askwell_env, database_url, "db", "backup", str(backup_file)).exit_code == 0
    again = askwell(askwell_env, database_url, "db", "backup", str(backup_file))
    assert again.exit_code == 1 and "already exists" in again.output

    with app.state.engine.connect():  # Askwell is running and has the database open
        refused = askwell(askwell_env, database_url, "db", "restore", str(backup_file), "--yes")
    assert refused.exit_code == 1
    assert "Nothing restored" in refused.output and "--force" in refused.output


def test_restore_refuses_a_file_that_is_not_an_askwell_backup(
    backend, fresh_database_url, askwell_env, tmp_path
):
    stray = tmp_path / "notes.db"
    if backend == "sqlite":
        sqlite3.connect(stray).execute("CREATE TABLE notes (text)").connection.close()
    else:
        stray.write_text("not an archive")
    result = askwell(askwell_env, fresh_database_url, "db", "restore", str(stray), "--yes")
    assert result.exit_code == 1
    assert "Nothing restored" in result.output


def test_backup_says_plainly_when_pg_dump_is_missing(
    request, database_url, askwell_env, tmp_path, monkeypatch
):
    if request.config.getoption("--db") != "postgresql":
        pytest.skip("pg_dump backs up PostgreSQL only")
    monkeypatch.setenv("PATH", str(tmp_path))  # nowhere with pg_dump in it
    result = askwell(askwell_env, database_url, "db", "backup", str(tmp_path / "b.dump"))
    assert result.exit_code == 1
    assert "pg_dump was not found" in result.output and "postgresql-client" in result.output
    assert not list(Path(tmp_path).glob("*.partial")), "no half-written file is left"


def test_pg_dump_gets_the_password_in_its_environment_not_its_command_line(
    askwell_env, tmp_path, monkeypatch
):
    """Anyone on the machine can read a process's arguments (ps); only its owner its
    environment. A stand-in pg_dump records what it was given."""
    seen = tmp_path / "seen.txt"
    fake = tmp_path / "bin" / "pg_dump"
    fake.parent.mkdir()
    fake.write_text(
        "#!/bin/sh\n"
        f'echo "$@" > {seen}\n'
        f'echo "password=$PGPASSWORD" >> {seen}\n'
        'for a in "$@"; do case "$a" in --file=*) echo dump > "${a#--file=}";; esac; done\n'
    )
    fake.chmod(0o755)
    monkeypatch.setenv("PATH", f"{fake.parent}:/usr/bin:/bin")
    url = "postgresql+psycopg://askwell:s3cret%40pw@db.example:5432/askwell?connect_timeout=5"
    result = askwell(askwell_env, url, "db", "backup", str(tmp_path / "askwell.dump"))
    assert result.exit_code == 0, result.output
    arguments, environment = seen.read_text().splitlines()
    assert "s3cret" not in arguments
    assert "--dbname=postgresql://askwell@db.example:5432/askwell?connect_timeout=5" in arguments
    assert "--format=custom" in arguments
    assert environment == "password=s3cret@pw"

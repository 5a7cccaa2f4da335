"""Backing the database up while Askwell serves, and putting a backup back.

SQLite is copied with its online backup API, one step inside one read transaction: a
consistent snapshot that writers (in WAL mode) never wait for. PostgreSQL is dumped with
``pg_dump`` in its custom format (itself one consistent snapshot) and restored with
``pg_restore --clean --if-exists`` in a single transaction, so a restore that fails leaves
the database as it was.

A restore replaces everything, so it refuses while anything else has the database open (a
running Askwell would go on serving pages built from the old data) unless forced.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess  # noqa: S404  # nosec B404 - pg_dump/pg_restore, an argument list, no shell
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.engine import URL, make_url

BACKUP_FILE_MODE = 0o600  # a backup holds young people's words: readable by its owner only
SQLITE_LOCK_WAIT_SECONDS = 5.0
PG_CLIENT_HINT = (
    "Install the PostgreSQL client tools of your server's major version or newer "
    "(Debian/Ubuntu: apt-get install postgresql-client) and make sure {tool} is on PATH."
)


class BackupError(RuntimeError):
    """A backup or restore that did not happen, with what to do about it in plain words."""


@dataclass(frozen=True)
class Outcome:
    path: Path
    size_bytes: int
    revision: str | None  # the schema (alembic) revision the backup holds


def backup(database_url: str, path: Path) -> Outcome:
    """Write a backup of the database to ``path``, which must not exist yet."""
    url = make_url(database_url)
    if path.exists():
        raise BackupError(f"{path} already exists: choose a new name (for example with the date).")
    if not path.parent.is_dir():
        raise BackupError(f"{path.parent} is not a folder.")
    partial = path.with_name(f".{path.name}.partial")
    _create_private(partial)
    try:
        if url.get_backend_name() == "sqlite":
            _sqlite_backup(_sqlite_path(url), partial)
            revision = _sqlite_revision(partial)
        else:
            _pg_dump(url, partial)
            revision = None
        partial.replace(path)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    return Outcome(path, path.stat().st_size, revision)


def restore(database_url: str, path: Path, *, force: bool = False) -> Outcome:
    """Replace everything in the database with the backup at ``path``."""
    url = make_url(database_url)
    if not path.is_file():
        raise BackupError(f"{path} is not a file.")
    if url.get_backend_name() == "sqlite":
        revision = _sqlite_revision(path)
        _sqlite_restore(path, _sqlite_path(url), force=force)
    else:
        _pg_check_archive(path)
        if not force:
            _pg_refuse_if_in_use(url)
        _pg_restore(url, path)
        revision = None
    return Outcome(path, path.stat().st_size, revision)


# SQLite ------------------------------------------------------------------------------------


def _sqlite_path(url: URL) -> Path:
    if not url.database or url.database == ":memory:":
        raise BackupError("An in-memory SQLite database cannot be backed up or restored.")
    return Path(url.database)


def _create_private(path: Path) -> None:
    """An empty file only its owner can read, before anything is written into it."""
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, BACKUP_FILE_MODE)
    os.close(descriptor)


def _sqlite_backup(source: Path, target: Path) -> None:
    if not source.is_file():
        raise BackupError(f"There is no database at {source}.")
    reading = sqlite3.connect(f"file:{source}?mode=ro", uri=True, timeout=SQLITE_LOCK_WAIT_SECONDS)
    writing = sqlite3.connect(target)
    try:
        # pages=-1: every page in one step, under one read transaction, so the copy is one
        # moment's database however many people write meanwhile.
        reading.backup(writing, pages=-1)
        # One self-contained file, readable without the -wal and -shm files WAL mode needs.
        writing.execute("PRAGMA journal_mode=DELETE")
        _sqlite_check(writing, target)
    except sqlite3.Error as error:
        raise BackupError(f"The backup did not complete: {error}.") from error
    finally:
        writing.close()
        reading.close()


def _sqlite_check(connection: sqlite3.Connection, path: Path) -> None:
    (verdict,) = connection.execute("PRAGMA quick_check").fetchone()
    if verdict != "ok":
        raise BackupError(f"{path} failed SQLite's integrity check: {verdict}.")


def _sqlite_revision(path: Path) -> str:
    """The schema revision in a SQLite backup; refuses a file that is not an Askwell database."""
    try:
        connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    except sqlite3.Error as error:
        raise BackupError(f"{path} cannot be read as a SQLite database: {error}.") from error
    try:
        _sqlite_check(connection, path)
        row = connection.execute("SELECT version_num FROM alembic_version").fetchone()
    except sqlite3.Error as error:
        raise BackupError(f"{path} is not an Askwell backup: {error}.") from error
    finally:
        connection.close()
    if row is None:
        raise BackupError(f"{path} is not an Askwell backup: it has no schema revision.")
    return str(row[0])


def _sqlite_restore(backup_file: Path, database: Path, *, force: bool) -> None:
    database.parent.mkdir(parents=True, exist_ok=True)
    target = sqlite3.connect(database, timeout=SQLITE_LOCK_WAIT_SECONDS)
    source = sqlite3.connect(f"file:{backup_file}?mode=ro", uri=True)
    try:
        if not force:
            _sqlite_refuse_if_in_use(target, database)
        # The backup API writes every page into the live file under its write lock, so a
        # reader sees the old database or the restored one, never half of each.
        source.backup(target, pages=-1)
        _sqlite_check(target, database)
    except sqlite3.Error as error:
        raise BackupError(f"The restore did not complete: {error}.") from error
    finally:
        source.close()
        target.close()


def _sqlite_refuse_if_in_use(connection: sqlite3.Connection, database: Path) -> None:
    """In WAL mode every open connection holds a shared lock, even when idle, so an exclusive
    lock is granted only when nothing else (a running Askwell) has the file open."""
    connection.execute("PRAGMA locking_mode=EXCLUSIVE")
    try:
        connection.execute("BEGIN EXCLUSIVE")
    except sqlite3.OperationalError as error:
        raise BackupError(
            f"{database} is open in another program, probably a running Askwell: stop it "
            "first (or pass --force to restore under it, then restart it)."
        ) from error
    connection.execute("ROLLBACK")
    connection.execute("PRAGMA locking_mode=NORMAL")


# PostgreSQL --------------------------------------------------------------------------------


def _pg_tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        raise BackupError(f"{name} was not found. {PG_CLIENT_HINT.format(tool=name)}")
    return found


def _pg_target(url: URL) -> tuple[str, dict[str, str]]:
    """A libpq address without the password, which goes in the environment instead, where
    other users' ``ps`` cannot read it."""
    conninfo = URL.create(
        "postgresql",
        username=url.username,
        host=url.host,
        port=url.port,
        database=url.database,
        query=url.query,
    ).render_as_string(hide_password=False)
    environment = dict(os.environ)
    if url.password:
        environment["PGPASSWORD"] = str(url.password)
    return conninfo, environment


def _run(command: list[str], environment: dict[str, str], what: str) -> None:
    # A tool found on PATH by its fixed name, with arguments Askwell builds: no shell.
    finished = subprocess.run(  # noqa: S603  # nosec B603
        command, env=environment, capture_output=True, text=True, check=False
    )
    if finished.returncode != 0:
        words = " ".join(finished.stderr.split()) or f"exit status {finished.returncode}"
        raise BackupError(f"{what} failed: {words}")


def _pg_dump(url: URL, target: Path) -> None:
    conninfo, environment = _pg_target(url)
    _run(
        [_pg_tool("pg_dump"), "--format=custom", f"--file={target}", f"--dbname={conninfo}"],
        environment,
        "pg_dump",
    )


def _pg_check_archive(path: Path) -> None:
    _run([_pg_tool("pg_restore"), "--list", str(path)], dict(os.environ), "Reading the backup")


def _pg_refuse_if_in_use(url: URL) -> None:
    import psycopg

    conninfo, environment = _pg_target(url)
    try:
        with psycopg.connect(conninfo, password=environment.get("PGPASSWORD")) as connection:
            others = connection.execute(
                "SELECT count(*) FROM pg_stat_activity "
                "WHERE datname = current_database() AND pid <> pg_backend_pid()"
            ).fetchone()
    except psycopg.Error as error:
        raise BackupError(f"Cannot connect to the database: {error}".strip()) from error
    if others and others[0]:
        raise BackupError(
            f"{others[0]} other connection(s) have the database open, probably a running "
            "Askwell: stop it first (or pass --force to restore under it, then restart it)."
        )


def _pg_restore(url: URL, path: Path) -> None:
    conninfo, environment = _pg_target(url)
    _run(
        [
            _pg_tool("pg_restore"),
            "--clean",
            "--if-exists",
            "--single-transaction",
            "--no-owner",
            f"--dbname={conninfo}",
            str(path),
        ],
        environment,
        "pg_restore",
    )

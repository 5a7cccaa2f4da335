"""The database engine: SQLite by default (WAL, foreign keys, busy timeout), PostgreSQL when set."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlmodel import Session

SQLITE_BUSY_TIMEOUT_MS = 10_000
WRITE_OPTION = "askwell_write"


REQUEST_THREADS = 20
"""Threads a worker runs blocking request work on; each can hold one pooled connection."""


def make_engine(database_url: str, echo: bool = False) -> Engine:
    url = make_url(database_url)
    if url.get_backend_name() == "sqlite":
        return _make_sqlite_engine(database_url, echo)
    # A connection for every request thread, and room for the short side sessions some
    # requests open (a session touch, a security record), so no request waits on the pool.
    return create_engine(
        database_url,
        echo=echo,
        pool_pre_ping=True,
        pool_size=REQUEST_THREADS,
        max_overflow=REQUEST_THREADS // 2,
    )


def _make_sqlite_engine(database_url: str, echo: bool) -> Engine:
    url = make_url(database_url)
    if url.database and url.database != ":memory:":
        Path(url.database).parent.mkdir(parents=True, exist_ok=True)
    in_memory = not url.database or url.database == ":memory:"
    # Connections are opened (with their PRAGMAs) once and kept, never churned.
    pool_sizes = (
        {} if in_memory else {"pool_size": REQUEST_THREADS, "max_overflow": REQUEST_THREADS // 2}
    )
    engine = create_engine(
        database_url,
        echo=echo,
        connect_args={"check_same_thread": False, "timeout": SQLITE_BUSY_TIMEOUT_MS / 1000},
        **pool_sizes,
    )

    @event.listens_for(engine, "connect")
    def _configure_connection(dbapi_connection: Any, _record: Any) -> None:
        # Let SQLAlchemy, not the sqlite3 module, decide when transactions begin.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA synchronous=NORMAL")
        # Overwrite what a delete or an update frees, so withdrawn and erased words do not
        # survive in free pages of the database file.
        cursor.execute("PRAGMA secure_delete=ON")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _begin(connection: Any) -> None:
        # A writing request takes the write lock up front, so two concurrent
        # writers queue on the busy timeout instead of failing on lock upgrade.
        immediate = connection.get_execution_options().get(WRITE_OPTION, False)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")

    return engine


def open_session(engine: Engine, *, write: bool = False) -> Session:
    """A session for one request; ``write`` reserves SQLite's write lock at its first query."""
    bind = engine.execution_options(**{WRITE_OPTION: True}) if write else engine
    return Session(bind, expire_on_commit=False)


@contextmanager
def session_scope(engine: Engine, *, write: bool = True) -> Iterator[Session]:
    """A unit of work outside a request (CLI, seeding): commit on success, roll back on error."""
    session = open_session(engine, write=write)
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()


def _dialect_insert(session: Session) -> Any:
    if session.get_bind().dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    return insert


def insert_ignoring_duplicates(
    session: Session, table: Any, values: dict[str, Any], unique_columns: list[str]
) -> bool:
    """INSERT … ON CONFLICT DO NOTHING, so two concurrent requests never fail on a race.

    True when this call inserted the row: exactly one of two racing requests gets True.
    RETURNING says so on both databases (a driver's rowcount may not).
    """
    core_table = table.__table__
    statement = (
        _dialect_insert(session)(core_table)
        .values(**values)
        .on_conflict_do_nothing(index_elements=unique_columns)
        .returning(core_table.c[unique_columns[0]])
    )
    return session.execute(statement).first() is not None


def add_to_counters(
    session: Session, table: Any, key: dict[str, Any], increments: dict[str, int]
) -> None:
    """Create a row of counters or add to it, in one statement safe under concurrency."""
    columns = table.__table__.c
    insert = _dialect_insert(session)(table.__table__).values(**key, **increments)
    statement = insert.on_conflict_do_update(
        index_elements=list(key),
        set_={name: columns[name] + insert.excluded[name] for name in increments},
    )
    session.execute(statement)

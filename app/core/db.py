"""The database engine: SQLite by default (WAL, foreign keys, busy timeout), PostgreSQL when set."""

from __future__ import annotations

import sqlite3
import threading
import time
import weakref
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlmodel import Session

from app.core.config import sqlite_busy_timeout_ms
from app.core.errors import DatabaseBusy, is_sqlite_lock

# How long a writer waits for SQLite's lock before its request gets a 503 with Retry-After.
SQLITE_BUSY_TIMEOUT_MS = sqlite_busy_timeout_ms()
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
        # If the pool is ever exhausted, a request is refused with a 503 in seconds, not 30.
        pool_timeout=WRITE_LOCK_WAIT_SECONDS,
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

    writer = SqliteWriter()
    _WRITERS[engine] = writer

    @event.listens_for(engine, "begin")
    def _begin(connection: Any) -> None:
        # A writing request reads without a transaction (each read sees what is committed,
        # as on PostgreSQL) and takes the write lock only at its first write.
        if connection.get_execution_options().get(WRITE_OPTION, False):
            return
        connection.exec_driver_sql("BEGIN")

    @event.listens_for(engine, "before_cursor_execute")
    def _lock_before_first_write(connection: Any, cursor: Any, statement: str, *_args: Any) -> None:
        dbapi_connection = connection.connection.driver_connection
        if dbapi_connection.in_transaction or not connection.get_execution_options().get(
            WRITE_OPTION, False
        ):
            return
        if statement.lstrip()[:6].upper() in _READ_STATEMENTS:
            return
        writer.acquire(dbapi_connection)
        try:
            _begin_immediate(cursor)
        except BaseException:
            writer.release(dbapi_connection)
            raise

    @event.listens_for(engine, "commit")
    def _commit(connection: Any) -> None:
        # Committed here, so the lock is handed on the moment the write is durable; the
        # driver's own commit that follows has nothing left to do.
        dbapi_connection = connection.connection.driver_connection
        if dbapi_connection.in_transaction:
            dbapi_connection.execute("COMMIT")
        writer.release(dbapi_connection)

    @event.listens_for(engine, "rollback")
    def _rollback(connection: Any) -> None:
        dbapi_connection = connection.connection.driver_connection
        if dbapi_connection.in_transaction:
            dbapi_connection.execute("ROLLBACK")
        writer.release(dbapi_connection)

    @event.listens_for(engine.pool, "reset")
    def _reset(dbapi_connection: Any, *_args: Any) -> None:
        if dbapi_connection.in_transaction:
            dbapi_connection.rollback()
        writer.release(dbapi_connection)

    @event.listens_for(engine.pool, "invalidate")
    def _invalidated(dbapi_connection: Any, *_args: Any) -> None:
        writer.release(dbapi_connection)

    return engine


_READ_STATEMENTS = frozenset({"SELECT", "PRAGMA"})
_WRITERS: weakref.WeakKeyDictionary[Engine, SqliteWriter] = weakref.WeakKeyDictionary()


def sqlite_writer(engine: Engine) -> SqliteWriter | None:
    """The engine's queue of writers (SQLite only), for the tests that hold it."""
    return _WRITERS.get(engine)


WRITE_LOCK_WAIT_SECONDS = 5.0
"""How long a write waits for the others in its worker before it is refused with a 503."""


class SqliteWriter:
    """One writer at a time in each worker, handed over in order the moment it commits.

    SQLite lets one connection write at a time. Left to its busy handler, waiting writers
    sleep and retry in growing steps and the unlucky ones time out; here the threads of a
    worker queue on a lock instead, so only one of them at a time competes with the other
    workers, and a write that cannot start within ``WRITE_LOCK_WAIT_SECONDS`` is refused
    cleanly (nothing half-saved) rather than failing later.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._holder: int | None = None

    def acquire(self, dbapi_connection: Any) -> None:
        if not self._lock.acquire(timeout=WRITE_LOCK_WAIT_SECONDS):
            raise DatabaseBusy()
        self._holder = id(dbapi_connection)

    def release(self, dbapi_connection: Any) -> None:
        if self._holder is not None and self._holder == id(dbapi_connection):
            self._holder = None
            self._lock.release()


Bind = Engine | Connection
"""Where sessions come from: the app's engine, or (in the test suite) one connection whose
transaction is rolled back after each test; a session on it nests in a savepoint."""


def open_session(engine: Bind, *, write: bool = False) -> Session:
    """A session for one request; ``write`` takes SQLite's write lock at its first write."""
    if isinstance(engine, Connection):
        return Session(engine, expire_on_commit=False, join_transaction_mode="create_savepoint")
    bind = engine.execution_options(**{WRITE_OPTION: True}) if write else engine
    return Session(bind, expire_on_commit=False)


@contextmanager
def connect(bind: Bind) -> Iterator[Connection]:
    """A connection of its own from the engine, for work outside any session (streaming
    a large export); a connection already given is used as it is."""
    if isinstance(bind, Connection):
        yield bind
        return
    with bind.connect() as connection:
        yield connection


def _begin_immediate(cursor: Any) -> None:
    """Take SQLite's write lock, asking again every millisecond until the busy timeout.

    SQLite's own busy handler sleeps in growing steps (up to 100 ms), so a worker waiting
    on another worker's stream of short writes wakes too late, again and again, and its
    writes wait seconds; asking often keeps the two workers' turns close to fair.
    """
    deadline = time.monotonic() + SQLITE_BUSY_TIMEOUT_MS / 1000
    cursor.execute("PRAGMA busy_timeout=0")
    try:
        while True:
            try:
                cursor.execute("BEGIN IMMEDIATE")
                return
            except sqlite3.OperationalError as error:
                if not is_sqlite_lock(error):
                    raise
                if time.monotonic() >= deadline:
                    # Another program held the lock past the busy timeout: nothing was written.
                    raise DatabaseBusy() from error
                time.sleep(_BUSY_RETRY_SECONDS)
    finally:
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")


_BUSY_RETRY_SECONDS = 0.001


def hold_write_lock(session: Session) -> None:
    """On SQLite, take the write lock now and keep it until the session commits.

    A writing session reads without it until its first write (as on PostgreSQL, each read
    sees what is committed). A read-then-write step that must not interleave with another
    worker's takes it first; PostgreSQL code uses row or advisory locks for the same.
    """
    connection = session.connection()
    if connection.dialect.name == "sqlite":
        # Any statement but a read starts the write transaction (``_lock_before_first_write``).
        connection.exec_driver_sql("SAVEPOINT askwell_hold_write_lock")
        connection.exec_driver_sql("RELEASE askwell_hold_write_lock")


@contextmanager
def session_scope(engine: Bind, *, write: bool = True) -> Iterator[Session]:
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

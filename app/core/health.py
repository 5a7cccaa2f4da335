"""The health check's question, "does the database answer?", answered within a second.

A load balancer asks often and acts on the answer, so the probe never waits on the request
pool (a busy node is not a dead one), never piles up threads when the database hangs, and
logs only when the answer changes.
"""

from __future__ import annotations

import asyncio
import logging
import threading
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, text
from sqlalchemy.engine import URL
from sqlalchemy.pool import NullPool

from app.core.errors import DatabaseTrouble, database_trouble

log = logging.getLogger("askwell")

PROBE_SECONDS = 0.75  # leaves room to answer within a second
# libpq's shortest connect timeout; the probe's own deadline above answers sooner.
POSTGRES_CONNECT_TIMEOUT_SECONDS = 2
POSTGRES_STATEMENT_TIMEOUT_MS = 800
# Reading the schema touches the file, which a bare SELECT 1 would not; in WAL mode a
# reader never waits for a writer, so this answers at once unless the file is gone.
SQLITE_PROBE = "SELECT count(*) FROM sqlite_master"

REASONS = {
    DatabaseTrouble.unreachable: "Askwell cannot reach its database",
    DatabaseTrouble.busy: "the database has no connection free",
    DatabaseTrouble.locked: "the database is locked",
}
TOO_SLOW = "the database did not answer within a second"
UNEXPECTED = "the database answered with an error"


def _probe_engine(url: URL) -> Engine:
    """A connection of its own each time, with short timeouts, outside the request pool."""
    connect_args: dict[str, Any]
    if url.get_backend_name() == "sqlite":
        connect_args = {"timeout": PROBE_SECONDS / 2}
    else:
        connect_args = {
            "connect_timeout": POSTGRES_CONNECT_TIMEOUT_SECONDS,
            "options": f"-c statement_timeout={POSTGRES_STATEMENT_TIMEOUT_MS}",
        }
    return create_engine(url, poolclass=NullPool, connect_args=connect_args)


class DatabaseProbe:
    """Asks the database of whichever engine the app serves from; one question at a time."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="askwell-health")
        self._engine: Engine | None = None
        self._pending: Future[str | None] | None = None
        self._last_problem: str | None = None
        self._detail = "no answer yet"

    async def problem(self, engine: Engine | Connection) -> str | None:
        """None when the database answered; otherwise why not, in words safe to show anyone."""
        with self._lock:
            if self._pending is None or self._pending.done():
                self._pending = self._executor.submit(self._ask, engine.engine.url)
            pending = self._pending
        try:
            problem = await asyncio.wait_for(
                asyncio.shield(asyncio.wrap_future(pending)), PROBE_SECONDS
            )
        except TimeoutError:
            # The question keeps running (its own timeouts end it); the next check waits on it
            # instead of starting another.
            problem = TOO_SLOW
        self._note(problem)
        return problem

    def _ask(self, url: URL) -> str | None:
        statement = SQLITE_PROBE if url.get_backend_name() == "sqlite" else "SELECT 1"
        try:
            if self._engine is None or self._engine.url != url:
                self._engine = _probe_engine(url)
            with self._engine.connect() as connection:
                connection.execute(text(statement)).scalar_one()
        except Exception as error:
            trouble = database_trouble(error)
            self._detail = " ".join(str(getattr(error, "orig", None) or error).split())
            return REASONS[trouble] if trouble else UNEXPECTED
        return None

    def _note(self, problem: str | None) -> None:
        """Log when the answer changes, not on every probe of a long outage."""
        if problem == self._last_problem:
            return
        if problem is None:
            log.info("Health check: the database answers again")
        else:
            log.error("Health check: %s (%s)", problem, self._detail)
        self._last_problem = problem

"""Running alembic from code, so the CLI and the tests migrate the same way."""

from __future__ import annotations

import logging

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine
from sqlalchemy.exc import DBAPIError

from app.core.config import PROJECT_ROOT

log = logging.getLogger("askwell")


def alembic_config(database_url: str) -> Config:
    config = Config(str(PROJECT_ROOT / "alembic.ini"))
    config.set_main_option("script_location", str(PROJECT_ROOT / "migrations"))
    config.set_main_option("sqlalchemy.url", database_url.replace("%", "%%"))
    return config


def upgrade(database_url: str, revision: str = "head") -> None:
    command.upgrade(alembic_config(database_url), revision)


def downgrade(database_url: str, revision: str) -> None:
    command.downgrade(alembic_config(database_url), revision)


def pending_revisions(engine: Engine) -> list[str]:
    """Migrations the database has not had yet (empty when it is up to date)."""
    script = ScriptDirectory.from_config(alembic_config(str(engine.url)))
    with engine.connect() as connection:
        current = set(MigrationContext.configure(connection).get_current_heads())
    if current >= set(script.get_heads()):
        return []
    pending: list[str] = []
    for revision in script.walk_revisions():
        if revision.revision in current:
            break
        pending.append(revision.revision)
    return pending


def warn_if_behind(engine: Engine) -> list[str]:
    """Say plainly at start-up when the schema is older than the code, instead of failing later."""
    try:
        pending = pending_revisions(engine)
    except DBAPIError as error:
        log.warning("Could not check the database schema: %s", error.orig)
        return []
    if pending:
        log.error(
            "The database is %d migration(s) behind this version of Askwell: "
            "run `askwell db upgrade` before serving.",
            len(pending),
        )
    return pending

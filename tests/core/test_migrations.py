"""The migrations build exactly the schema the models declare, and undo cleanly."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect
from sqlmodel import SQLModel

import app.models  # noqa: F401
from app.core.db import make_engine
from app.core.migrations import downgrade, upgrade


def test_upgrade_head_yields_exactly_the_models(fresh_database_url):
    upgrade(fresh_database_url)
    engine = make_engine(fresh_database_url)
    try:
        with engine.connect() as connection:
            context = MigrationContext.configure(connection, opts={"compare_type": True})
            differences = compare_metadata(context, SQLModel.metadata)
        assert differences == [], f"models and migrations differ: {differences}"
    finally:
        engine.dispose()


def test_downgrade_base_removes_every_table(fresh_database_url):
    upgrade(fresh_database_url)
    downgrade(fresh_database_url, "base")
    engine = make_engine(fresh_database_url)
    try:
        remaining = set(inspect(engine).get_table_names()) - {"alembic_version"}
        assert remaining == set()
    finally:
        engine.dispose()
    upgrade(fresh_database_url)  # and it can be built again

"""The migrations build exactly the schema the models declare, and undo cleanly."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect
from sqlmodel import SQLModel

import app.models  # noqa: F401
from app.core.db import make_engine
from app.core.migrations import downgrade, upgrade
from app.models.search import SEARCH_FTS_INDEX, SEARCH_FTS_TABLE, include_in_autogenerate


def test_upgrade_head_yields_exactly_the_models(fresh_database_url):
    upgrade(fresh_database_url)
    engine = make_engine(fresh_database_url)
    try:
        with engine.connect() as connection:
            context = MigrationContext.configure(
                connection,
                opts={"compare_type": True, "include_object": include_in_autogenerate},
            )
            differences = compare_metadata(context, SQLModel.metadata)
        assert differences == [], f"models and migrations differ: {differences}"
    finally:
        engine.dispose()


def test_the_full_text_index_exists_and_is_all_the_filter_hides(fresh_database_url):
    """The comparison skips the FTS objects: prove they exist and no model table is skipped."""
    upgrade(fresh_database_url)
    engine = make_engine(fresh_database_url)
    try:
        inspector = inspect(engine)
        tables = set(inspector.get_table_names())
        hidden = {
            name for name in tables if not include_in_autogenerate(None, name, "table", True, None)
        }
        assert not hidden & set(SQLModel.metadata.tables)
        if engine.dialect.name == "sqlite":
            assert SEARCH_FTS_TABLE in hidden
        else:
            indexes = {index["name"] for index in inspector.get_indexes("search_documents")}
            assert SEARCH_FTS_INDEX in indexes
    finally:
        engine.dispose()


def test_downgrade_base_removes_every_table(fresh_database_url):
    upgrade(fresh_database_url)
    downgrade(fresh_database_url, "base")
    engine = make_engine(fresh_database_url)
    try:
        remaining = set(inspect(engine).get_table_names()) - {"alembic_version"}
        assert not any(name.startswith(SEARCH_FTS_TABLE) for name in remaining)
        assert remaining == set()
    finally:
        engine.dispose()
    upgrade(fresh_database_url)  # and it can be built again


def test_pending_migrations_are_reported(fresh_database_url):
    from app.core.migrations import pending_revisions

    engine = make_engine(fresh_database_url)
    try:
        upgrade(fresh_database_url, "0001")
        behind = pending_revisions(engine)
        assert behind and "0001" not in behind
        upgrade(fresh_database_url)
        assert pending_revisions(engine) == []
    finally:
        engine.dispose()

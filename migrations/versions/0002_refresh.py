"""Refresh: module version snapshots, read confirmations, the spaced refresher,
private reflections, and full-text search (FTS5 on SQLite, a GIN index on PostgreSQL).

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-26 14:32:34.906888
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

import app.models.base

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "search_documents",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column("key", sqlmodel.sql.sqltypes.AutoString(length=240), nullable=False),
        sa.Column("parent", sqlmodel.sql.sqltypes.AutoString(length=120), nullable=False),
        sa.Column("title", sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
        sa.Column("heading", sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
        sa.Column("url", sqlmodel.sql.sqltypes.AutoString(length=400), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("indexed_at", app.models.base.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("kind", "key", name="uq_search_documents_kind_key"),
    )
    with op.batch_alter_table("search_documents", schema=None) as batch_op:
        batch_op.create_index("ix_search_documents_parent", ["kind", "parent"], unique=False)

    op.create_table(
        "section_snapshots",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("module_slug", sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("section_id", sqlmodel.sql.sqltypes.AutoString(length=120), nullable=False),
        sa.Column("title", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("text_hash", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("recorded_at", app.models.base.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint(
            "module_slug", "version", "section_id", name="uq_section_snapshots_version_section"
        ),
    )
    op.create_table(
        "change_acknowledgements",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("module_slug", sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("acknowledged_at", app.models.base.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint(
            "user_id", "module_slug", name="uq_change_acknowledgements_user_module"
        ),
    )
    op.create_table(
        "reflections",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("module_slug", sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
        sa.Column("prompt_key", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("prompt", sqlmodel.sql.sqltypes.AutoString(length=1000), nullable=False),
        sa.Column("answer", sa.Text(), nullable=False),
        sa.Column("created_at", app.models.base.UTCDateTime(), nullable=False),
        sa.Column("updated_at", app.models.base.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("user_id", "module_slug", "prompt_key", name="uq_reflections_prompt"),
    )
    with op.batch_alter_table("reflections", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_reflections_user_id"), ["user_id"], unique=False)

    op.create_table(
        "refresh_checks",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("module_slug", sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
        sa.Column("content_version", sa.Integer(), nullable=False),
        sa.Column("answers", sqlmodel.sql.sqltypes.AutoString(length=600), nullable=False),
        sa.Column("score", sa.Integer(), nullable=False),
        sa.Column("passed", sa.Boolean(), nullable=False),
        sa.Column("created_at", app.models.base.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("refresh_checks", schema=None) as batch_op:
        batch_op.create_index(
            "ix_refresh_checks_user_module", ["user_id", "module_slug"], unique=False
        )

    op.create_table(
        "refresher_cards",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("module_slug", sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
        sa.Column("question_id", sqlmodel.sql.sqltypes.AutoString(length=60), nullable=False),
        sa.Column("card", sqlmodel.sql.sqltypes.AutoString(length=1000), nullable=False),
        sa.Column("due_at", app.models.base.UTCDateTime(), nullable=False),
        sa.Column("last_reviewed_at", app.models.base.UTCDateTime(), nullable=True),
        sa.Column("reviews", sa.Integer(), nullable=False),
        sa.Column("lapses", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint(
            "user_id", "module_slug", "question_id", name="uq_refresher_cards_user_question"
        ),
    )
    with op.batch_alter_table("refresher_cards", schema=None) as batch_op:
        batch_op.create_index("ix_refresher_cards_user_due", ["user_id", "due_at"], unique=False)

    op.create_table(
        "refresher_sessions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("started_at", app.models.base.UTCDateTime(), nullable=False),
        sa.Column("finished_at", app.models.base.UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("refresher_sessions", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_refresher_sessions_user_id"), ["user_id"], unique=False
        )

    op.create_table(
        "refresher_answers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("session_id", sa.Integer(), nullable=False),
        sa.Column("module_slug", sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
        sa.Column("question_id", sqlmodel.sql.sqltypes.AutoString(length=60), nullable=False),
        sa.Column("chosen", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("correct", sa.Boolean(), nullable=False),
        sa.Column("answered_at", app.models.base.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["session_id"], ["refresher_sessions.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint(
            "session_id", "module_slug", "question_id", name="uq_refresher_answers_question"
        ),
    )
    _create_full_text_index()


def downgrade() -> None:
    _drop_full_text_index()
    op.drop_table("refresher_answers")
    with op.batch_alter_table("refresher_sessions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_refresher_sessions_user_id"))

    op.drop_table("refresher_sessions")
    with op.batch_alter_table("refresher_cards", schema=None) as batch_op:
        batch_op.drop_index("ix_refresher_cards_user_due")

    op.drop_table("refresher_cards")
    with op.batch_alter_table("refresh_checks", schema=None) as batch_op:
        batch_op.drop_index("ix_refresh_checks_user_module")

    op.drop_table("refresh_checks")
    with op.batch_alter_table("reflections", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_reflections_user_id"))

    op.drop_table("reflections")
    op.drop_table("change_acknowledgements")
    op.drop_table("section_snapshots")
    with op.batch_alter_table("search_documents", schema=None) as batch_op:
        batch_op.drop_index("ix_search_documents_parent")

    op.drop_table("search_documents")


# Full-text search lives outside SQLModel's metadata (migrations/env.py leaves it out of
# autogenerate). The PostgreSQL expression must match app/search/service.py exactly, or
# the planner will not use the index.
_SQLITE_STATEMENTS = (
    "CREATE VIRTUAL TABLE search_documents_fts USING fts5("
    "title, heading, body, content='search_documents', content_rowid='id', "
    "tokenize='porter unicode61 remove_diacritics 2')",
    "CREATE TRIGGER search_documents_fts_insert AFTER INSERT ON search_documents BEGIN "
    "INSERT INTO search_documents_fts(rowid, title, heading, body) "
    "VALUES (new.id, new.title, new.heading, new.body); END",
    "CREATE TRIGGER search_documents_fts_delete AFTER DELETE ON search_documents BEGIN "
    "INSERT INTO search_documents_fts(search_documents_fts, rowid, title, heading, body) "
    "VALUES ('delete', old.id, old.title, old.heading, old.body); END",
    "CREATE TRIGGER search_documents_fts_update AFTER UPDATE ON search_documents BEGIN "
    "INSERT INTO search_documents_fts(search_documents_fts, rowid, title, heading, body) "
    "VALUES ('delete', old.id, old.title, old.heading, old.body); "
    "INSERT INTO search_documents_fts(rowid, title, heading, body) "
    "VALUES (new.id, new.title, new.heading, new.body); END",
)
_POSTGRES_VECTOR = (
    "(setweight(to_tsvector('english'::regconfig, title), 'A') || "
    "setweight(to_tsvector('english'::regconfig, heading), 'B') || "
    "setweight(to_tsvector('english'::regconfig, body), 'C'))"
)


def _create_full_text_index() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for statement in _SQLITE_STATEMENTS:
            op.execute(statement)
    else:
        op.execute(
            "CREATE INDEX ix_search_documents_fulltext ON search_documents "
            f"USING GIN ({_POSTGRES_VECTOR})"
        )


def _drop_full_text_index() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for trigger in ("insert", "delete", "update"):
            op.execute(f"DROP TRIGGER IF EXISTS search_documents_fts_{trigger}")
        op.execute("DROP TABLE IF EXISTS search_documents_fts")
    else:
        op.execute("DROP INDEX IF EXISTS ix_search_documents_fulltext")

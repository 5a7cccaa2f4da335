"""Co-design: scenarios, their review history, safeguarding flags, ask ratings, age bands.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-26 14:32:42.360282
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

import app.models.base

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "ask_ratings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("module_slug", sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
        sa.Column("ask_id", sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
        sa.Column("verdict", sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
        sa.Column("comment", sqlmodel.sql.sqltypes.AutoString(length=500), nullable=False),
        sa.Column("rated_at", app.models.base.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("user_id", "module_slug", "ask_id", name="uq_ask_ratings_user_ask"),
    )
    with op.batch_alter_table("ask_ratings", schema=None) as batch_op:
        batch_op.create_index("ix_ask_ratings_ask", ["module_slug", "ask_id"], unique=False)

    op.create_table(
        "scenarios",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("author_id", sa.Integer(), nullable=False),
        sa.Column("status", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column("title", sqlmodel.sql.sqltypes.AutoString(length=120), nullable=False),
        sa.Column("what_happened", sa.Text(), nullable=False),
        sa.Column("what_was_said", sa.Text(), nullable=False),
        sa.Column("how_it_felt", sa.Text(), nullable=False),
        sa.Column("what_would_help", sa.Text(), nullable=False),
        sa.Column("platforms", sa.JSON(), nullable=False),
        sa.Column("content_warning", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("credit", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column("credit_name", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
        sa.Column("consent_to_quote", sa.Boolean(), nullable=False),
        sa.Column("published_title", sqlmodel.sql.sqltypes.AutoString(length=120), nullable=True),
        sa.Column("published_text", sa.Text(), nullable=True),
        sa.Column(
            "published_content_warning",
            sqlmodel.sql.sqltypes.AutoString(length=200),
            nullable=True,
        ),
        sa.Column("claimed_by_id", sa.Integer(), nullable=True),
        sa.Column("claimed_at", app.models.base.UTCDateTime(), nullable=True),
        sa.Column("created_at", app.models.base.UTCDateTime(), nullable=False),
        sa.Column("updated_at", app.models.base.UTCDateTime(), nullable=False),
        sa.Column("submitted_at", app.models.base.UTCDateTime(), nullable=True),
        sa.Column("published_at", app.models.base.UTCDateTime(), nullable=True),
        sa.Column("withdrawn_at", app.models.base.UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(["author_id"], ["users.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["claimed_by_id"], ["users.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("scenarios", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_scenarios_author_id"), ["author_id"], unique=False)
        batch_op.create_index(
            "ix_scenarios_status_submitted", ["status", "submitted_at"], unique=False
        )

    op.create_table(
        "safeguarding_flags",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("scenario_id", sa.Integer(), nullable=False),
        sa.Column("reasons", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("raised_at", app.models.base.UTCDateTime(), nullable=False),
        sa.Column("resolved_at", app.models.base.UTCDateTime(), nullable=True),
        sa.Column("resolved_by_id", sa.Integer(), nullable=True),
        sa.Column("resolution_note", sqlmodel.sql.sqltypes.AutoString(length=2000), nullable=False),
        sa.ForeignKeyConstraint(["resolved_by_id"], ["users.id"], ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["scenario_id"], ["scenarios.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("safeguarding_flags", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_safeguarding_flags_scenario_id"), ["scenario_id"], unique=False
        )

    op.create_table(
        "scenario_topics",
        sa.Column("scenario_id", sa.Integer(), nullable=False),
        sa.Column("topic", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
        sa.ForeignKeyConstraint(["scenario_id"], ["scenarios.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("scenario_id", "topic"),
    )
    with op.batch_alter_table("scenario_topics", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_scenario_topics_topic"), ["topic"], unique=False)

    op.create_table(
        "scenario_transitions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("scenario_id", sa.Integer(), nullable=False),
        sa.Column("actor_id", sa.Integer(), nullable=True),
        sa.Column("from_status", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=True),
        sa.Column("to_status", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("at", app.models.base.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["actor_id"], ["users.id"], ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["scenario_id"], ["scenarios.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("scenario_transitions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_scenario_transitions_at"), ["at"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_scenario_transitions_scenario_id"), ["scenario_id"], unique=False
        )

    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("age_band", sqlmodel.sql.sqltypes.AutoString(length=5), nullable=True)
        )


def downgrade() -> None:
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_column("age_band")

    with op.batch_alter_table("scenario_transitions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_scenario_transitions_scenario_id"))
        batch_op.drop_index(batch_op.f("ix_scenario_transitions_at"))

    op.drop_table("scenario_transitions")
    with op.batch_alter_table("scenario_topics", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_scenario_topics_topic"))

    op.drop_table("scenario_topics")
    with op.batch_alter_table("safeguarding_flags", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_safeguarding_flags_scenario_id"))

    op.drop_table("safeguarding_flags")
    with op.batch_alter_table("scenarios", schema=None) as batch_op:
        batch_op.drop_index("ix_scenarios_status_submitted")
        batch_op.drop_index(batch_op.f("ix_scenarios_author_id"))

    op.drop_table("scenarios")
    with op.batch_alter_table("ask_ratings", schema=None) as batch_op:
        batch_op.drop_index("ix_ask_ratings_ask")

    op.drop_table("ask_ratings")

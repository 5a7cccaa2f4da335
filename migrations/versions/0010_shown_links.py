"""Links just made, held briefly so the page showing them to their creator can be reloaded.

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-27 14:40:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

import app.models.base

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "shown_links",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("session_id", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("batch", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("kind", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column("subject_id", sa.Integer(), nullable=False),
        sa.Column("nonce", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("detail", sqlmodel.sql.sqltypes.AutoString(length=400), nullable=True),
        sa.Column("created_at", app.models.base.UTCDateTime(), nullable=False),
        sa.Column("expires_at", app.models.base.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["session_id"], ["user_sessions.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("shown_links", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_shown_links_batch"), ["batch"], unique=False)
        batch_op.create_index(batch_op.f("ix_shown_links_expires_at"), ["expires_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_shown_links_session_id"), ["session_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("shown_links", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_shown_links_session_id"))
        batch_op.drop_index(batch_op.f("ix_shown_links_expires_at"))
        batch_op.drop_index(batch_op.f("ix_shown_links_batch"))

    op.drop_table("shown_links")

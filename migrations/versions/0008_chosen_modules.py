"""The modules a trainer chose to show each published scenario in.

Scenarios published before this keep no rows here and go on appearing in the modules
of their topics until they are next published.

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-27 15:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "scenario_modules",
        sa.Column("scenario_id", sa.Integer(), nullable=False),
        sa.Column("module_slug", sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
        sa.ForeignKeyConstraint(["scenario_id"], ["scenarios.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("scenario_id", "module_slug"),
    )
    with op.batch_alter_table("scenario_modules", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_scenario_modules_module_slug"), ["module_slug"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("scenario_modules", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_scenario_modules_module_slug"))
    op.drop_table("scenario_modules")

"""The reports' covering index also holds what the status rule and last activity read.

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-27 15:05:00.000000
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BEFORE = ["user_id", "module_slug", "started_at", "completed_at", "best_score"]
AFTER = [*BEFORE, "completed_version", "last_activity_at"]


def _index(columns: list[str]) -> None:
    with op.batch_alter_table("module_progress", schema=None) as batch_op:
        batch_op.drop_index("ix_module_progress_report")
        batch_op.create_index("ix_module_progress_report", columns, unique=False)


def upgrade() -> None:
    _index(AFTER)


def downgrade() -> None:
    _index(BEFORE)

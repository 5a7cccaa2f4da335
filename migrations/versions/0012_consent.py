"""Cohort requests: a practitioner with an account joins a cohort only by accepting.

Until now a trainer could add any practitioner by email and at once see their progress.
From now on that makes a request, kept in ``cohort_requests`` until the practitioner
accepts (it becomes a membership) or declines (it is deleted).

Existing memberships stay as they are: they were made under the old rule, by trainers
the organisation trusted, and removing them would hide work people have already done
for their cohort. Every practitioner now sees, on their account, which cohorts and
trainers can see their progress, and can leave any of them at once.

Revision ID: 0012
Revises: 0011
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import app.models.base

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "cohort_requests",
        sa.Column("cohort_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("requested_by", sa.Integer(), nullable=True),
        sa.Column("requested_at", app.models.base.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["cohort_id"], ["cohorts.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["requested_by"], ["users.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("cohort_id", "user_id"),
    )
    with op.batch_alter_table("cohort_requests", schema=None) as batch_op:
        batch_op.create_index("ix_cohort_requests_user", ["user_id", "cohort_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("cohort_requests", schema=None) as batch_op:
        batch_op.drop_index("ix_cohort_requests_user")
    op.drop_table("cohort_requests")

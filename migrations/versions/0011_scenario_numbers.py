"""Scenario numbers are never reused: AUTOINCREMENT on SQLite's scenarios table.

Without it SQLite hands the highest deleted number to the next scenario, so an audit
entry about a deleted scenario would point at someone else's. PostgreSQL's identity
sequence never reuses numbers, so it needs nothing.

Revision ID: 0011
Revises: 0010
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _recreate_scenarios(*, autoincrement: bool) -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    # SQLite cannot alter a primary key in place: batch mode copies the table (ids kept)
    # into one declared with or without AUTOINCREMENT. migrations/env.py turns foreign keys
    # off for this, so dropping the old table does not cascade to its children.
    with op.batch_alter_table(
        "scenarios", recreate="always", table_kwargs={"sqlite_autoincrement": autoincrement}
    ):
        pass


def upgrade() -> None:
    _recreate_scenarios(autoincrement=True)


def downgrade() -> None:
    _recreate_scenarios(autoincrement=False)

"""Cache generations: workers keep published scenarios in memory and still see every change.

Every module page shows the scenarios young people have shared. Reading them (and their
topics) on every request cost more than the rest of the page; now each worker keeps them
in memory under a generation number that triggers replace whenever a published scenario,
or any scenario's topics or modules, is inserted, changed or deleted — including the rows
a deleted account takes with it by cascade. A withdrawal still disappears from every page
of every worker and machine at the next request.

Revision ID: 0013
Revises: 0012
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

PUBLISHED = "'published'"
# (trigger suffix, table, event, condition or None)
TRIGGERS = [
    ("scenarios_ins", "scenarios", "INSERT", f"NEW.status = {PUBLISHED}"),
    (
        "scenarios_upd",
        "scenarios",
        "UPDATE",
        f"OLD.status = {PUBLISHED} OR NEW.status = {PUBLISHED}",
    ),
    ("scenarios_del", "scenarios", "DELETE", f"OLD.status = {PUBLISHED}"),
    ("topics_ins", "scenario_topics", "INSERT", None),
    ("topics_upd", "scenario_topics", "UPDATE", None),
    ("topics_del", "scenario_topics", "DELETE", None),
    ("modules_ins", "scenario_modules", "INSERT", None),
    ("modules_upd", "scenario_modules", "UPDATE", None),
    ("modules_del", "scenario_modules", "DELETE", None),
]


def upgrade() -> None:
    op.create_table(
        "cache_generations",
        sa.Column("name", sa.String(length=40), nullable=False),
        sa.Column("generation", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("name"),
    )
    op.execute("INSERT INTO cache_generations (name, generation) VALUES ('published_scenarios', 1)")
    if op.get_bind().dialect.name == "postgresql":
        _postgresql_triggers()
    else:
        _sqlite_triggers()


def _sqlite_triggers() -> None:
    bump = (
        "INSERT INTO cache_generations (name, generation) VALUES ('published_scenarios', random()) "
        "ON CONFLICT (name) DO UPDATE SET generation = excluded.generation;"
    )
    for suffix, table, event, condition in TRIGGERS:
        when = f" WHEN {condition}" if condition else ""
        op.execute(
            f"CREATE TRIGGER tr_cache_{suffix} AFTER {event} ON {table}{when} BEGIN {bump} END"
        )


def _postgresql_triggers() -> None:
    op.execute(
        """
        CREATE FUNCTION askwell_new_published_scenarios_generation() RETURNS trigger AS $$
        BEGIN
          INSERT INTO cache_generations (name, generation)
          VALUES ('published_scenarios', floor(random() * 9000000000000000)::bigint)
          ON CONFLICT (name) DO UPDATE SET generation = EXCLUDED.generation;
          RETURN NULL;
        END
        $$ LANGUAGE plpgsql
        """
    )
    for suffix, table, event, condition in TRIGGERS:
        when = f" WHEN ({condition})" if condition else ""
        op.execute(
            f"CREATE TRIGGER tr_cache_{suffix} AFTER {event} ON {table} FOR EACH ROW{when} "
            "EXECUTE FUNCTION askwell_new_published_scenarios_generation()"
        )


def downgrade() -> None:
    for suffix, table, _event, _condition in TRIGGERS:
        op.execute(
            f"DROP TRIGGER IF EXISTS tr_cache_{suffix} ON {table}"
            if op.get_bind().dialect.name == "postgresql"
            else f"DROP TRIGGER IF EXISTS tr_cache_{suffix}"
        )
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP FUNCTION IF EXISTS askwell_new_published_scenarios_generation()")
    op.drop_table("cache_generations")

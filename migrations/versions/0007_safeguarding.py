"""Safeguarding records that survive withdrawal and account deletion, replacing flags.

A flag was tied to its scenario (ON DELETE CASCADE) and kept only the kinds of words, so
withdrawing the scenario erased the concern. A record has no cascading tie to the scenario
or the account, and keeps the matched sentences and the account's details at the time.
Existing flags are carried across: their scenarios still exist (a withdrawal deleted the
flag with the rest), so the sentences are read again from the scenario's text.

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-27 14:40:00
"""

from collections.abc import Sequence
from datetime import UTC, datetime

import sqlalchemy as sa
import sqlmodel
from alembic import op

import app.models.base
from app.safeguarding.risk_words import check_risk

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SCENARIO_TEXTS = ("title", "what_happened", "what_was_said", "how_it_felt", "what_would_help")


def _as_utc(value: object) -> datetime | None:
    """A stored time read back by plain SQL (SQLite gives text), as aware UTC."""
    if value is None:
        return None
    moment = datetime.fromisoformat(value) if isinstance(value, str) else value
    assert isinstance(moment, datetime)
    return moment.replace(tzinfo=UTC)


def upgrade() -> None:
    records = op.create_table(
        "safeguarding_records",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("scenario_id", sa.Integer(), nullable=True),
        sa.Column("module_slug", sqlmodel.sql.sqltypes.AutoString(length=100), nullable=True),
        sa.Column("ask_id", sqlmodel.sql.sqltypes.AutoString(length=100), nullable=True),
        sa.Column("account_id", sa.Integer(), nullable=True),
        sa.Column("name", sqlmodel.sql.sqltypes.AutoString(length=120), nullable=False),
        sa.Column("email", sqlmodel.sql.sqltypes.AutoString(length=254), nullable=False),
        sa.Column("age_band", sqlmodel.sql.sqltypes.AutoString(length=5), nullable=True),
        sa.Column("reasons", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("sentences", sa.JSON(), nullable=False),
        sa.Column("raised_at", app.models.base.UTCDateTime(), nullable=False),
        sa.Column("updated_at", app.models.base.UTCDateTime(), nullable=False),
        sa.Column("withdrawn_at", app.models.base.UTCDateTime(), nullable=True),
        sa.Column("account_deleted_at", app.models.base.UTCDateTime(), nullable=True),
        sa.Column("resolved_at", app.models.base.UTCDateTime(), nullable=True),
        sa.Column("resolved_by_id", sa.Integer(), nullable=True),
        sa.Column("resolved_by_name", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("resolution_note", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(["account_id"], ["users.id"], ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["resolved_by_id"], ["users.id"], ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["scenario_id"], ["scenarios.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("safeguarding_records", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_safeguarding_records_account_id"), ["account_id"], unique=False
        )
        batch_op.create_index(
            "ix_safeguarding_records_open", ["resolved_at", "raised_at"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_safeguarding_records_scenario_id"), ["scenario_id"], unique=False
        )

    connection = op.get_bind()
    flags = connection.execute(
        sa.text(
            "SELECT f.scenario_id, f.reasons, f.raised_at, f.resolved_at, f.resolved_by_id,"
            " f.resolution_note, s.author_id, s.title, s.what_happened, s.what_was_said,"
            " s.how_it_felt, s.what_would_help, u.display_name, u.email, u.age_band,"
            " r.display_name AS resolver"
            " FROM safeguarding_flags f"
            " JOIN scenarios s ON s.id = f.scenario_id"
            " JOIN users u ON u.id = s.author_id"
            " LEFT JOIN users r ON r.id = f.resolved_by_id"
            " ORDER BY f.id"
        )
    ).mappings()
    rows = []
    for flag in flags:
        sentences = check_risk(*(flag[name] or "" for name in SCENARIO_TEXTS)).sentences
        raised_at = _as_utc(flag["raised_at"])
        resolved_at = _as_utc(flag["resolved_at"])
        assert raised_at is not None
        rows.append(
            {
                "scenario_id": flag["scenario_id"],
                "account_id": flag["author_id"],
                "name": flag["display_name"],
                "email": flag["email"],
                "age_band": flag["age_band"],
                "reasons": flag["reasons"],
                "sentences": [
                    {"text": text, "typed_in": "scenario_sent", "at": raised_at.isoformat()}
                    for text in sentences
                ],
                "raised_at": raised_at,
                "updated_at": raised_at,
                "resolved_at": resolved_at,
                "resolved_by_id": flag["resolved_by_id"],
                "resolved_by_name": flag["resolver"] or "",
                "resolution_note": flag["resolution_note"] or "",
            }
        )
    if rows:
        op.bulk_insert(records, rows)

    with op.batch_alter_table("safeguarding_flags", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_safeguarding_flags_scenario_id"))
    op.drop_table("safeguarding_flags")


def downgrade() -> None:
    flags = op.create_table(
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
    # Only records of scenarios still there fit the old table; the rest cannot go back.
    connection = op.get_bind()
    kept = connection.execute(
        sa.text(
            "SELECT scenario_id, reasons, raised_at, resolved_at, resolved_by_id,"
            " resolution_note FROM safeguarding_records"
            " WHERE scenario_id IS NOT NULL AND withdrawn_at IS NULL ORDER BY id"
        )
    ).mappings()
    rows = [
        {
            "scenario_id": row["scenario_id"],
            "reasons": row["reasons"],
            "raised_at": _as_utc(row["raised_at"]),
            "resolved_at": _as_utc(row["resolved_at"]),
            "resolved_by_id": row["resolved_by_id"],
            "resolution_note": (row["resolution_note"] or "")[:2000],
        }
        for row in kept
    ]
    if rows:
        op.bulk_insert(flags, rows)

    with op.batch_alter_table("safeguarding_records", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_safeguarding_records_scenario_id"))
        batch_op.drop_index("ix_safeguarding_records_open")
        batch_op.drop_index(batch_op.f("ix_safeguarding_records_account_id"))
    op.drop_table("safeguarding_records")

"""What search reads: one row per module section, app card and published scenario.

The full-text index over it is not a table SQLModel knows: an FTS5 virtual table
on SQLite and a GIN expression index on PostgreSQL, both made by the migration.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from app.models.base import UTCDateTime, utcnow

SEARCH_FTS_TABLE = "search_documents_fts"
SEARCH_FTS_INDEX = "ix_search_documents_fulltext"


class SearchDocument(SQLModel, table=True):
    __tablename__ = "search_documents"
    __table_args__ = (
        UniqueConstraint("kind", "key", name="uq_search_documents_kind_key"),
        Index("ix_search_documents_parent", "kind", "parent"),
    )

    id: int | None = Field(default=None, primary_key=True)
    kind: str = Field(max_length=20)
    key: str = Field(max_length=240)
    parent: str = Field(max_length=120)
    title: str = Field(max_length=300)
    heading: str = Field(default="", max_length=300)
    url: str = Field(max_length=400)
    body: str = Field(sa_type=Text)
    version: int = Field(default=0)
    indexed_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


def is_full_text_object(name: str | None, type_: str) -> bool:
    """The FTS5 table (with its shadow tables) and the GIN index: made by hand, not by models."""
    if name is None:
        return False
    if type_ == "table":
        return name.startswith(SEARCH_FTS_TABLE)
    return type_ == "index" and name == SEARCH_FTS_INDEX


def include_in_autogenerate(
    _object: object, name: str | None, type_: str, _reflected: bool, _compare_to: object
) -> bool:
    """Alembic's include_object hook: compare everything but the full-text objects.

    Alembic passes all five arguments, by position; only the name and the type matter here.
    """
    return not is_full_text_object(name, type_)

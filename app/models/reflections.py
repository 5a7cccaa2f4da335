"""A practitioner's private reflections on a module's prompts: readable by them alone."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from app.models.base import UTCDateTime, utcnow


class Reflection(SQLModel, table=True):
    """The prompt's words are kept with the answer, so a later edit to the module loses nothing."""

    __tablename__ = "reflections"
    __table_args__ = (
        UniqueConstraint("user_id", "module_slug", "prompt_key", name="uq_reflections_prompt"),
    )

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="users.id", index=True, ondelete="CASCADE")
    module_slug: str = Field(max_length=100)
    prompt_key: str = Field(max_length=32)
    prompt: str = Field(max_length=1000)
    answer: str = Field(sa_type=Text)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)

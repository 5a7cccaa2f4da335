"""People and their roles. A person may hold several roles."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlmodel import Field, SQLModel

from app.models.base import UTCDateTime, utcnow


class Role(StrEnum):
    practitioner = "practitioner"
    codesigner = "codesigner"
    trainer = "trainer"
    admin = "admin"


class AgeBand(StrEnum):
    """Co-designers give an age band, never a date of birth (ICO Children's Code)."""

    age_16_17 = "16-17"
    age_18_24 = "18-24"


class User(SQLModel, table=True):
    __tablename__ = "users"

    id: int | None = Field(default=None, primary_key=True)
    email: str = Field(max_length=254, unique=True, index=True)
    display_name: str = Field(max_length=120)
    password_hash: str = Field(max_length=255)
    is_active: bool = Field(default=True)
    age_band: str | None = Field(default=None, max_length=5)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class UserRole(SQLModel, table=True):
    __tablename__ = "user_roles"

    user_id: int = Field(foreign_key="users.id", primary_key=True, ondelete="CASCADE")
    role: str = Field(max_length=20, primary_key=True)

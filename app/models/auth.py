"""Server-side sign-in sessions and the sign-in attempts that rate limiting counts."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index
from sqlmodel import Field, SQLModel

from app.models.base import UTCDateTime, utcnow


class UserSession(SQLModel, table=True):
    """One signed-in browser or API client. The id is a hash: the cookie alone opens it."""

    __tablename__ = "user_sessions"

    id: str = Field(primary_key=True, max_length=64)
    user_id: int = Field(foreign_key="users.id", index=True, ondelete="CASCADE")
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    last_seen_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class LoginAttempt(SQLModel, table=True):
    __tablename__ = "login_attempts"
    __table_args__ = (
        Index("ix_login_attempts_email_at", "email", "attempted_at"),
        Index("ix_login_attempts_client_at", "client", "attempted_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    attempted_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    email: str = Field(max_length=254)
    client: str = Field(max_length=64)
    succeeded: bool = Field(default=False)


class PasswordReset(SQLModel, table=True):
    """A single-use link an admin makes for someone who has forgotten their password.

    Only a hash of the link's token is stored, so a copy of the database resets nothing.
    """

    __tablename__ = "password_resets"

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="users.id", index=True, ondelete="CASCADE")
    token_hash: str = Field(max_length=64, unique=True)
    created_by: int | None = Field(default=None, foreign_key="users.id", ondelete="SET NULL")
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    expires_at: datetime = Field(sa_type=UTCDateTime)
    used_at: datetime | None = Field(default=None, sa_type=UTCDateTime)

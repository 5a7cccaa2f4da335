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

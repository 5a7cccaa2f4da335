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


class ShownLink(SQLModel, table=True):
    """A single-use link just made (an invitation, a password reset), held briefly so the page
    that shows it to its creator can be reloaded.

    The link's token is not stored here: it is derived from the creator's session cookie,
    which the database never holds (only its hash), and this row's random ``nonce``. So the
    row, or a copy of the whole database, cannot rebuild the link; only the same browser
    session can, and the row goes when that session ends or ``expires_at`` passes.
    """

    __tablename__ = "shown_links"

    id: int | None = Field(default=None, primary_key=True)
    session_id: str = Field(
        foreign_key="user_sessions.id", index=True, ondelete="CASCADE", max_length=64
    )
    batch: str = Field(max_length=32, index=True)
    kind: str = Field(max_length=20)
    subject_id: int
    nonce: str = Field(max_length=32)
    # What else the page showed with the links (e.g. who a pasted list added), in words.
    detail: str | None = Field(default=None, max_length=400)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    expires_at: datetime = Field(sa_type=UTCDateTime, index=True)

"""LTI 1.3: the learning platforms (Moodle, Canvas, …) registered to launch Askwell, the
keys Askwell signs with, the people they launch, and the one-time values of each launch."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Column, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from app.models.base import UTCDateTime, utcnow


class LtiPlatform(SQLModel, table=True):
    """One registration: an issuer and the client id it gave Askwell."""

    __tablename__ = "lti_platforms"
    __table_args__ = (
        UniqueConstraint("issuer", "client_id", name="uq_lti_platforms_issuer_client"),
    )

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=120)
    issuer: str = Field(max_length=500)
    client_id: str = Field(max_length=200)
    auth_login_url: str = Field(max_length=1000)
    auth_token_url: str = Field(max_length=1000)
    key_set_url: str = Field(max_length=1000)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class LtiDeployment(SQLModel, table=True):
    __tablename__ = "lti_deployments"

    platform_id: int = Field(foreign_key="lti_platforms.id", primary_key=True, ondelete="CASCADE")
    deployment_id: str = Field(primary_key=True, max_length=200)


class LtiToolKey(SQLModel, table=True):
    """A key pair Askwell signs with; every key not retired is published in its JWKS, so a
    new key can be published before it signs and an old one kept until tokens expire."""

    __tablename__ = "lti_tool_keys"

    kid: str = Field(primary_key=True, max_length=64)
    private_key_pem: str = Field(sa_column=Column(Text, nullable=False))
    public_jwk: dict[str, Any] = Field(sa_column=Column(JSON, nullable=False))
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    retired_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class LtiStoredValue(SQLModel, table=True):
    """What one launch keeps between its login and its launch (its state and nonce, each
    used up by the one launch that shows it) and the launch's claims afterwards."""

    __tablename__ = "lti_stored_values"

    key: str = Field(primary_key=True, max_length=300)
    value: Any = Field(default=None, sa_column=Column(JSON, nullable=True))
    expires_at: datetime = Field(sa_type=UTCDateTime, index=True)
    used_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class LtiIdentity(SQLModel, table=True):
    """Who a platform's user is in Askwell: by issuer and the platform's own id, never email."""

    __tablename__ = "lti_identities"
    __table_args__ = (UniqueConstraint("issuer", "subject", name="uq_lti_identities_subject"),)

    id: int | None = Field(default=None, primary_key=True)
    issuer: str = Field(max_length=500)
    subject: str = Field(max_length=255)
    user_id: int = Field(foreign_key="users.id", ondelete="CASCADE", index=True)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class LtiGradeTarget(SQLModel, table=True):
    """Where a person's score for a module goes: the line item of the course link they
    launched it from, as the launch's Assignment and Grade Services claim gave it."""

    __tablename__ = "lti_grade_targets"
    __table_args__ = (
        UniqueConstraint("user_id", "module_slug", "lineitem_url", name="uq_lti_grade_targets"),
    )

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="users.id", ondelete="CASCADE")
    module_slug: str = Field(max_length=100)
    platform_id: int = Field(foreign_key="lti_platforms.id", ondelete="CASCADE")
    subject: str = Field(max_length=255)
    """The person's id on the platform, which scores are posted under."""
    lineitem_url: str = Field(max_length=1000)
    scopes: str = Field(default="", max_length=1000)
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)

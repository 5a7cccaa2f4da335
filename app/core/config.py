"""Askwell's settings, read from the environment with the prefix ``ASKWELL_``."""

from __future__ import annotations

import os
from collections.abc import Mapping
from enum import StrEnum
from ipaddress import IPv4Network, IPv6Network, ip_network
from pathlib import Path
from typing import Annotated, Any, Self
from urllib.parse import urlsplit

from pydantic import Field, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

PROJECT_ROOT = Path(__file__).resolve().parents[2]
DEVELOPMENT_SECRET_KEY = "askwell-development-key-not-for-production"  # noqa: S105
MINIMUM_SECRET_KEY_LENGTH = 32
DEFAULT_MAX_BODY_BYTES = 1024 * 1024
DEFAULT_SQLITE_BUSY_TIMEOUT_MS = 5_000
SQLITE_BUSY_TIMEOUT_RANGE_MS = (100, 60_000)


class Environment(StrEnum):
    development = "development"
    production = "production"


class PasswordHashProfile(StrEnum):
    """argon2id cost: ``standard`` for real use, ``fast`` only for test suites."""

    standard = "standard"
    fast = "fast"


class InsecureSettingsError(RuntimeError):
    """Raised when production would start with settings that expose users."""


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="ASKWELL_", extra="ignore")

    env: Environment = Environment.development
    database_url: str = f"sqlite:///{PROJECT_ROOT / 'var' / 'askwell.db'}"
    secret_key: str = DEVELOPMENT_SECRET_KEY
    modules_dir: Path = PROJECT_ROOT / "modules"
    templates_dir: Path = PROJECT_ROOT / "templates"
    static_dir: Path = PROJECT_ROOT / "app" / "static"

    session_idle_minutes: int = Field(default=60, ge=1)
    session_absolute_hours: int = Field(default=12, ge=1)
    login_attempts_per_minute: int = Field(default=10, ge=1)
    scenario_submissions_per_hour: int = Field(default=5, ge=1)
    password_hash_profile: PasswordHashProfile = PasswordHashProfile.standard
    contact_email: str | None = Field(default=None, max_length=254)
    """Who people write to about their data or accessibility; shown on those pages."""
    safeguarding_retention_days: int = Field(default=6 * 365, ge=1)
    """How long a safeguarding record is kept after its follow-up is recorded: the
    organisation's to set from its own retention schedule (six years by default)."""
    base_url: str | None = Field(default=None, max_length=2000)
    """Where people reach Askwell, e.g. ``https://askwell.example.org``: every link Askwell
    writes (invitations, password resets, certificates, the feed) starts with it, never with
    the Host header a request claims. Required in production."""
    allowed_hosts: str = ""
    """Other host names production answers, comma-separated (e.g. a health check's address);
    the base URL's own host is always allowed."""
    events_delivery_interval_seconds: float = Field(default=30, ge=0, le=86_400)
    """How often the server delivers learning events that are due (to an LMS gradebook,
    say); 0 turns the server's own delivery off, leaving it to ``askwell events deliver``
    (from cron, for instance). Any number of servers may deliver at once: none sends an
    event another has sent."""
    sql_echo: bool = False
    schema_checked: bool = False
    """Set by ``askwell serve`` for its workers once it has found the schema up to date, so
    each worker need not load the migration tooling (about 10 MB) to check again."""

    @field_validator("base_url")
    @classmethod
    def _base_url_is_a_site(cls, value: str | None) -> str | None:
        """An absolute http(s) address with no query or fragment, kept without its final slash."""
        if value is None or not value.strip():
            return None
        parts = urlsplit(value.strip())
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ValueError("ASKWELL_BASE_URL must start with https:// and name a host")
        if parts.query or parts.fragment:
            raise ValueError("ASKWELL_BASE_URL must not have a query or fragment")
        return value.strip().rstrip("/")

    @property
    def trusted_hosts(self) -> list[str]:
        """Host names production answers: the base URL's, then any others configured."""
        hosts = [urlsplit(self.base_url).hostname or ""] if self.base_url else []
        hosts.extend(host.strip() for host in self.allowed_hosts.split(",") if host.strip())
        return hosts

    trusted_proxies: Annotated[list[IPv4Network | IPv6Network], NoDecode] = Field(
        default_factory=list
    )
    """Addresses or CIDR ranges of the reverse proxies whose X-Forwarded-For and
    X-Forwarded-Proto are believed, comma-separated; nobody's by default, so a client
    cannot choose the address the sign-in rate limit counts."""
    max_body_bytes: int = Field(default=DEFAULT_MAX_BODY_BYTES, ge=1024)
    """The largest request body accepted; larger ones are refused before being read."""

    @field_validator("trusted_proxies", mode="before")
    @classmethod
    def _parse_trusted_proxies(cls, value: Any) -> Any:
        """One address or range per comma, as the environment gives them."""
        if isinstance(value, str):
            value = [item.strip() for item in value.split(",") if item.strip()]
        if "*" in value:
            raise ValueError(
                "'*' trusts any address: list your proxies' addresses or ranges instead"
            )
        return [ip_network(item, strict=False) if isinstance(item, str) else item for item in value]

    @property
    def is_production(self) -> bool:
        return self.env is Environment.production

    @property
    def secure_cookies(self) -> bool:
        """Cookies are Secure everywhere but a developer's own machine."""
        return self.env is not Environment.development

    @model_validator(mode="after")
    def _refuse_weak_production_key(self) -> Self:
        if self.is_production and (
            self.secret_key == DEVELOPMENT_SECRET_KEY
            or len(self.secret_key) < MINIMUM_SECRET_KEY_LENGTH
        ):
            raise InsecureSettingsError(
                "ASKWELL_SECRET_KEY must be set to a random value of at least "
                f"{MINIMUM_SECRET_KEY_LENGTH} characters in production "
                '(for example: python -c "import secrets; print(secrets.token_urlsafe(48))").'
            )
        if self.is_production and not self.base_url:
            raise InsecureSettingsError(
                "ASKWELL_BASE_URL must be set in production to the address people use "
                "(for example https://askwell.example.org): links in invitations, password "
                "resets and certificates are built from it, never from a request's Host header."
            )
        if self.is_production and self.password_hash_profile is PasswordHashProfile.fast:
            raise InsecureSettingsError("The fast password hash profile is for tests only.")
        return self


def get_settings() -> Settings:
    return Settings()


def sqlite_busy_timeout_ms(environ: Mapping[str, str] = os.environ) -> int:
    """How long a request waits for SQLite's write lock before it is answered 503 and told
    to retry (ASKWELL_SQLITE_BUSY_TIMEOUT_MS): bounded, so a long write never holds everyone
    else's requests for longer than a person would wait.

    Read from the environment rather than Settings because the engine's connection hook
    needs it before (and without) any Settings object.
    """
    raw = environ.get("ASKWELL_SQLITE_BUSY_TIMEOUT_MS", "").strip()
    if not raw:
        return DEFAULT_SQLITE_BUSY_TIMEOUT_MS
    low, high = SQLITE_BUSY_TIMEOUT_RANGE_MS
    if not raw.isdigit() or not low <= int(raw) <= high:
        raise ValueError(
            f"ASKWELL_SQLITE_BUSY_TIMEOUT_MS must be a whole number of milliseconds from {low} "
            f"to {high}, not {raw!r}."
        )
    return int(raw)

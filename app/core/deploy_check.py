"""Which settings would make a production Askwell unsafe: ``askwell check-deploy`` prints them.

The application already refuses to start with a weak secret key in production; this check
goes further and is meant to run before a deployment, so an operator sees every problem at
once, in plain words, rather than the first one at start-up.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from typing import Self

from pydantic import model_validator

from app.core.config import (
    DEVELOPMENT_SECRET_KEY,
    MINIMUM_SECRET_KEY_LENGTH,
    Environment,
    PasswordHashProfile,
    Settings,
)

WILDCARD_PROXIES = frozenset({"*", "0.0.0.0/0", "::/0", "0.0.0.0"})  # noqa: S104 # nosec B104


class UncheckedSettings(Settings):
    """The settings as the environment gives them, without refusing a weak production key,
    so the check can report that problem alongside every other."""

    @model_validator(mode="after")
    def _refuse_weak_production_key(self) -> Self:
        return self


def _configured(settings: Settings, attribute: str) -> object:
    """A setting another part of Askwell may define; the environment variable otherwise."""
    if hasattr(settings, attribute):
        return getattr(settings, attribute)
    return os.environ.get(f"ASKWELL_{attribute.upper()}")


def _as_list(value: object) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return [part.strip() for part in value.replace(";", ",").split(",") if part.strip()]
    if isinstance(value, Iterable):
        return [str(part).strip() for part in value]
    return [str(value)]


def deployment_problems(settings: Settings) -> list[str]:
    """Every reason these settings are unsafe for production; empty when they are fine."""
    problems: list[str] = []
    if settings.env is not Environment.production:
        problems.append(
            "ASKWELL_ENV is not 'production': Askwell runs in development (debug) mode."
        )
    if _configured(settings, "debug") not in (None, False, "", "0", "false", "False"):
        problems.append("ASKWELL_DEBUG is on: errors would show their tracebacks.")
    if not settings.is_production:
        problems.append(
            "The API documentation (/api/docs, /api/openapi.json) is served: "
            "set ASKWELL_ENV=production."
        )
    if not settings.secure_cookies:
        problems.append(
            "Session cookies are sent without Secure, so over plain HTTP too: "
            "set ASKWELL_ENV=production."
        )
    if settings.secret_key == DEVELOPMENT_SECRET_KEY:
        problems.append("ASKWELL_SECRET_KEY is the development default: set a random value.")
    elif len(settings.secret_key) < MINIMUM_SECRET_KEY_LENGTH:
        problems.append(
            f"ASKWELL_SECRET_KEY is {len(settings.secret_key)} characters long: "
            f"use at least {MINIMUM_SECRET_KEY_LENGTH} random characters."
        )
    if settings.password_hash_profile is PasswordHashProfile.fast:
        problems.append(
            "ASKWELL_PASSWORD_HASH_PROFILE is 'fast', which is for tests only: use 'standard'."
        )
    if settings.sql_echo:
        problems.append(
            "ASKWELL_SQL_ECHO is on: every query, with what people typed, would reach the logs."
        )
    base_url = str(_configured(settings, "base_url") or "").strip()
    if not base_url:
        problems.append(
            "ASKWELL_BASE_URL is not set: the links Askwell makes (invitations, password "
            "resets) need its public https:// address."
        )
    elif not base_url.lower().startswith("https://"):
        problems.append(f"ASKWELL_BASE_URL ({base_url}) does not start with https://.")
    wildcards = sorted(
        proxy
        for proxy in set(_as_list(_configured(settings, "trusted_proxies")))
        if proxy in WILDCARD_PROXIES or proxy.endswith("/0")
    )
    if wildcards:
        problems.append(
            "ASKWELL_TRUSTED_PROXIES trusts any address "
            f"({', '.join(wildcards)}): anyone could forge the client address the sign-in "
            "limits count. List your proxies' addresses."
        )
    return problems


def checks_passed(settings: Settings) -> list[str]:
    """What a clean configuration gets right, printed so the operator sees what was checked."""
    return [
        "Production mode: no debug pages, no API documentation, Secure cookies.",
        f"Secret key: set, {len(settings.secret_key)} characters.",
        f"Password hashing: {settings.password_hash_profile.value}.",
        "SQL echo: off.",
        f"Base URL: {_configured(settings, 'base_url')}.",
        "Trusted proxies: "
        + (", ".join(_as_list(_configured(settings, "trusted_proxies"))) or "none")
        + ".",
    ]

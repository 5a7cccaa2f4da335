"""CSRF tokens bound to the server-side session (the synchronizer token pattern).

Askwell already keeps sessions in its database, so the token is derived from the
session id with an HMAC: nothing extra to store, and it dies with the session.
Before sign-in, the same is done with a random pre-session cookie so the sign-in
form itself cannot be forged.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

PRE_SESSION_COOKIE = "askwell_presession"
CSRF_HEADER = "X-CSRF-Token"
CSRF_FORM_FIELD = "csrf_token"


def token_for(secret_key: str, binding: str) -> str:
    return hmac.new(secret_key.encode(), f"csrf:{binding}".encode(), hashlib.sha256).hexdigest()


def is_valid(secret_key: str, binding: str | None, token: str | None) -> bool:
    """Constant-time check; compares bytes, since a forged token may hold any character."""
    if not binding or not token:
        return False
    expected = token_for(secret_key, binding).encode()
    return hmac.compare_digest(expected, token.encode("utf-8", "surrogateescape"))


def new_pre_session_value() -> str:
    return secrets.token_urlsafe(32)

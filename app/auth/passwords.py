"""argon2id password hashing (argon2-cffi), with a cheap profile only test suites may use."""

from __future__ import annotations

from dataclasses import dataclass

from argon2 import PasswordHasher, profiles
from argon2.exceptions import InvalidHashError, VerificationError

from app.core.config import PasswordHashProfile

MINIMUM_PASSWORD_LENGTH = 10
MAXIMUM_PASSWORD_LENGTH = 256


class Passwords:
    def __init__(self, profile: PasswordHashProfile) -> None:
        parameters = (
            profiles.CHEAPEST
            if profile is PasswordHashProfile.fast
            else profiles.RFC_9106_LOW_MEMORY
        )
        self._hasher = PasswordHasher.from_parameters(parameters)
        # Verifying against this when an account does not exist keeps sign-in
        # timing the same, so response times do not reveal who has an account.
        self._decoy_hash = self._hasher.hash("askwell-decoy-password")

    def hash(self, password: str) -> str:
        return self._hasher.hash(password)

    def verify(self, password_hash: str | None, password: str) -> bool:
        try:
            return self._hasher.verify(password_hash or self._decoy_hash, password) and (
                password_hash is not None
            )
        except (VerificationError, InvalidHashError):
            return False

    def needs_rehash(self, password_hash: str) -> bool:
        return self._hasher.check_needs_rehash(password_hash)


def password_problem(password: str) -> str | None:
    """Length is what matters most for a password people can remember (NCSC guidance)."""
    if len(password) < MINIMUM_PASSWORD_LENGTH:
        return f"Password must be at least {MINIMUM_PASSWORD_LENGTH} characters."
    if len(password) > MAXIMUM_PASSWORD_LENGTH:
        return f"Password must be at most {MAXIMUM_PASSWORD_LENGTH} characters."
    return None


PASSWORDS_DIFFER = "The two passwords do not match."  # noqa: S105 - a message, not a secret


@dataclass(frozen=True)
class NewPasswordForm:
    """The two fields of every form that sets a password (a reset link, changing one's own,
    a new account from an invitation): their names and labels, which the one template
    partial shows (``signin/_new_password.html``), and the one check of what was typed."""

    name: str
    label: str
    again_name: str
    again_label: str

    def problems(self, password: str, again: str) -> dict[str, str]:
        """Long enough, and typed the same twice: by field, as the form shows them."""
        if problem := password_problem(password):
            return {self.name: problem}
        if password != again:
            return {self.again_name: PASSWORDS_DIFFER}
        return {}


NEW_PASSWORD = NewPasswordForm(
    name="new_password",
    label="A new password",
    again_name="confirm_password",
    again_label="Type the new password again",
)
"""The form that replaces a password: a reset link, and changing one's own."""

"""The small adapter pylti1p3 needs to run in Askwell: its request, cookies, redirects,
storage of launch data in the database, and the platforms registered there.

pylti1p3 ships Django and Flask adapters only. Everything here is synchronous and may
block on the network (fetching a platform's keys), so it runs on a request thread, never
on the event loop. Nothing is kept in memory between requests: any worker may take the
launch whose login another worker answered.
"""

from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from cryptography.hazmat.primitives import serialization
from pylti1p3.cookie import CookieService
from pylti1p3.deployment import Deployment
from pylti1p3.exception import LtiKeyException
from pylti1p3.launch_data_storage.base import LaunchDataStorage
from pylti1p3.message_launch import MessageLaunch
from pylti1p3.oidc_login import OIDCLogin
from pylti1p3.redirect import Redirect
from pylti1p3.registration import Registration
from pylti1p3.request import Request
from pylti1p3.session import SessionService
from pylti1p3.tool_config import ToolConfAbstract
from sqlalchemy import delete
from sqlmodel import Session, col, select

from app.core.db import insert_ignoring_duplicates, session_scope
from app.models.base import utcnow
from app.models.lti import LtiDeployment, LtiPlatform, LtiStoredValue, LtiToolKey

COOKIE_PREFIX = "lti1p3-"
STATE_PREFIX = "state-"


class LaunchRequest(Request):
    """The parameters of a login or launch, read once on the event loop and handed over."""

    def __init__(self, params: dict[str, str], cookies: dict[str, str], secure: bool) -> None:
        self._params = params
        self.cookies = cookies
        self._secure = secure

    @property
    def session(self) -> None:
        return None

    def is_secure(self) -> bool:
        return self._secure

    def get_param(self, key: str) -> str:
        return self._params.get(key, "")


@dataclass
class CookieJar(CookieService):
    """Cookies read from the request, and those to set on the response."""

    request: LaunchRequest
    to_set: dict[str, tuple[str, int]] = field(default_factory=dict)

    def get_cookie(self, name: str) -> str | None:
        return self.request.cookies.get(COOKIE_PREFIX + name)

    def set_cookie(self, name: str, value: str | int, exp: int | None = 3600) -> None:
        self.to_set[COOKIE_PREFIX + name] = (str(value), exp or 3600)


class DatabaseStorage(LaunchDataStorage[Any]):
    """Launch data, states and nonces in ``lti_stored_values``, so every worker sees them."""

    def __init__(self, session: Session) -> None:
        super().__init__()
        self._session = session

    @property
    def bind(self) -> Any:
        return self._session.get_bind()

    def can_set_keys_expiration(self) -> bool:
        return True

    def get_value(self, key: str) -> Any:
        row = self._live(key)
        return row.value if row else None

    def set_value(self, key: str, value: Any, exp: int | None = None) -> None:
        key = self._prepare_key(key)[:300]
        expires_at = utcnow() + timedelta(seconds=exp or 86_400)
        self._session.exec(delete(LtiStoredValue).where(col(LtiStoredValue.key) == key))
        insert_ignoring_duplicates(
            self._session,
            LtiStoredValue,
            {"key": key, "value": value, "expires_at": expires_at},
            ["key"],
        )

    def check_value(self, key: str) -> bool:
        """A nonce counts only while unused and unexpired: the launch then uses it up."""
        row = self._live(key)
        return row is not None and row.used_at is None

    def _live(self, key: str) -> LtiStoredValue | None:
        return self._session.exec(
            select(LtiStoredValue).where(
                col(LtiStoredValue.key) == self._prepare_key(key)[:300],
                col(LtiStoredValue.expires_at) > utcnow(),
            )
        ).first()


def stored_key(name: str) -> str:
    """The key ``DatabaseStorage`` keeps a session-service value under."""
    return f"{COOKIE_PREFIX}{name}"[:300]


class UrlRedirect(Redirect[str]):
    """pylti1p3 builds the platform's address; the page answers with the redirect itself."""

    def __init__(self, location: str) -> None:
        self._location = location

    def do_redirect(self) -> str:
        return self._location

    def do_js_redirect(self) -> str:
        return self._location

    def set_redirect_url(self, location: str) -> None:
        self._location = location

    def get_redirect_url(self) -> str:
        return self._location


class DatabaseToolConf(ToolConfAbstract[LaunchRequest]):
    """Registrations from ``lti_platforms``: an issuer may have several client ids."""

    def __init__(self, session: Session) -> None:
        self._session = session

    def check_iss_has_one_client(self, iss: str) -> bool:  # noqa: ARG002 - never: see class
        return False

    def check_iss_has_many_clients(self, iss: str) -> bool:  # noqa: ARG002
        return True

    def platform(self, iss: str, client_id: str | None) -> LtiPlatform | None:
        statement = select(LtiPlatform).where(col(LtiPlatform.issuer) == iss)
        if client_id:
            statement = statement.where(col(LtiPlatform.client_id) == client_id)
        found = self._session.exec(statement.limit(2)).all()
        # Without a client id, only an issuer with a single registration is unambiguous.
        return found[0] if len(found) == 1 else None

    def find_registration_by_issuer(self, iss: str, *args: Any, **kwargs: Any) -> Registration:
        return self.find_registration_by_params(iss, "", *args, **kwargs)

    def find_registration_by_params(
        self,
        iss: str,
        client_id: str,
        *args: Any,  # noqa: ARG002 - the library passes the action and request
        **kwargs: Any,  # noqa: ARG002
    ) -> Registration:
        platform = self.platform(iss, client_id or None)
        if platform is None:
            return None  # type: ignore[return-value]  # the library checks for None
        key = signing_key(self._session)
        return (
            Registration()
            .set_issuer(platform.issuer)
            .set_client_id(platform.client_id)
            .set_auth_login_url(platform.auth_login_url)
            .set_auth_token_url(platform.auth_token_url)
            .set_key_set_url(platform.key_set_url)
            .set_tool_private_key(key.private_key_pem)
            .set_tool_public_key(public_pem(key.private_key_pem))
        )

    def find_deployment(self, iss: str, deployment_id: str) -> Deployment | None:
        return self.find_deployment_by_params(iss, deployment_id, "")

    def find_deployment_by_params(
        self,
        iss: str,
        deployment_id: str,
        client_id: str,
        *args: Any,  # noqa: ARG002
        **kwargs: Any,  # noqa: ARG002
    ) -> Deployment | None:
        platform = self.platform(iss, client_id or None)
        if platform is None:
            return None
        found = self._session.exec(
            select(LtiDeployment).where(
                col(LtiDeployment.platform_id) == platform.id,
                col(LtiDeployment.deployment_id) == deployment_id,
            )
        ).first()
        return Deployment().set_deployment_id(deployment_id) if found else None


def signing_key(session: Session) -> LtiToolKey:
    """The newest key not retired: the one Askwell signs with."""
    from app.core.errors import Conflict

    key = session.exec(
        select(LtiToolKey)
        .where(col(LtiToolKey.retired_at).is_(None))
        .order_by(col(LtiToolKey.created_at).desc())
    ).first()
    if key is None:
        raise Conflict("Askwell has no LTI key yet: run `askwell lti rotate-key` first.")
    return key


class DatabaseSessionService(SessionService):
    def __init__(self, request: LaunchRequest, session: Session) -> None:
        super().__init__(request)
        self.set_data_storage(DatabaseStorage(session))


class Login(OIDCLogin[LaunchRequest, DatabaseToolConf, SessionService, CookieJar, str]):
    def get_redirect(self, url: str) -> Redirect[str]:
        return UrlRedirect(url)


class Launch(MessageLaunch[LaunchRequest, DatabaseToolConf, SessionService, CookieJar]):
    """A launch whose platform keys are kept for an hour in the database, and fetched again
    when a launch names a key id they lack, at most every ``KEYS_REFETCH_AFTER``."""

    def _get_request_param(self, key: str) -> str:
        return self._request.get_param(key)

    def get_public_key(self) -> tuple[str, str]:
        assert self._registration is not None
        url = self._registration.get_key_set_url() or ""
        name = "platform-keys-" + hashlib.sha256(url.encode()).hexdigest()[:32]
        storage = self._session_service.data_storage
        cached = storage.get_value(name)
        if isinstance(cached, dict) and "jwks" in cached:
            self._registration.set_key_set(cached["jwks"])
            try:
                return super().get_public_key()
            except LtiKeyException:
                # A key id they lack: the platform may have rotated, but a stranger must
                # not make Askwell fetch the keys at every request.
                if time.time() - float(cached.get("fetched_at", 0)) < KEYS_REFETCH_AFTER:
                    raise
        jwks = self.fetch_public_key(url)
        self._registration.set_key_set(jwks)
        _keep(storage, name, {"jwks": jwks, "fetched_at": time.time()})
        return super().get_public_key()


KEYS_REFETCH_AFTER = 10.0
"""Seconds before a launch naming an unknown key id may fetch a platform's keys again."""
KEYS_KEPT_SECONDS = 3600


def _keep(storage: LaunchDataStorage[Any], name: str, value: Any) -> None:
    """Kept in a short transaction of its own, so a refused launch still counts."""
    if not isinstance(storage, DatabaseStorage):
        storage.set_value(name, value, exp=KEYS_KEPT_SECONDS)
        return
    with session_scope(storage.bind) as session:
        DatabaseStorage(session).set_value(name, value, exp=KEYS_KEPT_SECONDS)


def public_pem(private_pem: str) -> str:
    """The public half of one of Askwell's keys, from which pylti1p3 derives its key id."""
    private = serialization.load_pem_private_key(private_pem.encode(), password=None)
    return (
        private.public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        .decode()
    )

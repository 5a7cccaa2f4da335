"""LTI 1.3: registering platforms, Askwell's keys, and a launch that signs a person in.

A launch is checked by pylti1p3 (signature against the platform's published keys,
issuer, audience against the registered client id, deployment, expiry, message type), and
here besides: only RS256 is accepted, and the login's state and nonce are each used up by
the first launch that shows them, so a replayed launch is refused even with the browser's
cookie. People are found by (issuer, the platform's user id), never by email; a learner
becomes a practitioner and an instructor a trainer, and no launch ever makes an admin.
"""

from __future__ import annotations

import hashlib
import json
import re
import secrets
from dataclasses import dataclass
from datetime import timedelta
from typing import Any
from urllib.parse import urlsplit

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from jwcrypto.jwk import JWK
from pylti1p3.deep_link import DeepLink
from pylti1p3.deep_link_resource import DeepLinkResource
from pylti1p3.exception import LtiException, OIDCException
from sqlalchemy import update
from sqlmodel import Session, col, select

from app.auth import service as auth
from app.auth.passwords import Passwords
from app.auth.schemas import Viewer
from app.content import ContentIndex, Module
from app.core.config import Settings
from app.core.db import insert_ignoring_duplicates
from app.core.errors import Conflict, Forbidden, InvalidInput
from app.events import service as events
from app.events.destinations import Destinations
from app.lti.adapter import (
    CookieJar,
    DatabaseSessionService,
    DatabaseToolConf,
    Launch,
    LaunchRequest,
    Login,
    stored_key,
)
from app.lti.grades import LtiGrades
from app.lti.schemas import PlatformIn
from app.models.base import utcnow
from app.models.lti import (
    LtiDeployment,
    LtiGradeTarget,
    LtiIdentity,
    LtiPlatform,
    LtiStoredValue,
    LtiToolKey,
)
from app.models.users import Role, User, UserRole

LAUNCH_PATH = "/lti/launch"
LOGIN_STATE_LIFETIME = timedelta(minutes=5)
ROLES_CLAIM = "https://purl.imsglobal.org/spec/lti/claim/roles"
CUSTOM_CLAIM = "https://purl.imsglobal.org/spec/lti/claim/custom"
TARGET_CLAIM = "https://purl.imsglobal.org/spec/lti/claim/target_link_uri"
AGS_CLAIM = "https://purl.imsglobal.org/spec/lti-ags/claim/endpoint"
INSTRUCTOR_ROLES = ("#Instructor", "#TeachingAssistant", "#ContentDeveloper", "#Mentor")
LEARNER_ROLES = ("#Learner", "#Student")
PLACEHOLDER_DOMAIN = "lti.askwell.invalid"


# --- Keys ---------------------------------------------------------------------------------


def rotate_key(session: Session) -> str:
    """Make a new key pair; it signs from now on, and the older ones stay published (for
    tokens already signed) until retired. Returns the new key id."""
    private = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = private.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()
    jwk = JWK.from_pem(pem.encode())
    public = json.loads(jwk.export_public())
    kid = jwk.thumbprint()
    public.update({"kid": kid, "alg": "RS256", "use": "sig"})
    session.add(LtiToolKey(kid=kid, private_key_pem=pem, public_jwk=public))
    session.flush()
    return kid


def retire_keys_except_newest(session: Session) -> list[str]:
    """Stop publishing every key but the newest; returns the key ids retired."""
    keys = session.exec(
        select(LtiToolKey)
        .where(col(LtiToolKey.retired_at).is_(None))
        .order_by(col(LtiToolKey.created_at).desc())
    ).all()
    retired = [key.kid for key in keys[1:]]
    if retired:
        session.exec(
            update(LtiToolKey).where(col(LtiToolKey.kid).in_(retired)).values(retired_at=utcnow())
        )
    return retired


def jwks(session: Session) -> dict[str, list[dict[str, Any]]]:
    """Every key not retired, newest first: what platforms check Askwell's signatures with."""
    keys = session.exec(
        select(LtiToolKey)
        .where(col(LtiToolKey.retired_at).is_(None))
        .order_by(col(LtiToolKey.created_at).desc())
    ).all()
    return {"keys": [dict(key.public_jwk) for key in keys]}


# --- Registrations ------------------------------------------------------------------------


def register_platform(session: Session, platform: PlatformIn) -> LtiPlatform:
    """Register a platform, or add deployment ids to one already registered."""
    found = session.exec(
        select(LtiPlatform).where(
            col(LtiPlatform.issuer) == platform.issuer,
            col(LtiPlatform.client_id) == platform.client_id,
        )
    ).first()
    if found is None:
        found = LtiPlatform(
            name=platform.name,
            issuer=platform.issuer,
            client_id=platform.client_id,
            auth_login_url=platform.auth_login_url,
            auth_token_url=platform.auth_token_url,
            key_set_url=platform.key_set_url,
        )
        session.add(found)
        session.flush()
    # From now on, scores and completions are delivered to the platforms' gradebooks.
    events.install_destinations(session, Destinations(LtiGrades(session.get_bind)))
    for deployment_id in platform.deployment_ids:
        insert_ignoring_duplicates(
            session,
            LtiDeployment,
            {"platform_id": found.id, "deployment_id": deployment_id},
            ["platform_id", "deployment_id"],
        )
    return found


def frame_origins(session: Session) -> tuple[str, ...]:
    """The origins that may show Askwell in a frame: each registered platform's issuer
    and authorisation address (where its course pages are), https only."""
    origins: set[str] = set()
    for issuer, login_url in session.exec(
        select(LtiPlatform.issuer, LtiPlatform.auth_login_url)
    ).all():
        for address in (issuer, login_url):
            parts = urlsplit(address)
            if parts.scheme == "https" and parts.netloc and _ORIGIN_TEXT.fullmatch(parts.netloc):
                origins.add(f"https://{parts.netloc}")
    return tuple(sorted(origins))


_ORIGIN_TEXT = re.compile(r"[A-Za-z0-9.\-]+(:[0-9]{1,5})?")


# --- Login and launch ---------------------------------------------------------------------


@dataclass(frozen=True)
class LoginRedirect:
    location: str
    cookies: dict[str, tuple[str, int]]


def login(session: Session, launch_url: str, request: LaunchRequest) -> LoginRedirect:
    """Answer the platform's login initiation: remember a state and a nonce for this one
    launch, and send the browser to the platform's authorisation address."""
    cookies = CookieJar(request)
    oidc = Login(
        request,
        DatabaseToolConf(session),
        session_service=DatabaseSessionService(request, session),
        cookie_service=cookies,
    )
    try:
        location = oidc.redirect(launch_url)
    except (OIDCException, LtiException) as error:
        raise InvalidInput(_login_problem(str(error))) from error
    for name, (value, _lifetime) in cookies.to_set.items():
        if name.startswith("lti1p3-state-"):
            _remember_once(session, f"state-{value}", LOGIN_STATE_LIFETIME)
    return LoginRedirect(location=location, cookies=cookies.to_set)


def _login_problem(message: str) -> str:
    if "registration" in message.lower():
        return "This learning platform is not registered with Askwell. Ask an admin to register it."
    return f"The learning platform's sign-in request was incomplete: {message}"


def _remember_once(session: Session, name: str, lifetime: timedelta) -> None:
    insert_ignoring_duplicates(
        session,
        LtiStoredValue,
        {"key": stored_key(name), "value": True, "expires_at": utcnow() + lifetime},
        ["key"],
    )


def _use_once(session: Session, name: str) -> bool:
    """Use a value up; True only for the one caller that did (two racing launches: one)."""
    used = session.exec(
        update(LtiStoredValue)
        .where(
            col(LtiStoredValue.key) == stored_key(name),
            col(LtiStoredValue.used_at).is_(None),
            col(LtiStoredValue.expires_at) > utcnow(),
        )
        .values(used_at=utcnow())
    )
    return used.rowcount == 1


@dataclass(frozen=True)
class Launched:
    user: User
    session_token: str
    location: str
    claims: dict[str, Any]


def launch(
    session: Session,
    settings: Settings,
    passwords: Passwords,
    content: ContentIndex,
    request: LaunchRequest,
    previous_token: str | None,
) -> Launched:
    """Check a resource-link launch, find or make the person, and start their session."""
    _require_rs256(request.get_param("id_token"))
    message = Launch(
        request,
        DatabaseToolConf(session),
        session_service=DatabaseSessionService(request, session),
        cookie_service=CookieJar(request),
    )
    try:
        claims = dict(message.get_launch_data())
    except (LtiException, OIDCException) as error:
        raise Forbidden(_launch_problem(str(error))) from error
    state = request.get_param("state")
    nonce = str(claims.get("nonce", ""))
    # Both are used up here, in the launch's own transaction: a replay finds them used.
    if not _use_once(session, f"state-{state}") or not _use_once(session, f"nonce-{nonce}"):
        raise Forbidden(
            "This launch has already been used. Open Askwell again from your course page."
        )
    if message.is_deep_link_launch():
        if Role.trainer not in _mapped_roles(claims):
            raise Forbidden("Only a course's instructors can add Askwell's modules to it.")
        user = _person(session, passwords, claims)
        link_id = _keep_deep_link(session, message, claims, user)
        token = auth.start_session(session, settings, user, previous_token)
        return Launched(
            user=user, session_token=token, location=f"/lti/deep-link/{link_id}", claims=claims
        )
    if not message.is_resource_launch():
        raise InvalidInput("Askwell opens from a link to a module in your course.")
    user = _person(session, passwords, claims)
    location = _landing(content, claims)
    platform = DatabaseToolConf(session).platform(str(claims["iss"]), message.get_client_id())
    if platform is not None and location.startswith("/modules/"):
        _remember_grade_target(session, platform, user, location.removeprefix("/modules/"), claims)
    token = auth.start_session(session, settings, user, previous_token)
    return Launched(user=user, session_token=token, location=location, claims=claims)


def _remember_grade_target(
    session: Session, platform: LtiPlatform, user: User, slug: str, claims: dict[str, Any]
) -> None:
    """Where this person's scores for this module go, when the link offers a line item."""
    endpoint = claims.get(AGS_CLAIM)
    if not isinstance(endpoint, dict) or not endpoint.get("lineitem"):
        return
    values = {
        "subject": str(claims["sub"])[:255],
        "scopes": " ".join(str(scope) for scope in endpoint.get("scope", []))[:1000],
        "updated_at": utcnow(),
    }
    key = {"user_id": user.id, "module_slug": slug, "lineitem_url": str(endpoint["lineitem"])}
    if len(key["lineitem_url"]) > 1000:
        return
    if not insert_ignoring_duplicates(
        session,
        LtiGradeTarget,
        {**key, "platform_id": platform.id, **values},
        ["user_id", "module_slug", "lineitem_url"],
    ):
        session.exec(
            update(LtiGradeTarget)
            .where(*(col(getattr(LtiGradeTarget, name)) == value for name, value in key.items()))
            .values(**values)
        )


def _require_rs256(id_token: str) -> None:
    if not id_token:
        raise InvalidInput("The launch did not include its signed message (id_token).")
    try:
        header = jwt.get_unverified_header(id_token)
    except jwt.InvalidTokenError as error:
        raise InvalidInput("The launch's signed message could not be read.") from error
    if header.get("alg") != "RS256":
        raise Forbidden("Askwell accepts launches signed with RS256 only.")


def _launch_problem(message: str) -> str:
    lowered = message.lower()
    if "expired" in lowered:
        return "This launch has expired. Open Askwell again from your course page."
    if "deployment" in lowered:
        return "This deployment of Askwell is not registered. Ask an admin to add its id."
    if "client id" in lowered or "registration not found" in lowered:
        return "This launch was not meant for Askwell's registration with your platform."
    if "nonce" in lowered or "state" in lowered:
        return "This launch has already been used. Open Askwell again from your course page."
    if "public key" in lowered or "signature" in lowered or "decode" in lowered:
        return "The launch's signature could not be checked against your platform's keys."
    return f"Askwell could not accept this launch: {message}"


def _mapped_roles(claims: dict[str, Any]) -> set[Role]:
    roles = [str(role) for role in claims.get(ROLES_CLAIM, [])]
    mapped: set[Role] = set()
    if any(role.endswith(INSTRUCTOR_ROLES) for role in roles):
        mapped.add(Role.trainer)
    if any(role.endswith(LEARNER_ROLES) for role in roles):
        mapped.add(Role.practitioner)
    return mapped


def _person(session: Session, passwords: Passwords, claims: dict[str, Any]) -> User:
    issuer, subject = str(claims.get("iss", "")), str(claims.get("sub", ""))
    if not subject:
        raise InvalidInput("The launch did not say who you are (no user id).")
    roles = _mapped_roles(claims)
    if not roles:
        raise Forbidden("Askwell opens for learners and instructors only.")
    identity = session.exec(
        select(LtiIdentity).where(
            col(LtiIdentity.issuer) == issuer, col(LtiIdentity.subject) == subject
        )
    ).first()
    if identity is None:
        user = _new_person(session, passwords, issuer, subject, claims, roles)
    else:
        found = session.get(User, identity.user_id)
        if found is None or not found.is_active:
            raise Forbidden("Your Askwell account is closed. Ask an admin to reopen it.")
        user = found
        held = auth.roles_of(session, identity.user_id)
        for role in sorted(roles - held):
            session.add(UserRole(user_id=identity.user_id, role=role.value))
        session.flush()
    return user


def _new_person(
    session: Session,
    passwords: Passwords,
    issuer: str,
    subject: str,
    claims: dict[str, Any],
    roles: set[Role],
) -> User:
    """An account of their own; its email is a placeholder (never the platform's, so an
    LMS cannot take over an account that uses it) and it has no password anyone knows."""
    digest = hashlib.sha256(f"{issuer}\n{subject}".encode()).hexdigest()[:24]
    name = str(claims.get("name") or claims.get("given_name") or "Learner from your course")
    # Made here rather than by auth.create_user: that would check the placeholder email
    # as one a person typed, and refuse its reserved domain.
    user = User(
        email=f"lti-{digest}@{PLACEHOLDER_DOMAIN}",
        display_name=" ".join(name.split())[:120] or "Learner from your course",
        password_hash=passwords.hash(secrets.token_urlsafe(32)),
    )
    session.add(user)
    session.flush()
    session.add_all(UserRole(user_id=user.id, role=role.value) for role in sorted(roles))
    session.add(LtiIdentity(issuer=issuer, subject=subject, user_id=user.id or 0))
    session.flush()
    return user


def _landing(content: ContentIndex, claims: dict[str, Any]) -> str:
    """The module the link names (custom ``module``, or a target under /modules/)."""
    custom = claims.get(CUSTOM_CLAIM) or {}
    slug = str(custom.get("module", "")) if isinstance(custom, dict) else ""
    if not slug:
        path = urlsplit(str(claims.get(TARGET_CLAIM, ""))).path
        if path.startswith("/modules/"):
            slug = path.removeprefix("/modules/").split("/")[0]
    if slug and content.get(slug) is not None:
        return f"/modules/{slug}"
    return "/modules"


# --- Deep Linking -------------------------------------------------------------------------

DEEP_LINKING_CLAIM = "https://purl.imsglobal.org/spec/lti-dl/claim/deep_linking_settings"
DEPLOYMENT_CLAIM = "https://purl.imsglobal.org/spec/lti/claim/deployment_id"
DEEP_LINK_LIFETIME = timedelta(hours=1)


def _keep_deep_link(session: Session, message: Launch, claims: dict[str, Any], user: User) -> str:
    """What the instructor's choice needs, kept for an hour under an unguessable id."""
    link_id = secrets.token_urlsafe(24)
    settings = claims.get(DEEP_LINKING_CLAIM) or {}
    if not isinstance(settings, dict) or not settings.get("deep_link_return_url"):
        raise InvalidInput("The platform did not say where to send the chosen modules.")
    insert_ignoring_duplicates(
        session,
        LtiStoredValue,
        {
            "key": stored_key(f"deep-link-{link_id}"),
            "value": {
                "user_id": user.id,
                "issuer": str(claims["iss"]),
                "client_id": message.get_client_id(),
                "deployment_id": str(claims.get(DEPLOYMENT_CLAIM, "")),
                "settings": settings,
            },
            "expires_at": utcnow() + DEEP_LINK_LIFETIME,
        },
        ["key"],
    )
    return link_id


@dataclass(frozen=True)
class DeepLinkChoice:
    link_id: str
    modules: list[Module]
    accept_multiple: bool
    title: str


def _deep_link(session: Session, viewer: Viewer, link_id: str) -> dict[str, Any]:
    auth.require_role(viewer, Role.trainer)
    row = session.exec(
        select(LtiStoredValue).where(
            col(LtiStoredValue.key) == stored_key(f"deep-link-{link_id}"),
            col(LtiStoredValue.expires_at) > utcnow(),
            col(LtiStoredValue.used_at).is_(None),
        )
    ).first()
    if row is None or not isinstance(row.value, dict) or row.value.get("user_id") != viewer.id:
        raise Conflict(
            "This choice of modules has expired or was made already. "
            "Start again from your course's \u201cadd an activity\u201d page."
        )
    return row.value


def deep_link_choice(
    session: Session, content: ContentIndex, viewer: Viewer, link_id: str
) -> DeepLinkChoice:
    """The catalogue an instructor picks from, for the course that asked."""
    kept = _deep_link(session, viewer, link_id)
    settings = kept["settings"]
    return DeepLinkChoice(
        link_id=link_id,
        modules=list(content.all()),
        accept_multiple=bool(settings.get("accept_multiple", True)),
        title=str(settings.get("title") or ""),
    )


@dataclass(frozen=True)
class DeepLinkAnswer:
    return_url: str
    jwt: str
    titles: list[str]


def answer_deep_link(
    session: Session,
    content: ContentIndex,
    viewer: Viewer,
    link_id: str,
    slugs: list[str],
    launch_url: str,
) -> DeepLinkAnswer:
    """Sign the chosen modules as LTI resource links, each opening its module."""
    kept = _deep_link(session, viewer, link_id)
    chosen = [content.get(slug) for slug in dict.fromkeys(slugs)]
    modules = [module for module in chosen if module is not None]
    if not modules:
        raise InvalidInput("Choose at least one module.", field="modules")
    if len(modules) > 1 and not kept["settings"].get("accept_multiple", True):
        raise InvalidInput("This course takes one module at a time: choose one.", field="modules")
    tool = DatabaseToolConf(session)
    registration = tool.find_registration_by_params(kept["issuer"], kept["client_id"])
    if registration is None:
        raise Conflict("That learning platform is no longer registered with Askwell.")
    resources = [
        DeepLinkResource()
        .set_url(launch_url)
        .set_title(module.title)
        .set_custom_params({"module": module.slug})
        for module in modules
    ]
    deep_link = DeepLink(registration, kept["deployment_id"], kept["settings"])
    session.exec(
        update(LtiStoredValue)
        .where(col(LtiStoredValue.key) == stored_key(f"deep-link-{link_id}"))
        .values(used_at=utcnow())
    )
    return_url = str(kept["settings"]["deep_link_return_url"])
    parts = urlsplit(return_url)
    if parts.scheme not in ("https", "http") or not _ORIGIN_TEXT.fullmatch(parts.netloc):
        raise Conflict("The platform's return address is not one Askwell can send to.")
    return DeepLinkAnswer(
        return_url=return_url,
        jwt=deep_link.get_response_jwt(resources),
        titles=[module.title for module in modules],
    )

"""Accounts, sign-in, server-side sessions and the sign-in rate limit."""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from email_validator import EmailNotValidError, validate_email
from sqlalchemy import Engine, delete, func, or_, text, update
from sqlmodel import Session, col, select

from app.auth.passwords import NEW_PASSWORD, Passwords, password_problem
from app.auth.schemas import Viewer
from app.core.config import Settings
from app.core.db import hold_write_lock, session_scope
from app.core.errors import Conflict, Forbidden, InvalidInput, NotFound, RateLimited
from app.core.security_log import email_fingerprint, record_event
from app.core.text import single_line
from app.models.auth import LoginAttempt, PasswordReset, ShownLink, UserSession
from app.models.base import utcnow
from app.models.users import AgeBand, Role, User, UserRole

SESSION_COOKIE = "askwell_session"
SESSION_TOUCH_INTERVAL = timedelta(minutes=5)
RATE_LIMIT_WINDOW = timedelta(minutes=1)
LOGIN_HISTORY_KEPT = timedelta(days=1)
MAXIMUM_DISPLAY_NAME_LENGTH = 120
PASSWORD_RESET_LIFETIME = timedelta(hours=24)
SHOWN_LINK_LIFETIME = timedelta(minutes=30)


def normalise_email(email: str) -> str:
    """Accounts are found by a canonical email; the check is about form, never delivery."""
    try:
        checked = validate_email(email.strip(), check_deliverability=False, test_environment=True)
    except EmailNotValidError as error:
        raise InvalidInput(f"Enter a valid email address ({error}).") from error
    return checked.normalized.lower()


def hash_session_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def require_role(viewer: Viewer, *roles: Role) -> None:
    """Every service that serves one role starts here."""
    if not viewer.has(*roles):
        raise Forbidden()


def create_user(
    session: Session,
    passwords: Passwords,
    *,
    email: str,
    password: str,
    display_name: str,
    roles: Iterable[Role],
    age_band: AgeBand | str | None = None,
) -> User:
    """A new account; co-designers give an age band (16-17 or 18-24), never a date of birth."""
    email = normalise_email(email)
    display_name = single_line(display_name, "a name", MAXIMUM_DISPLAY_NAME_LENGTH)
    role_set = {Role(role) for role in roles}
    if not role_set:
        raise InvalidInput("Choose at least one role.")
    if problem := password_problem(password):
        raise InvalidInput(problem)
    band = _age_band(age_band, role_set)
    if session.exec(select(User.id).where(User.email == email)).first() is not None:
        raise Conflict("An account with that email address already exists.")
    user = User(
        email=email,
        display_name=display_name,
        password_hash=passwords.hash(password),
        age_band=band.value if band else None,
    )
    session.add(user)
    session.flush()
    session.add_all(UserRole(user_id=user.id, role=role.value) for role in sorted(role_set))
    session.flush()
    return user


def _age_band(value: AgeBand | str | None, roles: set[Role]) -> AgeBand | None:
    if value is None or value == "":
        if Role.codesigner in roles:
            raise InvalidInput("Choose the co-designer's age band: 16-17 or 18-24.")
        return None
    try:
        return AgeBand(value)
    except ValueError as error:
        raise InvalidInput("Age band must be 16-17 or 18-24.") from error


def find_user_by_email(session: Session, email: str) -> User | None:
    try:
        email = normalise_email(email)
    except InvalidInput:
        return None
    return session.exec(select(User).where(User.email == email)).first()


def roles_of(session: Session, user_id: int) -> frozenset[Role]:
    rows = session.exec(select(UserRole.role).where(UserRole.user_id == user_id)).all()
    return frozenset(Role(role) for role in rows)


def _enforce_rate_limit(
    session: Session, settings: Settings, email: str, client: str, now: datetime
) -> None:
    since = now - RATE_LIMIT_WINDOW
    by_account, by_client = session.exec(
        select(
            func.count().filter(LoginAttempt.email == email),
            func.count().filter(LoginAttempt.client == client),
        ).where(
            LoginAttempt.attempted_at >= since,
            or_(LoginAttempt.email == email, LoginAttempt.client == client),
        )
    ).one()
    if max(by_account, by_client) >= settings.login_attempts_per_minute:
        raise RateLimited(
            "Too many sign-in attempts. Please wait a minute and try again; "
            "your account has not been locked."
        )


def attempt_key(email: str, user: User | None) -> str:
    """What the per-account limit counts: the account when there is one, else the normalised
    address, so look-alike spellings of one address (full-width letters, other cases) share
    one budget instead of each getting a fresh one."""
    if user is not None:
        return user.email
    try:
        return normalise_email(email)[:254]
    except InvalidInput:
        return email.strip().lower()[:254]


def _serialise_attempts(session: Session, key: str, client: str) -> None:
    """Make counting and recording one step per account and per client, so simultaneous
    guesses cannot all pass the limit: SQLite's write lock, PostgreSQL's advisory locks."""
    if session.get_bind().dialect.name != "postgresql":
        hold_write_lock(session)
        return
    for name in sorted({f"account:{key}", f"client:{client}"}):
        session.execute(text("SELECT pg_advisory_xact_lock(hashtext(:name))"), {"name": name})


def _reserve_attempt(
    engine: Engine, settings: Settings, *, email: str, user_id: int | None, client: str
) -> tuple[int, int | None, str | None]:
    """Count an attempt before its password is checked, in a short write transaction of its
    own: (attempt id, user id, password hash). Counting first means attempts sent all at once
    cannot pass the limit together while their passwords are being checked."""
    now = utcnow()
    with session_scope(engine) as recording:
        user = (
            recording.get(User, user_id)
            if user_id is not None
            else find_user_by_email(recording, email)
        )
        key = attempt_key(email, user)
        _serialise_attempts(recording, key, client)
        _enforce_rate_limit(recording, settings, key, client, now)
        # Everyone's old attempts, not just this person's: the privacy page promises they go.
        recording.exec(
            delete(LoginAttempt).where(LoginAttempt.attempted_at < now - LOGIN_HISTORY_KEPT)
        )
        attempt = LoginAttempt(email=key, client=client, succeeded=False, attempted_at=now)
        recording.add(attempt)
        recording.flush()
        assert attempt.id is not None
        usable = user is not None and user.is_active
        return attempt.id, user.id if user else None, user.password_hash if usable else None


def _verify_counted(
    engine: Engine,
    settings: Settings,
    passwords: Passwords,
    *,
    password: str,
    client: str,
    email: str = "",
    user_id: int | None = None,
) -> int | None:
    """The account's id when the password is right, after counting the attempt.

    The argon2 check (a third of a second by design) runs with no transaction open, so
    wrong passwords sent by anyone never hold up other people's writes; the attempt is
    recorded before and marked after in short transactions of their own. An unknown address
    is checked against a decoy hash, so it takes as long as a wrong password.
    """
    attempt_id, found_id, password_hash = _reserve_attempt(
        engine, settings, email=email, user_id=user_id, client=client[:64]
    )
    if not passwords.verify(password_hash, password) or password_hash is None:
        return None
    new_hash = passwords.hash(password) if passwords.needs_rehash(password_hash) else None
    with session_scope(engine) as recording:
        recording.exec(
            update(LoginAttempt).where(LoginAttempt.id == attempt_id).values(succeeded=True)
        )
        if new_hash is not None:
            recording.exec(
                update(User)
                .where(col(User.id) == found_id, User.password_hash == password_hash)
                .values(password_hash=new_hash)
            )
    return found_id


def authenticate(
    engine: Engine,
    settings: Settings,
    passwords: Passwords,
    *,
    email: str,
    password: str,
    client: str,
) -> User | None:
    """The user when email and password match; None otherwise.

    It takes the engine rather than the request's session because its attempts must be
    kept whatever the request does next, and because the request's session (a writing
    one) would hold SQLite's write lock through the password check.
    """
    user_id = _verify_counted(
        engine, settings, passwords, email=email, password=password, client=client
    )
    with session_scope(engine, write=False) as reading:
        user = reading.get(User, user_id) if user_id is not None else None
        if user is None or not user.is_active:
            known = user is not None or find_user_by_email(reading, email) is not None
            record_event(
                "sign_in.failed",
                client=client[:64],
                account=email_fingerprint(email.strip().lower()[:254]),
                known=known,
            )
            return None
    record_event("sign_in.succeeded", client=client[:64], user_id=user.id)
    return user


def start_session(
    session: Session, settings: Settings, user: User, previous_token: str | None
) -> str:
    """A fresh session id at every sign-in, so a planted cookie is never promoted."""
    assert user.id is not None
    now = utcnow()
    if previous_token:
        session.exec(
            delete(UserSession).where(UserSession.id == hash_session_token(previous_token))
        )
    session.exec(
        delete(UserSession).where(
            UserSession.user_id == user.id,
            or_(
                UserSession.last_seen_at < now - timedelta(minutes=settings.session_idle_minutes),
                UserSession.created_at < now - timedelta(hours=settings.session_absolute_hours),
            ),
        )
    )
    token = secrets.token_urlsafe(32)
    session.add(
        UserSession(id=hash_session_token(token), user_id=user.id, created_at=now, last_seen_at=now)
    )
    return token


@dataclass(frozen=True)
class SignedIn:
    user: User
    token: str
    """The new session's cookie value; only its hash is stored."""


def sign_in(
    session: Session,
    engine: Engine,
    settings: Settings,
    passwords: Passwords,
    *,
    email: str,
    password: str,
    client: str,
    previous_token: str | None,
) -> SignedIn | None:
    """Check the password (counted, see ``authenticate``) and start a fresh session: the
    sign-in page and ``POST /api/v1/auth/login`` alike. None when they do not match."""
    user = authenticate(engine, settings, passwords, email=email, password=password, client=client)
    if user is None:
        return None
    return SignedIn(user=user, token=start_session(session, settings, user, previous_token))


def resolve_session(session: Session, settings: Settings, token: str) -> tuple[Viewer, bool] | None:
    """The viewer for a cookie, and whether its last-seen time is due an update.

    Sessions end after ``session_idle_minutes`` without a request and after
    ``session_absolute_hours`` in any case.
    """
    now = utcnow()
    roles = (
        select(func.aggregate_strings(UserRole.role, ","))
        .where(UserRole.user_id == UserSession.user_id)
        .scalar_subquery()
    )
    # One query for the session, its person and their roles: it runs on every request.
    row = session.exec(
        select(UserSession, User, roles)
        .join(User, User.id == UserSession.user_id)
        .where(UserSession.id == hash_session_token(token))
    ).first()
    if row is None:
        return None
    user_session, user, role_names = row
    idle_limit = timedelta(minutes=settings.session_idle_minutes)
    absolute_limit = timedelta(hours=settings.session_absolute_hours)
    if (
        not user.is_active
        or now - user_session.last_seen_at > idle_limit
        or now - user_session.created_at > absolute_limit
    ):
        return None
    assert user.id is not None
    viewer = Viewer(
        id=user.id,
        email=user.email,
        display_name=user.display_name,
        roles=frozenset(Role(role) for role in (role_names or "").split(",") if role),
        session_id=user_session.id,
    )
    return viewer, now - user_session.last_seen_at > SESSION_TOUCH_INTERVAL


def touch_session(session: Session, session_id: str) -> None:
    session.exec(
        update(UserSession).where(UserSession.id == session_id).values(last_seen_at=utcnow())
    )


def end_session(session: Session, token: str) -> None:
    session.exec(delete(UserSession).where(UserSession.id == hash_session_token(token)))


# --- Changing and resetting a password ----------------------------------------------------


def _end_sessions(session: Session, user_id: int, *, keep: str | None = None) -> None:
    statement = delete(UserSession).where(UserSession.user_id == user_id)
    if keep is not None:
        statement = statement.where(UserSession.id != keep)
    session.exec(statement)


def change_password(
    session: Session,
    engine: Engine,
    settings: Settings,
    passwords: Passwords,
    viewer: Viewer,
    *,
    current_password: str,
    new_password: str,
    confirm_password: str,
    client: str,
) -> dict[str, str]:
    """Change one's own password, and end every other session of the account.

    Returns the problems by field (none when it worked). Like signing in, the current
    password is counted by the same per-account limit, so this is never a way to guess;
    it is checked before the request's session writes anything.
    """
    errors: dict[str, str] = {}
    if (
        _verify_counted(
            engine,
            settings,
            passwords,
            user_id=viewer.id,
            password=current_password,
            client=client,
        )
        is None
    ):
        errors["current_password"] = "That is not your current password."  # noqa: S105
    errors.update(NEW_PASSWORD.problems(new_password, confirm_password))
    if errors:
        return errors
    new_hash = passwords.hash(new_password)  # before the first query takes the write lock
    user = session.get(User, viewer.id)
    if user is None:
        raise NotFound("We could not find your account.")
    user.password_hash = new_hash
    session.add(user)
    _end_sessions(session, user.id or 0, keep=viewer.session_id)
    return {}


@dataclass(frozen=True)
class NewPasswordReset:
    token: str
    expires_at: datetime

    @property
    def path(self) -> str:
        return f"/password-reset/{self.token}"


def make_password_reset(
    session: Session, user: User, created_by: Viewer, secret: LinkSecret | None = None
) -> NewPasswordReset:
    """A fresh single-use link for this account; any earlier unused one stops working."""
    assert user.id is not None
    session.exec(
        delete(PasswordReset).where(
            PasswordReset.user_id == user.id, col(PasswordReset.used_at).is_(None)
        )
    )
    now = utcnow()
    token = secret.token if secret else secrets.token_urlsafe(32)
    session.add(
        PasswordReset(
            user_id=user.id,
            token_hash=hash_session_token(token),
            created_by=created_by.id,
            created_at=now,
            expires_at=now + PASSWORD_RESET_LIFETIME,
        )
    )
    return NewPasswordReset(token=token, expires_at=now + PASSWORD_RESET_LIFETIME)


def password_reset_is_open(session: Session, token: str) -> bool:
    """Whether a reset link would still work: not used, not replaced, not expired."""
    return (
        session.exec(
            select(PasswordReset.id).where(
                PasswordReset.token_hash == hash_session_token(token),
                col(PasswordReset.used_at).is_(None),
                col(PasswordReset.expires_at) > utcnow(),
            )
        ).first()
        is not None
    )


def open_password_reset(
    session: Session, token: str, *, lock: bool = False
) -> tuple[PasswordReset, User]:
    """The reset behind a link, or a plain reason why it cannot be used.

    ``lock`` holds the row until the request commits, so a link sent twice at once is used
    once (PostgreSQL; SQLite's writers already queue).
    """
    statement = (
        select(PasswordReset, User)
        .join(User, col(User.id) == PasswordReset.user_id)
        .where(PasswordReset.token_hash == hash_session_token(token))
    )
    if lock:
        statement = statement.with_for_update(of=PasswordReset)
    row = session.exec(statement).first()
    if row is None:
        raise NotFound(
            "This link is not one Askwell made, or a newer one has replaced it. "
            "Ask your Askwell administrator for a new link."
        )
    reset, user = row
    if reset.used_at is not None:
        raise Conflict(
            "This link has already been used. Sign in with your new password, or ask your "
            "Askwell administrator for a new link."
        )
    if reset.expires_at <= utcnow():
        raise Conflict(
            "This link has expired: links work for 24 hours. "
            "Ask your Askwell administrator for a new one."
        )
    if not user.is_active:
        raise Conflict("This account has been closed. Ask your Askwell administrator.")
    return reset, user


def use_password_reset(
    session: Session,
    passwords: Passwords,
    token: str,
    *,
    new_password: str,
    confirm_password: str,
) -> dict[str, str]:
    """Set a new password from a reset link, once; every session of the account ends."""
    reset, user = open_password_reset(session, token, lock=True)
    errors = NEW_PASSWORD.problems(new_password, confirm_password)
    if errors:
        return errors
    reset.used_at = utcnow()
    user.password_hash = passwords.hash(new_password)
    session.add_all([reset, user])
    _end_sessions(session, user.id or 0)
    return {}


def set_password_by_operator(
    session: Session, passwords: Passwords, email: str, new_password: str
) -> User:
    """For whoever runs the server, when nobody who could make a reset link can sign in
    (the only admin has forgotten theirs). Every session of the account ends."""
    user = find_user_by_email(session, email)
    if user is None or user.id is None:
        raise NotFound(f"No account uses {email.strip()}.")
    if problem := password_problem(new_password):
        raise InvalidInput(problem)
    user.password_hash = passwords.hash(new_password)
    session.add(user)
    _end_sessions(session, user.id)
    return user


# --- One's own details ----------------------------------------------------------------------


@dataclass(frozen=True)
class OwnDetails:
    email: str
    display_name: str
    age_band: str | None
    shows_age_band: bool


def own_details(session: Session, viewer: Viewer) -> OwnDetails:
    user = session.get(User, viewer.id)
    if user is None:
        raise NotFound("We could not find your account.")
    return OwnDetails(
        email=user.email,
        display_name=user.display_name,
        age_band=user.age_band,
        shows_age_band=viewer.has(Role.codesigner),
    )


def update_own_details(
    session: Session, viewer: Viewer, *, display_name: str, age_band: str | None
) -> dict[str, str]:
    """Put right one's own name (it is printed on certificates) and, for a young co-designer,
    age band (someone who turns 18 moves to 18-24). Problems come back by field."""
    user = session.get(User, viewer.id)
    if user is None:
        raise NotFound("We could not find your account.")
    errors: dict[str, str] = {}
    try:
        name = single_line(display_name, "your name", MAXIMUM_DISPLAY_NAME_LENGTH)
    except InvalidInput as invalid:
        errors["display_name"] = invalid.message
    band = None
    if viewer.has(Role.codesigner) and age_band:
        try:
            band = _age_band(age_band, {Role.codesigner})
        except InvalidInput as invalid:
            errors["age_band"] = invalid.message
    if errors:
        return errors
    user.display_name = name
    if band is not None:
        user.age_band = band.value
    session.add(user)
    return {}


# --- Showing a new link to its creator again --------------------------------------------
#
# Invitation and reset links are kept only as a hash, yet the page that shows a new one must
# survive a reload (post/redirect/get). So the link's token is derived from the creator's
# session cookie and a random nonce, and only the nonce is held, in a short-lived row tied
# to that session. The database never sees the cookie (sessions are stored by its hash), so
# neither the row nor a copy of the database can rebuild a link; the creator's own browser
# can, for SHOWN_LINK_LIFETIME or until they sign out, whichever comes first.


@dataclass(frozen=True)
class LinkSecret:
    """A new link's token, and the nonce that lets its creator's session derive it again."""

    nonce: str
    token: str


def _derive_link_token(creator_cookie: str, nonce: str) -> str:
    digest = hmac.new(
        creator_cookie.encode(), b"askwell shown link\x00" + nonce.encode(), hashlib.sha256
    ).digest()
    return base64.urlsafe_b64encode(digest).decode().rstrip("=")


def new_link_secret(creator_cookie: str | None) -> LinkSecret:
    """A token for a new link; without a cookie (an API client) it is random and shown once."""
    nonce = secrets.token_urlsafe(16)
    if not creator_cookie:
        return LinkSecret(nonce=nonce, token=secrets.token_urlsafe(32))
    return LinkSecret(nonce=nonce, token=_derive_link_token(creator_cookie, nonce))


def hold_links(
    session: Session,
    viewer: Viewer,
    kind: str,
    made: Iterable[tuple[int, LinkSecret]],
    *,
    notes: Iterable[str] = (),
) -> str:
    """Remember which links this session just made (and, in ``notes``, what else the page
    said about them), so a reload can show them again.

    Returns the batch key for the page's address; it reveals nothing without the cookie.
    """
    now = utcnow()
    session.exec(delete(ShownLink).where(col(ShownLink.expires_at) <= now))
    batch = secrets.token_urlsafe(16)
    rows = [(subject_id, secret.nonce, None) for subject_id, secret in made]
    rows += [(0, "", note[:400]) for note in notes]
    for subject_id, nonce, detail in rows:
        session.add(
            ShownLink(
                session_id=viewer.session_id,
                batch=batch,
                kind=kind,
                subject_id=subject_id,
                nonce=nonce,
                detail=detail,
                created_at=now,
                expires_at=now + SHOWN_LINK_LIFETIME,
            )
        )
    return batch


def _held(session: Session, viewer: Viewer, kind: str, batch: str) -> list[ShownLink]:
    return list(
        session.exec(
            select(ShownLink)
            .where(
                ShownLink.session_id == viewer.session_id,
                ShownLink.batch == batch[:32],
                ShownLink.kind == kind,
                col(ShownLink.expires_at) > utcnow(),
            )
            .order_by(col(ShownLink.id))
        ).all()
    )


def held_notes(session: Session, viewer: Viewer, kind: str, batch: str) -> list[str] | None:
    """The notes held with a batch this session made; None once it is gone (or never was)."""
    rows = _held(session, viewer, kind, batch)
    if not rows:
        return None
    return [row.detail for row in rows if row.detail is not None]


def shown_links(
    session: Session, viewer: Viewer, creator_cookie: str | None, kind: str, batch: str
) -> list[tuple[int, str]]:
    """The (subject id, token) of each link in a batch this session made, while it is held;
    nothing for any other session, however the address was obtained."""
    if not creator_cookie:
        return []
    return [
        (row.subject_id, _derive_link_token(creator_cookie, row.nonce))
        for row in _held(session, viewer, kind, batch)
        if row.nonce
    ]


RESET_FOR_ANOTHER_ACCOUNT = "This password reset link is for another account. Sign out to use it."  # noqa: S105


class ResetForAnotherAccount(Conflict):
    """A reset link opened signed in with another account: said without naming the one
    it is for, so whoever holds the link learns nothing more about it."""


def require_reset_for(session: Session, token: str, viewer: Viewer | None) -> None:
    """A reset link works signed out, or signed in with the account it is for."""
    if viewer is None:
        return
    _, user = open_password_reset(session, token)
    if user.id != viewer.id:
        raise ResetForAnotherAccount(RESET_FOR_ANOTHER_ACCOUNT)

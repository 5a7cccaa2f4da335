"""Admins manage accounts: find people, change their roles, switch accounts off and on,
and make password reset links."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import delete, func, or_
from sqlmodel import Session, col, select

from app.accounts.schemas import AccountList, AccountOut, AccountUpdate
from app.audit import service as audit
from app.auth import service as auth
from app.auth.schemas import Viewer
from app.auth.service import NewPasswordReset, require_role
from app.core.errors import Conflict, InvalidInput, NotFound
from app.models.auth import UserSession
from app.models.users import Role, User, UserRole

PAGE_SIZE = 50
PASSWORD_RESET_LINK = "password_reset"  # noqa: S105 - a kind of link, not a secret
MAXIMUM_QUERY_LENGTH = 100


def _roles_by_user(session: Session, user_ids: list[int]) -> dict[int, list[Role]]:
    roles: dict[int, list[Role]] = defaultdict(list)
    for user_id, role in session.exec(
        select(UserRole.user_id, UserRole.role).where(col(UserRole.user_id).in_(user_ids))
    ).all():
        roles[user_id].append(Role(role))
    return roles


def _out(user: User, roles: list[Role]) -> AccountOut:
    assert user.id is not None
    return AccountOut(
        id=user.id,
        email=user.email,
        display_name=user.display_name,
        roles=sorted(roles),
        is_active=user.is_active,
        created_at=user.created_at,
    )


def list_accounts(
    session: Session, viewer: Viewer, *, query: str = "", role: Role | None = None, page: int = 1
) -> AccountList:
    require_role(viewer, Role.admin)
    if len(query) > MAXIMUM_QUERY_LENGTH:
        raise InvalidInput(f"Search for at most {MAXIMUM_QUERY_LENGTH} characters.")
    page = max(1, page)
    statement = select(User).order_by(func.lower(User.display_name), User.id)
    if query.strip():
        pattern = f"%{query.strip().lower()}%"
        statement = statement.where(
            or_(func.lower(User.email).like(pattern), func.lower(User.display_name).like(pattern))
        )
    if role is not None:
        statement = statement.where(
            col(User.id).in_(select(UserRole.user_id).where(UserRole.role == role.value))
        )
    users = list(session.exec(statement.offset((page - 1) * PAGE_SIZE).limit(PAGE_SIZE + 1)).all())
    shown = users[:PAGE_SIZE]
    roles = _roles_by_user(session, [u.id for u in shown if u.id is not None])
    return AccountList(
        accounts=[_out(user, roles.get(user.id or 0, [])) for user in shown],
        page=page,
        has_more=len(users) > PAGE_SIZE,
    )


def get_account(session: Session, viewer: Viewer, user_id: int) -> AccountOut:
    require_role(viewer, Role.admin)
    user = session.get(User, user_id)
    if user is None:
        raise NotFound("We could not find that account.")
    return _out(user, _roles_by_user(session, [user_id]).get(user_id, []))


def update_account(
    session: Session, viewer: Viewer, user_id: int, change: AccountUpdate
) -> AccountOut:
    """Roles and the on/off switch; switching off ends every session at once."""
    before = get_account(session, viewer, user_id)
    new_roles = set(change.roles)
    if user_id == viewer.id and (Role.admin not in new_roles or not change.is_active):
        raise Conflict("You cannot remove your own admin role or switch off your own account.")
    user = session.get(User, user_id)
    assert user is not None
    session.exec(delete(UserRole).where(col(UserRole.user_id) == user_id))
    session.add_all(UserRole(user_id=user_id, role=role.value) for role in sorted(new_roles))
    user.is_active = change.is_active
    if not change.is_active:
        session.exec(delete(UserSession).where(col(UserSession.user_id) == user_id))
    session.flush()
    after = _out(user, sorted(new_roles))
    changes = []
    if before.roles != after.roles:
        changes.append(f"roles {','.join(before.roles)} -> {','.join(after.roles)}")
    if before.is_active != after.is_active:
        changes.append("switched on" if after.is_active else "switched off")
    if changes:
        audit.record(session, viewer, "account.update", "user", user_id, "; ".join(changes))
    return after


def create_password_reset(
    session: Session, viewer: Viewer, user_id: int, secret: auth.LinkSecret | None = None
) -> NewPasswordReset:
    """A single-use link, for 24 hours, for someone who has forgotten their password.

    Askwell sends no email: the admin passes the link on by a channel they trust. Only its
    hash is kept, and a newer link replaces an unused older one.
    """
    get_account(session, viewer, user_id)
    user = session.get(User, user_id)
    assert user is not None
    if not user.is_active:
        raise Conflict("This account is switched off: switch it on before resetting its password.")
    created = auth.make_password_reset(session, user, viewer, secret)
    audit.record(session, viewer, "account.password_reset_link", "user", user_id)
    return created


@dataclass(frozen=True)
class ShownResetLink:
    """A reset link made in this session, and whether it would still work."""

    path: str
    usable: bool


def shown_password_reset(
    session: Session, viewer: Viewer, user_id: int, creator_cookie: str | None, batch: str
) -> ShownResetLink | None:
    """The reset link this admin just made for this account, while it is held for them."""
    get_account(session, viewer, user_id)
    for subject_id, token in auth.shown_links(
        session, viewer, creator_cookie, PASSWORD_RESET_LINK, batch
    ):
        if subject_id == user_id:
            return ShownResetLink(
                path=f"/password-reset/{token}",
                usable=auth.password_reset_is_open(session, token),
            )
    return None

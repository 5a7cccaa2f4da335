"""The audit log: every trainer and admin action on people's data, readable by admins."""

from __future__ import annotations

from sqlmodel import Session, col, select

from app.audit.schemas import AuditEventOut, AuditPage
from app.auth.schemas import Viewer
from app.auth.service import require_role
from app.models.audit import AuditEvent
from app.models.users import Role, User

PAGE_SIZE = 50
MAXIMUM_DETAIL_LENGTH = 2000


def record(
    session: Session,
    actor: Viewer | None,
    action: str,
    target_type: str,
    target_id: object,
    detail: str = "",
) -> None:
    """Write one event in the same transaction as the action, so neither exists without the other.

    ``action`` is a dotted verb such as ``scenario.accept`` or ``report.export``;
    ``detail`` never holds a young person's words, only what an auditor needs.
    """
    session.add(
        AuditEvent(
            actor_id=actor.id if actor else None,
            action=action[:80],
            target_type=target_type[:40],
            target_id=str(target_id)[:80],
            detail=detail[:MAXIMUM_DETAIL_LENGTH],
        )
    )


def list_events(
    session: Session,
    viewer: Viewer,
    *,
    page: int = 1,
    action: str | None = None,
    actor_email: str | None = None,
) -> AuditPage:
    require_role(viewer, Role.admin)
    page = max(1, page)
    statement = (
        select(AuditEvent, User.email)
        .join(User, col(User.id) == col(AuditEvent.actor_id), isouter=True)
        .order_by(col(AuditEvent.at).desc(), col(AuditEvent.id).desc())
    )
    if action:
        statement = statement.where(col(AuditEvent.action).startswith(action))
    if actor_email:
        statement = statement.where(User.email == actor_email.strip().lower())
    rows = session.exec(statement.offset((page - 1) * PAGE_SIZE).limit(PAGE_SIZE + 1)).all()
    events = [
        AuditEventOut(
            id=event.id or 0,
            at=event.at,
            actor_id=event.actor_id,
            actor_email=email,
            action=event.action,
            target_type=event.target_type,
            target_id=event.target_id,
            detail=event.detail,
        )
        for event, email in rows[:PAGE_SIZE]
    ]
    return AuditPage(events=events, page=page, has_more=len(rows) > PAGE_SIZE)

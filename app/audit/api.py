"""GET /api/v1/audit: the audit log for admins."""

from __future__ import annotations

from fastapi import APIRouter, Query

from app.audit import service
from app.audit.schemas import AuditPage
from app.web.deps import CurrentUser, SessionDep

router = APIRouter(prefix="/api/v1", tags=["audit"])


@router.get("/audit", response_model=AuditPage)
def audit_log(
    viewer: CurrentUser,
    session: SessionDep,
    page: int = Query(1, ge=1, le=100_000),
    action: str | None = Query(None, max_length=80),
    actor: str | None = Query(None, max_length=254),
) -> AuditPage:
    """Each event with ``summary``, a sentence with names; ``action`` filters by code or its
    start, ``actor`` by part of the actor's email or name."""
    return service.list_events(session, viewer, page=page, action=action, actor_email=actor)

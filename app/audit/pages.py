"""The audit log page for admins."""

from __future__ import annotations

from fastapi import APIRouter, Query
from fastapi.responses import Response

from app.audit import service
from app.core.templating import Render
from app.web.deps import CurrentUser, SessionDep

router = APIRouter(tags=["pages"])


@router.get("/admin/audit")
def audit_page(
    render: Render,
    viewer: CurrentUser,
    session: SessionDep,
    page: int = Query(1, ge=1, le=100_000),
    action: str = Query("", max_length=80),
    actor: str = Query("", max_length=254),
) -> Response:
    log = service.list_events(
        session, viewer, page=page, action=action or None, actor_email=actor or None
    )
    return render(
        "audit/index.html",
        {
            "title": "Audit log",
            "log": log,
            "action": action,
            "actor": actor,
            "action_choices": service.action_choices(),
        },
    )

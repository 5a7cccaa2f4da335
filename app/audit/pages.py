"""The audit log page for admins."""

from __future__ import annotations

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from app.audit import service
from app.web.deps import CurrentUser, SessionDep, TemplatesDep

router = APIRouter(tags=["pages"])


@router.get("/admin/audit")
def audit_page(
    request: Request,
    viewer: CurrentUser,
    session: SessionDep,
    templates: TemplatesDep,
    page: int = Query(1, ge=1, le=100_000),
    action: str = Query("", max_length=80),
    actor: str = Query("", max_length=254),
) -> Response:
    log = service.list_events(
        session, viewer, page=page, action=action or None, actor_email=actor or None
    )
    return templates.render(
        request,
        "audit/index.html",
        {
            "title": "Audit log",
            "log": log,
            "action": action,
            "actor": actor,
            "action_choices": service.action_choices(),
        },
    )

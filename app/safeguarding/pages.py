"""Trainers' safeguarding pages (the records, one record and its follow-up), and the support
page a young person sees first after words about risk now where no other page follows."""

from __future__ import annotations

from fastapi import APIRouter, Query
from fastapi.responses import RedirectResponse, Response

from app.auth.service import require_role
from app.core.errors import InvalidInput
from app.core.links import safe_next
from app.core.templating import PageRenderer, Render
from app.models.users import Role
from app.safeguarding import service
from app.web.deps import CsrfProtected, CurrentUser, FormDep, SessionDep

router = APIRouter(tags=["pages"])

MAXIMUM_FIELD_CHARACTERS = 20_000
SHOW_CHOICES = (("open", "Open"), ("resolved", "Followed up"), ("all", "All"))
AFTER_MESSAGES = {"rating": "Thank you. Your rating is saved."}


@router.get("/safeguarding")
def records_page(
    render: Render,
    viewer: CurrentUser,
    session: SessionDep,
    show: str = Query("open", max_length=20),
) -> Response:
    if show not in service.SHOWN:
        show = "open"
    return render(
        "safeguarding/index.html",
        {
            "title": "Safeguarding records",
            "records": service.list_records(session, viewer, show),
            "show": show,
            "show_choices": SHOW_CHOICES,
        },
    )


def _record_page(
    render: PageRenderer,
    session: SessionDep,
    viewer: CurrentUser,
    record_id: int,
    *,
    note: str = "",
    errors: dict[str, str] | None = None,
    resolved: bool = False,
    status_code: int = 200,
) -> Response:
    record = service.read_record(session, viewer, record_id)
    return render(
        "safeguarding/record.html",
        {
            "title": f"Safeguarding record {record.id}",
            "record": record,
            "note": note,
            "errors": errors or {},
            "resolved": resolved,
            "limit": service.MAXIMUM_NOTE_LENGTH,
        },
        status_code=status_code,
    )


@router.get("/safeguarding/{record_id}")
def record_page(
    record_id: int,
    render: Render,
    viewer: CurrentUser,
    session: SessionDep,
    resolved: bool = False,
) -> Response:
    return _record_page(render, session, viewer, record_id, resolved=resolved)


@router.post("/safeguarding/{record_id}/resolve", dependencies=[CsrfProtected])
def resolve(
    record_id: int,
    render: Render,
    posted: FormDep,
    viewer: CurrentUser,
    session: SessionDep,
) -> Response:
    typed = posted.get("note")
    note = typed[:MAXIMUM_FIELD_CHARACTERS] if isinstance(typed, str) else ""
    try:
        service.resolve(session, viewer, record_id, note)
    except InvalidInput as invalid:
        return _record_page(
            render,
            session,
            viewer,
            record_id,
            note=note,
            errors={"note": invalid.message},
            status_code=400,
        )
    return RedirectResponse(f"/safeguarding/{record_id}?resolved=true", status_code=303)


@router.get("/support")
def support_page(
    render: Render,
    viewer: CurrentUser,
    after: str = Query("", max_length=20),
    next: str = Query("/", max_length=2000),
) -> Response:
    """Support first, then what was saved, then the way back to where they were."""
    require_role(viewer, Role.codesigner)
    return render(
        "safeguarding/support.html",
        {
            "title": "If you need support now",
            "support": service.support_services(),
            "saved_message": AFTER_MESSAGES.get(after, ""),
            "back": safe_next(next),
        },
    )

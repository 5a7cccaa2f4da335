"""A co-designer's own data: read it, download it (JSON or PDF), or delete their account.

Its routes are included (and tagged) by ``app.scenarios.pages``, the room's one page router.
"""

from __future__ import annotations

import json
from typing import Any

from fastapi import APIRouter
from fastapi.responses import JSONResponse, RedirectResponse, Response

from app.auth.cookies import clear_session_cookie
from app.auth.service import require_role
from app.core.errors import Conflict
from app.core.templating import Render
from app.models.users import Role
from app.scenarios import my_data
from app.scenarios.form import topic_choices
from app.scenarios.schemas import STATUS_LABELS
from app.web.deps import (
    ContentDep,
    CsrfProtected,
    CurrentUser,
    FormDep,
    SessionDep,
    SettingsDep,
)

router = APIRouter()


@router.get("/my-data")
def my_data_page(render: Render, viewer: CurrentUser, settings: SettingsDep) -> Response:
    require_role(viewer, Role.codesigner)
    return render(
        "scenarios/my_data.html",
        {
            "title": "Your data",
            "can_delete": not viewer.has(Role.admin, Role.trainer),
            "contact_email": settings.contact_email,
        },
    )


@router.get("/my-data/askwell-data.json")
def export_my_data(
    viewer: CurrentUser, session: SessionDep, content: ContentDep, settings: SettingsDep
) -> Response:
    data: dict[str, Any] = my_data.export_my_data(session, content, viewer, settings.contact_email)
    return JSONResponse(
        json.loads(json.dumps(data, default=str)),
        headers={"Content-Disposition": 'attachment; filename="askwell-my-data.json"'},
    )


@router.get("/my-data/askwell-data")
def read_my_data(
    render: Render,
    viewer: CurrentUser,
    session: SessionDep,
    content: ContentDep,
    settings: SettingsDep,
) -> Response:
    """The same export as the JSON, as a page a young person can read (and print)."""
    return render(
        "scenarios/my_data_read.html",
        {
            "title": "Everything Askwell holds about you",
            "data": my_data.my_data(session, content, viewer, settings.contact_email),
            "labels": STATUS_LABELS,
            "topic_names": dict(topic_choices(content)),
        },
    )


@router.get("/my-data/askwell-data.pdf")
def my_data_pdf(
    viewer: CurrentUser, session: SessionDep, content: ContentDep, settings: SettingsDep
) -> Response:
    data = my_data.my_data(session, content, viewer, settings.contact_email)
    # The PDF library costs each worker about 20 MB: loaded at the first download.
    from app.scenarios import export

    return Response(
        export.my_data_pdf(data),
        media_type="application/pdf",
        headers={"Content-Disposition": 'attachment; filename="askwell-my-data.pdf"'},
    )


@router.get("/my-data/delete")
def delete_account_page(render: Render, viewer: CurrentUser) -> Response:
    require_role(viewer, Role.codesigner)
    if viewer.has(Role.admin, Role.trainer):
        raise Conflict(
            "Accounts with trainer or admin roles are closed by an admin, so nothing they "
            "manage is left without an owner."
        )
    return render("scenarios/delete.html", {"title": "Delete your account", "errors": {}})


@router.post("/my-data/delete", dependencies=[CsrfProtected])
def delete_account(
    render: Render,
    posted: FormDep,
    viewer: CurrentUser,
    session: SessionDep,
    settings: SettingsDep,
) -> Response:
    if posted.get("confirm") != "yes":
        return render(
            "scenarios/delete.html",
            {
                "title": "Delete your account",
                "errors": {"confirm": "Tick the box to confirm you want to delete your account"},
            },
            status_code=400,
        )
    my_data.delete_my_account(session, viewer)
    response = RedirectResponse("/account-deleted", status_code=303)
    clear_session_cookie(response, settings)
    return response


@router.get("/account-deleted")
def account_deleted(render: Render) -> Response:
    return render("scenarios/deleted.html", {"title": "Account deleted"})

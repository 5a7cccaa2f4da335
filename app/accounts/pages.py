"""Account pages for admins."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import ValidationError

from app.accounts import service
from app.accounts.schemas import AccountUpdate
from app.auth import service as auth
from app.core.errors import Conflict, InvalidInput
from app.core.links import absolute_url
from app.core.templating import PageRenderer, Render
from app.models.users import Role
from app.web.deps import CsrfProtected, CurrentUser, FormDep, SessionDep

router = APIRouter(tags=["pages"])

ROLE_LABELS = {
    Role.practitioner: "Practitioner",
    Role.codesigner: "Young co-designer",
    Role.trainer: "Trainer",
    Role.admin: "Admin",
}


@router.get("/admin/users")
def accounts_page(
    render: Render,
    viewer: CurrentUser,
    session: SessionDep,
    q: str = Query("", max_length=100),
    role: str = Query("", max_length=20),
    page: int = Query(1, ge=1, le=100_000),
) -> Response:
    """The filter form sends an empty role for "any role", so it is read as text."""
    chosen_role = Role(role) if role in Role.__members__ else None
    accounts = service.list_accounts(session, viewer, query=q, role=chosen_role, page=page)
    return render(
        "accounts/index.html",
        {
            "title": "Accounts",
            "accounts": accounts,
            "query": q,
            "role": chosen_role.value if chosen_role else "",
            "role_labels": ROLE_LABELS,
        },
    )


def _account_page(
    render: PageRenderer,
    session: SessionDep,
    viewer: CurrentUser,
    user_id: int,
    *,
    errors: dict[str, str] | None = None,
    chosen_roles: list[str] | None = None,
    is_active: bool | None = None,
    saved: bool = False,
    reset_link: str | None = None,
    reset_link_usable: bool = False,
    reset_link_shown: bool = False,
    status_code: int = 200,
) -> Response:
    account = service.get_account(session, viewer, user_id)
    return render(
        "accounts/detail.html",
        {
            "title": account.display_name,
            "account": account,
            "role_labels": ROLE_LABELS,
            "chosen_roles": chosen_roles if chosen_roles is not None else list(account.roles),
            "is_active": account.is_active if is_active is None else is_active,
            "errors": errors or {},
            "saved": saved,
            "reset_link": reset_link,
            "reset_link_usable": reset_link_usable,
            "reset_link_shown": reset_link_shown,
            "shown_minutes": int(auth.SHOWN_LINK_LIFETIME.total_seconds() // 60),
        },
        status_code=status_code,
    )


@router.get("/admin/users/{user_id}")
def account_page(
    user_id: int,
    render: Render,
    viewer: CurrentUser,
    session: SessionDep,
    saved: bool = False,
) -> Response:
    return _account_page(render, session, viewer, user_id, saved=saved)


@router.post("/admin/users/{user_id}", dependencies=[CsrfProtected])
def update_account(
    user_id: int,
    render: Render,
    form: FormDep,
    viewer: CurrentUser,
    session: SessionDep,
) -> Response:
    roles = [str(value) for value in form.getlist("roles")][:4]
    is_active = form.get("is_active") == "yes"
    try:
        change = AccountUpdate(roles=roles, is_active=is_active)  # type: ignore[arg-type]
        service.update_account(session, viewer, user_id, change)
    except ValidationError:
        return _account_page(
            render,
            session,
            viewer,
            user_id,
            errors={"roles-practitioner": "Choose at least one role."},
            chosen_roles=roles,
            is_active=is_active,
            status_code=400,
        )
    except (Conflict, InvalidInput) as refused:
        return _account_page(
            render,
            session,
            viewer,
            user_id,
            errors={"roles-practitioner": refused.message},
            chosen_roles=roles,
            is_active=is_active,
            status_code=refused.status_code,
        )
    return RedirectResponse(f"/admin/users/{user_id}?saved=true", status_code=303)


@router.post("/admin/users/{user_id}/password-reset", dependencies=[CsrfProtected])
def create_password_reset(
    user_id: int, request: Request, viewer: CurrentUser, session: SessionDep
) -> Response:
    """Make the link, then show it on a page of its own that is safe to reload."""
    secret = auth.new_link_secret(request.cookies.get(auth.SESSION_COOKIE))
    service.create_password_reset(session, viewer, user_id, secret)
    batch = auth.hold_links(session, viewer, service.PASSWORD_RESET_LINK, [(user_id, secret)])
    return RedirectResponse(f"/admin/users/{user_id}/password-reset/{batch}", status_code=303)


@router.get("/admin/users/{user_id}/password-reset/{batch}")
def password_reset_link_page(
    user_id: int,
    request: Request,
    viewer: CurrentUser,
    session: SessionDep,
    render: Render,
    batch: Annotated[str, Path(max_length=32)],
) -> Response:
    shown = service.shown_password_reset(
        session, viewer, user_id, request.cookies.get(auth.SESSION_COOKIE), batch
    )
    return _account_page(
        render,
        session,
        viewer,
        user_id,
        reset_link=absolute_url(request, shown.path) if shown else None,
        reset_link_usable=shown.usable if shown else False,
        reset_link_shown=True,
    )

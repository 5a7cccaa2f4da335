"""Account management for admins: GET and PUT /api/v1/admin/users, and reset links."""

from __future__ import annotations

from fastapi import APIRouter, Query, Request

from app.accounts import service
from app.accounts.schemas import AccountList, AccountOut, AccountUpdate, PasswordResetOut
from app.core.links import absolute_url
from app.models.users import Role
from app.web.deps import CsrfProtected, CurrentUser, SessionDep

router = APIRouter(prefix="/api/v1/admin", tags=["accounts"])


@router.get("/users", response_model=AccountList)
def list_accounts(
    viewer: CurrentUser,
    session: SessionDep,
    q: str = Query("", max_length=100),
    role: Role | None = None,
    page: int = Query(1, ge=1, le=100_000),
) -> AccountList:
    return service.list_accounts(session, viewer, query=q, role=role, page=page)


@router.get("/users/{user_id}", response_model=AccountOut)
def get_account(user_id: int, viewer: CurrentUser, session: SessionDep) -> AccountOut:
    return service.get_account(session, viewer, user_id)


@router.put("/users/{user_id}", response_model=AccountOut, dependencies=[CsrfProtected])
def update_account(
    user_id: int, change: AccountUpdate, viewer: CurrentUser, session: SessionDep
) -> AccountOut:
    return service.update_account(session, viewer, user_id, change)


@router.post(
    "/users/{user_id}/password-reset",
    response_model=PasswordResetOut,
    status_code=201,
    dependencies=[CsrfProtected],
)
def create_password_reset(
    user_id: int, request: Request, viewer: CurrentUser, session: SessionDep
) -> PasswordResetOut:
    """A single-use link for 24 hours; shown only now, stored only as a hash."""
    created = service.create_password_reset(session, viewer, user_id)
    return PasswordResetOut(url=absolute_url(request, created.path), expires_at=created.expires_at)

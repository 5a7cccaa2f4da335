"""JSON sign-in for API clients: the same service as the sign-in page."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import JSONResponse, Response

from app.auth import csrf, service
from app.auth.cookies import clear_session_cookie, set_session_cookie
from app.auth.schemas import DetailsIn, LoginRequest, LoginResponse, PasswordChange, UserOut
from app.web.deps import (
    CsrfProtected,
    CurrentUser,
    EngineDep,
    PasswordsDep,
    SessionDep,
    SettingsDep,
    get_viewer,
)

router = APIRouter(prefix="/api/v1", tags=["auth"])

WRONG_CREDENTIALS = "Email or password is not right."


def client_address(request: Request) -> str:
    return request.client.host if request.client else "unknown"


@router.post("/auth/login", response_model=LoginResponse)
def login(
    body: LoginRequest,
    request: Request,
    session: SessionDep,
    engine: EngineDep,
    settings: SettingsDep,
    passwords: PasswordsDep,
) -> Response:
    signed_in = service.sign_in(
        session,
        engine,
        settings,
        passwords,
        email=body.email,
        password=body.password,
        client=client_address(request),
        previous_token=request.cookies.get(service.SESSION_COOKIE),
    )
    if signed_in is None:
        return JSONResponse({"detail": WRONG_CREDENTIALS}, status_code=401)
    user, token = signed_in.user, signed_in.token
    assert user.id is not None
    roles = service.roles_of(session, user.id)
    session_id = service.hash_session_token(token)
    payload = LoginResponse(
        user=UserOut(
            id=user.id, email=user.email, display_name=user.display_name, roles=sorted(roles)
        ),
        csrf_token=csrf.token_for(settings.secret_key, session_id),
    )
    response = JSONResponse(payload.model_dump(mode="json"))
    set_session_cookie(response, settings, token)
    return response


@router.post("/auth/logout", status_code=204, dependencies=[CsrfProtected, Depends(get_viewer)])
def logout(request: Request, session: SessionDep, settings: SettingsDep) -> Response:
    service.end_session(session, request.cookies.get(service.SESSION_COOKIE, ""))
    response = Response(status_code=204)
    clear_session_cookie(response, settings)
    return response


@router.get("/me", response_model=UserOut)
def me(viewer: CurrentUser) -> UserOut:
    return UserOut.of(viewer)


@router.put("/me/password", status_code=204, dependencies=[CsrfProtected])
def change_password(
    body: PasswordChange,
    request: Request,
    viewer: CurrentUser,
    session: SessionDep,
    engine: EngineDep,
    settings: SettingsDep,
    passwords: PasswordsDep,
) -> Response:
    """A wrong current password is answered, not raised, so the attempt is kept and counted."""
    errors = service.change_password(
        session,
        engine,
        settings,
        passwords,
        viewer,
        current_password=body.current_password,
        new_password=body.new_password,
        confirm_password=body.new_password,
        client=client_address(request),
    )
    if errors:
        return JSONResponse({"detail": " ".join(errors.values())}, status_code=422)
    return Response(status_code=204)


@router.put("/me", response_model=UserOut, dependencies=[CsrfProtected])
def update_me(body: DetailsIn, viewer: CurrentUser, session: SessionDep) -> Response:
    """One's own name, and a co-designer's age band."""
    errors = service.update_own_details(
        session, viewer, display_name=body.display_name, age_band=body.age_band
    )
    if errors:
        return JSONResponse({"detail": " ".join(errors.values())}, status_code=422)
    details = service.own_details(session, viewer)
    updated = UserOut(
        id=viewer.id,
        email=details.email,
        display_name=details.display_name,
        roles=sorted(viewer.roles),
    )
    return JSONResponse(updated.model_dump(mode="json"))

"""Sign-in and sign-out pages, and a person's own account: details and password."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Path, Request
from fastapi.responses import RedirectResponse, Response

from app.auth import service
from app.auth.cookies import clear_session_cookie, set_session_cookie
from app.auth.passwords import NEW_PASSWORD
from app.auth.schemas import Viewer
from app.core.errors import AppError, RateLimited
from app.core.links import safe_next
from app.core.templating import PageRenderer, Render
from app.models.users import AgeBand
from app.signin.api import WRONG_CREDENTIALS, client_address
from app.web.deps import (
    CsrfProtected,
    CurrentUser,
    EngineDep,
    OptionalViewer,
    PasswordsDep,
    SessionDep,
    SettingsDep,
    get_viewer,
)
from app.web.visitors import render_for_visitor

router = APIRouter(tags=["pages"])


def _sign_in_page(
    render: PageRenderer,
    settings: SettingsDep,
    *,
    next_url: str,
    email: str = "",
    errors: dict[str, str] | None = None,
    status_code: int = 200,
    notice: str | None = None,
) -> Response:
    return render_for_visitor(
        render,
        settings,
        "signin/sign_in.html",
        {
            "title": "Sign in",
            "next_url": next_url,
            "form": {"email": email},
            "errors": errors or {},
            "notice": notice,
        },
        status_code=status_code,
    )


@router.get("/sign-in")
def sign_in_form(
    render: Render,
    viewer: OptionalViewer,
    settings: SettingsDep,
    next: str | None = None,  # noqa: A002 - the query parameter's public name
    signed_out: bool = False,
    password_changed: bool = False,
) -> Response:
    if viewer is not None:
        return RedirectResponse(safe_next(next), status_code=303)
    notice = "You have signed out." if signed_out else None
    if password_changed:
        notice = "Your password has been changed. Sign in with your new password."
    return _sign_in_page(render, settings, next_url=safe_next(next), notice=notice)


@router.post("/sign-in", dependencies=[CsrfProtected])
def sign_in(
    request: Request,
    session: SessionDep,
    engine: EngineDep,
    settings: SettingsDep,
    passwords: PasswordsDep,
    render: Render,
    email: Annotated[str, Form(max_length=254)] = "",
    password: Annotated[str, Form(max_length=256)] = "",
    next: Annotated[str, Form(max_length=2000)] = "/",  # noqa: A002
) -> Response:
    errors: dict[str, str] = {}
    if not email.strip():
        errors["email"] = "Enter your email address."
    if not password:
        errors["password"] = "Enter your password."  # noqa: S105 - a message, not a secret
    if errors:
        return _sign_in_page(
            render,
            settings,
            next_url=safe_next(next),
            email=email,
            errors=errors,
            status_code=400,
        )
    try:
        signed_in = service.sign_in(
            session,
            engine,
            settings,
            passwords,
            email=email,
            password=password,
            client=client_address(request),
            previous_token=request.cookies.get(service.SESSION_COOKIE),
        )
    except RateLimited as limited:
        return _sign_in_page(
            render,
            settings,
            next_url=safe_next(next),
            email=email,
            errors={"email": limited.message},
            status_code=429,
        )
    if signed_in is None:
        return _sign_in_page(
            render,
            settings,
            next_url=safe_next(next),
            email=email,
            errors={"email": WRONG_CREDENTIALS},
            status_code=400,
        )
    response = RedirectResponse(safe_next(next), status_code=303)
    set_session_cookie(response, settings, signed_in.token)
    return response


@router.post("/sign-out", dependencies=[CsrfProtected])
def sign_out(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    next: Annotated[str, Form(max_length=2000)] = "",  # noqa: A002 - the field's public name
) -> Response:
    """Ends the session; ``next`` brings someone back to a link meant for another account."""
    token = request.cookies.get(service.SESSION_COOKIE)
    if token:
        service.end_session(session, token)
    target = safe_next(next) if next else "/sign-in?signed_out=true"
    response = RedirectResponse(target, status_code=303)
    clear_session_cookie(response, settings)
    return response


# --- Changing a password, and resetting a forgotten one -------------------------------------


def _change_password_page(
    render: PageRenderer,
    *,
    errors: dict[str, str] | None = None,
    changed: bool = False,
    status_code: int = 200,
) -> Response:
    return render(
        "signin/change_password.html",
        {
            "title": "Change your password",
            "errors": errors or {},
            "changed": changed,
            "password_fields": NEW_PASSWORD,
        },
        status_code=status_code,
    )


@router.get("/account/password", dependencies=[Depends(get_viewer)])
def change_password_form(render: Render, changed: bool = False) -> Response:
    return _change_password_page(render, changed=changed)


@router.post("/account/password", dependencies=[CsrfProtected])
def change_password(
    request: Request,
    viewer: CurrentUser,
    session: SessionDep,
    engine: EngineDep,
    settings: SettingsDep,
    passwords: PasswordsDep,
    render: Render,
    current_password: Annotated[str, Form(max_length=2000)] = "",
    new_password: Annotated[str, Form(max_length=2000)] = "",
    confirm_password: Annotated[str, Form(max_length=2000)] = "",
) -> Response:
    """Passwords are never put back into the form: each problem says what to type again."""
    try:
        errors = service.change_password(
            session,
            engine,
            settings,
            passwords,
            viewer,
            current_password=current_password,
            new_password=new_password,
            confirm_password=confirm_password,
            client=client_address(request),
        )
    except RateLimited as limited:
        errors, status_code = {"current_password": limited.message}, 429
    else:
        status_code = 400
    if errors:
        return _change_password_page(render, errors=errors, status_code=status_code)
    return RedirectResponse("/account/password?changed=true", status_code=303)


def _password_reset_page(
    render: PageRenderer,
    settings: SettingsDep,
    session: SessionDep,
    token: str,
    viewer: Viewer | None,
    *,
    errors: dict[str, str] | None = None,
    status_code: int = 200,
) -> Response:
    """Works signed out or signed in; signed in as someone else, it says so without naming
    the account the link is for, and offers to sign out and come back."""
    try:
        _, user = service.open_password_reset(session, token)
        service.require_reset_for(session, token, viewer)
    except AppError as problem:
        return render(
            "signin/link_unusable.html",
            {
                "title": "This link cannot be used",
                "message": problem.message,
                "link_path": f"/password-reset/{token}"
                if isinstance(problem, service.ResetForAnotherAccount)
                else None,
            },
            status_code=problem.status_code,
        )
    return render_for_visitor(
        render,
        settings,
        "signin/password_reset.html",
        {
            "title": "Choose a new password",
            "email": user.email,
            "token": token,
            "errors": errors or {},
            "password_fields": NEW_PASSWORD,
        },
        status_code=status_code,
    )


ResetToken = Annotated[str, Path(max_length=100)]


@router.get("/password-reset/{token}")
def password_reset_form(
    token: ResetToken,
    render: Render,
    viewer: OptionalViewer,
    session: SessionDep,
    settings: SettingsDep,
) -> Response:
    return _password_reset_page(render, settings, session, token, viewer)


@router.post("/password-reset/{token}", dependencies=[CsrfProtected])
def reset_password(
    token: ResetToken,
    render: Render,
    viewer: OptionalViewer,
    session: SessionDep,
    settings: SettingsDep,
    passwords: PasswordsDep,
    new_password: Annotated[str, Form(max_length=2000)] = "",
    confirm_password: Annotated[str, Form(max_length=2000)] = "",
) -> Response:
    page = _password_reset_page
    try:
        service.require_reset_for(session, token, viewer)
    except AppError:
        return page(render, settings, session, token, viewer)
    try:
        errors = service.use_password_reset(
            session,
            passwords,
            token,
            new_password=new_password,
            confirm_password=confirm_password,
        )
    except AppError:
        return page(render, settings, session, token, viewer)
    if errors:
        return page(render, settings, session, token, viewer, errors=errors, status_code=400)
    response = RedirectResponse("/sign-in?password_changed=true", status_code=303)
    clear_session_cookie(response, settings)
    return response


def _account_page(
    render: PageRenderer,
    session: SessionDep,
    viewer: Viewer,
    *,
    typed: dict[str, str] | None = None,
    errors: dict[str, str] | None = None,
    saved: bool = False,
) -> Response:
    details = service.own_details(session, viewer)
    form = typed or {"display_name": details.display_name, "age_band": details.age_band or ""}
    return render(
        "signin/account.html",
        {
            "title": "Your account",
            "details": details,
            "form": form,
            "errors": errors or {},
            "saved": saved,
            "age_bands": [band.value for band in AgeBand],
        },
        status_code=400 if errors else 200,
    )


@router.get("/account")
def account_page(
    render: Render,
    viewer: CurrentUser,
    session: SessionDep,
    saved: bool = False,
) -> Response:
    return _account_page(render, session, viewer, saved=saved)


@router.post("/account", dependencies=[CsrfProtected])
def update_account(
    render: Render,
    viewer: CurrentUser,
    session: SessionDep,
    display_name: Annotated[str, Form(max_length=2000)] = "",
    age_band: Annotated[str, Form(max_length=20)] = "",
) -> Response:
    errors = service.update_own_details(
        session, viewer, display_name=display_name, age_band=age_band or None
    )
    if errors:
        typed = {"display_name": display_name, "age_band": age_band}
        return _account_page(render, session, viewer, typed=typed, errors=errors)
    return RedirectResponse("/account?saved=true", status_code=303)

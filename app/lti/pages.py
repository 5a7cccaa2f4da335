"""The routes a learning platform calls: Askwell's keys, login initiation and the launch.

The launch is a cross-site form POST signed by the platform, so it carries no CSRF token;
its signature, single-use state and nonce stand in for one. Every other form in Askwell
still needs its token. The handlers are synchronous: pylti1p3 blocks on the network, so
they run on a request thread, never on the event loop.
"""

from __future__ import annotations

import re
from typing import Annotated
from urllib.parse import urlsplit

from fastapi import APIRouter, Path, Request
from fastapi.responses import JSONResponse, RedirectResponse, Response

from app.auth.service import SESSION_COOKIE
from app.core.errors import InvalidInput
from app.core.links import absolute_url
from app.core.templating import Render
from app.lti import service
from app.lti.adapter import LaunchRequest
from app.web.deps import (
    ContentDep,
    CsrfProtected,
    CurrentUser,
    FormDep,
    PasswordsDep,
    SessionDep,
    SettingsDep,
)

router = APIRouter(tags=["lti"])


@router.get("/lti/jwks")
def lti_jwks(session: SessionDep) -> JSONResponse:
    """Askwell's public keys (JWKS): every key not retired, each with its key id."""
    return JSONResponse(service.jwks(session), headers={"Cache-Control": "max-age=300"})


def set_cross_site_cookie(
    response: Response, name: str, value: str, *, max_age: int, path: str
) -> None:
    """HttpOnly; Secure; SameSite=None; Partitioned (CHIPS): sent inside the platform's
    frame, and kept apart from Askwell's cookies on any other site. Written by hand: the
    standard library learns ``Partitioned`` only in Python 3.14."""
    if not _COOKIE_TEXT.fullmatch(name + value):
        raise ValueError("cookie names and values here are URL-safe tokens")
    response.headers.append(
        "set-cookie",
        f"{name}={value}; Max-Age={max_age}; Path={path}; HttpOnly; Secure; SameSite=None;"
        " Partitioned",
    )


_COOKIE_TEXT = re.compile(r"[A-Za-z0-9_.\-]+")


def _launch_request(request: Request, params: dict[str, str]) -> LaunchRequest:
    return LaunchRequest(params, dict(request.cookies), request.url.scheme == "https")


def _login(request: Request, session: SessionDep, params: dict[str, str]) -> Response:
    launch_url = absolute_url(request, service.LAUNCH_PATH)
    redirect = service.login(session, launch_url, _launch_request(request, params))
    response = RedirectResponse(redirect.location, status_code=302)
    for name, (value, lifetime) in redirect.cookies.items():
        # Sent back on the platform's cross-site POST to the launch: SameSite=None.
        set_cross_site_cookie(response, name, value, max_age=lifetime, path="/lti/")
    return response


@router.get("/lti/login")
def lti_login_get(request: Request, session: SessionDep) -> Response:
    """OIDC login initiation (third-party initiated login), as a GET."""
    return _login(request, session, {k: str(v) for k, v in request.query_params.items()})


@router.post("/lti/login")
def lti_login_post(request: Request, session: SessionDep, form: FormDep) -> Response:
    """OIDC login initiation, as a form POST."""
    params = {key: str(value) for key, value in form.items()}
    return _login(request, session, params)


@router.post("/lti/launch")
def lti_launch(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    passwords: PasswordsDep,
    content: ContentDep,
    form: FormDep,
) -> Response:
    """The signed resource-link launch: sign the person in and open the module."""
    params = {key: str(value) for key, value in form.items()}
    launched = service.launch(
        session,
        settings,
        passwords,
        content,
        _launch_request(request, params),
        request.cookies.get(SESSION_COOKIE),
    )
    response = RedirectResponse(launched.location, status_code=303)
    # Inside the platform's frame Askwell is a third party: its session cookie must be
    # SameSite=None (so Secure), and partitioned to that platform's site.
    set_cross_site_cookie(
        response,
        SESSION_COOKIE,
        launched.session_token,
        max_age=settings.session_absolute_hours * 3600,
        path="/",
    )
    return response


@router.get("/lti/deep-link/{link_id}")
def deep_link_page(
    link_id: Annotated[str, Path(max_length=64)],
    render: Render,
    viewer: CurrentUser,
    session: SessionDep,
    content: ContentDep,
) -> Response:
    """An instructor chooses which modules to add to their course (Deep Linking)."""
    choice = service.deep_link_choice(session, content, viewer, link_id)
    return render(
        "lti/deep_link.html",
        {"title": "Add Askwell modules", "choice": choice, "errors": {}, "chosen": []},
    )


@router.post("/lti/deep-link/{link_id}", dependencies=[CsrfProtected])
def deep_link_answer(
    link_id: Annotated[str, Path(max_length=64)],
    request: Request,
    render: Render,
    viewer: CurrentUser,
    session: SessionDep,
    content: ContentDep,
    form: FormDep,
) -> Response:
    """Sign the choice and hand it back to the platform, through the browser."""
    slugs = [str(value) for value in form.getlist("modules")][:100]
    try:
        answer = service.answer_deep_link(
            session, content, viewer, link_id, slugs, absolute_url(request, service.LAUNCH_PATH)
        )
    except InvalidInput as problem:
        choice = service.deep_link_choice(session, content, viewer, link_id)
        return render(
            "lti/deep_link.html",
            {
                "title": "Add Askwell modules",
                "choice": choice,
                "errors": problem.errors,
                "chosen": slugs,
            },
            status_code=problem.status_code,
        )
    response = render(
        "lti/deep_link_return.html", {"title": "Add to your course", "answer": answer}
    )
    # This one form goes to the platform: form-action names its origin, for this page alone.
    target = urlsplit(answer.return_url)
    policy = request.app.state.frame_ancestors.policy().replace(
        "form-action 'self'", f"form-action 'self' {target.scheme}://{target.netloc}"
    )
    response.headers["Content-Security-Policy"] = policy
    return response

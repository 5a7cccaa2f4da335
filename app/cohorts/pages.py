"""Cohort pages for trainers, and the invitation page a new practitioner opens."""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Form, Path, Request
from fastapi.responses import RedirectResponse, Response

from app.auth import service as auth
from app.auth.cookies import set_session_cookie
from app.auth.passwords import NewPasswordForm
from app.auth.schemas import Viewer
from app.cohorts import service
from app.core.errors import AppError, InvalidInput
from app.core.links import site_url
from app.core.templating import PageRenderer, Render
from app.core.text import single_line
from app.web.deps import (
    ContentDep,
    CsrfProtected,
    CurrentUser,
    OptionalViewer,
    PasswordsDep,
    SessionDep,
    SettingsDep,
)
from app.web.visitors import render_for_visitor

router = APIRouter(tags=["pages"])

NOTICES = {
    "created": "Cohort created. Add practitioners, then assign modules.",
    "renamed": "Cohort renamed.",
    "member": "Practitioner added.",
    "asked": (
        "We have asked them to join. They appear here once they accept on their Askwell "
        "home page; until then you see nothing of their progress."
    ),
    "request-withdrawn": "Request withdrawn.",
    "member-removed": "Practitioner removed from the cohort.",
    "trainer": "Trainer added: they can now see this cohort.",
    "assigned": "Module assigned.",
    "unassigned": "Assignment removed.",
    "revoked": "Invitation withdrawn: the link no longer works.",
}

TokenPath = Annotated[str, Path(max_length=100)]

INVITATION_PASSWORD = NewPasswordForm(
    name="password",
    label="Choose a password",
    again_name="password_confirm",
    again_label="Type the password again",
)
"""The new account's password on an invitation: the fields every password form has."""


def _cohorts_page(
    render: PageRenderer,
    session: SessionDep,
    viewer: CurrentUser,
    *,
    errors: dict[str, str] | None = None,
    form: dict[str, str] | None = None,
    status_code: int = 200,
) -> Response:
    return render(
        "cohorts/index.html",
        {
            "title": "Cohorts",
            "cohorts": service.list_cohorts(session, viewer),
            "errors": errors or {},
            "form": form or {},
        },
        status_code=status_code,
    )


@router.get("/cohorts")
def cohorts_page(render: Render, viewer: CurrentUser, session: SessionDep) -> Response:
    return _cohorts_page(render, session, viewer)


@router.post("/cohorts", dependencies=[CsrfProtected])
def create_cohort(
    render: Render,
    viewer: CurrentUser,
    session: SessionDep,
    name: Annotated[str, Form(max_length=2000)] = "",
) -> Response:
    try:
        cohort = service.create_cohort(session, viewer, name)
    except InvalidInput as invalid:
        return _cohorts_page(
            render,
            session,
            viewer,
            errors={"name": invalid.message},
            form={"name": name},
            status_code=400,
        )
    return RedirectResponse(f"/cohorts/{cohort.id}?done=created", status_code=303)


def _detail_page(
    render: PageRenderer,
    session: SessionDep,
    content: ContentDep,
    viewer: CurrentUser,
    cohort_id: int,
    *,
    errors: dict[str, str] | None = None,
    form: dict[str, str] | None = None,
    notice: str | None = None,
    shown_invitations: list[service.ShownInvitation] | None = None,
    people_added: service.PeopleAddedShown | None = None,
    people_added_gone: bool = False,
    faulty_date_parts: tuple[str, ...] = (),
    assigning: bool = False,
    status_code: int = 200,
) -> Response:
    detail = service.cohort_detail(session, content, viewer, cohort_id)
    return render(
        "cohorts/detail.html",
        {
            "title": detail.cohort.name,
            "detail": detail,
            "modules": content.all("module"),
            "errors": errors or {},
            "form": form or {},
            "notice": notice,
            "shown_invitations": shown_invitations,
            "shown_minutes": int(auth.SHOWN_LINK_LIFETIME.total_seconds() // 60),
            "people_added": people_added,
            "people_added_gone": people_added_gone,
            "site": site_url(render.request),
            "maximum_people": service.MAXIMUM_PEOPLE_AT_ONCE,
            "minimum_recur_days": service.MINIMUM_RECUR_DAYS,
            "maximum_recur_days": service.MAXIMUM_RECUR_DAYS,
            "invitation_days": service.INVITATION_LIFETIME.days,
            "cannot_be_added": service.CANNOT_BE_ADDED,
            "faulty_date_parts": faulty_date_parts,
            "assigning": assigning,
        },
        status_code=status_code,
    )


@router.get("/cohorts/{cohort_id}")
def cohort_page(
    cohort_id: int,
    render: Render,
    viewer: CurrentUser,
    session: SessionDep,
    content: ContentDep,
    done: str = "",
) -> Response:
    return _detail_page(render, session, content, viewer, cohort_id, notice=NOTICES.get(done))


def _act(
    render: PageRenderer,
    session: SessionDep,
    content: ContentDep,
    viewer: CurrentUser,
    cohort_id: int,
    action: Any,
    *,
    field: str,
    form: dict[str, str],
    done: str,
) -> Response:
    """Run one form's action: back to the cohort on success, the form again on bad input."""
    try:
        action()
    except InvalidInput as invalid:
        session.rollback()
        return _detail_page(
            render,
            session,
            content,
            viewer,
            cohort_id,
            errors={field: invalid.message},
            form=form,
            status_code=400,
        )
    return RedirectResponse(f"/cohorts/{cohort_id}?done={done}", status_code=303)


@router.post("/cohorts/{cohort_id}/name", dependencies=[CsrfProtected])
def rename_cohort(
    cohort_id: int,
    render: Render,
    viewer: CurrentUser,
    session: SessionDep,
    content: ContentDep,
    name: Annotated[str, Form(alias="cohort-name", max_length=2000)] = "",
) -> Response:
    return _act(
        render,
        session,
        content,
        viewer,
        cohort_id,
        lambda: service.rename_cohort(session, viewer, cohort_id, name),
        field="cohort-name",
        form={"cohort-name": name},
        done="renamed",
    )


@router.post("/cohorts/{cohort_id}/members", dependencies=[CsrfProtected])
def add_member(
    cohort_id: int,
    render: Render,
    viewer: CurrentUser,
    session: SessionDep,
    content: ContentDep,
    email: Annotated[str, Form(alias="member-email", max_length=2000)] = "",
) -> Response:
    return _act(
        render,
        session,
        content,
        viewer,
        cohort_id,
        lambda: service.add_member(session, viewer, cohort_id, email),
        field="member-email",
        form={"member-email": email},
        done="member" if service.joins_directly(viewer) else "asked",
    )


@router.post("/cohorts/{cohort_id}/requests/{user_id}/withdraw", dependencies=[CsrfProtected])
def withdraw_request(
    cohort_id: int, user_id: int, viewer: CurrentUser, session: SessionDep
) -> Response:
    service.withdraw_request(session, viewer, cohort_id, user_id)
    return RedirectResponse(f"/cohorts/{cohort_id}?done=request-withdrawn", status_code=303)


@router.post("/cohorts/{cohort_id}/members/bulk", dependencies=[CsrfProtected])
def add_people(
    cohort_id: int,
    request: Request,
    viewer: CurrentUser,
    session: SessionDep,
    content: ContentDep,
    render: Render,
    emails: Annotated[str, Form(alias="member-emails", max_length=200_000)] = "",
    invite: Annotated[str, Form(alias="invite-the-rest", max_length=10)] = "",
) -> Response:
    """Add them, then show what happened on a page of its own that is safe to reload."""
    try:
        added = service.add_people(
            session,
            viewer,
            cohort_id,
            emails,
            invite_the_rest=invite == "yes",
            creator_cookie=request.cookies.get(auth.SESSION_COOKIE),
        )
    except InvalidInput as invalid:
        session.rollback()
        return _detail_page(
            render,
            session,
            content,
            viewer,
            cohort_id,
            errors={"member-emails": invalid.message},
            form={"member-emails": emails, "invite-the-rest": invite},
            status_code=400,
        )
    batch = service.hold_people_added(session, viewer, added)
    return RedirectResponse(f"/cohorts/{cohort_id}/people-added/{batch}", status_code=303)


@router.get("/cohorts/{cohort_id}/people-added/{batch}")
def people_added_page(
    cohort_id: int,
    request: Request,
    viewer: CurrentUser,
    session: SessionDep,
    content: ContentDep,
    render: Render,
    batch: Annotated[str, Path(max_length=32)],
) -> Response:
    """Reloading shows the same result and links again, for a while, in the same browser."""
    shown = service.shown_people_added(
        session, viewer, cohort_id, request.cookies.get(auth.SESSION_COOKIE), batch
    )
    return _detail_page(
        render,
        session,
        content,
        viewer,
        cohort_id,
        people_added=shown,
        people_added_gone=shown is None,
    )


@router.get("/cohorts/{cohort_id}/members/{user_id}/remove")
def confirm_remove_member(
    cohort_id: int, user_id: int, render: Render, viewer: CurrentUser, session: SessionDep
) -> Response:
    """Removing asks first, on a page of its own, so it works without JavaScript."""
    member = service.member_to_remove(session, viewer, cohort_id, user_id)
    cohort = service.get_managed_cohort(session, viewer, cohort_id)
    return render(
        "cohorts/confirm_remove.html",
        {
            "title": f"Remove {member.display_name} from {cohort.name}?",
            "cohort": cohort,
            "action": f"/cohorts/{cohort_id}/members/{user_id}/remove",
            "consequence": (
                f"{member.display_name} ({member.email}) will no longer see this cohort's "
                "assignments, and will leave its reports. Their account, progress and "
                "certificates are kept, and you can add them again later."
            ),
            "confirm_label": "Yes, remove them",
            "keep_label": "No, keep them in the cohort",
        },
    )


@router.post("/cohorts/{cohort_id}/members/{user_id}/remove", dependencies=[CsrfProtected])
def remove_member(
    cohort_id: int, user_id: int, viewer: CurrentUser, session: SessionDep
) -> Response:
    service.remove_member(session, viewer, cohort_id, user_id)
    return RedirectResponse(f"/cohorts/{cohort_id}?done=member-removed", status_code=303)


@router.post("/cohorts/{cohort_id}/trainers", dependencies=[CsrfProtected])
def add_trainer(
    cohort_id: int,
    render: Render,
    viewer: CurrentUser,
    session: SessionDep,
    content: ContentDep,
    email: Annotated[str, Form(alias="trainer-email", max_length=2000)] = "",
) -> Response:
    return _act(
        render,
        session,
        content,
        viewer,
        cohort_id,
        lambda: service.add_trainer(session, viewer, cohort_id, email),
        field="trainer-email",
        form={"trainer-email": email},
        done="trainer",
    )


@router.post("/cohorts/{cohort_id}/invitations", dependencies=[CsrfProtected])
def invite(
    cohort_id: int,
    request: Request,
    viewer: CurrentUser,
    session: SessionDep,
    content: ContentDep,
    render: Render,
    email: Annotated[str, Form(alias="invite-email", max_length=2000)] = "",
) -> Response:
    """Make the link, then show it on a page of its own that is safe to reload."""
    secret = auth.new_link_secret(request.cookies.get(auth.SESSION_COOKIE))
    try:
        created = service.create_invitation(session, viewer, cohort_id, email, secret)
    except InvalidInput as invalid:
        session.rollback()
        return _detail_page(
            render,
            session,
            content,
            viewer,
            cohort_id,
            errors={"invite-email": invalid.message},
            form={"invite-email": email},
            status_code=400,
        )
    return _show_new_links(session, viewer, cohort_id, [(created, secret)])


def _show_new_links(
    session: SessionDep,
    viewer: CurrentUser,
    cohort_id: int,
    made: list[tuple[service.NewInvitation, auth.LinkSecret]],
) -> Response:
    batch = auth.hold_links(
        session,
        viewer,
        service.INVITATION_LINK,
        [(created.invitation.id or 0, secret) for created, secret in made],
    )
    return RedirectResponse(f"/cohorts/{cohort_id}/invitations/new/{batch}", status_code=303)


@router.get("/cohorts/{cohort_id}/invitations/new/{batch}")
def new_invitation_links(
    cohort_id: int,
    request: Request,
    viewer: CurrentUser,
    session: SessionDep,
    content: ContentDep,
    render: Render,
    batch: Annotated[str, Path(max_length=32)],
) -> Response:
    """Reloading shows the same links again, for a while, in the browser that made them."""
    shown = service.shown_invitations(
        session, viewer, cohort_id, request.cookies.get(auth.SESSION_COOKIE), batch
    )
    return _detail_page(render, session, content, viewer, cohort_id, shown_invitations=shown)


@router.post("/cohorts/{cohort_id}/invitations/{invitation_id}/renew", dependencies=[CsrfProtected])
def renew_invitation(
    cohort_id: int,
    invitation_id: int,
    request: Request,
    viewer: CurrentUser,
    session: SessionDep,
    content: ContentDep,
    render: Render,
) -> Response:
    """A new link for someone invited before; any earlier link for them stops working."""
    secret = auth.new_link_secret(request.cookies.get(auth.SESSION_COOKIE))
    try:
        created = service.renew_invitation(session, viewer, cohort_id, invitation_id, secret)
    except InvalidInput as invalid:
        session.rollback()
        return _detail_page(
            render,
            session,
            content,
            viewer,
            cohort_id,
            errors={"invite-email": invalid.message},
            status_code=400,
        )
    return _show_new_links(session, viewer, cohort_id, [(created, secret)])


@router.post(
    "/cohorts/{cohort_id}/invitations/{invitation_id}/revoke", dependencies=[CsrfProtected]
)
def revoke_invitation(
    cohort_id: int, invitation_id: int, viewer: CurrentUser, session: SessionDep
) -> Response:
    service.revoke_invitation(session, viewer, cohort_id, invitation_id)
    return RedirectResponse(f"/cohorts/{cohort_id}?done=revoked", status_code=303)


@router.post("/cohorts/{cohort_id}/assignments", dependencies=[CsrfProtected])
def assign(
    cohort_id: int,
    render: Render,
    viewer: CurrentUser,
    session: SessionDep,
    content: ContentDep,
    module_slug: Annotated[str, Form(max_length=200)] = "",
    day: Annotated[str, Form(alias="due_date-day", max_length=40)] = "",
    month: Annotated[str, Form(alias="due_date-month", max_length=40)] = "",
    year: Annotated[str, Form(alias="due_date-year", max_length=40)] = "",
    recur_days: Annotated[str, Form(max_length=40)] = "",
    past_date: Annotated[str, Form(alias="past-date", max_length=20)] = "",
) -> Response:
    """Every problem is reported at once; a due date in the past is confirmed before saving."""
    form = {
        "module_slug": module_slug,
        "due_date-day": day,
        "due_date-month": month,
        "due_date-year": year,
        "recur_days": recur_days,
    }
    errors: dict[str, str] = {}
    faulty_date_parts: tuple[str, ...] = ()
    module = None
    due = None
    try:
        module = service.assignable_module(content, module_slug)
    except InvalidInput as invalid:
        errors["module_slug"] = invalid.message
    try:
        due = service.due_date_from_parts(day, month, year)
    except service.InvalidDate as invalid:
        faulty_date_parts = invalid.fields
        errors[f"due_date-{invalid.fields[0]}"] = invalid.message
    try:
        service.parse_recur_days(recur_days)
    except InvalidInput as invalid:
        errors["recur_days"] = invalid.message
    if errors or past_date == "change" or module is None or due is None:
        return _detail_page(
            render,
            session,
            content,
            viewer,
            cohort_id,
            errors=errors,
            form=form,
            faulty_date_parts=faulty_date_parts,
            assigning=True,
            status_code=400 if errors else 200,
        )
    if service.is_in_the_past(due) and past_date != "confirmed":
        cohort = service.get_managed_cohort(session, viewer, cohort_id)
        return render(
            "cohorts/confirm_past_date.html",
            {
                "title": "This date is in the past",
                "cohort": cohort,
                "module": module,
                "due": due,
                "form": form,
            },
        )
    service.assign_module(
        session,
        content,
        viewer,
        cohort_id,
        module_slug=module_slug,
        due_date=due,
        recur_days=recur_days,
    )
    return RedirectResponse(f"/cohorts/{cohort_id}?done=assigned", status_code=303)


@router.get("/cohorts/{cohort_id}/assignments/{assignment_id}/remove")
def confirm_remove_assignment(
    cohort_id: int,
    assignment_id: int,
    render: Render,
    viewer: CurrentUser,
    session: SessionDep,
    content: ContentDep,
) -> Response:
    """Removing asks first, on a page of its own, so it works without JavaScript."""
    assignment = service.assignment_to_remove(session, content, viewer, cohort_id, assignment_id)
    cohort = service.get_managed_cohort(session, viewer, cohort_id)
    return render(
        "cohorts/confirm_remove.html",
        {
            "title": f"Remove {assignment.module_title} from {cohort.name}?",
            "cohort": cohort,
            "action": f"/cohorts/{cohort_id}/assignments/{assignment_id}/remove",
            "consequence": (
                "Practitioners in this cohort will no longer see it as assigned or overdue. "
                "Their progress, quiz results and certificates are kept."
            ),
            "confirm_label": "Yes, remove this assignment",
            "keep_label": "No, keep it assigned",
        },
    )


@router.post(
    "/cohorts/{cohort_id}/assignments/{assignment_id}/remove", dependencies=[CsrfProtected]
)
def remove_assignment(
    cohort_id: int, assignment_id: int, viewer: CurrentUser, session: SessionDep
) -> Response:
    service.remove_assignment(session, viewer, cohort_id, assignment_id)
    return RedirectResponse(f"/cohorts/{cohort_id}?done=unassigned", status_code=303)


# --- The invitee's side -------------------------------------------------------------------


def _sign_in_then_back(token: str) -> str:
    """Someone whose address already has an account signs in and comes back to the link."""
    return "/sign-in?next=" + quote(f"/invitations/{token}", safe="")


def _unusable_invitation_page(render: PageRenderer, token: str, problem: AppError) -> Response:
    return render(
        "cohorts/invitation_unusable.html",
        {
            "title": "This invitation cannot be used",
            "message": problem.message,
            "sign_in_then_back": _sign_in_then_back(token),
            "link_path": f"/invitations/{token}"
            if isinstance(problem, service.InvitationForAnotherAddress)
            else None,
        },
        status_code=problem.status_code,
    )


def _invitation_page(
    render: PageRenderer,
    settings: SettingsDep,
    session: SessionDep,
    token: str,
    viewer: Viewer | None = None,
    *,
    errors: dict[str, str] | None = None,
    form: dict[str, str] | None = None,
    status_code: int = 200,
) -> Response:
    """The invitee has no session yet: the form is protected with the pre-session cookie."""
    try:
        opened = service.open_invitation(session, token, viewer)
    except AppError as problem:
        return _unusable_invitation_page(render, token, problem)
    return render_for_visitor(
        render,
        settings,
        "cohorts/invitation.html",
        {
            "title": f"Join {opened.cohort_name}" if viewer else "Join Askwell",
            "invitation": opened.invitation,
            "cohort_name": opened.cohort_name,
            "token": token,
            "sign_in_then_back": _sign_in_then_back(token),
            "errors": errors or {},
            "form": form or {},
            "password_fields": INVITATION_PASSWORD,
        },
        status_code=status_code,
    )


@router.get("/invitations/{token}")
def invitation_page(
    token: TokenPath,
    render: Render,
    viewer: OptionalViewer,
    session: SessionDep,
    settings: SettingsDep,
) -> Response:
    return _invitation_page(render, settings, session, token, viewer)


@router.post("/invitations/{token}", dependencies=[CsrfProtected])
def accept_invitation(
    token: TokenPath,
    render: Render,
    viewer: OptionalViewer,
    session: SessionDep,
    settings: SettingsDep,
    passwords: PasswordsDep,
    display_name: Annotated[str, Form(max_length=2000)] = "",
    password: Annotated[str, Form(max_length=2000)] = "",
    password_confirm: Annotated[str, Form(max_length=2000)] = "",
) -> Response:
    if viewer is not None:
        # Already signed in with the invited address: accepting the link is joining.
        try:
            service.join_by_invitation(session, viewer, token)
        except AppError as problem:
            session.rollback()
            return _unusable_invitation_page(render, token, problem)
        return RedirectResponse("/welcome", status_code=303)
    form = {"display_name": display_name}
    errors: dict[str, str] = {}
    try:
        single_line(display_name, "your name", auth.MAXIMUM_DISPLAY_NAME_LENGTH)
    except InvalidInput as invalid:
        errors["display_name"] = invalid.message
    errors.update(INVITATION_PASSWORD.problems(password, password_confirm))
    if errors:
        return _invitation_page(
            render, settings, session, token, errors=errors, form=form, status_code=400
        )
    try:
        user = service.accept_invitation(
            session, passwords, token, display_name=display_name, password=password
        )
    except AppError as problem:
        # Nothing was changed: the page says why the link cannot be used, in plain words.
        session.rollback()
        return _unusable_invitation_page(render, token, problem)
    session_token = auth.start_session(session, settings, user, None)
    response = RedirectResponse("/welcome", status_code=303)
    set_session_cookie(response, settings, session_token)
    return response


@router.get("/welcome")
def welcome(
    render: Render,
    viewer: CurrentUser,
    session: SessionDep,
    content: ContentDep,
) -> Response:
    """Where a new invitee lands: what Askwell is, and what their trainers have assigned."""
    return render(
        "cohorts/welcome.html",
        {
            "title": "Welcome to Askwell",
            "cohort_names": service.my_cohort_names(session, viewer),
            "assigned": service.my_assignments(session, content, viewer),
        },
    )


# --- A practitioner's answers: requests to join, and leaving ------------------------------


@router.post("/cohort-requests/{cohort_id}/accept", dependencies=[CsrfProtected])
def accept_request(cohort_id: int, viewer: CurrentUser, session: SessionDep) -> Response:
    service.accept_request(session, viewer, cohort_id)
    return RedirectResponse("/?cohort=joined", status_code=303)


@router.post("/cohort-requests/{cohort_id}/decline", dependencies=[CsrfProtected])
def decline_request(cohort_id: int, viewer: CurrentUser, session: SessionDep) -> Response:
    service.decline_request(session, viewer, cohort_id)
    return RedirectResponse("/?cohort=declined", status_code=303)


@router.get("/account/cohorts")
def my_cohorts_page(
    render: Render,
    viewer: CurrentUser,
    session: SessionDep,
    left: str = "",
) -> Response:
    """Which cohorts, and so which trainers, can see the viewer's progress; leave any."""
    return render(
        "cohorts/mine.html",
        {
            "title": "Who can see your progress",
            "cohorts": service.my_cohorts(session, viewer),
            "requests": service.my_requests(session, viewer),
            "left": left[:120],
        },
    )


@router.post("/account/cohorts/{cohort_id}/leave", dependencies=[CsrfProtected])
def leave_cohort(cohort_id: int, viewer: CurrentUser, session: SessionDep) -> Response:
    cohort = service.leave_cohort(session, viewer, cohort_id)
    return RedirectResponse(f"/account/cohorts?left={quote(cohort.name)}", status_code=303)

"""Cohorts over JSON: create, add members, invite, assign (the same service as the pages)."""

from __future__ import annotations

from fastapi import APIRouter, Request

from app.cohorts import service
from app.cohorts.schemas import (
    AssignmentIn,
    AssignmentOut,
    CohortForPractitionerOut,
    CohortIn,
    CohortListItem,
    CohortOut,
    InvitationIn,
    InvitationOut,
    MemberIn,
    MemberOut,
    PeopleAddedOut,
    PeopleIn,
)
from app.core.links import absolute_url
from app.web.deps import ContentDep, CsrfProtected, CurrentUser, SessionDep

router = APIRouter(prefix="/api/v1", tags=["cohorts"])


@router.get("/cohorts", response_model=list[CohortListItem])
def list_cohorts(viewer: CurrentUser, session: SessionDep) -> list[CohortListItem]:
    return [
        CohortListItem(
            id=item.id, name=item.name, members=item.members, assignments=item.assignments
        )
        for item in service.list_cohorts(session, viewer)
    ]


@router.post("/cohorts", response_model=CohortOut, status_code=201, dependencies=[CsrfProtected])
def create_cohort(body: CohortIn, viewer: CurrentUser, session: SessionDep) -> CohortOut:
    cohort = service.create_cohort(session, viewer, body.name)
    return CohortOut(id=cohort.id or 0, name=cohort.name)


@router.put("/cohorts/{cohort_id}", response_model=CohortOut, dependencies=[CsrfProtected])
def rename_cohort(
    cohort_id: int, body: CohortIn, viewer: CurrentUser, session: SessionDep
) -> CohortOut:
    cohort = service.rename_cohort(session, viewer, cohort_id, body.name)
    return CohortOut(id=cohort.id or 0, name=cohort.name)


@router.post(
    "/cohorts/{cohort_id}/members",
    response_model=MemberOut,
    status_code=201,
    dependencies=[CsrfProtected],
)
def add_member(
    cohort_id: int, body: MemberIn, viewer: CurrentUser, session: SessionDep
) -> MemberOut:
    """A trainer asks (the practitioner accepts on Askwell); an admin adds directly."""
    user = service.add_member(session, viewer, cohort_id, body.email)
    if service.is_member(session, cohort_id, user.id or 0):
        return MemberOut(user_id=user.id or 0, email=user.email, display_name=user.display_name)
    return MemberOut(user_id=user.id or 0, email=user.email, display_name="", status="asked")


@router.post(
    "/cohorts/{cohort_id}/members/bulk",
    response_model=PeopleAddedOut,
    dependencies=[CsrfProtected],
)
def add_people(
    cohort_id: int, body: PeopleIn, request: Request, viewer: CurrentUser, session: SessionDep
) -> PeopleAddedOut:
    """Add every practitioner in a pasted list; invite everyone else.

    The older fields stay for existing callers but never tell an address without an
    account from one whose account is of another kind."""
    result = service.add_people(
        session, viewer, cohort_id, body.emails, invite_the_rest=body.invite_the_rest
    )
    return PeopleAddedOut(
        added=result.added,
        asked=result.asked,
        already_members=result.already_members,
        invited=[_invitation_out(request, created) for created in result.invited],
        already_invited=result.already_invited,
        cannot_add=result.cannot_add,
        not_practitioners=[],
        without_account=result.cannot_add,
        not_addresses=result.not_addresses,
    )


def _invitation_out(request: Request, created: service.NewInvitation) -> InvitationOut:
    return InvitationOut(
        id=created.invitation.id or 0,
        email=created.invitation.email,
        url=absolute_url(request, created.path),
        expires_at=created.invitation.expires_at,
    )


@router.post(
    "/cohorts/{cohort_id}/invitations",
    response_model=InvitationOut,
    status_code=201,
    dependencies=[CsrfProtected],
)
def invite(
    cohort_id: int, body: InvitationIn, request: Request, viewer: CurrentUser, session: SessionDep
) -> InvitationOut:
    created = service.create_invitation(session, viewer, cohort_id, body.email)
    return _invitation_out(request, created)


@router.post(
    "/cohorts/{cohort_id}/assignments",
    response_model=AssignmentOut,
    status_code=201,
    dependencies=[CsrfProtected],
)
def assign(
    cohort_id: int,
    body: AssignmentIn,
    viewer: CurrentUser,
    session: SessionDep,
    content: ContentDep,
) -> AssignmentOut:
    assignment = service.assign_module(
        session,
        content,
        viewer,
        cohort_id,
        module_slug=body.module_slug,
        due_date=body.due_date,
        recur_days=body.recur_days,
    )
    return AssignmentOut(
        id=assignment.id or 0,
        cohort_id=assignment.cohort_id,
        module_slug=assignment.module_slug,
        due_date=assignment.due_date,
        recur_days=assignment.recur_days,
    )


# --- A practitioner's side: requests to join, and the cohorts that see their progress ----


def _for_practitioner(item: service.CohortForPractitioner) -> CohortForPractitionerOut:
    return CohortForPractitionerOut(
        cohort_id=item.cohort_id, name=item.name, trainers=item.trainers, since=item.since
    )


@router.get("/me/cohort-requests", response_model=list[CohortForPractitionerOut])
def my_requests(viewer: CurrentUser, session: SessionDep) -> list[CohortForPractitionerOut]:
    """Cohorts whose trainers asked to see the viewer's progress, waiting for an answer."""
    return [_for_practitioner(item) for item in service.my_requests(session, viewer)]


@router.post(
    "/me/cohort-requests/{cohort_id}/accept",
    response_model=CohortOut,
    dependencies=[CsrfProtected],
)
def accept_request(cohort_id: int, viewer: CurrentUser, session: SessionDep) -> CohortOut:
    cohort = service.accept_request(session, viewer, cohort_id)
    return CohortOut(id=cohort.id or 0, name=cohort.name)


@router.post(
    "/me/cohort-requests/{cohort_id}/decline", status_code=204, dependencies=[CsrfProtected]
)
def decline_request(cohort_id: int, viewer: CurrentUser, session: SessionDep) -> None:
    service.decline_request(session, viewer, cohort_id)


@router.get("/me/cohorts", response_model=list[CohortForPractitionerOut])
def my_cohorts(viewer: CurrentUser, session: SessionDep) -> list[CohortForPractitionerOut]:
    """The cohorts the viewer is in: their trainers see the viewer's progress."""
    return [_for_practitioner(item) for item in service.my_cohorts(session, viewer)]


@router.post("/me/cohorts/{cohort_id}/leave", status_code=204, dependencies=[CsrfProtected])
def leave_cohort(cohort_id: int, viewer: CurrentUser, session: SessionDep) -> None:
    service.leave_cohort(session, viewer, cohort_id)

"""Cohorts: creating them, their members and trainers, invitations and assignments.

Every function checks role and ownership itself: a trainer reaches only the cohorts they
manage (admins reach all), and a cohort they do not manage is "not found", so its
existence is not revealed either.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import ColumnElement, Select, delete, func, true, update
from sqlmodel import Session, col, select

from app.audit import service as audit
from app.auth import service as auth
from app.auth.passwords import Passwords
from app.auth.schemas import Viewer
from app.auth.service import require_role
from app.content import ContentIndex, Module
from app.core.db import insert_ignoring_duplicates
from app.core.errors import Conflict, InvalidInput, NotFound
from app.core.text import single_line
from app.models.base import utcnow
from app.models.cohorts import (
    Assignment,
    Cohort,
    CohortInvitation,
    CohortMember,
    CohortRequest,
    CohortTrainer,
)
from app.models.progress import ModuleProgress
from app.models.users import Role, User, UserRole
from app.progress.status import (
    STATUS_LABELS,
    AssignmentStatus,
    due_date_expression,
    status_expression,
    urgency,
)

MAXIMUM_COHORT_NAME_LENGTH = 120
MAXIMUM_PEOPLE_AT_ONCE = 500
MAXIMUM_PASTED_CHARACTERS = 100_000
# New lines, semicolons, tabs, and commas outside "quoted display names".
_SEPARATORS = re.compile(r'[;\n\r\t]+|,(?=(?:[^"]*"[^"]*")*[^"]*$)')
_NAMED_ADDRESS = re.compile(r"<([^<>@\s]+@[^<>\s]+)>\s*$")
INVITATION_LIFETIME = timedelta(days=14)
MINIMUM_RECUR_DAYS = 30
MAXIMUM_RECUR_DAYS = 3650
LATEST_DUE_DATE_YEARS = 10
COHORT_NOT_FOUND = "We could not find that cohort, or you do not manage it."
# Said of any address that is not a practitioner's account, whatever else it may be, so
# a trainer never learns that an address belongs to a young co-designer or anyone else.
CANNOT_BE_ADDED = "cannot be added: only practitioner accounts can join a cohort"


def cannot_be_added(email: str) -> str:
    """Why an address cannot join, in the same words on every form and in the API."""
    return f"{email} {CANNOT_BE_ADDED}."


def has_another_kind_of_account(email: str) -> str:
    """Said only to whoever opens an invitation for an address that already has an account
    of another kind (a co-designer's, say): never to the trainer, who must not learn it."""
    return (
        f"{email} already has an Askwell account, and that kind of account cannot join a "
        "cohort. Nothing about your account has been changed, and your trainer has not been "
        "told. Ask your trainer to invite you again using a different email address."
    )


INVITATION_FOR_ANOTHER_ADDRESS = "This invitation is for another address. Sign out to use it."


class InvitationForAnotherAddress(Conflict):
    """The link was opened signed in with an account other than the one it invites."""


SIGN_IN_FIRST = (
    "{email} already has an Askwell account. Sign in with it, then open this link again."
)


# --- Small helpers ----------------------------------------------------------------------


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def require_trainer(viewer: Viewer) -> None:
    require_role(viewer, Role.trainer, Role.admin)


def managed_cohort_ids(viewer: Viewer) -> Select[tuple[int]]:
    """The cohorts this viewer may see, as a subquery: all for admins, their own for trainers."""
    if viewer.has(Role.admin):
        return select(Cohort.id)  # type: ignore[return-value]
    return select(CohortTrainer.cohort_id).where(CohortTrainer.user_id == viewer.id)  # type: ignore[return-value]


def manages(session: Session, viewer: Viewer, cohort_id: int) -> bool:
    if viewer.has(Role.admin):
        return True
    link = session.get(CohortTrainer, (cohort_id, viewer.id))
    return link is not None and viewer.has(Role.trainer)


def get_managed_cohort(session: Session, viewer: Viewer, cohort_id: int) -> Cohort:
    require_trainer(viewer)
    cohort = session.get(Cohort, cohort_id)
    if cohort is None or not manages(session, viewer, cohort_id):
        raise NotFound(COHORT_NOT_FOUND)
    return cohort


def assignable_module(content: ContentIndex, slug: str) -> Module:
    module = content.get(slug.strip())
    if module is None or module.kind != "module":
        raise InvalidInput("Choose a module to assign.")
    return module


# --- Cohorts ------------------------------------------------------------------------------


@dataclass(frozen=True)
class CohortSummary:
    id: int
    name: str
    members: int
    assignments: int
    created_at: datetime


def list_cohorts(session: Session, viewer: Viewer) -> list[CohortSummary]:
    require_trainer(viewer)
    member_counts = (
        select(CohortMember.cohort_id, func.count().label("members"))
        .group_by(CohortMember.cohort_id)
        .subquery()
    )
    assignment_counts = (
        select(Assignment.cohort_id, func.count().label("assignments"))
        .group_by(Assignment.cohort_id)
        .subquery()
    )
    rows = session.exec(
        select(
            Cohort,
            func.coalesce(member_counts.c.members, 0),
            func.coalesce(assignment_counts.c.assignments, 0),
        )
        .outerjoin(member_counts, member_counts.c.cohort_id == Cohort.id)
        .outerjoin(assignment_counts, assignment_counts.c.cohort_id == Cohort.id)
        .where(col(Cohort.id).in_(managed_cohort_ids(viewer)))
        .order_by(func.lower(Cohort.name), Cohort.id)
    ).all()
    return [
        CohortSummary(
            id=cohort.id or 0,
            name=cohort.name,
            members=members,
            assignments=assignments,
            created_at=cohort.created_at,
        )
        for cohort, members, assignments in rows
    ]


def create_cohort(session: Session, viewer: Viewer, name: str) -> Cohort:
    """A new cohort; the trainer who creates it manages it."""
    require_trainer(viewer)
    cohort = Cohort(name=single_line(name, "a name for the cohort", MAXIMUM_COHORT_NAME_LENGTH))
    cohort.created_by = viewer.id
    session.add(cohort)
    session.flush()
    session.add(CohortTrainer(cohort_id=cohort.id or 0, user_id=viewer.id))
    audit.record(session, viewer, "cohort.create", "cohort", cohort.id, cohort.name)
    return cohort


def rename_cohort(session: Session, viewer: Viewer, cohort_id: int, name: str) -> Cohort:
    """Put a cohort's name right; its members, assignments and records stay as they are."""
    cohort = get_managed_cohort(session, viewer, cohort_id)
    new_name = single_line(name, "a name for the cohort", MAXIMUM_COHORT_NAME_LENGTH)
    if new_name != cohort.name:
        audit.record(
            session, viewer, "cohort.rename", "cohort", cohort.id, f"{cohort.name} -> {new_name}"
        )
        cohort.name = new_name
        session.add(cohort)
    return cohort


def _find_account(session: Session, email: str) -> tuple[str, User | None]:
    normalised = auth.normalise_email(email)
    return normalised, session.exec(select(User).where(User.email == normalised)).first()


def _has_role(session: Session, user_id: int, role: Role) -> bool:
    return (
        session.exec(
            select(UserRole.user_id).where(UserRole.user_id == user_id, UserRole.role == role.value)
        ).first()
        is not None
    )


def joins_directly(viewer: Viewer) -> bool:
    """Whether adding someone by email puts them straight in (an admin of the organisation)
    rather than asking them to accept (a trainer)."""
    return viewer.has(Role.admin)


def _join_or_ask(session: Session, viewer: Viewer, cohort_id: int, user_id: int) -> bool:
    """Ask a practitioner to join (they accept or decline on their home page), or, when an
    admin of the organisation adds them, put them straight in. True when they joined now."""
    if joins_directly(viewer):
        insert_ignoring_duplicates(
            session,
            CohortMember,
            {"cohort_id": cohort_id, "user_id": user_id, "added_at": utcnow()},
            ["cohort_id", "user_id"],
        )
        session.exec(
            delete(CohortRequest).where(
                CohortRequest.cohort_id == cohort_id, CohortRequest.user_id == user_id
            )
        )
        audit.record(
            session,
            viewer,
            "cohort.member_add_direct",
            "cohort",
            cohort_id,
            f"user {user_id}",
        )
        return True
    insert_ignoring_duplicates(
        session,
        CohortRequest,
        {
            "cohort_id": cohort_id,
            "user_id": user_id,
            "requested_by": viewer.id,
            "requested_at": utcnow(),
        },
        ["cohort_id", "user_id"],
    )
    audit.record(session, viewer, "cohort.member_request", "cohort", cohort_id, f"user {user_id}")
    return False


def is_member(session: Session, cohort_id: int, user_id: int) -> bool:
    return session.get(CohortMember, (cohort_id, user_id)) is not None


def add_member(session: Session, viewer: Viewer, cohort_id: int, email: str) -> User:
    """Ask an existing practitioner to join: they see the request on their home page and
    join only by accepting it. An admin adds them directly. Asking twice changes nothing."""
    cohort = get_managed_cohort(session, viewer, cohort_id)
    if not email.strip():
        raise InvalidInput("Enter the practitioner's email address.")
    normalised, user = _find_account(session, email)
    if user is None or user.id is None or not _has_role(session, user.id, Role.practitioner):
        raise InvalidInput(
            f"{cannot_be_added(normalised)} "
            "Check the address, or invite them if they are new to Askwell."
        )
    if not is_member(session, cohort.id or 0, user.id):
        _join_or_ask(session, viewer, cohort.id or 0, user.id)
    return user


@dataclass(frozen=True)
class PeopleAdded:
    """What adding a pasted list did, person by person, so the trainer can act on the rest."""

    added: list[str]
    already_members: list[str]
    invited: list[NewInvitation]
    asked: list[str]
    already_invited: list[str]
    cannot_add: list[str]
    not_addresses: list[str]


def split_addresses(text: str) -> list[str]:
    """Addresses from whatever a trainer pastes: one a line, or separated by commas or
    semicolons, bare or as "Name <address>" (as mail programs and spreadsheets copy them)."""
    found = []
    for piece in _SEPARATORS.split(text):
        named = _NAMED_ADDRESS.search(piece)
        found.append(named.group(1) if named else piece.strip())
    return list(dict.fromkeys(item for item in found if item))


def add_people(
    session: Session,
    viewer: Viewer,
    cohort_id: int,
    text: str,
    *,
    invite_the_rest: bool,
    creator_cookie: str | None = None,
) -> PeopleAdded:
    """Add every practitioner account in a pasted list, and invite everyone else.

    An address with no account and one whose account is not a practitioner's (a young
    co-designer's, say) are treated exactly alike: both are invited, or both "cannot be
    added", so the trainer learns nothing about who else uses Askwell.

    With ``creator_cookie`` the new links can be shown to their creator again for a while
    (see ``auth.hold_links``); without it (the API) they are shown once."""
    cohort = get_managed_cohort(session, viewer, cohort_id)
    if len(text) > MAXIMUM_PASTED_CHARACTERS:
        raise InvalidInput(f"Paste at most {MAXIMUM_PASTED_CHARACTERS:,} characters at a time.")
    addresses = split_addresses(text)
    if not addresses:
        raise InvalidInput("Paste at least one email address.")
    if len(addresses) > MAXIMUM_PEOPLE_AT_ONCE:
        raise InvalidInput(
            f"Add at most {MAXIMUM_PEOPLE_AT_ONCE} people at a time "
            f"(that list has {len(addresses):,})."
        )
    valid: list[str] = []
    not_addresses: list[str] = []
    for address in addresses:
        try:
            valid.append(auth.normalise_email(address))
        except InvalidInput:
            not_addresses.append(address)
    valid = list(dict.fromkeys(valid))
    accounts = dict(
        session.exec(select(User.email, User.id).where(col(User.email).in_(valid))).all()
    )
    practitioners = set(
        session.exec(
            select(UserRole.user_id).where(
                col(UserRole.user_id).in_(list(accounts.values())),
                UserRole.role == Role.practitioner.value,
            )
        ).all()
    )
    members = set(
        session.exec(
            select(CohortMember.user_id).where(
                CohortMember.cohort_id == cohort.id,
                col(CohortMember.user_id).in_(list(accounts.values())),
            )
        ).all()
    )
    now = utcnow()
    open_invitations = set(
        session.exec(
            select(CohortInvitation.email).where(
                CohortInvitation.cohort_id == cohort.id,
                col(CohortInvitation.email).in_(valid),
                col(CohortInvitation.used_at).is_(None),
                col(CohortInvitation.expires_at) > now,
            )
        ).all()
    )
    result = PeopleAdded([], [], [], [], [], [], not_addresses)
    for email in valid:
        user_id = accounts.get(email)
        if user_id is None or user_id not in practitioners:
            if email in open_invitations:
                result.already_invited.append(email)
            elif invite_the_rest:
                secret = auth.new_link_secret(creator_cookie) if creator_cookie else None
                result.invited.append(_new_invitation(session, viewer, cohort, email, secret))
            else:
                result.cannot_add.append(email)
        elif user_id in members:
            result.already_members.append(email)
        elif _join_or_ask(session, viewer, cohort.id or 0, user_id):
            result.added.append(email)
        else:
            result.asked.append(email)
    result.cannot_add.sort()
    audit.record(
        session,
        viewer,
        "cohort.member_add_many",
        "cohort",
        cohort.id,
        f"added {len(result.added)}, asked {len(result.asked)}, invited {len(result.invited)}",
    )
    return result


PEOPLE_ADDED = "people_added"
_OUTCOMES = (
    "added",
    "asked",
    "already_members",
    "already_invited",
    "cannot_add",
    "not_addresses",
)
# A result held (for up to 30 minutes) from before named the two kinds apart: reloaded
# now, both read as one list.
_EARLIER_OUTCOMES = {"not_practitioners": "cannot_add", "without_account": "cannot_add"}


def hold_people_added(session: Session, viewer: Viewer, result: PeopleAdded) -> str:
    """Keep what adding a list did, and its new links, so the page can be reloaded."""
    notes = [f"{outcome}:{item}" for outcome in _OUTCOMES for item in getattr(result, outcome)]
    made = [
        (created.invitation.id or 0, created.secret)
        for created in result.invited
        if created.secret is not None
    ]
    return auth.hold_links(session, viewer, PEOPLE_ADDED, made, notes=notes)


@dataclass(frozen=True)
class PeopleAddedShown:
    """What adding a pasted list did, as shown again on reload; new links while usable."""

    added: list[str]
    already_members: list[str]
    invited: list[ShownInvitation]
    asked: list[str]
    already_invited: list[str]
    cannot_add: list[str]
    not_addresses: list[str]


def shown_people_added(
    session: Session, viewer: Viewer, cohort_id: int, creator_cookie: str | None, batch: str
) -> PeopleAddedShown | None:
    """None once the result is no longer held (30 minutes, or another browser)."""
    get_managed_cohort(session, viewer, cohort_id)
    notes = auth.held_notes(session, viewer, PEOPLE_ADDED, batch)
    if notes is None:
        return None
    sorted_notes: dict[str, list[str]] = {outcome: [] for outcome in _OUTCOMES}
    for note in notes:
        outcome, _, item = note.partition(":")
        outcome = _EARLIER_OUTCOMES.get(outcome, outcome)
        if outcome in sorted_notes:
            sorted_notes[outcome].append(item)
    sorted_notes["cannot_add"].sort()
    invited = _shown(session, cohort_id, creator_cookie, viewer, PEOPLE_ADDED, batch)
    return PeopleAddedShown(invited=invited, **sorted_notes)


def remove_member(session: Session, viewer: Viewer, cohort_id: int, user_id: int) -> None:
    cohort = get_managed_cohort(session, viewer, cohort_id)
    removed = session.exec(
        delete(CohortMember).where(
            CohortMember.cohort_id == cohort.id, CohortMember.user_id == user_id
        )
    )
    if removed.rowcount == 0:
        raise NotFound("That person is not in this cohort.")
    audit.record(session, viewer, "cohort.member_remove", "cohort", cohort.id, f"user {user_id}")


def add_trainer(session: Session, viewer: Viewer, cohort_id: int, email: str) -> User:
    """Share a cohort with another trainer, so a team can run it together."""
    cohort = get_managed_cohort(session, viewer, cohort_id)
    if not email.strip():
        raise InvalidInput("Enter the trainer's email address.")
    normalised, user = _find_account(session, email)
    if user is None or user.id is None or not _has_role(session, user.id, Role.trainer):
        raise InvalidInput(f"No trainer account uses {normalised}.")
    insert_ignoring_duplicates(
        session,
        CohortTrainer,
        {"cohort_id": cohort.id, "user_id": user.id},
        ["cohort_id", "user_id"],
    )
    audit.record(session, viewer, "cohort.trainer_add", "cohort", cohort.id, f"user {user.id}")
    return user


# --- Invitations --------------------------------------------------------------------------


@dataclass(frozen=True)
class NewInvitation:
    invitation: CohortInvitation
    token: str
    secret: auth.LinkSecret | None = None

    @property
    def path(self) -> str:
        return f"/invitations/{self.token}"


INVITATION_LINK = "invitation"


def create_invitation(
    session: Session,
    viewer: Viewer,
    cohort_id: int,
    email: str,
    secret: auth.LinkSecret | None = None,
) -> NewInvitation:
    """A single-use link for someone without a practitioner account; only the token's hash
    is kept. An address whose account is of another kind is invited just like a new one,
    so the trainer cannot tell; its owner is told why it cannot be used when they open it."""
    cohort = get_managed_cohort(session, viewer, cohort_id)
    if not email.strip():
        raise InvalidInput("Enter the email address of the person you are inviting.")
    normalised, user = _find_account(session, email)
    if user is not None and user.id is not None and _has_role(session, user.id, Role.practitioner):
        raise InvalidInput(
            f"{normalised} already has an account: add them by email instead of inviting them."
        )
    created = _new_invitation(session, viewer, cohort, normalised, secret)
    audit.record(session, viewer, "cohort.invite", "cohort", cohort.id, f"invited {normalised}")
    return created


def renew_invitation(
    session: Session,
    viewer: Viewer,
    cohort_id: int,
    invitation_id: int,
    secret: auth.LinkSecret | None = None,
) -> NewInvitation:
    """A new link for someone invited before (lost, expired or withdrawn): an earlier link
    still open stops working, so only one link per person is ever live."""
    cohort = get_managed_cohort(session, viewer, cohort_id)
    invitation = session.get(CohortInvitation, invitation_id)
    if invitation is None or invitation.cohort_id != cohort.id:
        raise NotFound("We could not find that invitation.")
    if invitation.used_at is not None:
        raise Conflict(f"{invitation.email} has already joined: there is nothing to renew.")
    session.exec(
        update(CohortInvitation)
        .where(
            CohortInvitation.cohort_id == cohort.id,
            CohortInvitation.email == invitation.email,
            col(CohortInvitation.used_at).is_(None),
            col(CohortInvitation.revoked_at).is_(None),
        )
        .values(revoked_at=utcnow())
    )
    return create_invitation(session, viewer, cohort_id, invitation.email, secret)


@dataclass(frozen=True)
class ShownInvitation:
    """An invitation link made in this session, and whether it would still work."""

    email: str
    path: str
    usable: bool


def shown_invitations(
    session: Session,
    viewer: Viewer,
    cohort_id: int,
    creator_cookie: str | None,
    batch: str,
) -> list[ShownInvitation]:
    """The invitation links this trainer just made for this cohort, while they are held."""
    get_managed_cohort(session, viewer, cohort_id)
    return _shown(session, cohort_id, creator_cookie, viewer, INVITATION_LINK, batch)


def _shown(
    session: Session,
    cohort_id: int,
    creator_cookie: str | None,
    viewer: Viewer,
    kind: str,
    batch: str,
) -> list[ShownInvitation]:
    shown = []
    now = utcnow()
    for subject_id, token in auth.shown_links(session, viewer, creator_cookie, kind, batch):
        invitation = session.get(CohortInvitation, subject_id)
        if invitation is None or invitation.cohort_id != cohort_id:
            continue
        usable = (
            invitation.token_hash == hash_token(token)
            and invitation.used_at is None
            and invitation.revoked_at is None
            and invitation.expires_at > now
        )
        shown.append(
            ShownInvitation(email=invitation.email, path=f"/invitations/{token}", usable=usable)
        )
    return shown


def _new_invitation(
    session: Session,
    viewer: Viewer,
    cohort: Cohort,
    normalised_email: str,
    secret: auth.LinkSecret | None = None,
) -> NewInvitation:
    now = utcnow()
    token = secret.token if secret else secrets.token_urlsafe(32)
    invitation = CohortInvitation(
        cohort_id=cohort.id or 0,
        email=normalised_email,
        token_hash=hash_token(token),
        created_by=viewer.id,
        created_at=now,
        expires_at=now + INVITATION_LIFETIME,
    )
    session.add(invitation)
    session.flush()
    return NewInvitation(invitation=invitation, token=token, secret=secret)


def revoke_invitation(session: Session, viewer: Viewer, cohort_id: int, invitation_id: int) -> None:
    cohort = get_managed_cohort(session, viewer, cohort_id)
    revoked = session.exec(
        update(CohortInvitation)
        .where(
            CohortInvitation.id == invitation_id,
            CohortInvitation.cohort_id == cohort.id,
            col(CohortInvitation.used_at).is_(None),
            col(CohortInvitation.revoked_at).is_(None),
        )
        .values(revoked_at=utcnow())
    )
    if revoked.rowcount == 0:
        raise NotFound("That invitation is not open any more.")
    audit.record(
        session, viewer, "cohort.invite_revoke", "cohort", cohort.id, f"invitation {invitation_id}"
    )


@dataclass(frozen=True)
class OpenInvitation:
    invitation: CohortInvitation
    cohort_name: str


def _another_kind_of_account(session: Session, email: str) -> User | None:
    """The account already using an invited address, when it is not a practitioner's."""
    _, account = _find_account(session, email)
    if account is None or _has_role(session, account.id or 0, Role.practitioner):
        return None
    return account


def open_invitation(session: Session, token: str, viewer: Viewer | None = None) -> OpenInvitation:
    """The invitation behind a link, or a plain reason why it cannot be used.

    Whether the invited address already has an account of another kind is said only to
    that account, signed in: the trainer holds the link too, and opening it must show them
    the same page as for any new address."""
    row = session.exec(
        select(CohortInvitation, Cohort.name)
        .join(Cohort, col(Cohort.id) == CohortInvitation.cohort_id)
        .where(CohortInvitation.token_hash == hash_token(token[:100]))
    ).first()
    if row is None:
        raise NotFound(
            "This invitation link is not valid. Check you copied all of it, "
            "or ask your trainer for a new one."
        )
    invitation, cohort_name = row
    if invitation.used_at is not None:
        raise Conflict(
            "This invitation has already been used. If it was you, sign in; "
            "otherwise ask your trainer for a new link."
        )
    if invitation.revoked_at is not None:
        raise Conflict("This invitation was withdrawn. Ask your trainer for a new link.")
    if invitation.expires_at <= utcnow():
        raise Conflict(
            f"This invitation expired on {invitation.expires_at.day} "
            f"{invitation.expires_at:%B %Y}. Ask your trainer for a new link."
        )
    if viewer is not None and viewer.email != invitation.email:
        # Said the same whatever the address, so whoever else holds the link (the trainer
        # who made it, say) learns nothing about it.
        raise InvitationForAnotherAddress(INVITATION_FOR_ANOTHER_ADDRESS)
    account = _another_kind_of_account(session, invitation.email)
    if account is not None and viewer is not None and viewer.id == account.id:
        raise Conflict(has_another_kind_of_account(invitation.email))
    return OpenInvitation(invitation=invitation, cohort_name=cohort_name)


def join_by_invitation(session: Session, viewer: Viewer, token: str) -> Cohort:
    """A signed-in practitioner whose address was invited joins with the link: opening and
    accepting it is their consent, exactly as for someone making a new account."""
    opened = open_invitation(session, token, viewer)
    invitation = opened.invitation
    require_role(viewer, Role.practitioner)
    claimed = session.exec(
        update(CohortInvitation)
        .where(
            CohortInvitation.id == invitation.id,
            col(CohortInvitation.used_at).is_(None),
            col(CohortInvitation.revoked_at).is_(None),
        )
        .values(used_at=utcnow(), used_by=viewer.id)
    )
    if claimed.rowcount != 1:
        raise Conflict("This invitation has already been used.")
    insert_ignoring_duplicates(
        session,
        CohortMember,
        {"cohort_id": invitation.cohort_id, "user_id": viewer.id, "added_at": utcnow()},
        ["cohort_id", "user_id"],
    )
    session.exec(
        delete(CohortRequest).where(
            CohortRequest.cohort_id == invitation.cohort_id, CohortRequest.user_id == viewer.id
        )
    )
    audit.record(
        session, viewer, "invitation.accept", "cohort", invitation.cohort_id, f"user {viewer.id}"
    )
    return session.get_one(Cohort, invitation.cohort_id)


def accept_invitation(
    session: Session, passwords: Passwords, token: str, *, display_name: str, password: str
) -> User:
    """Make the invitee's practitioner account and put them in the cohort, exactly once."""
    opened = open_invitation(session, token)
    invitation = opened.invitation
    if _find_account(session, invitation.email)[1] is not None:
        # Whoever owns that account proves it by signing in; until then nothing changes.
        raise Conflict(SIGN_IN_FIRST.format(email=invitation.email))
    name = single_line(display_name, "your name", auth.MAXIMUM_DISPLAY_NAME_LENGTH)
    claimed = session.exec(
        update(CohortInvitation)
        .where(
            CohortInvitation.id == invitation.id,
            col(CohortInvitation.used_at).is_(None),
            col(CohortInvitation.revoked_at).is_(None),
        )
        .values(used_at=utcnow())
    )
    if claimed.rowcount != 1:
        raise Conflict("This invitation has already been used.")
    user = auth.create_user(
        session,
        passwords,
        email=invitation.email,
        password=password,
        display_name=name,
        roles=[Role.practitioner],
    )
    session.exec(
        update(CohortInvitation).where(CohortInvitation.id == invitation.id).values(used_by=user.id)
    )
    session.add(CohortMember(cohort_id=invitation.cohort_id, user_id=user.id or 0))
    viewer = Viewer(
        id=user.id or 0,
        email=user.email,
        display_name=user.display_name,
        roles=frozenset({Role.practitioner}),
        session_id="",
    )
    audit.record(
        session, viewer, "invitation.accept", "cohort", invitation.cohort_id, f"user {user.id}"
    )
    return user


# --- Assignments --------------------------------------------------------------------------


def parse_due_date(value: str | date) -> date:
    if isinstance(value, date):
        due = value
    else:
        try:
            due = date.fromisoformat(value.strip())
        except ValueError as error:
            raise InvalidInput(
                "Enter the due date as a real date, for example 2027-03-31."
            ) from error
    if due > years_after(utcnow().date(), LATEST_DUE_DATE_YEARS):
        raise InvalidInput(f"Due date must be within {LATEST_DUE_DATE_YEARS} years from today")
    return due


def years_after(day: date, years: int) -> date:
    """The same day ``years`` later; 29 February becomes 28 February in a common year."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


DATE_PARTS = ("day", "month", "year")
_DIGITS = re.compile(r"[0-9]{1,4}")


class InvalidDate(InvalidInput):
    """A due date typed in three boxes that cannot be read, and which boxes are at fault,
    so the page highlights only those (as NHS.UK and GOV.UK date inputs do)."""

    def __init__(self, message: str, fields: tuple[str, ...] = DATE_PARTS) -> None:
        super().__init__(message)
        self.fields = fields


def due_date_from_parts(day: str, month: str, year: str) -> date:
    """A due date from the day, month and year boxes, or the problem in the words people
    expect from NHS.UK forms: what is missing first, then what is not a real date."""
    given = {"day": day.strip(), "month": month.strip(), "year": year.strip()}
    missing = tuple(part for part in DATE_PARTS if not given[part])
    if len(missing) == len(DATE_PARTS):
        raise InvalidDate("Enter the due date")
    if missing:
        raise InvalidDate(f"Due date must include a {' and '.join(missing)}", missing)
    not_numbers = tuple(part for part in DATE_PARTS if not _DIGITS.fullmatch(given[part]))
    if not_numbers:
        raise InvalidDate("Due date must be a real date", not_numbers)
    number = {part: int(given[part]) for part in DATE_PARTS}
    out_of_range = tuple(
        part for part, highest in (("day", 31), ("month", 12)) if not 1 <= number[part] <= highest
    )
    if out_of_range:
        raise InvalidDate("Due date must be a real date", out_of_range)
    if len(given["year"]) != 4:
        raise InvalidDate("Year must include 4 numbers", ("year",))
    try:
        due = date(number["year"], number["month"], number["day"])
    except ValueError as error:
        raise InvalidDate("Due date must be a real date", ("day",)) from error
    try:
        return parse_due_date(due)
    except InvalidInput as too_late:
        raise InvalidDate(too_late.message) from too_late


def is_in_the_past(due: date) -> bool:
    """A past due date is allowed (a cohort catching up), but only once the trainer confirms."""
    return due < utcnow().date()


def parse_recur_days(value: str | int | None) -> int | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    try:
        days = int(value)
    except ValueError as error:
        raise InvalidInput("Enter how often it recurs as a whole number of days.") from error
    if not MINIMUM_RECUR_DAYS <= days <= MAXIMUM_RECUR_DAYS:
        raise InvalidInput(
            f"A refresh must recur every {MINIMUM_RECUR_DAYS} to {MAXIMUM_RECUR_DAYS} days."
        )
    return days


def assign_module(
    session: Session,
    content: ContentIndex,
    viewer: Viewer,
    cohort_id: int,
    *,
    module_slug: str,
    due_date: str | date,
    recur_days: str | int | None = None,
) -> Assignment:
    """Assign a module; assigning it again changes its due date and recurrence."""
    cohort = get_managed_cohort(session, viewer, cohort_id)
    module = assignable_module(content, module_slug)
    due = parse_due_date(due_date)
    recur = parse_recur_days(recur_days)
    assignment = session.exec(
        select(Assignment).where(
            Assignment.cohort_id == cohort.id, Assignment.module_slug == module.slug
        )
    ).first()
    if assignment is None:
        assignment = Assignment(
            cohort_id=cohort.id or 0,
            module_slug=module.slug,
            due_date=due,
            recur_days=recur,
            created_by=viewer.id,
        )
        session.add(assignment)
    else:
        assignment.due_date, assignment.recur_days = due, recur
    session.flush()
    audit.record(
        session,
        viewer,
        "cohort.assign",
        "cohort",
        cohort.id,
        f"{module.slug} due {due.isoformat()}" + (f", every {recur} days" if recur else ""),
    )
    return assignment


def remove_assignment(session: Session, viewer: Viewer, cohort_id: int, assignment_id: int) -> None:
    cohort = get_managed_cohort(session, viewer, cohort_id)
    removed = session.exec(
        delete(Assignment).where(Assignment.id == assignment_id, Assignment.cohort_id == cohort.id)
    )
    if removed.rowcount == 0:
        raise NotFound("That module is not assigned to this cohort.")
    audit.record(
        session, viewer, "cohort.unassign", "cohort", cohort.id, f"assignment {assignment_id}"
    )


# --- One cohort's page --------------------------------------------------------------------


@dataclass(frozen=True)
class MemberRow:
    user_id: int
    display_name: str
    email: str
    added_at: datetime


@dataclass(frozen=True)
class InvitationRow:
    id: int
    email: str
    created_at: datetime
    expires_at: datetime
    state: str  # open, used, expired, withdrawn


@dataclass(frozen=True)
class RequestRow:
    """Someone asked to join who has not answered: shown only by the address typed."""

    user_id: int
    email: str
    requested_at: datetime


@dataclass(frozen=True)
class AssignmentRow:
    id: int
    module_slug: str
    module_title: str
    due_date: date
    recur_days: int | None


@dataclass(frozen=True)
class CohortDetail:
    cohort: Cohort
    trainers: list[MemberRow]
    members: list[MemberRow]
    invitations: list[InvitationRow]
    assignments: list[AssignmentRow]
    requests: list[RequestRow]


def _people(
    session: Session, link: type[CohortMember] | type[CohortTrainer], cohort_id: int
) -> list[MemberRow]:
    added = CohortMember.added_at if link is CohortMember else Cohort.created_at
    statement = (
        select(User.id, User.display_name, User.email, added)
        .join(link, col(link.user_id) == User.id)
        .join(Cohort, col(Cohort.id) == link.cohort_id)
        .where(link.cohort_id == cohort_id)
        .order_by(func.lower(User.display_name), User.id)
    )
    return [MemberRow(*row) for row in session.exec(statement).all()]


def _pending(newest_first: list[InvitationRow]) -> list[InvitationRow]:
    """One line per person not yet joined: their latest invitation, open or not, so a trainer
    can see who is still waiting and withdraw it or make a new link."""
    joined = {row.email for row in newest_first if row.state == "used"}
    latest: dict[str, InvitationRow] = {}
    for row in newest_first:
        if row.email not in joined:
            latest.setdefault(row.email, row)
    return list(latest.values())


def cohort_detail(
    session: Session, content: ContentIndex, viewer: Viewer, cohort_id: int
) -> CohortDetail:
    cohort = get_managed_cohort(session, viewer, cohort_id)
    now = utcnow()
    invitations = session.exec(
        select(CohortInvitation)
        .where(CohortInvitation.cohort_id == cohort_id)
        .order_by(col(CohortInvitation.created_at).desc())
        .limit(50)
    ).all()
    assignments = session.exec(
        select(Assignment).where(Assignment.cohort_id == cohort_id).order_by(Assignment.due_date)
    ).all()

    def state_of(invitation: CohortInvitation) -> str:
        if invitation.used_at is not None:
            return "used"
        if invitation.revoked_at is not None:
            return "withdrawn"
        return "expired" if invitation.expires_at <= now else "open"

    def title_of(slug: str) -> str:
        module = content.get(slug)
        return module.title if module else f"{slug} (no longer published)"

    return CohortDetail(
        cohort=cohort,
        trainers=_people(session, CohortTrainer, cohort_id),
        members=_people(session, CohortMember, cohort_id),
        invitations=_pending(
            [
                InvitationRow(
                    id=item.id or 0,
                    email=item.email,
                    created_at=item.created_at,
                    expires_at=item.expires_at,
                    state=state_of(item),
                )
                for item in invitations
            ]
        ),
        assignments=[
            AssignmentRow(
                id=item.id or 0,
                module_slug=item.module_slug,
                module_title=title_of(item.module_slug),
                due_date=item.due_date,
                recur_days=item.recur_days,
            )
            for item in assignments
        ],
        requests=[
            RequestRow(*row)
            for row in session.exec(
                select(User.id, User.email, CohortRequest.requested_at)
                .join(CohortRequest, col(CohortRequest.user_id) == User.id)
                .where(CohortRequest.cohort_id == cohort_id)
                .order_by(col(CohortRequest.requested_at).desc())
            ).all()
        ],
    )


def withdraw_request(session: Session, viewer: Viewer, cohort_id: int, user_id: int) -> None:
    """A trainer takes back a request nobody has answered yet."""
    cohort = get_managed_cohort(session, viewer, cohort_id)
    withdrawn = session.exec(
        delete(CohortRequest).where(
            CohortRequest.cohort_id == cohort.id, CohortRequest.user_id == user_id
        )
    )
    if withdrawn.rowcount == 0:
        raise NotFound("That request is not waiting any more.")
    audit.record(session, viewer, "cohort.request_withdraw", "cohort", cohort.id, f"user {user_id}")


def member_to_remove(session: Session, viewer: Viewer, cohort_id: int, user_id: int) -> MemberRow:
    """The practitioner a trainer is about to remove, for the page that asks first."""
    get_managed_cohort(session, viewer, cohort_id)
    for member in _people(session, CohortMember, cohort_id):
        if member.user_id == user_id:
            return member
    raise NotFound("That person is not in this cohort.")


def assignment_to_remove(
    session: Session, content: ContentIndex, viewer: Viewer, cohort_id: int, assignment_id: int
) -> AssignmentRow:
    """The assignment a trainer is about to remove, for the page that asks first."""
    get_managed_cohort(session, viewer, cohort_id)
    assignment = session.get(Assignment, assignment_id)
    if assignment is None or assignment.cohort_id != cohort_id:
        raise NotFound("That module is not assigned to this cohort.")
    module = content.get(assignment.module_slug)
    return AssignmentRow(
        id=assignment.id or 0,
        module_slug=assignment.module_slug,
        module_title=module.title if module else assignment.module_slug,
        due_date=assignment.due_date,
        recur_days=assignment.recur_days,
    )


# --- What a practitioner has been assigned ------------------------------------------------


@dataclass(frozen=True)
class MyAssignment:
    module: Module
    due_date: date
    recur_days: int | None
    status: AssignmentStatus

    @property
    def overdue(self) -> bool:
        return self.status is AssignmentStatus.overdue

    @property
    def label(self) -> str:
        return STATUS_LABELS[self.status]


def my_cohort_names(session: Session, viewer: Viewer) -> list[str]:
    """The cohorts the viewer belongs to, for telling a newcomer which one they joined."""
    return list(
        session.exec(
            select(Cohort.name)
            .join(CohortMember, col(CohortMember.cohort_id) == Cohort.id)
            .where(CohortMember.user_id == viewer.id)
            .order_by(col(Cohort.name))
        ).all()
    )


def my_assignments(
    session: Session,
    content: ContentIndex,
    viewer: Viewer,
    cohort_ids: list[int] | None = None,
) -> list[MyAssignment]:
    """The modules the viewer's cohorts (or just ``cohort_ids``) assign, most urgent first.

    One line per module: when two cohorts assign the same module, the more urgent counts
    (the same choice as the practitioner's own pages make).
    """
    if not viewer.has(Role.practitioner):
        return []
    today = utcnow().date()
    status: ColumnElement[str] = status_expression(
        content,
        today=today,
        module_slug=Assignment.module_slug,
        due_date=Assignment.due_date,
        recur_days=Assignment.recur_days,
        user_id=CohortMember.user_id,
    )
    due_now = due_date_expression(due_date=Assignment.due_date, recur_days=Assignment.recur_days)
    rows = session.exec(
        select(Assignment.module_slug, due_now, Assignment.recur_days, status)
        .join(CohortMember, col(CohortMember.cohort_id) == Assignment.cohort_id)
        .outerjoin(
            ModuleProgress,
            (col(ModuleProgress.user_id) == CohortMember.user_id)
            & (col(ModuleProgress.module_slug) == Assignment.module_slug),
        )
        .where(
            CohortMember.user_id == viewer.id,
            col(CohortMember.cohort_id).in_(cohort_ids) if cohort_ids is not None else true(),
        )
    ).all()
    chosen: dict[str, MyAssignment] = {}
    for slug, due_date, recur_days, state in rows:
        module = content.get(slug)
        if module is None:
            continue
        item = MyAssignment(
            module=module, due_date=due_date, recur_days=recur_days, status=AssignmentStatus(state)
        )
        if slug not in chosen or _urgency(item) < _urgency(chosen[slug]):
            chosen[slug] = item
    return sorted(chosen.values(), key=_urgency)


def _urgency(item: MyAssignment) -> tuple[int, date]:
    return urgency(item.status, item.due_date)


# --- A practitioner's say over who sees their progress ------------------------------------


@dataclass(frozen=True)
class CohortForPractitioner:
    """A cohort as its practitioner sees it: its name and the trainers who would see them."""

    cohort_id: int
    name: str
    trainers: list[str]
    since: datetime


def _trainer_names(session: Session, cohort_ids: list[int]) -> dict[int, list[str]]:
    names: dict[int, list[str]] = {cohort_id: [] for cohort_id in cohort_ids}
    for cohort_id, display_name in session.exec(
        select(CohortTrainer.cohort_id, User.display_name)
        .join(User, col(User.id) == CohortTrainer.user_id)
        .where(col(CohortTrainer.cohort_id).in_(cohort_ids))
        .order_by(func.lower(User.display_name), User.id)
    ).all():
        names[cohort_id].append(display_name)
    return names


def _for_practitioner(
    session: Session, rows: list[tuple[int, str, datetime]]
) -> list[CohortForPractitioner]:
    trainers = _trainer_names(session, [cohort_id for cohort_id, _, _ in rows])
    return [
        CohortForPractitioner(
            cohort_id=cohort_id, name=name, trainers=trainers[cohort_id], since=at
        )
        for cohort_id, name, at in rows
    ]


def my_requests(session: Session, viewer: Viewer) -> list[CohortForPractitioner]:
    """Cohorts whose trainers have asked the viewer to join, waiting for their answer."""
    rows = session.exec(
        select(Cohort.id, Cohort.name, CohortRequest.requested_at)
        .join(CohortRequest, col(CohortRequest.cohort_id) == Cohort.id)
        .where(CohortRequest.user_id == viewer.id)
        .order_by(col(CohortRequest.requested_at).desc(), Cohort.id)
    ).all()
    return _for_practitioner(session, [(cohort_id or 0, name, at) for cohort_id, name, at in rows])


def my_cohorts(session: Session, viewer: Viewer) -> list[CohortForPractitioner]:
    """The cohorts the viewer belongs to, and so the trainers who can see their progress."""
    rows = session.exec(
        select(Cohort.id, Cohort.name, CohortMember.added_at)
        .join(CohortMember, col(CohortMember.cohort_id) == Cohort.id)
        .where(CohortMember.user_id == viewer.id)
        .order_by(func.lower(Cohort.name), Cohort.id)
    ).all()
    return _for_practitioner(session, [(cohort_id or 0, name, at) for cohort_id, name, at in rows])


REQUEST_NOT_FOUND = "That request is not waiting any more: it was answered or withdrawn."


def _take_request(session: Session, viewer: Viewer, cohort_id: int) -> Cohort:
    require_role(viewer, Role.practitioner)
    taken = session.exec(
        delete(CohortRequest).where(
            CohortRequest.cohort_id == cohort_id, CohortRequest.user_id == viewer.id
        )
    )
    cohort = session.get(Cohort, cohort_id)
    if taken.rowcount == 0 or cohort is None:
        raise NotFound(REQUEST_NOT_FOUND)
    return cohort


def accept_request(session: Session, viewer: Viewer, cohort_id: int) -> Cohort:
    """The practitioner says yes: from now on the cohort's trainers see their progress."""
    cohort = _take_request(session, viewer, cohort_id)
    insert_ignoring_duplicates(
        session,
        CohortMember,
        {"cohort_id": cohort_id, "user_id": viewer.id, "added_at": utcnow()},
        ["cohort_id", "user_id"],
    )
    audit.record(session, viewer, "cohort.request_accept", "cohort", cohort_id, cohort.name)
    return cohort


def decline_request(session: Session, viewer: Viewer, cohort_id: int) -> Cohort:
    """The practitioner says no: the request goes, and the trainers see nothing of them."""
    cohort = _take_request(session, viewer, cohort_id)
    audit.record(session, viewer, "cohort.request_decline", "cohort", cohort_id, cohort.name)
    return cohort


def leave_cohort(session: Session, viewer: Viewer, cohort_id: int) -> Cohort:
    """A practitioner leaves a cohort at any time; its trainers stop seeing their progress."""
    left = session.exec(
        delete(CohortMember).where(
            CohortMember.cohort_id == cohort_id, CohortMember.user_id == viewer.id
        )
    )
    cohort = session.get(Cohort, cohort_id)
    if left.rowcount == 0 or cohort is None:
        raise NotFound("You are not in that cohort.")
    audit.record(session, viewer, "cohort.leave", "cohort", cohort_id, cohort.name)
    return cohort

"""The audit log: every trainer and admin action on people's data, readable by admins.

Events are stored with a dotted code (``scenario.accept``) so they can be filtered and
kept stable; admins read them as sentences with names ("Sam Trainer accepted scenario
12"), built here when the log is read, so a renamed cohort or person reads as they are now.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import func, or_
from sqlmodel import Session, col, select

from app.audit.schemas import ActionChoice, AuditEventOut, AuditPage
from app.auth.schemas import Viewer
from app.auth.service import require_role
from app.models.audit import AuditEvent
from app.models.cohorts import Cohort
from app.models.users import Role, User

PAGE_SIZE = 50
MAXIMUM_DETAIL_LENGTH = 2000
_USER_IN_DETAIL = re.compile(r"^user (\d+)$")
COMMAND_LINE = "from the command line"


def record(
    session: Session,
    actor: Viewer | None,
    action: str,
    target_type: str,
    target_id: object,
    detail: str = "",
) -> None:
    """Write one event in the same transaction as the action, so neither exists without the other.

    ``action`` is a dotted verb such as ``scenario.accept`` or ``report.export``;
    ``detail`` never holds a young person's words, only what an auditor needs. Give a new
    action its words in ``ACTIONS`` so admins can read and filter it.
    """
    session.add(
        AuditEvent(
            actor_id=actor.id if actor else None,
            action=action[:80],
            target_type=target_type[:40],
            target_id=str(target_id)[:80],
            detail=detail[:MAXIMUM_DETAIL_LENGTH],
        )
    )


@dataclass(frozen=True)
class Subject:
    """What an event was done to, in words, and the person named in its detail if any."""

    target: str
    person: str
    detail: str


Phrase = Callable[[Subject], str]


@dataclass(frozen=True)
class ActionWords:
    label: str
    """How the filter offers it: "Accepted a scenario"."""
    phrase: Phrase
    """What the actor did, after their name: "accepted scenario 12"."""


def _rename(subject: Subject) -> str:
    old, _, new = subject.detail.partition(" -> ")
    return f"renamed the cohort “{old}” to “{new}”" if new else f"renamed {subject.target}"


def _account_change(subject: Subject) -> str:
    changes = []
    # Closing or reopening first: it is what an admin reading the log looks for.
    for part in sorted(subject.detail.split("; "), key=lambda part: not part.startswith("switch")):
        if part == "switched off":
            changes.append(f"closed the account of {subject.target}")
        elif part == "switched on":
            changes.append(f"reopened the account of {subject.target}")
        elif part.startswith("roles "):
            old, _, new = part.removeprefix("roles ").partition(" -> ")
            before, after = set(filter(None, old.split(","))), set(filter(None, new.split(",")))
            if gained := sorted(after - before):
                changes.append(f"gave {subject.target} the {_roles(gained)}")
            if lost := sorted(before - after):
                changes.append(f"took the {_roles(lost)} from {subject.target}")
    return " and ".join(changes) or f"changed the account of {subject.target}"


def _roles(roles: list[str]) -> str:
    named = [ROLE_WORDS.get(role, role) for role in roles]
    listed = named[0] if len(named) == 1 else ", ".join(named[:-1]) + " and " + named[-1]
    return f"{listed} role{'s' if len(named) > 1 else ''}"


ROLE_WORDS = {"codesigner": "co-designer"}


def _with_detail(words: str) -> Phrase:
    return lambda subject: (
        words.format(target=subject.target, person=subject.person)
        + (f" ({subject.detail})" if subject.detail else "")
    )


def _plain(words: str) -> Phrase:
    return lambda subject: words.format(target=subject.target, person=subject.person)


ACTIONS: dict[str, ActionWords] = {
    "scenario.claim": ActionWords(
        "Started reviewing a scenario", _plain("started reviewing {target}")
    ),
    "scenario.claim_takeover": ActionWords(
        "Took over a lapsed review", _with_detail("took over the review of {target}")
    ),
    "scenario.release": ActionWords(
        "Returned a scenario to the queue", _plain("returned {target} to the queue")
    ),
    "scenario.accept": ActionWords("Accepted a scenario", _plain("accepted {target}")),
    "scenario.request_changes": ActionWords(
        "Asked for changes to a scenario", _plain("asked for changes to {target}")
    ),
    "scenario.reject": ActionWords("Turned down a scenario", _plain("turned down {target}")),
    "scenario.publish": ActionWords(
        "Published a scenario",
        lambda subject: (
            f"published {subject.target}"
            + (f" {subject.detail}" if subject.detail.startswith("in ") else "")
        ),
    ),
    "scenario.unpublish": ActionWords(
        "Took a scenario out of the modules", _plain("took {target} out of the modules")
    ),
    "scenario.view_flagged": ActionWords(
        "Opened a scenario with a safeguarding flag",
        _plain("opened {target}, which has an open safeguarding flag"),
    ),
    "safeguarding.view": ActionWords("Opened a safeguarding record", _plain("opened {target}")),
    "safeguarding.resolve": ActionWords(
        "Recorded a safeguarding follow-up",
        lambda subject: (
            f"recorded the follow-up of {subject.target}"
            if subject.target.startswith("safeguarding")
            else f"recorded the follow-up of the safeguarding flag on {subject.target}"
        ),
    ),
    "cohort.create": ActionWords("Created a cohort", _plain("created {target}")),
    "cohort.rename": ActionWords("Renamed a cohort", _rename),
    "cohort.member_add": ActionWords(
        "Added someone to a cohort", _plain("added {person} to {target}")
    ),
    "cohort.member_add_direct": ActionWords(
        "Added someone to a cohort directly, as an admin, without asking them",
        _plain("added {person} to {target} directly, as an admin, without asking them"),
    ),
    "cohort.member_request": ActionWords(
        "Asked someone to join a cohort", _plain("asked {person} to join {target}")
    ),
    "cohort.request_withdraw": ActionWords(
        "Withdrew a request to join a cohort",
        _plain("withdrew the request to {person} to join {target}"),
    ),
    "cohort.request_accept": ActionWords(
        "Accepted a request to join a cohort", _plain("accepted the request to join {target}")
    ),
    "cohort.request_decline": ActionWords(
        "Declined a request to join a cohort", _plain("declined the request to join {target}")
    ),
    "cohort.leave": ActionWords("Left a cohort", _plain("left {target}")),
    "cohort.member_add_many": ActionWords(
        "Added a list of people to a cohort", _with_detail("added a list of people to {target}")
    ),
    "cohort.member_remove": ActionWords(
        "Removed someone from a cohort", _plain("removed {person} from {target}")
    ),
    "cohort.trainer_add": ActionWords(
        "Made someone a trainer of a cohort", _plain("made {person} a trainer of {target}")
    ),
    "cohort.invite": ActionWords(
        "Invited someone to a cohort",
        lambda subject: f"{subject.detail or 'invited someone'} to {subject.target}",
    ),
    "cohort.invite_revoke": ActionWords(
        "Withdrew an invitation", _plain("withdrew an invitation to {target}")
    ),
    "invitation.accept": ActionWords(
        "Accepted an invitation", _plain("accepted an invitation and joined {target}")
    ),
    "cohort.assign": ActionWords(
        "Assigned a module", _with_detail("assigned a module to {target}")
    ),
    "cohort.unassign": ActionWords(
        "Removed an assignment", _plain("removed an assigned module from {target}")
    ),
    "module.export_scorm": ActionWords(
        "Exported a SCORM package", _with_detail("exported a SCORM package of {target}")
    ),
    "report.export": ActionWords(
        "Exported a report", _with_detail("exported a completion report of {target}")
    ),
    "report.view_person": ActionWords(
        "Viewed someone's learning record", _plain("viewed the learning record of {target}")
    ),
    "account.update": ActionWords("Changed an account", _account_change),
    "account.password_reset_link": ActionWords(
        "Made a password reset link", _plain("made a password reset link for {target}")
    ),
    "account.password_set": ActionWords("Set a password", _plain("set the password of {target}")),
    "events.retry": ActionWords(
        "Sent a learning event again", _with_detail("asked for {target} to be sent again")
    ),
    "events.retry_all": ActionWords(
        "Sent every failed learning event again",
        _with_detail("asked for every failed learning event to be sent again"),
    ),
}


def action_choices() -> list[ActionChoice]:
    """The filter's choices, in words, in the order an admin looks for them."""
    return [ActionChoice(value=code, label=words.label) for code, words in ACTIONS.items()]


def _target_words(event: AuditEvent, people: dict[int, str], cohorts: dict[int, str]) -> str:
    identifier = int(event.target_id) if event.target_id.isdigit() else None
    if event.target_type == "scenario":
        return f"scenario {event.target_id}"
    if event.target_type == "user":
        return people.get(identifier or 0, "an account since deleted")
    if event.target_type == "cohort":
        name = cohorts.get(identifier or 0)
        return f"the cohort “{name}”" if name else "a cohort since deleted"
    if event.target_type == "cohorts":
        return "every cohort"
    if event.target_type == "safeguarding_record":
        return f"safeguarding record {event.target_id}"
    return f"{event.target_type.replace('_', ' ')} {event.target_id}".strip()


def describe(
    event: AuditEvent, actor_name: str | None, people: dict[int, str], cohorts: dict[int, str]
) -> str:
    """One event as a sentence: who, what, to what."""
    person_match = _USER_IN_DETAIL.match(event.detail)
    person = (
        people.get(int(person_match.group(1)), "an account since deleted")
        if person_match
        else "someone"
    )
    subject = Subject(
        target=_target_words(event, people, cohorts),
        person=person,
        detail="" if person_match else event.detail,
    )
    # Deleting an account empties actor_id, so only the detail tells the command line apart.
    if actor_name:
        who = actor_name
    elif event.actor_id is None and COMMAND_LINE in event.detail:
        who = "Someone at the command line"
    else:
        who = "An account since deleted"
    words = ACTIONS.get(event.action)
    if words is None:
        what = f"did “{event.action}” to {subject.target}"
        what += f" ({event.detail})" if event.detail else ""
    else:
        what = words.phrase(subject)
    return f"{who} {what}"


def list_events(
    session: Session,
    viewer: Viewer,
    *,
    page: int = 1,
    action: str | None = None,
    actor_email: str | None = None,
) -> AuditPage:
    """Newest first; ``action`` is a code or its start (``scenario``), ``actor_email`` matches
    part of the actor's email or name."""
    require_role(viewer, Role.admin)
    page = max(1, page)
    statement = (
        select(AuditEvent, User.email, User.display_name, User.id)
        .join(User, col(User.id) == col(AuditEvent.actor_id), isouter=True)
        .order_by(col(AuditEvent.at).desc(), col(AuditEvent.id).desc())
    )
    if action:
        statement = statement.where(col(AuditEvent.action).startswith(action))
    if actor_email and actor_email.strip():
        wanted = f"%{actor_email.strip().lower()}%"
        statement = statement.where(
            or_(func.lower(User.email).like(wanted), func.lower(User.display_name).like(wanted))
        )
    rows = session.exec(statement.offset((page - 1) * PAGE_SIZE).limit(PAGE_SIZE + 1)).all()
    shown = rows[:PAGE_SIZE]
    people, cohorts = _names_in(session, [event for event, *_ in shown])
    events = [
        AuditEventOut(
            id=event.id or 0,
            at=event.at,
            actor_id=event.actor_id,
            actor_email=email,
            actor_name=name,
            action=event.action,
            action_label=ACTIONS[event.action].label if event.action in ACTIONS else event.action,
            target_type=event.target_type,
            target_id=event.target_id,
            detail=event.detail,
            summary=describe(event, name, people, cohorts),
        )
        for event, email, name, _ in shown
    ]
    return AuditPage(events=events, page=page, has_more=len(rows) > PAGE_SIZE)


def _names_in(session: Session, events: list[AuditEvent]) -> tuple[dict[int, str], dict[int, str]]:
    """The current names of the people and cohorts a page of events mentions, in two queries."""
    user_ids: set[int] = set()
    cohort_ids: set[int] = set()
    for event in events:
        if event.target_type == "user" and event.target_id.isdigit():
            user_ids.add(int(event.target_id))
        if event.target_type == "cohort" and event.target_id.isdigit():
            cohort_ids.add(int(event.target_id))
        if person := _USER_IN_DETAIL.match(event.detail):
            user_ids.add(int(person.group(1)))
    people = (
        {
            user_id: name
            for user_id, name in session.exec(
                select(User.id, User.display_name).where(col(User.id).in_(user_ids))
            ).all()
            if user_id is not None
        }
        if user_ids
        else {}
    )
    cohorts = (
        {
            cohort_id: name
            for cohort_id, name in session.exec(
                select(Cohort.id, Cohort.name).where(col(Cohort.id).in_(cohort_ids))
            ).all()
            if cohort_id is not None
        }
        if cohort_ids
        else {}
    )
    return people, cohorts

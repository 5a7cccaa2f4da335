"""The status rule: where a person stands in a module, stated once, as SQL, for every view.

A status (not started, in progress, completed, due for refresh, overdue), the due date, the
next refresh and whether a major change has overtaken someone are worked out here and
nowhere else. The trainer's dashboard, grid, record of one practitioner, CSV and JSON
reports run these expressions over every (member, assigned module) row; the practitioner's
own home page, module pages and progress API run the very same expressions for their one
person (``app/progress/service.py`` ``standings_for``: one query, its statement built once).

Why one SQL rule rather than a declarative rule with a SQL and a Python interpreter: the
reports must evaluate the rule inside the query that filters, sorts, counts and pages a
trust's 10,000 practitioners, so SQL is needed anyway; a second interpreter would bring its
own date arithmetic (Python's ``timedelta`` beside SQLite's ``date()`` and PostgreSQL's
``date + integer``) and its own handling of missing rows, which is exactly where the two
used to drift (a module page said due 27 December 2026 while the dashboard and CSV said
27 November 2027). Running the reports' SQL for one person costs the module page one query.

Vocabulary: ``AssignmentStatus`` (five values) is the status. The practitioner's own
``ModuleStatus`` (four values) is its projection by ``own_status``: *overdue* is how a
trainer sees lateness, and the practitioner sees what it means for them.
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import Any

from sqlalchemy import Boolean, Date, and_, case, false, func, literal, select, type_coerce
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.elements import ColumnElement
from sqlalchemy.sql.functions import FunctionElement

from app.content import ContentIndex
from app.models.progress import ModuleProgress
from app.models.refresh import ChangeAcknowledgement

#: A recurring assignment shows "due for refresh" this many days before it falls due again.
DUE_SOON_DAYS = 14
DEFAULT_REFRESH_DAYS = 365


class AssignmentStatus(StrEnum):
    """The status, as the rule gives it and a trainer sees it."""

    not_started = "not_started"
    in_progress = "in_progress"
    completed = "completed"
    due_for_refresh = "due_for_refresh"
    overdue = "overdue"


class ModuleStatus(StrEnum):
    """The practitioner's own status: ``AssignmentStatus`` without *overdue* (``own_status``)."""

    not_started = AssignmentStatus.not_started.value
    in_progress = AssignmentStatus.in_progress.value
    completed = AssignmentStatus.completed.value
    due_for_refresh = AssignmentStatus.due_for_refresh.value


STATUS_LABELS: dict[AssignmentStatus, str] = {
    AssignmentStatus.overdue: "Overdue",
    AssignmentStatus.due_for_refresh: "Due for refresh",
    AssignmentStatus.in_progress: "In progress",
    AssignmentStatus.not_started: "Not started",
    AssignmentStatus.completed: "Completed",
}

#: Most urgent first: the order "sort by status" uses.
STATUS_ORDER: tuple[AssignmentStatus, ...] = tuple(STATUS_LABELS)


def own_status(status: AssignmentStatus, *, completed: bool, started: bool) -> ModuleStatus:
    """The practitioner's own status: the rule's, with *overdue* told as what it means to them.

    Past a recurring due date they are due for a refresh; past a first due date they have
    simply not finished yet. Every other status is theirs as it is.
    """
    if status is not AssignmentStatus.overdue:
        return ModuleStatus(status.value)
    if completed:
        return ModuleStatus.due_for_refresh
    return ModuleStatus.in_progress if started else ModuleStatus.not_started


def urgency(status: AssignmentStatus, due_date: date | None) -> tuple[int, date]:
    """Sort key: when several cohorts assign one module, the most urgent, then earliest, counts."""
    return STATUS_ORDER.index(status), due_date or date.max


# --- Date arithmetic, the same on SQLite and PostgreSQL ------------------------------------


class days_after(FunctionElement[date]):  # noqa: N801 - reads as the SQL function it is
    """The day a whole number of days after a stored timestamp's (UTC) day."""

    type = Date()
    inherit_cache = True


@compiles(days_after, "sqlite")
def _days_after_sqlite(element: days_after, compiler: Any, **kw: Any) -> str:
    moment, days = (compiler.process(clause, **kw) for clause in element.clauses)
    return f"date({moment}, ({days}) || ' days')"


@compiles(days_after, "postgresql")
def _days_after_postgresql(element: days_after, compiler: Any, **kw: Any) -> str:
    moment, days = (compiler.process(clause, **kw) for clause in element.clauses)
    return f"(CAST({moment} AS DATE) + ({days}))"


# --- The rule ------------------------------------------------------------------------------
#
# Every expression reads the person's ``module_progress`` row, so the query that uses them
# outer-joins ModuleProgress on (person, module); ``module_slug``, ``user_id``, ``due_date``
# and ``recur_days`` are its columns for the module, the person and the assignment (NULL
# when the module is not assigned to them).


def refresh_period(content: ContentIndex, module_slug: Any) -> Any:
    """Each module's own ``refresh_after_days``, as SQL (only those off the default listed)."""
    # A long CASE is costly per row, so the usual period is the ELSE.
    other_periods = {
        module.slug: module.refresh_after_days
        for module in content.all()
        if module.refresh_after_days != DEFAULT_REFRESH_DAYS
    }
    if not other_periods:
        return literal(DEFAULT_REFRESH_DAYS)
    return case(other_periods, value=module_slug, else_=DEFAULT_REFRESH_DAYS)


def _later_majors(content: ContentIndex) -> dict[str, list[tuple[int, date]]]:
    """Each module's major changes after its first version, by version: (version, date).

    A major change only matters after a module's first version; most modules have none.
    """
    majors = {
        module.slug: sorted((e.version, e.date) for e in module.changelog if e.major)
        for module in content.all()
    }
    return {
        slug: [(version, day) for version, day in entries if version > 1]
        for slug, entries in majors.items()
        if any(version > 1 for version, _ in entries)
    }


def _acknowledged_version(user_id: Any, module_slug: Any) -> Any:
    """The latest version whose changes the person confirmed reading (NULL when none)."""
    return (
        select(ChangeAcknowledgement.version)
        .where(
            ChangeAcknowledgement.user_id == user_id,
            ChangeAcknowledgement.module_slug == module_slug,
        )
        .scalar_subquery()
    )


def _behind(version: Any, *, user_id: Any, module_slug: Any) -> ColumnElement[bool]:
    """The person has neither completed nor confirmed reading ``version`` or later."""
    # The cheap comparison first, so the look-up runs only where the version is newer.
    return and_(
        func.coalesce(ModuleProgress.completed_version, 0) < version,
        func.coalesce(_acknowledged_version(user_id, module_slug), 0) < version,
    )


def _behind_a_major_change(
    content: ContentIndex, *, module_slug: Any, user_id: Any
) -> ColumnElement[bool] | None:
    """A major change has come since the version the person is current with (None: no module
    has one)."""
    later_majors = _later_majors(content)
    if not later_majors:
        return None
    latest = {slug: entries[-1][0] for slug, entries in later_majors.items()}
    latest_major = case(latest, value=module_slug, else_=0)
    return _behind(latest_major, user_id=user_id, module_slug=module_slug)


def next_due_expression(
    content: ContentIndex, *, module_slug: Any, recur_days: Any
) -> ColumnElement[date]:
    """The day a completed module falls due again; NULL until it is completed.

    A recurring assignment's period replaces the module's own: the trainer chose it.
    """
    period = func.coalesce(recur_days, refresh_period(content, module_slug))
    return type_coerce(days_after(ModuleProgress.completed_at, period), Date())


def due_date_expression(*, due_date: Any, recur_days: Any) -> ColumnElement[date]:
    """The assignment's due date now: it rolls forward after each recurring completion."""
    completed_at = ModuleProgress.completed_at
    return type_coerce(
        case(
            (
                and_(recur_days.is_not(None), completed_at.is_not(None)),
                days_after(completed_at, recur_days),
            ),
            else_=due_date,
        ),
        Date(),
    )


def status_expression(
    content: ContentIndex,
    *,
    today: date | ColumnElement[date],
    module_slug: Any,
    due_date: Any,
    recur_days: Any,
    user_id: Any,
) -> ColumnElement[str]:
    """CASE expression giving an AssignmentStatus for one (person, module) row.

    Without an assignment, ``due_date`` and ``recur_days`` are NULL and it gives the
    practitioner's own status, which is never *overdue*.

    - Not completed: *overdue* once the due date has passed, else *in progress* when
      started, else *not started*.
    - Completed, recurring: due again ``recur_days`` after the latest completion; *overdue*
      after that date, *due for refresh* from ``DUE_SOON_DAYS`` before it.
    - Completed, but a major change has come since the version the person is current with
      (completed, or confirmed reading the changes of): *due for refresh*.
    - Completed, not recurring: *due for refresh* from the day the module's own refresh
      period has passed, else *completed*; never overdue.
    """
    completed_at = ModuleProgress.completed_at
    behind = _behind_a_major_change(content, module_slug=module_slug, user_id=user_id)
    major_change_whens = (
        [] if behind is None else [(behind, AssignmentStatus.due_for_refresh.value)]
    )
    today_value = literal(today, Date()) if isinstance(today, date) else today
    next_due = next_due_expression(content, module_slug=module_slug, recur_days=recur_days)
    return case(
        (
            completed_at.is_(None),
            case(
                (due_date < today_value, AssignmentStatus.overdue.value),
                (ModuleProgress.started_at.is_not(None), AssignmentStatus.in_progress.value),
                else_=AssignmentStatus.not_started.value,
            ),
        ),
        (
            and_(recur_days.is_not(None), next_due < today_value),
            AssignmentStatus.overdue.value,
        ),
        (
            and_(
                recur_days.is_not(None),
                days_after(completed_at, recur_days - DUE_SOON_DAYS) <= today_value,
            ),
            AssignmentStatus.due_for_refresh.value,
        ),
        *major_change_whens,
        (next_due <= today_value, AssignmentStatus.due_for_refresh.value),
        else_=AssignmentStatus.completed.value,
    )


def major_change_expression(
    content: ContentIndex, *, module_slug: Any, user_id: Any
) -> ColumnElement[bool]:
    """True when the person completed the module and a major change has overtaken them."""
    behind = _behind_a_major_change(content, module_slug=module_slug, user_id=user_id)
    if behind is None:
        return type_coerce(false(), Boolean())
    return type_coerce(
        case((and_(ModuleProgress.completed_at.is_not(None), behind), True), else_=False),
        Boolean(),
    )


def current_version_expression(*, module_slug: Any, user_id: Any) -> ColumnElement[int]:
    """The version a person is current with: completed, or whose changes they confirmed
    reading, whichever is later; NULL until they complete the module."""
    completed_version = ModuleProgress.completed_version
    acknowledged = func.coalesce(_acknowledged_version(user_id, module_slug), 0)
    return case(
        (ModuleProgress.completed_at.is_(None), None),
        (acknowledged > completed_version, acknowledged),
        else_=completed_version,
    )


def refresh_due_expression(
    content: ContentIndex, *, module_slug: Any, recur_days: Any, user_id: Any
) -> ColumnElement[date]:
    """When a completed module is due for refresh: when it falls due again, or the day of the
    first major change since the version the person is current with, if that is sooner."""
    next_due = next_due_expression(content, module_slug=module_slug, recur_days=recur_days)
    whens = []
    for slug, entries in _later_majors(content).items():
        for index, (version, _) in enumerate(entries):
            # The first major change they are behind is the earliest of this one and later.
            earliest = min(day for _, day in entries[index:])
            overtaken = _behind(literal(version), user_id=user_id, module_slug=module_slug)
            whens.append((and_(module_slug == literal(slug), overtaken), literal(earliest, Date())))
    if not whens:
        return next_due
    major_change_day = case(*whens, else_=None)
    return type_coerce(
        case(
            (ModuleProgress.completed_at.is_(None), None),
            (major_change_day < next_due, major_change_day),
            else_=next_due,
        ),
        Date(),
    )

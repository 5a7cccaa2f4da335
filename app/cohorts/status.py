"""The status rule: a practitioner's status, due date and next refresh, as SQL expressions.

Reports, exports and the practitioner's own pages (home, module pages, their progress API)
all run these expressions, so a status or a date can never mean one thing on a dashboard
and another on the practitioner's page. They run inside the database over
``module_progress`` rows, never in a Python loop over them, because a trust's reports
filter, sort and count 10,000 practitioners' rows by them.
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import Any

from sqlalchemy import Date, Float, and_, case, func, literal, select, type_coerce
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.elements import ColumnElement
from sqlalchemy.sql.functions import FunctionElement

from app.content import ContentIndex
from app.models.refresh import ChangeAcknowledgement

#: A recurring assignment shows "due for refresh" this many days before it falls due again.
DUE_SOON_DAYS = 14
DEFAULT_REFRESH_DAYS = 365


class AssignmentStatus(StrEnum):
    not_started = "not_started"
    in_progress = "in_progress"
    completed = "completed"
    due_for_refresh = "due_for_refresh"
    overdue = "overdue"


STATUS_LABELS: dict[AssignmentStatus, str] = {
    AssignmentStatus.overdue: "Overdue",
    AssignmentStatus.due_for_refresh: "Due for refresh",
    AssignmentStatus.in_progress: "In progress",
    AssignmentStatus.not_started: "Not started",
    AssignmentStatus.completed: "Completed",
}

#: Most urgent first: the order "sort by status" uses.
STATUS_ORDER: tuple[AssignmentStatus, ...] = tuple(STATUS_LABELS)


class day_number(FunctionElement[float]):  # noqa: N801 - reads as the SQL function it is
    """A timestamp as a count of days (with the fraction), so days can be added to it."""

    type = Float()
    inherit_cache = True


@compiles(day_number, "sqlite")
def _day_number_sqlite(element: day_number, compiler: Any, **kw: Any) -> str:
    return f"julianday({compiler.process(element.clauses, **kw)})"


@compiles(day_number, "postgresql")
def _day_number_postgresql(element: day_number, compiler: Any, **kw: Any) -> str:
    return f"(EXTRACT(EPOCH FROM {compiler.process(element.clauses, **kw)}) / 86400.0)"


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


def next_due_expression(
    content: ContentIndex, *, module_slug: Any, recur_days: Any, completed_at: Any
) -> ColumnElement[date]:
    """The day a completed module falls due again; NULL until it is completed.

    A recurring assignment's period replaces the module's own: the trainer chose it.
    """
    period = func.coalesce(recur_days, refresh_period(content, module_slug))
    return type_coerce(days_after(completed_at, period), Date())


def due_date_expression(
    *, due_date: Any, recur_days: Any, completed_at: Any
) -> ColumnElement[date]:
    """The assignment's due date now: it rolls forward after each recurring completion."""
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
    started_at: Any,
    completed_at: Any,
    user_id: Any,
    completed_version: Any,
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
    # A major change only matters after a module's first version; most modules have none.
    later_majors = {
        module.slug: latest
        for module in content.all()
        if (latest := max((e.version for e in module.changelog if e.major), default=0)) > 1
    }
    major_change_whens: list[tuple[Any, str]] = []
    if later_majors:
        latest_major = case(later_majors, value=module_slug, else_=0)
        acknowledged = (
            select(ChangeAcknowledgement.version)
            .where(
                ChangeAcknowledgement.user_id == user_id,
                ChangeAcknowledgement.module_slug == module_slug,
            )
            .scalar_subquery()
        )
        # The cheap comparison first, so the look-up runs only where a major change is newer.
        behind_a_major_change = and_(
            func.coalesce(completed_version, 0) < latest_major,
            func.coalesce(acknowledged, 0) < latest_major,
        )
        major_change_whens.append((behind_a_major_change, AssignmentStatus.due_for_refresh.value))
    today_value = literal(today, Date()) if isinstance(today, date) else today
    next_due = next_due_expression(
        content, module_slug=module_slug, recur_days=recur_days, completed_at=completed_at
    )
    return case(
        (
            completed_at.is_(None),
            case(
                (due_date < today_value, AssignmentStatus.overdue.value),
                (started_at.is_not(None), AssignmentStatus.in_progress.value),
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


def own_status(status: AssignmentStatus, *, completed: bool, started: bool) -> str:
    """The practitioner's own status (four values): *overdue* is how a trainer sees it.

    Past a recurring due date they are due for a refresh; past a first due date they have
    simply not finished yet.
    """
    if status is not AssignmentStatus.overdue:
        return status.value
    if completed:
        return AssignmentStatus.due_for_refresh.value
    return (AssignmentStatus.in_progress if started else AssignmentStatus.not_started).value


def urgency(status: AssignmentStatus, due_date: date | None) -> tuple[int, date]:
    """Sort key: when several cohorts assign one module, the most urgent, then earliest, counts."""
    return STATUS_ORDER.index(status), due_date or date.max

"""The status of one practitioner in one assigned module, as one SQL expression.

Reports, exports and the practitioner's own home page all use this expression, so a
status can never mean one thing on a dashboard and another in a CSV. It runs inside the
database over ``module_progress`` rows, never in a Python loop over them.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum
from typing import Any

from sqlalchemy import Float, and_, case, func, literal, select
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.elements import ColumnElement
from sqlalchemy.sql.functions import FunctionElement

from app.content import ContentIndex
from app.models.base import UTCDateTime
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


def _midnight(day: date) -> datetime:
    return datetime.combine(day, time(), tzinfo=UTC)


def status_expression(
    content: ContentIndex,
    *,
    today: date,
    module_slug: Any,
    due_date: Any,
    recur_days: Any,
    started_at: Any,
    completed_at: Any,
    user_id: Any,
    completed_version: Any,
) -> ColumnElement[str]:
    """CASE expression giving an AssignmentStatus for one (person, assignment) row.

    - Not completed: *overdue* once the due date has passed, else *in progress* when
      started, else *not started*.
    - Completed, recurring: due again ``recur_days`` after the latest completion; *overdue*
      after that date, *due for refresh* in the ``DUE_SOON_DAYS`` before it.
    - Completed, not recurring: *due for refresh* once the module's own refresh period has
      passed (as on the practitioner's home page), else *completed*; never overdue.
    - Completed, but a major change has come since the version the person is current with
      (completed, or confirmed reading the changes of): *due for refresh*, as on their own
      progress page.
    """
    # Only modules that differ from the default are listed: a long CASE is costly per row.
    other_periods = {
        module.slug: module.refresh_after_days
        for module in content.all("module")
        if module.refresh_after_days != DEFAULT_REFRESH_DAYS
    }
    refresh_days: Any = (
        case(other_periods, value=module_slug, else_=DEFAULT_REFRESH_DAYS)
        if other_periods
        else literal(DEFAULT_REFRESH_DAYS)
    )
    # A major change only matters after a module's first version; most modules have none.
    later_majors = {
        module.slug: latest
        for module in content.all("module")
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
    start_of_today = day_number(literal(_midnight(today), UTCDateTime()))
    start_of_tomorrow = day_number(literal(_midnight(today + timedelta(days=1)), UTCDateTime()))
    completed_day = day_number(completed_at)
    return case(
        (
            completed_at.is_(None),
            case(
                (due_date < today, AssignmentStatus.overdue.value),
                (started_at.is_not(None), AssignmentStatus.in_progress.value),
                else_=AssignmentStatus.not_started.value,
            ),
        ),
        (
            and_(recur_days.is_not(None), completed_day + recur_days < start_of_today),
            AssignmentStatus.overdue.value,
        ),
        (
            and_(
                recur_days.is_not(None),
                completed_day + recur_days - DUE_SOON_DAYS < start_of_tomorrow,
            ),
            AssignmentStatus.due_for_refresh.value,
        ),
        *major_change_whens,
        (
            and_(recur_days.is_(None), completed_day + refresh_days < start_of_tomorrow),
            AssignmentStatus.due_for_refresh.value,
        ),
        else_=AssignmentStatus.completed.value,
    )


def current_due_date(due_date: date, recur_days: int | None, completed_at: datetime | None) -> date:
    """The date the assignment is due now: it rolls forward after each recurring completion."""
    if recur_days is not None and completed_at is not None:
        return completed_at.date() + timedelta(days=recur_days)
    return due_date

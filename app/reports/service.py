"""Trainer reports: completion by cohort, one practitioner's record, modules and quiz items.

Every figure is an aggregate query in the database (GROUP BY, CASE, window-free SQL that
SQLite and PostgreSQL both run), so a report costs the same whether a trust has twelve
practitioners or ten thousand. Trainers see only the cohorts they manage; admins see all.
"""

from __future__ import annotations

import codecs
import csv
import io
import math
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any
from urllib.parse import urlencode

from sqlalchemy import (
    Connection,
    Integer,
    Select,
    String,
    and_,
    case,
    cast,
    func,
    literal,
    or_,
    union_all,
)
from sqlalchemy.sql.elements import ColumnElement
from sqlmodel import Session, col, select

from app.audit import service as audit
from app.auth.schemas import Viewer
from app.cohorts import service as cohorts
from app.content import ContentIndex, Module, Question
from app.core.db import Bind, connect
from app.core.errors import InvalidInput, NotFound
from app.models.base import utcnow
from app.models.cohorts import Assignment, Cohort, CohortMember
from app.models.progress import Completion, ModuleProgress
from app.models.quizzes import QuestionTally, QuizAnswer, QuizAttempt
from app.models.users import Role, User, UserRole
from app.progress import service as progress
from app.progress.status import (
    STATUS_LABELS,
    STATUS_ORDER,
    AssignmentStatus,
    due_date_expression,
    status_expression,
)
from app.reports.sql_cells import day_number, iso_day, starts_like_a_formula

PAGE_SIZE = 100
MAXIMUM_PAGE = 100_000
MAXIMUM_SEARCH_LENGTH = 100
EXPORT_BATCH_ROWS = 2000
_STREAMED = {"stream_results": True, "yield_per": EXPORT_BATCH_ROWS}
#: Below this many answers, a question's figures are shown with a "treat with care" note.
RELIABLE_ANSWERS = 20
#: A question is "missed by most people" when fewer than this share answer it right first time.
MOSTLY_MISSED_SHARE = 0.5
CHART_WEEKS = 12

SORTS: dict[str, str] = {
    "name": "Practitioner",
    "email": "Email",
    "cohort": "Cohort",
    "module": "Module",
    "status": "Status",
    "due": "Due date",
    "completed": "Completed",
    "score": "Best score",
    "activity": "Last activity",
}

VIEWS: dict[str, str] = {
    "rows": "A row per practitioner and module",
    "people": "A row per practitioner, a column per module",
}

CSV_COLUMNS = (
    "Cohort",
    "Practitioner",
    "Email",
    "Module",
    "Status",
    "Due date",
    "Completed",
    "Best score (%)",
    "Last activity",
)


# --- Scope ----------------------------------------------------------------------------------


def _scope_cohorts(session: Session, viewer: Viewer, cohort_id: int | None) -> Select[Any]:
    """Cohort ids the report covers: one the viewer manages, or all they manage."""
    cohorts.require_trainer(viewer)
    if cohort_id is not None:
        cohorts.get_managed_cohort(session, viewer, cohort_id)
        return select(Cohort.id).where(Cohort.id == cohort_id)
    return cohorts.managed_cohort_ids(viewer)


def _scope_users(session: Session, viewer: Viewer, cohort_id: int | None) -> Select[Any] | None:
    """People a module report covers; None means everyone (an admin looking at the whole trust)."""
    scope = _scope_cohorts(session, viewer, cohort_id)
    if cohort_id is None and viewer.has(Role.admin):
        return None
    return select(CohortMember.user_id).where(col(CohortMember.cohort_id).in_(scope))


def _within(column: Any, users: Select[Any] | None) -> ColumnElement[bool]:
    return col(column).in_(users) if users is not None else col(column).is_not(None)


# --- Completion grid ------------------------------------------------------------------------


@dataclass(frozen=True)
class CompletionFilters:
    cohort_id: int | None = None
    status: AssignmentStatus | None = None
    module: str | None = None
    query: str = ""
    sort: str = "name"
    descending: bool = False
    page: int = 1
    view: str = "rows"

    def query_string(self, **changes: Any) -> str:
        """The same filters as a URL query, so links, the chart and the CSV stay in step."""
        values = {
            "cohort_id": self.cohort_id,
            "status": self.status.value if self.status else None,
            "module": self.module,
            "q": self.query or None,
            "sort": self.sort,
            "order": "desc" if self.descending else "asc",
            "page": self.page if self.page > 1 else None,
            "view": self.view if self.view != "rows" else None,
        }
        values.update(changes)
        return urlencode({key: value for key, value in values.items() if value is not None})


def parse_filters(
    *,
    cohort_id: int | None = None,
    status: str | None = None,
    module: str | None = None,
    q: str | None = None,
    sort: str | None = None,
    order: str | None = None,
    page: int | None = None,
    view: str | None = None,
) -> CompletionFilters:
    """Filters from a query string, each checked with a message a person can act on."""
    chosen_status = None
    if status:
        try:
            chosen_status = AssignmentStatus(status)
        except ValueError as error:
            raise InvalidInput(
                "Status must be one of: " + ", ".join(s.value for s in STATUS_ORDER) + "."
            ) from error
    query = (q or "").strip()
    if len(query) > MAXIMUM_SEARCH_LENGTH:
        raise InvalidInput(f"Search for at most {MAXIMUM_SEARCH_LENGTH} characters.")
    sort = sort or "name"
    if sort not in SORTS:
        raise InvalidInput("Sort by one of: " + ", ".join(SORTS) + ".")
    if order not in (None, "", "asc", "desc"):
        raise InvalidInput("Order must be asc or desc.")
    page = page or 1
    if not 1 <= page <= MAXIMUM_PAGE:
        raise InvalidInput("That page does not exist.")
    view = view or "rows"
    if view not in VIEWS:
        raise InvalidInput("Show the grid as one of: " + ", ".join(VIEWS) + ".")
    return CompletionFilters(
        view=view,
        cohort_id=cohort_id,
        status=chosen_status,
        module=(module or "").strip() or None,
        query=query,
        sort=sort,
        descending=order == "desc",
        page=page,
    )


@dataclass(frozen=True)
class CompletionRow:
    cohort_id: int
    cohort_name: str
    user_id: int
    display_name: str
    email: str
    module_slug: str
    module_title: str
    status: AssignmentStatus
    due_date: date
    started_at: datetime | None
    completed_at: datetime | None
    best_score: int | None
    last_activity_at: datetime | None = None

    @property
    def status_label(self) -> str:
        return STATUS_LABELS[self.status]


def _due_date_of_grid() -> ColumnElement[date]:
    """The due date every view shows: the same SQL the practitioner's own pages use."""
    return due_date_expression(due_date=Assignment.due_date, recur_days=Assignment.recur_days)


def _status_of_grid(content: ContentIndex, today: date) -> ColumnElement[str]:
    return status_expression(
        content,
        today=today,
        module_slug=Assignment.module_slug,
        due_date=Assignment.due_date,
        recur_days=Assignment.recur_days,
        user_id=CohortMember.user_id,
    )


def _grid_base(columns: list[Any], scope: Select[Any]) -> Select[Any]:
    """Every (member, assigned module) pair of the cohorts in scope, with its progress row."""
    in_scope = and_(
        col(ModuleProgress.user_id) == CohortMember.user_id,
        col(ModuleProgress.module_slug) == Assignment.module_slug,
    )
    if scope.whereclause is not None:
        # Redundant, but it lets PostgreSQL read only the people in scope from
        # module_progress instead of merging with all of it (pointless for every cohort).
        in_scope = and_(
            in_scope,
            col(ModuleProgress.user_id).in_(
                select(CohortMember.user_id).where(col(CohortMember.cohort_id).in_(scope))
            ),
        )
    return (
        select(*columns)
        .select_from(CohortMember)
        .join(Cohort, col(Cohort.id) == CohortMember.cohort_id)
        .join(User, col(User.id) == CohortMember.user_id)
        .join(Assignment, col(Assignment.cohort_id) == CohortMember.cohort_id)
        .outerjoin(ModuleProgress, in_scope)
        .where(col(CohortMember.cohort_id).in_(scope))
    )


def _filtered(
    statement: Select[Any],
    filters: CompletionFilters,
    status: ColumnElement[str],
    *,
    with_status: bool = True,
) -> Select[Any]:
    if filters.module:
        statement = statement.where(Assignment.module_slug == filters.module)
    if filters.query:
        needle = filters.query.lower()
        statement = statement.where(
            or_(
                func.lower(User.display_name).contains(needle, autoescape=True),
                func.lower(User.email).contains(needle, autoescape=True),
            )
        )
    if with_status and filters.status is not None:
        statement = statement.where(status == filters.status.value)
    return statement


def _ordering(
    content: ContentIndex, filters: CompletionFilters, status: ColumnElement[str]
) -> list[Any]:
    positions = {module.slug: number for number, module in enumerate(content.all("module"))}
    keys: dict[str, Any] = {
        "name": func.lower(User.display_name),
        "email": User.email,
        "cohort": func.lower(Cohort.name),
        "module": case(positions, value=Assignment.module_slug, else_=len(positions)),
        "status": case(
            {value.value: rank for rank, value in enumerate(STATUS_ORDER)}, value=status
        ),
        "due": _due_date_of_grid(),
        "completed": func.coalesce(cast(day_number(ModuleProgress.completed_at), Integer), -1),
        "score": func.coalesce(ModuleProgress.best_score, -1),
        "activity": func.coalesce(day_number(ModuleProgress.last_activity_at), -1),
    }
    primary = keys[filters.sort]
    primary = primary.desc() if filters.descending else primary.asc()
    return [primary, func.lower(User.display_name), User.id, Cohort.id, Assignment.id]


def _grid_statement(
    content: ContentIndex,
    filters: CompletionFilters,
    scope: Select[Any],
    *,
    as_cells_for: str | None = None,
) -> Select[Any]:
    """The grid's rows in the page's order; ``as_cells`` selects the finished CSV cells."""
    status = _status_of_grid(content, utcnow().date())
    if as_cells_for is not None:
        # PostgreSQL runs a long CASE slowly and hashes a small joined table; SQLite scans
        # a joined subquery for every row and runs a CASE quickly. Each gets its fast form.
        if as_cells_for == "postgresql":
            titles = _module_titles(content)
            title = func.coalesce(titles.c.title, Assignment.module_slug)
        else:
            module_titles = {module.slug: module.title for module in content.all("module")}
            title = case(module_titles, value=Assignment.module_slug, else_=Assignment.module_slug)
        base = _grid_base(_export_cells_in_sql(status, title), scope)
        if as_cells_for == "postgresql":
            base = base.outerjoin(titles, titles.c.slug == Assignment.module_slug)
        statement = _filtered(base, filters, status)
        return statement.order_by(*_ordering(content, filters, status))

    columns = [
        Cohort.id,
        Cohort.name,
        User.id,
        User.display_name,
        User.email,
        Assignment.module_slug,
        status.label("status"),
        _due_date_of_grid(),
        ModuleProgress.started_at,
        ModuleProgress.completed_at,
        ModuleProgress.best_score,
        ModuleProgress.last_activity_at,
    ]
    statement = _filtered(_grid_base(columns, scope), filters, status)
    return statement.order_by(*_ordering(content, filters, status))


def _row(content: ContentIndex, values: Any) -> CompletionRow:
    (
        cohort_id,
        cohort_name,
        user_id,
        display_name,
        email,
        slug,
        status,
        due_date,
        started_at,
        completed_at,
        best_score,
        last_activity_at,
    ) = values
    module = content.get(slug)
    return CompletionRow(
        cohort_id=cohort_id,
        cohort_name=cohort_name,
        user_id=user_id,
        display_name=display_name,
        email=email,
        module_slug=slug,
        module_title=module.title if module else slug,
        status=AssignmentStatus(status),
        due_date=due_date,
        started_at=started_at,
        completed_at=completed_at,
        best_score=best_score,
        last_activity_at=last_activity_at,
    )


@dataclass(frozen=True)
class ChartPoint:
    week_ending: date
    completed: int
    percent: int


@dataclass(frozen=True)
class CompletionReport:
    filters: CompletionFilters
    cohort: Cohort | None
    rows: list[CompletionRow]
    total: int
    counts: dict[AssignmentStatus, int]
    modules: list[Module]
    has_more: bool

    @property
    def pages(self) -> int:
        return max(1, math.ceil(self.total / PAGE_SIZE))


def _counts(
    session: Session, content: ContentIndex, filters: CompletionFilters, scope: Select[Any]
) -> dict[AssignmentStatus, int]:
    status = _status_of_grid(content, utcnow().date())
    statement = _filtered(
        _grid_base([status.label("status"), func.count()], scope),
        filters,
        status,
        with_status=False,
    ).group_by(status)
    found = {AssignmentStatus(value): number for value, number in session.exec(statement).all()}
    return {value: found.get(value, 0) for value in STATUS_ORDER}


def _assigned_modules(session: Session, content: ContentIndex, scope: Select[Any]) -> list[Module]:
    slugs = set(
        session.exec(
            select(Assignment.module_slug).where(col(Assignment.cohort_id).in_(scope)).distinct()
        ).all()
    )
    return [module for module in content.all("module") if module.slug in slugs]


def completion_report(
    session: Session, content: ContentIndex, viewer: Viewer, filters: CompletionFilters
) -> CompletionReport:
    """One page of the grid, the counts per status for the same filters, and the filter options.

    In the one-row-per-practitioner view the page's rows come from ``people_grid`` instead.
    """
    scope = _scope_cohorts(session, viewer, filters.cohort_id)
    counts = _counts(session, content, filters, scope)
    total = counts[filters.status] if filters.status else sum(counts.values())
    values: Sequence[Any] = []
    if filters.view == "rows":
        statement = _grid_statement(content, filters, scope)
        offset = (filters.page - 1) * PAGE_SIZE
        values = session.exec(statement.offset(offset).limit(PAGE_SIZE)).all()
    return CompletionReport(
        filters=filters,
        cohort=session.get(Cohort, filters.cohort_id) if filters.cohort_id else None,
        rows=[_row(content, value) for value in values],
        total=total,
        counts=counts,
        modules=_assigned_modules(session, content, scope),
        has_more=filters.page * PAGE_SIZE < total,
    )


def completion_rows(
    session: Session, content: ContentIndex, viewer: Viewer, filters: CompletionFilters
) -> list[CompletionRow]:
    """Every row the filters select, in the page's order (the JSON API)."""
    scope = _scope_cohorts(session, viewer, filters.cohort_id)
    return [
        _row(content, value) for value in session.exec(_grid_statement(content, filters, scope))
    ]


# --- The same grid, one row per practitioner -----------------------------------------------


@dataclass(frozen=True)
class GridCell:
    status: AssignmentStatus
    due_date: date
    last_activity_at: datetime | None = None

    @property
    def status_label(self) -> str:
        return STATUS_LABELS[self.status]

    @property
    def as_text(self) -> str:
        """How the CSV writes a cell: the words the page shows, with the day as YYYY-MM-DD."""
        text = f"{self.status_label}, due {self.due_date.isoformat()}"
        if self.last_activity_at is None:
            return text
        return f"{text}, last active {self.last_activity_at.date().isoformat()}"


@dataclass(frozen=True)
class PersonRow:
    user_id: int
    display_name: str
    email: str
    cells: dict[str, GridCell]


@dataclass(frozen=True)
class PeopleGrid:
    """One cohort as a grid: a row per practitioner, a column per assigned module."""

    modules: list[Module]
    people: list[PersonRow]
    total: int
    has_more: bool

    @property
    def pages(self) -> int:
        return max(1, math.ceil(self.total / PAGE_SIZE))


def _one_cohort(filters: CompletionFilters) -> None:
    if filters.cohort_id is None:
        raise InvalidInput("Choose a cohort to see one row per practitioner.")


def _grid_people(filters: CompletionFilters, scope: Select[Any], status: Any) -> Select[Any]:
    """Everyone with at least one cell the filters select (say, anything overdue)."""
    people = _grid_base([User.id], scope)
    return _filtered(people, filters, status).group_by(User.id)


def _people_order(filters: CompletionFilters) -> list[Any]:
    """By name unless email is chosen; the other sorts are about one module, not a person."""
    key: Any = User.email if filters.sort == "email" else func.lower(User.display_name)
    return [key.desc() if filters.descending else key.asc(), User.id]


def _grid_columns(
    session: Session, content: ContentIndex, filters: CompletionFilters, scope: Select[Any]
) -> list[Module]:
    modules = _assigned_modules(session, content, scope)
    return [module for module in modules if not filters.module or module.slug == filters.module]


def _cells_of_people(status: Any, scope: Select[Any], filters: CompletionFilters) -> Select[Any]:
    """Every cell of the chosen columns for the people selected (statuses unfiltered)."""
    columns = [
        User.id,
        Assignment.module_slug,
        status.label("status"),
        _due_date_of_grid(),
        ModuleProgress.last_activity_at,
    ]
    return _filtered(_grid_base(columns, scope), filters, status, with_status=False)


def _cell(status: str, due_date: date, last_activity_at: datetime | None) -> GridCell:
    return GridCell(AssignmentStatus(status), due_date, last_activity_at)


def people_grid(
    session: Session, content: ContentIndex, viewer: Viewer, filters: CompletionFilters
) -> PeopleGrid:
    """One page of practitioners with their status in each assigned module."""
    _one_cohort(filters)
    scope = _scope_cohorts(session, viewer, filters.cohort_id)
    status = _status_of_grid(content, utcnow().date())
    people = _grid_people(filters, scope, status)
    total = session.exec(select(func.count()).select_from(people.subquery())).one()
    page = (
        select(User.id, User.display_name, User.email)
        .where(col(User.id).in_(people))
        .order_by(*_people_order(filters))
        .offset((filters.page - 1) * PAGE_SIZE)
        .limit(PAGE_SIZE)
    )
    shown = session.exec(page).all()
    cells: dict[int, dict[str, GridCell]] = {user_id: {} for user_id, _, _ in shown}
    if shown:
        statement = _cells_of_people(status, scope, filters).where(col(User.id).in_(list(cells)))
        for user_id, slug, value, due_date, last_activity in session.exec(statement):
            cells[user_id][slug] = _cell(value, due_date, last_activity)
    return PeopleGrid(
        modules=_grid_columns(session, content, filters, scope),
        people=[
            PersonRow(user_id=user_id, display_name=name, email=email, cells=cells[user_id])
            for user_id, name, email in shown
        ],
        total=total,
        has_more=filters.page * PAGE_SIZE < total,
    )


@dataclass(frozen=True)
class PreparedPeopleExport:
    header: list[str]
    columns: list[str]
    statement: Select[Any]
    filename: str


def prepare_people_export(
    session: Session, content: ContentIndex, viewer: Viewer, filters: CompletionFilters
) -> PreparedPeopleExport:
    """Check access and audit now; every practitioner the filters select is streamed after."""
    _one_cohort(filters)
    scope = _scope_cohorts(session, viewer, filters.cohort_id)
    audit.record(
        session,
        viewer,
        "report.export",
        "cohort",
        filters.cohort_id,
        "completion CSV by practitioner: " + filters.query_string(page=None),
    )
    status = _status_of_grid(content, utcnow().date())
    modules = _grid_columns(session, content, filters, scope)
    statement = (
        _cells_of_people(status, scope, filters)
        .add_columns(_neutralised(User.display_name), _neutralised(User.email))
        .where(col(User.id).in_(_grid_people(filters, scope, status)))
        .order_by(*_people_order(filters))
    )
    return PreparedPeopleExport(
        header=["Practitioner", "Email", *(module.title for module in modules)],
        columns=[module.slug for module in modules],
        statement=statement,
        filename=f"askwell-completion-by-practitioner-cohort-{filters.cohort_id}-"
        f"{utcnow():%Y-%m-%d}.csv",
    )


def stream_people_csv(engine: Bind, export: PreparedPeopleExport) -> Iterator[str]:
    """A line per practitioner, written as their cells arrive (they come in person order)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(export.header)

    def line(person: tuple[str, str], cells: dict[str, GridCell]) -> None:
        writer.writerow(
            [*person, *(cells[slug].as_text if slug in cells else "" for slug in export.columns)]
        )

    with connect(engine) as connection:
        result = connection.execute(export.statement, execution_options=_STREAMED)
        current: int | None = None
        person: tuple[str, str] = ("", "")
        cells: dict[str, GridCell] = {}
        for batch in result.partitions():
            for user_id, slug, value, due_date, last_activity, name, email in batch:
                if user_id != current:
                    if current is not None:
                        line(person, cells)
                    current, person, cells = user_id, (name, email), {}
                cells[slug] = _cell(value, due_date, last_activity)
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
        if current is not None:
            line(person, cells)
    yield buffer.getvalue()


def completion_over_time(
    session: Session, content: ContentIndex, viewer: Viewer, filters: CompletionFilters
) -> list[ChartPoint]:
    """Share of the grid completed by the end of each of the last weeks (latest completions)."""
    scope = _scope_cohorts(session, viewer, filters.cohort_id)
    status = _status_of_grid(content, utcnow().date())
    unfiltered_status = CompletionFilters(
        cohort_id=filters.cohort_id, module=filters.module, query=filters.query
    )
    total = session.exec(
        _filtered(_grid_base([func.count()], scope), unfiltered_status, status)
    ).one()
    day = func.date(ModuleProgress.completed_at)
    per_day = session.exec(
        _filtered(
            _grid_base([day, func.count()], scope).where(
                col(ModuleProgress.completed_at).is_not(None)
            ),
            unfiltered_status,
            status,
        ).group_by(day)
    ).all()
    completions = sorted((date.fromisoformat(str(when)[:10]), number) for when, number in per_day)
    today = utcnow().date()
    points = []
    for weeks_ago in range(CHART_WEEKS - 1, -1, -1):
        week_ending = today - timedelta(days=7 * weeks_ago)
        done = sum(number for when, number in completions if when <= week_ending)
        points.append(
            ChartPoint(
                week_ending=week_ending,
                completed=done,
                percent=round(100 * done / total) if total else 0,
            )
        )
    return points


# --- CSV export -----------------------------------------------------------------------------


COPY_CHUNK_BYTES = 256 * 1024


def _neutralised(value: Any) -> Any:
    """A cell a spreadsheet will never run as a formula (names are typed by people)."""
    return case((starts_like_a_formula(value), literal("'") + value), else_=value)


def _module_titles(content: ContentIndex) -> Any:
    """Module titles as a small table to join: far cheaper per row than a long CASE."""
    rows = [(module.slug, module.title) for module in content.all("module")] or [("", "")]
    return union_all(
        *(
            select(literal(slug, String).label("slug"), literal(title, String).label("title"))
            for slug, title in rows
        )
    ).subquery("module_titles")


def _export_cells_in_sql(status: ColumnElement[str], module_title: Any) -> list[Any]:
    """The export's cells, exactly as the page shows them, made by the database."""
    labels = {value.value: label for value, label in STATUS_LABELS.items()}
    return [
        _neutralised(Cohort.name),
        _neutralised(User.display_name),
        _neutralised(User.email),
        _neutralised(module_title),
        case(labels, value=status),
        iso_day(_due_date_of_grid()),
        iso_day(ModuleProgress.completed_at),
        ModuleProgress.best_score,
        iso_day(ModuleProgress.last_activity_at),
    ]


@dataclass(frozen=True)
class PreparedExport:
    statement: Select[Any]
    filename: str


def prepare_export(
    session: Session, content: ContentIndex, viewer: Viewer, filters: CompletionFilters
) -> PreparedExport:
    """Check access and write the audit event now; the rows are streamed afterwards."""
    scope = _scope_cohorts(session, viewer, filters.cohort_id)
    audit.record(
        session,
        viewer,
        "report.export",
        "cohort" if filters.cohort_id else "cohorts",
        filters.cohort_id or "all",
        "completion CSV: " + (filters.query_string(page=None) or "no filters"),
    )
    suffix = f"cohort-{filters.cohort_id}" if filters.cohort_id else "all-cohorts"
    return PreparedExport(
        statement=_grid_statement(
            content, filters, scope, as_cells_for=session.get_bind().dialect.name
        ),
        filename=f"askwell-completion-{suffix}-{utcnow():%Y-%m-%d}.csv",
    )


def stream_csv(engine: Bind, export: PreparedExport) -> Iterator[str]:
    """CSV text in chunks, read on a connection of its own.

    The database makes every cell. PostgreSQL also writes the CSV (COPY, in C); SQLite's rows
    go through Python's csv module. Both give the same bytes. The request's session has
    closed by the time a large export is half sent, and only one batch of rows is ever held
    in memory, however many the export has.
    """
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    yield buffer.getvalue()
    with connect(engine) as connection:
        if connection.dialect.name == "postgresql":
            yield from _copy_csv(connection, export.statement)
            return
        result = connection.execute(export.statement, execution_options=_STREAMED)
        for batch in result.partitions():
            buffer.seek(0)
            buffer.truncate()
            writer.writerows(batch)
            yield buffer.getvalue()


def _copy_csv(connection: Connection, statement: Select[Any]) -> Iterator[str]:
    """COPY (the query) TO STDOUT as CSV, with parameters bound as SQLAlchemy would bind them."""
    compiled = statement.compile(dialect=connection.dialect)
    if "POSTCOMPILE" in compiled.string:
        raise RuntimeError("The export query needs parameters expanded after compiling.")
    parameters = compiled.construct_params()
    for name, bind in compiled.binds.items():
        processor = bind.type.bind_processor(connection.dialect)
        if processor is not None and name in parameters:
            parameters[name] = processor(parameters[name])
    driver_connection = connection.connection.driver_connection
    assert driver_connection is not None
    with driver_connection.cursor() as cursor:
        # Planned for all its rows, and sorted in memory rather than on disk.
        cursor.execute("SET LOCAL work_mem = '128MB'")
        copy = f"COPY ({compiled.string}) TO STDOUT WITH (FORMAT csv)"
        text = codecs.getincrementaldecoder("utf-8")()
        with cursor.copy(copy, parameters) as stream:
            pending: list[bytes] = []
            size = 0
            for block in stream:
                pending.append(bytes(block))
                size += len(block)
                if size >= COPY_CHUNK_BYTES:
                    yield text.decode(b"".join(pending))
                    pending, size = [], 0
            yield text.decode(b"".join(pending), final=True)


# --- One practitioner -----------------------------------------------------------------------


@dataclass(frozen=True)
class PersonModuleRow:
    module_slug: str
    module_title: str
    status_label: str
    assigned_due: date | None
    completed_at: datetime | None
    best_score: int | None
    attempts: int
    first_score: int | None
    last_activity_at: datetime | None


@dataclass(frozen=True)
class PractitionerRecord:
    user_id: int
    display_name: str
    email: str
    cohorts: list[str]
    modules: list[PersonModuleRow]
    completions: list[Completion] = field(default_factory=list)


def practitioner_record(
    session: Session, content: ContentIndex, viewer: Viewer, user_id: int
) -> PractitionerRecord:
    """Someone's modules, attempts, scores and dates; "not found" outside the viewer's cohorts."""
    scope = _scope_cohorts(session, viewer, None)
    person = session.get(User, user_id)
    shared = session.exec(
        select(Cohort.id, Cohort.name)
        .join(CohortMember, col(CohortMember.cohort_id) == Cohort.id)
        .where(CohortMember.user_id == user_id, col(Cohort.id).in_(scope))
        .order_by(Cohort.name)
    ).all()
    is_practitioner = (
        person is not None
        and session.exec(
            select(UserRole.user_id).where(
                UserRole.user_id == user_id, UserRole.role == Role.practitioner.value
            )
        ).first()
        is not None
    )
    if person is None or not is_practitioner or (not shared and not viewer.has(Role.admin)):
        raise NotFound("We could not find that practitioner in the cohorts you manage.")
    audit.record(session, viewer, "report.view_person", "user", user_id, "practitioner record")

    states = progress.states_for(session, content, user_id, [m.slug for m in content.all("module")])
    # Status and due date as the dashboard gives them for the cohorts this trainer manages.
    assigned = {
        item.module.slug: item
        for item in cohorts.my_assignments(
            session,
            content,
            Viewer(
                id=user_id,
                email=person.email,
                display_name=person.display_name,
                roles=frozenset({Role.practitioner}),
                session_id="",
            ),
            cohort_ids=[cohort_id for cohort_id, _ in shared],
        )
    }
    attempt_rows = session.exec(
        select(QuizAttempt.module_slug, func.count(), func.min(QuizAttempt.id))
        .where(QuizAttempt.user_id == user_id)
        .group_by(QuizAttempt.module_slug)
    ).all()
    first_ids = [first_id for *_, first_id in attempt_rows]
    first_scores = dict(
        session.exec(
            select(QuizAttempt.module_slug, QuizAttempt.score).where(
                col(QuizAttempt.id).in_(first_ids)
            )
        ).all()
    )
    attempts = {slug: number for slug, number, _ in attempt_rows}
    rows = []
    for module in content.all("module"):
        state = states.get(module.slug)
        item = assigned.get(module.slug)
        if item is None and (state is None or state.status == "not_started"):
            continue
        rows.append(
            PersonModuleRow(
                module_slug=module.slug,
                module_title=module.title,
                status_label=item.label if item else (state.label if state else ""),
                assigned_due=item.due_date if item else None,
                completed_at=state.completed_at if state else None,
                best_score=state.best_score if state else None,
                attempts=attempts.get(module.slug, 0),
                first_score=first_scores.get(module.slug),
                last_activity_at=state.last_activity_at if state else None,
            )
        )
    completions = list(
        session.exec(
            select(Completion)
            .where(Completion.user_id == user_id)
            .order_by(col(Completion.completed_at).desc())
        ).all()
    )
    return PractitionerRecord(
        user_id=user_id,
        display_name=person.display_name,
        email=person.email,
        cohorts=[name for _, name in shared],
        modules=rows,
        completions=completions,
    )


# --- Modules --------------------------------------------------------------------------------


@dataclass(frozen=True)
class ModuleOverviewRow:
    module: Module
    started: int
    completed: int


def modules_overview(
    session: Session, content: ContentIndex, viewer: Viewer, cohort_id: int | None
) -> list[ModuleOverviewRow]:
    users = _scope_users(session, viewer, cohort_id)
    rows = session.exec(
        select(
            ModuleProgress.module_slug,
            func.count(),
            func.count(ModuleProgress.completed_at),
        )
        .where(_within(ModuleProgress.user_id, users))
        .group_by(ModuleProgress.module_slug)
    ).all()
    found = {slug: (started, completed) for slug, started, completed in rows}
    return [
        ModuleOverviewRow(module, *found.get(module.slug, (0, 0)))
        for module in content.all("module")
    ]


@dataclass(frozen=True)
class ModuleSummary:
    module: Module
    started: int
    completed: int
    median_minutes: int | None
    first_attempts: int
    first_attempt_passes: int

    @property
    def first_attempt_pass_rate(self) -> int | None:
        if not self.first_attempts:
            return None
        return round(100 * self.first_attempt_passes / self.first_attempts)


def _first_attempts(module: Module, users: Select[Any] | None) -> Any:
    """Each person's first attempt at the module's current version (a small subquery)."""
    return (
        select(func.min(QuizAttempt.id).label("attempt_id"))
        .where(
            QuizAttempt.module_slug == module.slug,
            QuizAttempt.content_version == module.version,
            _within(QuizAttempt.user_id, users),
        )
        .group_by(QuizAttempt.user_id)
        .subquery()
    )


def module_summary(
    session: Session, content: ContentIndex, viewer: Viewer, slug: str, cohort_id: int | None
) -> ModuleSummary:
    module = progress.get_module(content, slug)
    users = _scope_users(session, viewer, cohort_id)
    in_module = and_(ModuleProgress.module_slug == slug, _within(ModuleProgress.user_id, users))
    started, completed = session.exec(
        select(func.count(), func.count(ModuleProgress.completed_at)).where(in_module)
    ).one()
    minutes = (
        (day_number(ModuleProgress.completed_at) - day_number(ModuleProgress.started_at)) * 1440
    ).label("minutes")
    median = None
    if completed:
        middle = session.exec(
            select(minutes)
            .where(in_module, col(ModuleProgress.completed_at).is_not(None))
            .order_by(minutes)
            .offset((completed - 1) // 2)
            .limit(2 if completed % 2 == 0 else 1)
        ).all()
        median = round(sum(middle) / len(middle))
    first = _first_attempts(module, users)
    attempts, passes = session.exec(
        select(func.count(), func.coalesce(func.sum(cast(QuizAttempt.passed, Integer)), 0)).where(
            col(QuizAttempt.id).in_(select(first.c.attempt_id))
        )
    ).one()
    return ModuleSummary(
        module=module,
        started=started,
        completed=completed,
        median_minutes=median,
        first_attempts=attempts,
        first_attempt_passes=passes,
    )


# --- Item analysis --------------------------------------------------------------------------


@dataclass(frozen=True)
class WrongChoice:
    text: str
    count: int


@dataclass(frozen=True)
class QuestionStats:
    module: Module
    question: Question
    number: int
    answered: int
    correct: int
    top_wrong: WrongChoice | None
    discrimination: float | None

    @property
    def correct_share(self) -> int | None:
        return round(100 * self.correct / self.answered) if self.answered else None

    @property
    def reliable(self) -> bool:
        return self.answered >= RELIABLE_ANSWERS

    @property
    def mostly_missed(self) -> bool:
        return bool(self.answered) and self.correct / self.answered < MOSTLY_MISSED_SHARE


def _point_biserial(n: int, sx: float, sy: float, sxy: float, syy: float) -> float | None:
    """Correlation of right/wrong on this question with the rest of the quiz (x is 0 or 1)."""
    spread_x = n * sx - sx * sx
    spread_y = n * syy - sy * sy
    if n < RELIABLE_ANSWERS or spread_x <= 0 or spread_y <= 0:
        return None
    return (n * sxy - sx * sy) / math.sqrt(spread_x * spread_y)


def _choice_text(question: Question, chosen: str) -> str:
    texts = {option.id: option.text for option in question.options}
    parts = [texts.get(option_id, option_id) for option_id in chosen.split(",") if option_id]
    return " + ".join(parts) or "(nothing)"


def item_analysis(
    session: Session, content: ContentIndex, viewer: Viewer, slug: str, cohort_id: int | None
) -> list[QuestionStats]:
    """Per question, on each person's first attempt at the current version.

    Discrimination is the point-biserial correlation between getting this question right
    and the score on the rest of the quiz: near zero or negative means the question does
    not separate those who learned the module from those who did not.
    """
    module = progress.get_module(content, slug)
    if module.quiz is None:
        return []
    users = _scope_users(session, viewer, cohort_id)
    first = _first_attempts(module, users)
    right = cast(QuizAnswer.correct, Integer)
    # One pass over the first attempts' answers: each answer with the rest of its attempt's
    # score beside it (a window), then grouped by question and option chosen.
    answers = (
        select(
            QuizAnswer.question_id,
            QuizAnswer.chosen,
            QuizAnswer.correct,
            (func.sum(right).over(partition_by=QuizAnswer.attempt_id) - right).label("rest"),
        )
        .join(first, first.c.attempt_id == QuizAnswer.attempt_id)
        .subquery()
    )
    grouped = session.exec(
        select(
            answers.c.question_id,
            answers.c.chosen,
            answers.c.correct,
            func.count(),
            func.sum(answers.c.rest),
            func.sum(answers.c.rest * answers.c.rest),
        ).group_by(answers.c.question_id, answers.c.chosen, answers.c.correct)
    ).all()
    sums_by_question: dict[str, list[float]] = {}
    # Wrong options one by one: a wrong answer to a ``multiple`` question usually holds right
    # options too, and naming the whole combination would show a right option as "wrong".
    wrong_options: dict[str, Counter[str]] = {}
    questions = {question.id: question for question in module.quiz.questions}
    for question_id, chosen, correct, number, rest, rest_squared in grouped:
        n, sx, sy, sxy, syy = sums_by_question.setdefault(question_id, [0, 0, 0, 0, 0])
        rest, rest_squared = float(rest or 0), float(rest_squared or 0)
        sums_by_question[question_id] = [
            n + number,
            sx + (number if correct else 0),
            sy + rest,
            sxy + (rest if correct else 0),
            syy + rest_squared,
        ]
        question = questions.get(question_id)
        if not correct and question is not None:
            tally = wrong_options.setdefault(question_id, Counter())
            for option_id in chosen.split(","):
                if option_id and option_id not in question.correct_ids:
                    tally[option_id] += number
    stats = []
    for number, question in enumerate(module.quiz.questions, start=1):
        n, sx, sy, sxy, syy = sums_by_question.get(question.id, [0, 0, 0, 0, 0])
        wrong_tally = wrong_options.get(question.id)
        # Ties go to the option listed first, so the figure does not change between requests.
        order = {option.id: index for index, option in enumerate(question.options)}
        chosen = (
            min(wrong_tally.items(), key=lambda item: (-item[1], order.get(item[0], len(order))))
            if wrong_tally
            else None
        )
        stats.append(
            QuestionStats(
                module=module,
                question=question,
                number=number,
                answered=int(n),
                correct=int(sx),
                top_wrong=WrongChoice(_choice_text(question, chosen[0]), chosen[1])
                if chosen
                else None,
                discrimination=_point_biserial(int(n), sx, sy, sxy, syy),
            )
        )
    return stats


def _tallies_of_current_versions(session: Session, versions: dict[str, int]) -> list[Any]:
    """The whole trust: running totals kept as first attempts are recorded (a few rows)."""
    return list(
        session.exec(
            select(
                QuestionTally.module_slug,
                QuestionTally.question_id,
                QuestionTally.first_answers,
                QuestionTally.first_correct,
            ).where(
                or_(
                    *(
                        and_(QuestionTally.module_slug == slug, QuestionTally.content_version == v)
                        for slug, v in versions.items()
                    )
                )
            )
        ).all()
    )


def _first_attempt_totals(
    session: Session, versions: dict[str, int], users: Select[Any]
) -> list[Any]:
    """The people in scope: their first attempts, counted from the attempts themselves."""
    first = (
        select(func.min(QuizAttempt.id).label("attempt_id"))
        .where(
            col(QuizAttempt.module_slug).in_(list(versions)),
            QuizAttempt.content_version == case(versions, value=QuizAttempt.module_slug, else_=-1),
            _within(QuizAttempt.user_id, users),
        )
        .group_by(QuizAttempt.user_id, QuizAttempt.module_slug)
        .subquery()
    )
    return list(
        session.exec(
            select(
                QuizAnswer.module_slug,
                QuizAnswer.question_id,
                func.count(),
                func.sum(cast(QuizAnswer.correct, Integer)),
            )
            .join(first, first.c.attempt_id == QuizAnswer.attempt_id)
            .group_by(QuizAnswer.module_slug, QuizAnswer.question_id)
        ).all()
    )


def most_missed_questions(
    session: Session, content: ContentIndex, viewer: Viewer, cohort_id: int | None
) -> list[QuestionStats]:
    """Questions fewer than half get right first time, across modules, worst first."""
    users = _scope_users(session, viewer, cohort_id)
    modules = [module for module in content.all("module") if module.quiz]
    if not modules:
        return []
    versions = {module.slug: module.version for module in modules}
    if users is None:
        rows = _tallies_of_current_versions(session, versions)
    else:
        rows = _first_attempt_totals(session, versions, users)
    missed = []
    for slug, question_id, answered, correct in rows:
        module = content.get(slug)
        question = module.quiz.question(question_id) if module and module.quiz else None
        if module is None or question is None or module.quiz is None:
            continue
        stats = QuestionStats(
            module=module,
            question=question,
            number=module.quiz.questions.index(question) + 1,
            answered=answered,
            correct=int(correct or 0),
            top_wrong=None,
            discrimination=None,
        )
        if stats.mostly_missed:
            missed.append(stats)
    return sorted(missed, key=lambda item: (item.correct / item.answered, -item.answered))

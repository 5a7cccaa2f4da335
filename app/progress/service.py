"""Section and module progress, completion, and where to pick up again."""

from __future__ import annotations

import secrets
from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, date, datetime

from sqlalchemy import Date, Integer, Select, String, bindparam, func, union_all, update
from sqlmodel import Session, col, select

from app.auth.schemas import Viewer
from app.auth.service import require_role
from app.content import ContentIndex, Module, Section
from app.content.snapshots import record_module_version
from app.core.db import insert_ignoring_duplicates
from app.core.errors import NotFound
from app.events import service as events
from app.models.base import utcnow
from app.models.cohorts import Assignment, CohortMember
from app.models.events import EventKind
from app.models.progress import Completion, ModuleProgress, SectionProgress
from app.models.quizzes import QuizAttempt
from app.models.users import Role
from app.progress import status as status_rule
from app.progress.schemas import ModuleState, ModuleStatus
from app.progress.status import AssignmentStatus


def get_module(content: ContentIndex, slug: str) -> Module:
    module = content.get(slug)
    if module is None:
        raise NotFound("We could not find that module. It may have been renamed or removed.")
    return module


@dataclass(frozen=True)
class Standing:
    """Where someone stands in a module, as the status rule (``app/progress/status.py``) says.

    ``status`` is the rule's (five values); ``due_date`` and ``recur_days`` belong to the
    assignment that counts (None when the module is not assigned to them); ``refresh_due``
    is when a completed module is due for refresh; ``current_version`` the version they are
    current with; ``major_change`` whether a major change has come since.
    """

    status: AssignmentStatus
    due_date: date | None
    recur_days: int | None
    refresh_due: date | None
    current_version: int | None
    major_change: bool


NOT_STARTED = Standing(AssignmentStatus.not_started, None, None, None, None, False)


@dataclass(frozen=True)
class PersonRow:
    """What one person has recorded in one module: their progress row (when they have
    started), the sections they have read, and when they last passed its quiz."""

    started: bool
    completed_at: datetime | None
    best_score: int | None
    last_section_id: str | None
    last_activity_at: datetime | None
    completed_version: int | None
    sections_done: frozenset[str]
    latest_pass_at: datetime | None


NOTHING_RECORDED = PersonRow(False, None, None, None, None, None, frozenset(), None)
NOTHING_YET = (NOT_STARTED, NOTHING_RECORDED)
# Section ids are slugs ([a-z0-9-]), so a comma cannot occur in one.
SECTION_SEPARATOR = ","


def standings_for(
    session: Session, content: ContentIndex, user_id: int, slugs: list[str]
) -> dict[str, tuple[Standing, PersonRow]]:
    """Each module's standing for one person, by the same SQL as every report, with what
    they have recorded there: one query, whatever the number of modules.

    When several of their cohorts assign one module, the most urgent assignment counts.
    """
    if not slugs:
        return {}
    statement = _standings_statement(content, len(slugs))
    parameters: dict[str, object] = {"user_id": user_id, "today": utcnow().date()}
    parameters.update({f"slug_{index}": slug for index, slug in enumerate(slugs)})
    # Core, not the ORM: the rows are plain columns, and the ORM's bookkeeping cost more than
    # running the query. Core does not flush, so what the request has added is flushed first.
    session.flush()
    rows = session.connection().execute(statement, parameters).all()
    found: dict[str, list[tuple[Standing, PersonRow]]] = defaultdict(list)
    for slug, value, due, recur, refresh_due, current, major, *recorded in rows:
        started, completed_at, best, last_section, last_activity, version, done, passed = recorded
        found[slug].append(
            (
                Standing(AssignmentStatus(value), due, recur, refresh_due, current, bool(major)),
                PersonRow(
                    started=bool(started),
                    completed_at=_as_datetime(completed_at),
                    best_score=best,
                    last_section_id=last_section,
                    last_activity_at=_as_datetime(last_activity),
                    completed_version=version,
                    sections_done=frozenset(done.split(SECTION_SEPARATOR)) if done else frozenset(),
                    latest_pass_at=_as_datetime(passed),
                ),
            )
        )
    return {
        slug: min(
            candidates, key=lambda item: status_rule.urgency(item[0].status, item[0].due_date)
        )
        for slug, candidates in found.items()
    }


def _as_datetime(value: datetime | str | None) -> datetime | None:
    """Timestamps as the models hand them back: aware, in UTC (a driver that returns an
    aggregate's timestamp as text or naive is met here)."""
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    if value is not None and value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value


_STANDINGS_STATEMENTS: dict[tuple[int, int], tuple[ContentIndex, Select]] = {}


def _standings_statement(content: ContentIndex, slug_count: int) -> Select:
    """The standings query for ``slug_count`` modules, built once per content and count.

    Every page a practitioner opens runs it; building the status rule's expressions and
    their cache key cost more than running the query, so only the parameters change.
    """
    key = (id(content), slug_count)
    cached = _STANDINGS_STATEMENTS.get(key)
    if cached is not None and cached[0] is content:
        return cached[1]
    user_id = bindparam("user_id", type_=Integer)
    modules = union_all(
        *(
            select(bindparam(f"slug_{index}", type_=String).label("slug"))
            for index in range(slug_count)
        )
    ).subquery("modules")
    assigned = (
        select(Assignment.module_slug, Assignment.due_date, Assignment.recur_days)
        .join(CohortMember, col(CohortMember.cohort_id) == Assignment.cohort_id)
        .where(CohortMember.user_id == user_id)
        .subquery("assigned")
    )
    person = {"module_slug": modules.c.slug, "user_id": user_id}
    assignment = {"due_date": assigned.c.due_date, "recur_days": assigned.c.recur_days}
    sections_done = (
        select(func.aggregate_strings(SectionProgress.section_id, SECTION_SEPARATOR))
        .where(SectionProgress.user_id == user_id, SectionProgress.module_slug == modules.c.slug)
        .scalar_subquery()
    )
    latest_pass = (
        select(func.max(QuizAttempt.created_at))
        .where(
            QuizAttempt.user_id == user_id,
            QuizAttempt.module_slug == modules.c.slug,
            col(QuizAttempt.passed).is_(True),
        )
        .scalar_subquery()
    )
    statement = (
        select(
            modules.c.slug,
            status_rule.status_expression(
                content, today=bindparam("today", type_=Date), **person, **assignment
            ),
            status_rule.due_date_expression(**assignment),
            assigned.c.recur_days,
            status_rule.refresh_due_expression(content, recur_days=assigned.c.recur_days, **person),
            status_rule.current_version_expression(**person),
            status_rule.major_change_expression(content, **person),
            # The rest of the person's state, so a page reads it all in this one query.
            col(ModuleProgress.id).is_not(None).label("started"),
            ModuleProgress.completed_at,
            ModuleProgress.best_score,
            ModuleProgress.last_section_id,
            ModuleProgress.last_activity_at,
            ModuleProgress.completed_version,
            sections_done.label("sections_done"),
            latest_pass.label("latest_pass_at"),
        )
        .select_from(modules)
        .outerjoin(
            ModuleProgress,
            (col(ModuleProgress.user_id) == user_id)
            & (col(ModuleProgress.module_slug) == modules.c.slug),
        )
        .outerjoin(assigned, assigned.c.module_slug == modules.c.slug)
    )
    if len(_STANDINGS_STATEMENTS) > 64:
        _STANDINGS_STATEMENTS.clear()
    _STANDINGS_STATEMENTS[key] = (content, statement)
    return statement


def _derive_state(module: Module, standing: Standing, recorded: PersonRow) -> ModuleState:
    """Percent and quiz from what they recorded; status, dates and versions from ``standing``."""
    current_sections = {section.id for section in module.sections}
    done = recorded.sections_done & current_sections
    completed_at = recorded.completed_at
    latest_pass_at = recorded.latest_pass_at
    quiz_passed = latest_pass_at is not None and (
        completed_at is None or latest_pass_at > completed_at
    )
    current_version = standing.current_version
    if not recorded.started:
        percent = 0
    elif completed_at is not None:
        percent = 100
    else:
        steps = len(current_sections) + (1 if module.quiz else 0)
        reached = len(done) + (1 if quiz_passed and module.quiz else 0)
        percent = min(99, (100 * reached) // steps) if steps else 0
    return ModuleState(
        slug=module.slug,
        status=status_rule.own_status(
            standing.status, completed=completed_at is not None, started=recorded.started
        ),
        percent=percent,
        sections_done=frozenset(done),
        quiz_passed=quiz_passed,
        best_score=recorded.best_score,
        completed_at=completed_at,
        refresh_due=standing.refresh_due,
        last_section_id=recorded.last_section_id,
        last_activity_at=recorded.last_activity_at,
        completed_version=recorded.completed_version if completed_at else None,
        current_version=current_version,
        updated_since_completion=current_version is not None and module.version > current_version,
        major_change_since_completion=standing.major_change,
        assignment_status=standing.status if standing.due_date is not None else None,
        due_date=standing.due_date,
        recur_days=standing.recur_days,
    )


def states_for(
    session: Session, content: ContentIndex, user_id: int, slugs: list[str] | None = None
) -> dict[str, ModuleState]:
    """Every module's state for one person, in one query whatever the number of modules."""
    modules = [content.get(slug) for slug in slugs] if slugs else list(content.all())
    present = [module for module in modules if module is not None]
    found = standings_for(session, content, user_id, [module.slug for module in present])
    return {
        module.slug: _derive_state(module, *found.get(module.slug, NOTHING_YET))
        for module in present
    }


def state_for(session: Session, content: ContentIndex, user_id: int, slug: str) -> ModuleState:
    get_module(content, slug)
    return states_for(session, content, user_id, [slug])[slug]


def state_if_practitioner(
    session: Session, content: ContentIndex, viewer: Viewer, slug: str
) -> ModuleState | None:
    """Only practitioners have progress; everyone else reads without it."""
    if not viewer.has(Role.practitioner):
        get_module(content, slug)
        return None
    return state_for(session, content, viewer.id, slug)


def record_activity(
    session: Session, user_id: int, module_slug: str, section_id: str | None = None
) -> None:
    """Make sure the person's progress row exists and remember where they were."""
    now = utcnow()
    insert_ignoring_duplicates(
        session,
        ModuleProgress,
        {
            "user_id": user_id,
            "module_slug": module_slug,
            "started_at": now,
            "last_activity_at": now,
        },
        ["user_id", "module_slug"],
    )
    values: dict[str, object] = {"last_activity_at": now}
    if section_id is not None:
        values["last_section_id"] = section_id
    session.exec(
        update(ModuleProgress)
        .where(ModuleProgress.user_id == user_id, ModuleProgress.module_slug == module_slug)
        .values(**values)
    )


def complete_section(
    session: Session, content: ContentIndex, viewer: Viewer, slug: str, section_id: str
) -> ModuleState:
    require_role(viewer, Role.practitioner)
    module = get_module(content, slug)
    if module.section(section_id) is None:
        raise NotFound("That module has no such section.")
    first_read = insert_ignoring_duplicates(
        session,
        SectionProgress,
        {
            "user_id": viewer.id,
            "module_slug": slug,
            "section_id": section_id,
            "content_version": module.version,
            "completed_at": utcnow(),
        },
        ["user_id", "module_slug", "section_id"],
    )
    if first_read:  # reading it again is not news to anyone downstream
        events.record(
            session,
            EventKind.section_read,
            user_id=viewer.id,
            module_slug=slug,
            content_version=module.version,
            payload={"section_id": section_id},
        )
    record_activity(session, viewer.id, slug, section_id)
    state = state_for(session, content, viewer.id, slug)
    if complete_if_finished(session, content, viewer.id, module, state) is not None:
        state = state_for(session, content, viewer.id, slug)
    return state


def complete_if_finished(
    session: Session,
    content: ContentIndex,
    user_id: int,
    module: Module,
    state: ModuleState | None = None,
) -> Completion | None:
    """A module is complete when every section is done and the quiz is passed.

    ``state`` is the person's state read after their latest write, when the caller has it.
    The conditional UPDATE lets exactly one of two racing requests record it.
    """
    state = state or state_for(session, content, user_id, module.slug)
    if state.status is ModuleStatus.completed:
        return None  # already complete and not yet due: passing again changes nothing
    every_section_done = all(section.id in state.sections_done for section in module.sections)
    if not every_section_done or (module.quiz is not None and not state.quiz_passed):
        return None
    return record_completion(session, user_id, module, state.completed_at)


def record_completion(
    session: Session,
    user_id: int,
    module: Module,
    previous: datetime | None,
    score: int | None = None,
) -> Completion | None:
    """Records a completion of the current version, unless a racing request already has.

    ``previous`` is the completion time the caller saw; the conditional UPDATE on it lets
    exactly one of two concurrent requests win. ``score`` is the one it was completed with
    (a short refresh's); by default, their best quiz score.
    """
    now = utcnow()
    claimed = session.exec(
        update(ModuleProgress)
        .where(
            ModuleProgress.user_id == user_id,
            ModuleProgress.module_slug == module.slug,
            ModuleProgress.completed_at.is_(None)
            if previous is None
            else ModuleProgress.completed_at == previous,
        )
        .values(completed_at=now, completed_version=module.version, last_activity_at=now)
    )
    if claimed.rowcount != 1:
        return None
    completion = Completion(
        user_id=user_id,
        module_slug=module.slug,
        module_title=module.title,
        content_version=module.version,
        minutes=module.minutes,
        completed_at=now,
        verification_code=secrets.token_hex(8),
    )
    session.add(completion)
    session.flush()
    if score is None:
        score = session.exec(
            select(ModuleProgress.best_score).where(
                ModuleProgress.user_id == user_id, ModuleProgress.module_slug == module.slug
            )
        ).first()
    events.record(
        session,
        EventKind.module_completed,
        user_id=user_id,
        module_slug=module.slug,
        content_version=module.version,
        payload={
            "score": score,
            "minutes": module.minutes,
            "has_quiz": module.quiz is not None,
            "completion_id": completion.id,
        },
        occurred_at=now,
    )
    record_module_version(session, module)  # so "what changed" can always compare with it
    return completion


@dataclass(frozen=True)
class ResumePoint:
    module: Module
    section_id: str | None
    state: ModuleState

    @property
    def url(self) -> str:
        if self.section_id:
            return f"/modules/{self.module.slug}/sections/{self.section_id}"
        return f"/modules/{self.module.slug}/quiz"


def completion_url(module: Module) -> str:
    """The page a finished module ends on: its certificate and what comes next."""
    return f"/modules/{module.slug}/completed"


def unread_sections(module: Module, state: ModuleState) -> tuple[Section, ...]:
    """The sections still to read, in order: what stands between a passed quiz and completion."""
    return tuple(section for section in module.sections if section.id not in state.sections_done)


def next_step(module: Module, state: ModuleState) -> str | None:
    """The first section not yet done, after the last one read; None means the quiz is next."""
    ids = [section.id for section in module.sections]
    start = ids.index(state.last_section_id) if state.last_section_id in ids else 0
    for section_id in ids[start:] + ids[:start]:
        if section_id not in state.sections_done:
            return section_id
    return None


def resume_point(content: ContentIndex, states: dict[str, ModuleState]) -> ResumePoint | None:
    """The module touched most recently and not yet finished: "continue where you left off"."""
    in_progress = [
        state
        for state in states.values()
        if state.status is ModuleStatus.in_progress and state.last_activity_at is not None
    ]
    if not in_progress:
        return None
    latest = max(in_progress, key=lambda state: state.last_activity_at or utcnow())
    module = get_module(content, latest.slug)
    return ResumePoint(module=module, section_id=next_step(module, latest), state=latest)


def my_progress(session: Session, content: ContentIndex, viewer: Viewer) -> list[ModuleState]:
    require_role(viewer, Role.practitioner)
    states = states_for(session, content, viewer.id, [m.slug for m in content.all("module")])
    return list(states.values())

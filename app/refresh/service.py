"""What changed since someone's version, confirming they read it, and the short refresh.

A module is due for refresh when it was completed more than ``refresh_after_days`` ago,
or when a ``major: true`` changelog entry follows the version someone is current with
(the rule lives in app/progress/status.py, so every page and report agrees).
It is refreshed by re-reading the key points and passing a short quiz, or by taking the
whole module again; either records a new completion.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping, Sequence

from sqlalchemy import update
from sqlmodel import Session, col, func, select

from app.auth.schemas import Viewer
from app.auth.service import require_role
from app.content import ContentIndex, KeyPoints, Module, Question, Quiz
from app.content.snapshots import sections_of_version, text_hash
from app.core.db import insert_ignoring_duplicates
from app.core.errors import Conflict, InvalidInput, NotFound
from app.models.base import utcnow
from app.models.refresh import ChangeAcknowledgement, RefreshCheck, RefresherCard
from app.models.users import Role
from app.progress import service as progress
from app.progress.schemas import ModuleState, ModuleStatus
from app.quizzes import service as quizzes
from app.refresh import refresher
from app.refresh.schemas import (
    DiffOp,
    DiffSegment,
    KeyPointsOf,
    RefreshCheckResult,
    RefreshHub,
    RefreshOffer,
    SectionChange,
    SectionChangeKind,
    WhatChanged,
)

REFRESH_QUIZ_QUESTIONS = 3
CONTEXT_WORDS = 12
"""Unchanged words kept either side of a change; longer unchanged runs are elided."""

_TOKENS = re.compile(r"\S+|\s+")


# --- What changed -------------------------------------------------------------------------


def word_diff(old: str, new: str) -> tuple[DiffSegment, ...]:
    """A word-level diff: whitespace is kept, so paragraphs survive; long sameness is elided."""
    old_tokens, new_tokens = _TOKENS.findall(old), _TOKENS.findall(new)
    matcher = difflib.SequenceMatcher(a=old_tokens, b=new_tokens, autojunk=False)
    segments: list[DiffSegment] = []
    opcodes = matcher.get_opcodes()
    for position, (tag, a1, a2, b1, b2) in enumerate(opcodes):
        if tag == "equal":
            segments.extend(
                _elide(
                    new_tokens[b1:b2],
                    keep_head=position > 0,
                    keep_tail=position < len(opcodes) - 1,
                )
            )
            continue
        if tag in ("delete", "replace"):
            segments.append(DiffSegment(DiffOp.removed, "".join(old_tokens[a1:a2])))
        if tag in ("insert", "replace"):
            segments.append(DiffSegment(DiffOp.added, "".join(new_tokens[b1:b2])))
    return tuple(segment for segment in segments if segment.text)


def _elide(tokens: list[str], *, keep_head: bool, keep_tail: bool) -> list[DiffSegment]:
    """Keep a few words next to each change so it reads in context; elide the rest."""
    words = [index for index, token in enumerate(tokens) if not token.isspace()]
    head = CONTEXT_WORDS if keep_head else 0
    tail = CONTEXT_WORDS if keep_tail else 0
    if len(words) <= head + tail + CONTEXT_WORDS:
        return [DiffSegment(DiffOp.same, "".join(tokens))]
    parts: list[DiffSegment] = []
    if head:
        parts.append(DiffSegment(DiffOp.same, "".join(tokens[: words[head - 1] + 1])))
    parts.append(DiffSegment(DiffOp.elided, "…"))
    if tail:
        parts.append(DiffSegment(DiffOp.same, "".join(tokens[words[-tail] :])))
    return parts


def _whole(op: DiffOp, text: str) -> tuple[DiffSegment, ...]:
    return (DiffSegment(op, text),) if text else ()


def compare_sections(
    session: Session, module: Module, since_version: int
) -> tuple[tuple[SectionChange, ...], bool, int]:
    """Exactly the sections added, removed or reworded since ``since_version``."""
    old_sections = sections_of_version(session, module.slug, since_version)
    if not old_sections:
        return (), False, 0
    old_by_id = {snapshot.section_id: snapshot for snapshot in old_sections}
    new_ids = {section.id for section in module.sections}
    changes: list[SectionChange] = []
    unchanged = 0
    for section in module.sections:
        old = old_by_id.get(section.id)
        if old is None:
            changes.append(
                SectionChange(
                    section.id,
                    section.title,
                    None,
                    SectionChangeKind.added,
                    _whole(DiffOp.added, section.text),
                )
            )
        elif old.text_hash != text_hash(section.text) or old.title != section.title[:200]:
            changes.append(
                SectionChange(
                    section.id,
                    section.title,
                    old.title if old.title != section.title else None,
                    SectionChangeKind.changed,
                    word_diff(old.text, section.text),
                )
            )
        else:
            unchanged += 1
    for old in old_sections:
        if old.section_id not in new_ids:
            changes.append(
                SectionChange(
                    old.section_id,
                    old.title,
                    None,
                    SectionChangeKind.removed,
                    _whole(DiffOp.removed, old.text),
                )
            )
    return tuple(changes), True, unchanged


def what_changed(
    session: Session,
    content: ContentIndex,
    viewer: Viewer,
    slug: str,
    since: int | None = None,
) -> WhatChanged:
    """Changes since ``since``, or since the version the practitioner is current with."""
    module = progress.get_module(content, slug)
    state = (
        progress.state_for(session, content, viewer.id, slug)
        if viewer.has(Role.practitioner)
        else None
    )
    if since is None:
        if state is None or state.current_version is None:
            raise Conflict(
                "You have not completed this module, so there is no earlier version to compare. "
                "Its changelog is on the What's new page."
            )
        since = state.current_version
    if not 1 <= since <= module.version:
        raise InvalidInput(f"Choose a version from 1 to {module.version}.")
    entries = tuple(
        sorted(
            (entry for entry in module.changelog if entry.version > since),
            key=lambda entry: entry.version,
            reverse=True,
        )
    )
    sections, available, unchanged = compare_sections(session, module, since)
    return WhatChanged(
        module=module,
        since_version=since,
        entries=entries,
        sections=sections,
        old_text_available=available,
        unchanged_sections=unchanged,
        state=state,
        can_confirm=state is not None
        and state.current_version is not None
        and state.current_version < module.version,
    )


def confirm_read(session: Session, content: ContentIndex, viewer: Viewer, slug: str) -> ModuleState:
    """ "I've read what changed": they are now current with this version."""
    require_role(viewer, Role.practitioner)
    module = progress.get_module(content, slug)
    state = progress.state_for(session, content, viewer.id, slug)
    if state.current_version is None:
        raise Conflict("Complete the module first; then Askwell tells you when it changes.")
    now = utcnow()
    insert_ignoring_duplicates(
        session,
        ChangeAcknowledgement,
        {
            "user_id": viewer.id,
            "module_slug": slug,
            "version": module.version,
            "acknowledged_at": now,
        },
        ["user_id", "module_slug"],
    )
    session.exec(
        update(ChangeAcknowledgement)
        .where(
            col(ChangeAcknowledgement.user_id) == viewer.id,
            col(ChangeAcknowledgement.module_slug) == slug,
            col(ChangeAcknowledgement.version) < module.version,
        )
        .values(version=module.version, acknowledged_at=now)
    )
    return progress.state_for(session, content, viewer.id, slug)


# --- Key points and the short refresh -----------------------------------------------------


def key_points_of(content: ContentIndex, slug: str) -> KeyPointsOf:
    module = progress.get_module(content, slug)
    points = tuple(
        (section.id, section.title, block)
        for section in module.sections
        for block in section.blocks
        if isinstance(block, KeyPoints)
    )
    return KeyPointsOf(module=module, points=points)


def _refresh_questions(session: Session, user_id: int, module: Module) -> tuple[Question, ...]:
    """The questions this person is likeliest to have forgotten: earliest due in their refresher."""
    if module.quiz is None:
        return ()
    due_by_question = dict(
        session.exec(
            select(RefresherCard.question_id, RefresherCard.due_at).where(
                RefresherCard.user_id == user_id, RefresherCard.module_slug == module.slug
            )
        ).all()
    )
    order = {question.id: position for position, question in enumerate(module.quiz.questions)}
    ranked = sorted(
        module.quiz.questions,
        key=lambda q: (q.id in due_by_question, due_by_question.get(q.id), order[q.id]),
    )
    return tuple(ranked[:REFRESH_QUIZ_QUESTIONS])


def _due_module(
    session: Session, content: ContentIndex, viewer: Viewer, slug: str
) -> tuple[Module, ModuleState]:
    require_role(viewer, Role.practitioner)
    module = progress.get_module(content, slug)
    if module.kind != "module":
        raise NotFound("App cards have no quiz to refresh with.")
    state = progress.state_for(session, content, viewer.id, slug)
    if state.status is not ModuleStatus.due_for_refresh:
        raise Conflict(
            "This module is not due for a refresh"
            + (f" until {state.refresh_due:%d %B %Y}." if state.refresh_due else ".")
        )
    return module, state


def refresh_offer(
    session: Session, content: ContentIndex, viewer: Viewer, slug: str
) -> RefreshOffer:
    module, state = _due_module(session, content, viewer, slug)
    return RefreshOffer(
        module=module,
        state=state,
        key_points=key_points_of(content, slug),
        questions=quizzes.shown_questions(
            _refresh_questions(session, viewer.id, module),
            user_id=viewer.id,
            module_slug=slug,
            attempt=f"refresh-{_next_check_number(session, viewer.id, slug)}",
        ),
        pass_mark=module.quiz.pass_mark if module.quiz else 0,
    )


def _next_check_number(session: Session, user_id: int, slug: str) -> int:
    """The number of the short refresh about to be taken: its options' order goes with it."""
    taken = session.exec(
        select(func.count()).where(
            RefreshCheck.user_id == user_id, RefreshCheck.module_slug == slug
        )
    ).one()
    return int(taken) + 1


def _encode(chosen: Mapping[str, frozenset[str]]) -> str:
    return "|".join(f"{qid}:{','.join(sorted(ids))}" for qid, ids in chosen.items())


def _decode(answers: str) -> dict[str, frozenset[str]]:
    chosen: dict[str, frozenset[str]] = {}
    for part in filter(None, answers.split("|")):
        qid, _, ids = part.partition(":")
        chosen[qid] = frozenset(filter(None, ids.split(",")))
    return chosen


def submit_refresh_check(
    session: Session,
    content: ContentIndex,
    viewer: Viewer,
    slug: str,
    answers: Mapping[str, Sequence[str]],
) -> RefreshCheckResult:
    """Grade the short quiz; passing records a new completion of the current version."""
    module, state = _due_module(session, content, viewer, slug)
    if module.quiz is None:
        raise NotFound("That module has no quiz.")
    asked = [module.quiz.question(qid) for qid in answers]
    if any(question is None for question in asked):
        raise InvalidInput("Answer the questions this refresh offered.")
    expected = min(REFRESH_QUIZ_QUESTIONS, len(module.quiz.questions))
    if len(asked) != expected:
        raise InvalidInput(f"A short refresh asks {expected} questions; answer each of them.")
    short_quiz = Quiz(
        pass_mark=module.quiz.pass_mark,
        questions=tuple(question for question in asked if question is not None),
    )
    chosen = quizzes.validate_answers(short_quiz, answers)
    grading = quizzes.grade(short_quiz, chosen)
    answered_at = utcnow()
    for result in grading.questions:
        refresher.record_review(
            session,
            viewer.id,
            module,
            result.question.id,
            result.correct,
            answered_at,
            source="short_refresh",
        )
    check = RefreshCheck(
        user_id=viewer.id,
        module_slug=slug,
        content_version=module.version,
        answers=_encode(chosen)[:600],
        score=grading.score,
        passed=grading.passed,
    )
    session.add(check)
    session.flush()
    assert check.id is not None
    completion = (
        progress.record_completion(
            session, viewer.id, module, state.completed_at, score=grading.score
        )
        if grading.passed
        else None
    )
    progress.record_activity(session, viewer.id, slug)  # passed or not, it was activity
    return RefreshCheckResult(
        id=check.id,
        module=module,
        grading=grading,
        passed=grading.passed,
        score=grading.score,
        completed=completion is not None,
        state=progress.state_for(session, content, viewer.id, slug),
    )


def refresh_check_of(
    session: Session, content: ContentIndex, viewer: Viewer, slug: str, check_id: int
) -> RefreshCheckResult:
    """One of the viewer's own short refreshes, regraded for its feedback."""
    require_role(viewer, Role.practitioner)
    module = progress.get_module(content, slug)
    check = session.get(RefreshCheck, check_id)
    if check is None or check.user_id != viewer.id or check.module_slug != slug:
        raise NotFound("We could not find that refresh.")
    grading = None
    if module.quiz is not None and check.content_version == module.version:
        chosen = _decode(check.answers)
        questions = tuple(q for q in (module.quiz.question(qid) for qid in chosen) if q)
        grading = quizzes.grade(Quiz(module.quiz.pass_mark, questions), chosen)
    return RefreshCheckResult(
        id=check_id,
        module=module,
        grading=grading,
        passed=check.passed,
        score=check.score,
        completed=False,
        state=progress.state_for(session, content, viewer.id, slug),
    )


def refresh_hub(session: Session, content: ContentIndex, viewer: Viewer) -> RefreshHub:
    """What the refresh page lists: modules due for a refresh, modules updated since they
    were completed but not yet due, and what the five-minute refresher has waiting."""
    require_role(viewer, Role.practitioner)
    modules = content.all("module")
    states = progress.states_for(session, content, viewer.id, [m.slug for m in modules])
    due = [
        (m, states[m.slug])
        for m in modules
        if states[m.slug].status is ModuleStatus.due_for_refresh
    ]
    updated = [
        (m, states[m.slug])
        for m in modules
        if states[m.slug].status is ModuleStatus.completed
        and states[m.slug].updated_since_completion
    ]
    return RefreshHub(
        due=due,
        updated=updated,
        overview=refresher.overview(session, content, viewer),
        limit_questions=refresher.SESSION_QUESTIONS,
        limit_minutes=refresher.SESSION_MINUTES,
    )

"""Grading quizzes and keeping every attempt."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import replace
from typing import Any, Protocol

from sqlalchemy import Integer, bindparam, cast, delete, insert, update
from sqlmodel import Session, col, func, select

from app.auth.schemas import Viewer
from app.auth.service import require_role
from app.content import ContentIndex, Module, Option, Question, Quiz
from app.core.db import add_to_counters, insert_ignoring_duplicates
from app.core.errors import InvalidInput, NotFound
from app.events import service as events
from app.models.events import EventKind
from app.models.progress import ModuleProgress
from app.models.quizzes import FirstQuizAttempt, QuestionTally, QuizAnswer, QuizAttempt
from app.models.users import Role
from app.progress import service as progress
from app.quizzes.schemas import (
    AttemptResult,
    AttemptView,
    Grading,
    OptionFeedback,
    PostedAnswers,
    QuestionResult,
    QuizView,
)

MAXIMUM_ANSWERS_PER_QUESTION = 20


def quiz_of(content: ContentIndex, slug: str) -> tuple[Module, Quiz]:
    module = progress.get_module(content, slug)
    if module.quiz is None:
        raise NotFound("That module has no quiz.")
    return module, module.quiz


# --- The order options are shown in -------------------------------------------------------


def shown_order(question: Question, *, user_id: int, module_slug: str, attempt: str) -> Question:
    """The question with its options in the order one person sees on one attempt.

    Shuffled, so a right answer cannot be learned by its place, and deterministic: the
    seed is the person, the module, the question and the attempt, so reloading the page
    (or failing validation) shows the same order and the next attempt may show another.
    Only the order changes: every option keeps its id, answers are stored and graded by
    id, so nothing stored depends on it. True/false keeps its order, which gives nothing
    away and reads as people expect.
    """
    if question.type == "true_false":
        return question

    def place(option: Option) -> bytes:
        seed = "\x1f".join((str(user_id), module_slug, question.id, attempt, option.id))
        return hashlib.sha256(seed.encode()).digest()

    return replace(question, options=tuple(sorted(question.options, key=place)))


def shown_questions(
    questions: Sequence[Question], *, user_id: int, module_slug: str, attempt: str
) -> tuple[Question, ...]:
    return tuple(
        shown_order(question, user_id=user_id, module_slug=module_slug, attempt=attempt)
        for question in questions
    )


# Built once: every module page and quiz page counts the viewer's attempts.
_ATTEMPTS_TAKEN = select(func.count()).where(
    QuizAttempt.user_id == bindparam("user_id"), QuizAttempt.module_slug == bindparam("slug")
)


def next_attempt_number(session: Session, user_id: int, slug: str) -> int:
    """The number the viewer's next attempt at this quiz will have (1 for the first)."""
    session.flush()  # Core below, which does not flush what the request has added
    taken = session.connection().execute(_ATTEMPTS_TAKEN, {"user_id": user_id, "slug": slug})
    return int(taken.scalar_one()) + 1


def quiz_for(
    session: Session, content: ContentIndex, viewer: Viewer, slug: str
) -> tuple[Module, Quiz]:
    """The quiz as the viewer sees it for their next attempt: options in their own order."""
    module, quiz = quiz_of(content, slug)
    attempt = f"quiz-{next_attempt_number(session, viewer.id, slug)}"
    questions = shown_questions(
        quiz.questions, user_id=viewer.id, module_slug=slug, attempt=attempt
    )
    return module, Quiz(quiz.pass_mark, questions)


def quiz_view(session: Session, content: ContentIndex, viewer: Viewer, slug: str) -> QuizView:
    """The quiz page, shown again with the answers kept when something was missed."""
    module, quiz = quiz_for(session, content, viewer, slug)
    return QuizView(
        module=module,
        quiz=quiz,
        state=progress.state_for(session, content, viewer.id, slug),
        attempts=attempts_of(session, viewer, slug),
    )


# --- Answering ------------------------------------------------------------------------------


class PostedForm(Protocol):
    """A posted form as pages receive it (Starlette's FormData): fields that may repeat."""

    def getlist(self, key: Any) -> list[Any]: ...


def options_chosen(form: PostedForm, field: str) -> list[str]:
    """The option ids ticked in one field, never more than a question could have."""
    return [str(value) for value in form.getlist(field)][:MAXIMUM_ANSWERS_PER_QUESTION]


def answers_posted(form: PostedForm, questions: Sequence[Question]) -> PostedAnswers:
    """What a quiz form sent, one field per question (named by its id), and which questions
    it left blank, numbered as the page numbers them. Every form of questions reads its
    answers here: the quiz, and the short refresh."""
    chosen = {question.id: options_chosen(form, question.id) for question in questions}
    unanswered = {
        question.id: f"Answer question {number}"
        for number, question in enumerate(questions, start=1)
        if not chosen[question.id]
    }
    return PostedAnswers(chosen=chosen, unanswered=unanswered)


def validate_answers(quiz: Quiz, answers: Mapping[str, Sequence[str]]) -> dict[str, frozenset[str]]:
    """Every question answered once, with options that exist; the message says which is not."""
    problems: list[str] = []
    unknown = [qid for qid in answers if quiz.question(qid) is None]
    if unknown:
        problems.append("unknown question " + ", ".join(sorted(unknown)[:5]))
    cleaned: dict[str, frozenset[str]] = {}
    for number, question in enumerate(quiz.questions, start=1):
        chosen = answers.get(question.id) or []
        if not chosen:
            problems.append(f"question {number} ({question.id}) has no answer")
            continue
        valid_ids = {option.id for option in question.options}
        if any(option_id not in valid_ids for option_id in chosen):
            problems.append(f"question {number} ({question.id}) has an option that does not exist")
            continue
        if question.type != "multiple" and len(set(chosen)) > 1:
            problems.append(f"question {number} ({question.id}) takes exactly one answer")
            continue
        cleaned[question.id] = frozenset(chosen)
    if problems:
        raise InvalidInput("Answer every question: " + "; ".join(problems) + ".")
    return cleaned


def grade(quiz: Quiz, chosen_by_question: Mapping[str, frozenset[str]]) -> Grading:
    """Right when exactly the correct options are chosen.

    Feedback covers every option chosen and every right one, so a wrong guess
    teaches as much as a right answer.
    """
    results = []
    for question in quiz.questions:
        chosen = chosen_by_question.get(question.id, frozenset())
        feedback = tuple(
            OptionFeedback(
                option_id=option.id,
                text=option.feedback,
                option_text=option.text,
                chosen=option.id in chosen,
                correct=option.correct,
            )
            for option in question.options
            if option.id in chosen or option.correct
        )
        results.append(
            QuestionResult(
                question=question,
                correct=chosen == question.correct_ids,
                chosen=chosen,
                feedback=feedback,
            )
        )
    total = len(results)
    score = round(100 * sum(result.correct for result in results) / total) if total else 0
    return Grading(score=score, passed=score >= quiz.pass_mark, questions=tuple(results))


def submit_attempt(
    session: Session,
    content: ContentIndex,
    viewer: Viewer,
    slug: str,
    answers: Mapping[str, Sequence[str]],
) -> AttemptResult:
    require_role(viewer, Role.practitioner)
    module, quiz = quiz_of(content, slug)
    chosen = validate_answers(quiz, answers)
    grading = grade(quiz, chosen)
    attempt = QuizAttempt(
        user_id=viewer.id,
        module_slug=slug,
        content_version=module.version,
        score=grading.score,
        passed=grading.passed,
    )
    session.add(attempt)
    session.flush()
    assert attempt.id is not None
    session.add_all(
        QuizAnswer(
            attempt_id=attempt.id,
            module_slug=slug,
            question_id=result.question.id,
            chosen=",".join(sorted(result.chosen)),
            correct=result.correct,
        )
        for result in grading.questions
    )
    _count_if_first(session, viewer.id, module.version, attempt.id, slug, grading)
    events.record(
        session,
        EventKind.quiz_attempted,
        user_id=viewer.id,
        module_slug=slug,
        content_version=module.version,
        payload={
            "attempt_id": attempt.id,
            "score": grading.score,
            "passed": grading.passed,
            "pass_mark": quiz.pass_mark,
        },
    )
    progress.record_activity(session, viewer.id, slug)
    session.exec(
        update(ModuleProgress)
        .where(
            ModuleProgress.user_id == viewer.id,
            ModuleProgress.module_slug == slug,
            func.coalesce(ModuleProgress.best_score, -1) < grading.score,
        )
        .values(best_score=grading.score)
    )
    completion = progress.complete_if_finished(session, content, viewer.id, module)
    return AttemptResult(
        id=attempt.id,
        module_slug=slug,
        content_version=module.version,
        grading=grading,
        module_completed=completion is not None,
    )


def _count_if_first(
    session: Session, user_id: int, version: int, attempt_id: int, slug: str, grading: Grading
) -> None:
    """Add a first attempt's answers to the running tallies (a retake changes nothing)."""
    first = insert_ignoring_duplicates(
        session,
        FirstQuizAttempt,
        {
            "user_id": user_id,
            "module_slug": slug,
            "content_version": version,
            "attempt_id": attempt_id,
        },
        ["user_id", "module_slug", "content_version"],
    )
    if not first:
        return
    for result in grading.questions:
        add_to_counters(
            session,
            QuestionTally,
            {"module_slug": slug, "content_version": version, "question_id": result.question.id},
            {"first_answers": 1, "first_correct": int(result.correct)},
        )


def rebuild_question_tallies(session: Session) -> None:
    """Work the first attempts and tallies out afresh from every attempt kept.

    For data loaded in bulk (the benchmark's synthetic trust); recording an attempt keeps
    them up to date by itself.
    """
    session.exec(delete(QuestionTally))
    session.exec(delete(FirstQuizAttempt))
    firsts = select(
        QuizAttempt.user_id,
        QuizAttempt.module_slug,
        QuizAttempt.content_version,
        func.min(QuizAttempt.id),
    ).group_by(QuizAttempt.user_id, QuizAttempt.module_slug, QuizAttempt.content_version)
    session.exec(
        insert(FirstQuizAttempt).from_select(
            ["user_id", "module_slug", "content_version", "attempt_id"], firsts
        )
    )
    tallies = (
        select(
            FirstQuizAttempt.module_slug,
            FirstQuizAttempt.content_version,
            QuizAnswer.question_id,
            func.count(),
            func.sum(cast(QuizAnswer.correct, Integer)),
        )
        .join(QuizAnswer, col(QuizAnswer.attempt_id) == FirstQuizAttempt.attempt_id)
        .group_by(
            FirstQuizAttempt.module_slug, FirstQuizAttempt.content_version, QuizAnswer.question_id
        )
    )
    session.exec(
        insert(QuestionTally).from_select(
            ["module_slug", "content_version", "question_id", "first_answers", "first_correct"],
            tallies,
        )
    )


def attempt_of(
    session: Session, content: ContentIndex, viewer: Viewer, slug: str, attempt_id: int
) -> tuple[QuizAttempt, Grading | None]:
    """One of the viewer's own attempts, regraded for its feedback when its version is current."""
    module, quiz = quiz_of(content, slug)
    attempt = session.get(QuizAttempt, attempt_id)
    if attempt is None or attempt.user_id != viewer.id or attempt.module_slug != slug:
        raise NotFound("We could not find that quiz attempt.")
    if attempt.content_version != module.version:
        return attempt, None
    rows = session.exec(select(QuizAnswer).where(QuizAnswer.attempt_id == attempt_id)).all()
    chosen = {row.question_id: frozenset(filter(None, row.chosen.split(","))) for row in rows}
    return attempt, grade(quiz, chosen)


def attempt_view(
    session: Session, content: ContentIndex, viewer: Viewer, slug: str, attempt_id: int
) -> AttemptView:
    """An attempt's result page: its feedback, and what stands between it and completion."""
    module, quiz = quiz_of(content, slug)
    attempt, grading = attempt_of(session, content, viewer, slug, attempt_id)
    state = progress.state_for(session, content, viewer.id, slug)
    return AttemptView(
        module=module,
        quiz=quiz,
        attempt=attempt,
        grading=grading,
        state=state,
        unread=progress.unread_sections(module, state),
        completion_url=progress.completion_url(module),
    )


def attempts_of(session: Session, viewer: Viewer, slug: str) -> list[QuizAttempt]:
    return list(
        session.exec(
            select(QuizAttempt)
            .where(QuizAttempt.user_id == viewer.id, QuizAttempt.module_slug == slug)
            .order_by(col(QuizAttempt.created_at).desc(), col(QuizAttempt.id).desc())
        ).all()
    )

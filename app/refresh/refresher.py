"""The five-minute refresh: questions from completed modules, scheduled one by one with FSRS.

Each (practitioner, module, question) has an fsrs Card, stored as JSON. A right answer is
rated Good and a wrong one Again, so missed questions come back in a day or two and known
ones drift weeks and months away. There are no learning steps in minutes: a refresher is
a sitting every so often, not a drill, so every interval is in days.

A sitting stops at ten questions or about five minutes (its start is stored, so any worker
can tell), and ends by saying when the next one is worth doing. No streaks, no reminders.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime, timedelta

from fsrs import Card, Rating, Scheduler
from sqlalchemy import update
from sqlmodel import Session, col, select

from app.auth.schemas import Viewer
from app.auth.service import require_role
from app.content import ContentIndex, Module, Quiz
from app.core.db import insert_ignoring_duplicates
from app.core.errors import Conflict, InvalidInput, NotFound
from app.events import service as events
from app.models.base import utcnow
from app.models.events import EventKind
from app.models.progress import ModuleProgress
from app.models.refresh import RefresherAnswer, RefresherCard, RefresherSession
from app.models.users import Role
from app.quizzes import service as quizzes
from app.refresh.schemas import (
    AnsweredQuestion,
    DueQuestion,
    RefresherOverview,
    RefresherSessionView,
)

SESSION_QUESTIONS = 10
SESSION_MINUTES = 5
NEW_QUESTION_DELAY = timedelta(days=1)
"""A completed module's questions first come back the day after: the quiz was just taken."""
WORTH_A_SESSION = 3
"""A sitting is worth it once this many questions are due (or all of them, if fewer)."""
MAXIMUM_INTERVAL_DAYS = 365

SCHEDULER = Scheduler(
    learning_steps=(),
    relearning_steps=(),
    maximum_interval=MAXIMUM_INTERVAL_DAYS,
    enable_fuzzing=False,
)


def _completed_modules(
    session: Session, content: ContentIndex, user_id: int
) -> list[tuple[Module, datetime]]:
    rows = session.exec(
        select(ModuleProgress.module_slug, ModuleProgress.completed_at).where(
            ModuleProgress.user_id == user_id, col(ModuleProgress.completed_at).is_not(None)
        )
    ).all()
    completed = []
    for slug, completed_at in rows:
        module = content.get(slug)
        if module is not None and module.quiz is not None and completed_at is not None:
            completed.append((module, completed_at))
    return completed


def due_questions(session: Session, content: ContentIndex, user_id: int) -> list[DueQuestion]:
    """Every question of every completed module, soonest due first (two queries)."""
    cards = {
        (card.module_slug, card.question_id): card
        for card in session.exec(select(RefresherCard).where(RefresherCard.user_id == user_id))
    }
    questions: list[DueQuestion] = []
    for module, completed_at in _completed_modules(session, content, user_id):
        assert module.quiz is not None
        for question in module.quiz.questions:
            card = cards.get((module.slug, question.id))
            due_at = card.due_at if card else completed_at + NEW_QUESTION_DELAY
            questions.append(DueQuestion(module, question, due_at, is_new=card is None))
    questions.sort(key=lambda item: (item.due_at, item.module.slug, item.question.id))
    return questions


def _overview(
    questions: Sequence[DueQuestion], completed_modules: int, now: datetime
) -> RefresherOverview:
    due_now = sum(1 for question in questions if question.due_at <= now)
    later = [question.due_at for question in questions if question.due_at > now]
    needed = min(WORTH_A_SESSION, len(questions)) - due_now
    if not questions:
        worth_at = None
    elif needed <= 0:
        worth_at = now
    else:
        worth_at = later[needed - 1]
    return RefresherOverview(
        completed_modules=completed_modules, due_now=due_now, next_worth_at=worth_at
    )


def overview(session: Session, content: ContentIndex, viewer: Viewer) -> RefresherOverview:
    require_role(viewer, Role.practitioner)
    questions = due_questions(session, content, viewer.id)
    completed = len({question.module.slug for question in questions})
    return _overview(questions, completed, utcnow())


def start_session(session: Session, content: ContentIndex, viewer: Viewer) -> RefresherSession:
    """Start a sitting; its start time is what the five minutes are counted from."""
    require_role(viewer, Role.practitioner)
    now = utcnow()
    if not any(q.due_at <= now for q in due_questions(session, content, viewer.id)):
        raise Conflict("No questions are due just now, so there is nothing to refresh.")
    sitting = RefresherSession(user_id=viewer.id, started_at=now)
    session.add(sitting)
    session.flush()
    return sitting


def _own_session(session: Session, viewer: Viewer, session_id: int) -> RefresherSession:
    require_role(viewer, Role.practitioner)
    sitting = session.get(RefresherSession, session_id)
    if sitting is None or sitting.user_id != viewer.id:
        raise NotFound("We could not find that refresher.")
    return sitting


def _answers(session: Session, session_id: int) -> list[RefresherAnswer]:
    return list(
        session.exec(
            select(RefresherAnswer)
            .where(RefresherAnswer.session_id == session_id)
            .order_by(col(RefresherAnswer.answered_at), col(RefresherAnswer.id))
        ).all()
    )


def _answered(
    content: ContentIndex, answer: RefresherAnswer, cards: dict[tuple[str, str], datetime]
) -> AnsweredQuestion | None:
    module = content.get(answer.module_slug)
    if module is None:
        return None
    question = module.quiz.question(answer.question_id) if module.quiz else None
    result = None
    if question is not None:
        chosen = frozenset(filter(None, answer.chosen.split(",")))
        result = quizzes.grade(Quiz(100, (question,)), {question.id: chosen}).questions[0]
    return AnsweredQuestion(
        id=answer.id or 0,
        module=module,
        question=question,
        correct=answer.correct,
        result=result,
        next_due_at=cards.get((answer.module_slug, answer.question_id)),
    )


def session_view(
    session: Session, content: ContentIndex, viewer: Viewer, session_id: int
) -> RefresherSessionView:
    """Where a sitting stands: the next question, or why it ended and when to come back."""
    sitting = _own_session(session, viewer, session_id)
    now = utcnow()
    answers = _answers(session, session_id)
    questions = due_questions(session, content, viewer.id)
    due_by_key = {(q.module.slug, q.question.id): q.due_at for q in questions}
    answered = tuple(
        item
        for item in (_answered(content, answer, due_by_key) for answer in answers)
        if item is not None
    )
    done = {(answer.module_slug, answer.question_id) for answer in answers}
    stopped_because = ""
    if sitting.finished_at is not None:
        stopped_because = "stopped"
    elif len(answers) >= SESSION_QUESTIONS:
        stopped_because = "questions"
    elif now - sitting.started_at >= timedelta(minutes=SESSION_MINUTES):
        stopped_because = "time"
    next_question = None
    if not stopped_because:
        next_question = next(
            (
                q
                for q in questions
                if q.due_at <= now and (q.module.slug, q.question.id) not in done
            ),
            None,
        )
        if next_question is None:
            stopped_because = "none_due"
        else:
            # The sitting is the attempt: a reload shows the same order, a new sitting may not.
            next_question = replace(
                next_question,
                question=quizzes.shown_order(
                    next_question.question,
                    user_id=viewer.id,
                    module_slug=next_question.module.slug,
                    attempt=f"refresher-{session_id}",
                ),
            )
    completed = len({question.module.slug for question in questions})
    return RefresherSessionView(
        id=session_id,
        started_at=sitting.started_at,
        finished=next_question is None,
        answered=answered,
        question=next_question,
        overview=_overview(questions, completed, now),
        limit_questions=SESSION_QUESTIONS,
        limit_minutes=SESSION_MINUTES,
        stopped_because=stopped_because,
        number=len(answers) + 1,
    )


def answer(
    session: Session,
    content: ContentIndex,
    viewer: Viewer,
    session_id: int,
    module_slug: str,
    question_id: str,
    chosen: Sequence[str],
) -> AnsweredQuestion:
    """Grade one answer, reschedule its question with FSRS, and return the feedback."""
    sitting = _own_session(session, viewer, session_id)
    if sitting.finished_at is not None:
        raise Conflict("This refresher has ended. Start another from the Refresh page.")
    answers = _answers(session, session_id)
    if len(answers) >= SESSION_QUESTIONS:
        raise Conflict("This refresher has had its ten questions.")
    if not chosen:
        raise InvalidInput("Choose an answer.")
    module = content.get(module_slug)
    question = module.quiz.question(question_id) if module and module.quiz else None
    if module is None or question is None:
        raise NotFound("That question is not in any module you have completed.")
    if module.slug not in {m.slug for m, _ in _completed_modules(session, content, viewer.id)}:
        raise NotFound("That question is not in any module you have completed.")
    if any(a.module_slug == module_slug and a.question_id == question_id for a in answers):
        raise Conflict("You have already answered that question in this refresher.")
    single = Quiz(100, (question,))
    graded = quizzes.grade(single, quizzes.validate_answers(single, {question_id: chosen}))
    result = graded.questions[0]
    now = utcnow()
    row = RefresherAnswer(
        session_id=session_id,
        module_slug=module_slug,
        question_id=question_id,
        chosen=",".join(sorted(result.chosen))[:200],
        correct=result.correct,
        answered_at=now,
    )
    session.add(row)
    session.flush()
    next_due = record_review(
        session, viewer.id, module, question_id, result.correct, now, source="refresher"
    )
    return AnsweredQuestion(
        id=row.id or 0,
        module=module,
        question=question,
        correct=result.correct,
        result=result,
        next_due_at=next_due,
    )


def record_review(
    session: Session,
    user_id: int,
    module: Module,
    question_id: str,
    correct: bool,
    now: datetime,
    *,
    source: str,
) -> datetime:
    """Let FSRS reschedule the question: sooner when missed, later when known.

    Called for every answer in a five-minute refresher and in a module's short refresh
    (``source`` says which), so whichever way a practitioner refreshes, the schedule knows
    what they remember, and so does the learning-event stream.
    """
    slug = module.slug
    stored = session.exec(
        select(RefresherCard).where(
            RefresherCard.user_id == user_id,
            RefresherCard.module_slug == slug,
            RefresherCard.question_id == question_id,
        )
    ).first()
    card = (
        Card.from_json(stored.card)
        if stored
        else Card(card_id=int(now.timestamp() * 1000), due=now)
    )
    reviewed, _log = SCHEDULER.review_card(
        card, Rating.Good if correct else Rating.Again, review_datetime=now
    )
    values = {
        "card": reviewed.to_json(),
        "due_at": reviewed.due,
        "last_reviewed_at": now,
    }
    if stored is None:
        insert_ignoring_duplicates(
            session,
            RefresherCard,
            {
                "user_id": user_id,
                "module_slug": slug,
                "question_id": question_id,
                "reviews": 0,
                "lapses": 0,
                **values,
            },
            ["user_id", "module_slug", "question_id"],
        )
    session.exec(
        update(RefresherCard)
        .where(
            col(RefresherCard.user_id) == user_id,
            col(RefresherCard.module_slug) == slug,
            col(RefresherCard.question_id) == question_id,
        )
        .values(
            reviews=col(RefresherCard.reviews) + 1,
            lapses=col(RefresherCard.lapses) + (0 if correct else 1),
            **values,
        )
    )
    events.record(
        session,
        EventKind.refresher_answered,
        user_id=user_id,
        module_slug=slug,
        content_version=module.version,
        payload={"question_id": question_id, "correct": correct, "source": source},
        occurred_at=now,
    )
    return reviewed.due


def answer_of(
    session: Session, content: ContentIndex, viewer: Viewer, session_id: int, answer_id: int
) -> tuple[AnsweredQuestion, RefresherSessionView]:
    """One answer's feedback page, with where the sitting goes next."""
    _own_session(session, viewer, session_id)
    row = session.get(RefresherAnswer, answer_id)
    if row is None or row.session_id != session_id:
        raise NotFound("We could not find that answer.")
    view = session_view(session, content, viewer, session_id)
    cards = {
        (q.module.slug, q.question.id): q.due_at for q in due_questions(session, content, viewer.id)
    }
    answered = _answered(content, row, cards)
    if answered is None:
        raise NotFound("That module is no longer available.")
    return answered, view


def finish(session: Session, viewer: Viewer, session_id: int) -> None:
    """Stop now: the practitioner decides when they have had enough."""
    sitting = _own_session(session, viewer, session_id)
    if sitting.finished_at is None:
        sitting.finished_at = utcnow()
        session.add(sitting)

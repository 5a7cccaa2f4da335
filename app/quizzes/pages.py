"""Taking a quiz in the browser: all answers checked at once, feedback on every option."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import RedirectResponse, Response

from app.core.errors import InvalidInput
from app.core.templating import PageRenderer, Render
from app.quizzes import service
from app.quizzes.schemas import QuizView
from app.web.deps import ContentDep, CsrfProtected, CurrentUser, FormDep, SessionDep

router = APIRouter(tags=["pages"])


def _quiz_page(
    render: PageRenderer,
    view: QuizView,
    *,
    chosen: dict[str, list[str]] | None = None,
    errors: dict[str, str] | None = None,
    status_code: int = 200,
) -> Response:
    return render(
        "quizzes/quiz.html",
        {
            "title": f"Quiz – {view.module.title}",
            "module": view.module,
            "quiz": view.quiz,
            "chosen": chosen or {},
            "errors": errors or {},
            "state": view.state,
            "attempts": view.attempts,
        },
        status_code=status_code,
    )


@router.get("/modules/{slug}/quiz")
def quiz_page(
    slug: str, render: Render, viewer: CurrentUser, session: SessionDep, content: ContentDep
) -> Response:
    return _quiz_page(render, service.quiz_view(session, content, viewer, slug))


@router.post("/modules/{slug}/quiz", dependencies=[CsrfProtected])
def submit_quiz(
    slug: str,
    render: Render,
    form: FormDep,
    viewer: CurrentUser,
    session: SessionDep,
    content: ContentDep,
) -> Response:
    _, quiz = service.quiz_of(content, slug)
    posted = service.answers_posted(form, quiz.questions)
    errors, status_code = posted.unanswered, 400
    if not errors:
        try:
            result = service.submit_attempt(session, content, viewer, slug, posted.chosen)
        except InvalidInput as invalid:
            errors, status_code = {"quiz": invalid.message}, 422
        else:
            return RedirectResponse(f"/modules/{slug}/quiz/attempts/{result.id}", status_code=303)
    view = service.quiz_view(session, content, viewer, slug)
    return _quiz_page(render, view, chosen=posted.chosen, errors=errors, status_code=status_code)


@router.get("/modules/{slug}/quiz/attempts/{attempt_id}")
def attempt_page(
    slug: str,
    attempt_id: int,
    render: Render,
    viewer: CurrentUser,
    session: SessionDep,
    content: ContentDep,
) -> Response:
    view = service.attempt_view(session, content, viewer, slug, attempt_id)
    return render(
        "quizzes/result.html",
        {
            "title": f"Your quiz result – {view.module.title}",
            "module": view.module,
            "quiz": view.quiz,
            "attempt": view.attempt,
            "grading": view.grading,
            "state": view.state,
            "unread": view.unread,
            "completion_url": view.completion_url,
        },
    )

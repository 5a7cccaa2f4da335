"""Taking a quiz in the browser: all answers checked at once, feedback on every option."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response

from app.core.errors import InvalidInput
from app.progress import service as progress
from app.quizzes import service
from app.web.deps import ContentDep, CsrfProtected, CurrentUser, FormDep, SessionDep, TemplatesDep

router = APIRouter(tags=["pages"])

MAXIMUM_ANSWERS_PER_QUESTION = 20


def _quiz_page(
    request: Request,
    templates: TemplatesDep,
    session: SessionDep,
    content: ContentDep,
    viewer: CurrentUser,
    slug: str,
    *,
    chosen: dict[str, list[str]] | None = None,
    errors: dict[str, str] | None = None,
    status_code: int = 200,
) -> Response:
    module, quiz = service.quiz_for(session, content, viewer, slug)
    return templates.render(
        request,
        "quizzes/quiz.html",
        {
            "title": f"Quiz – {module.title}",
            "module": module,
            "quiz": quiz,
            "chosen": chosen or {},
            "errors": errors or {},
            "state": progress.state_for(session, content, viewer.id, slug),
            "attempts": service.attempts_of(session, viewer, slug),
        },
        status_code=status_code,
    )


@router.get("/modules/{slug}/quiz")
def quiz_page(
    slug: str,
    request: Request,
    viewer: CurrentUser,
    session: SessionDep,
    content: ContentDep,
    templates: TemplatesDep,
) -> Response:
    return _quiz_page(request, templates, session, content, viewer, slug)


@router.post("/modules/{slug}/quiz", dependencies=[CsrfProtected])
def submit_quiz(
    slug: str,
    request: Request,
    form: FormDep,
    viewer: CurrentUser,
    session: SessionDep,
    content: ContentDep,
    templates: TemplatesDep,
) -> Response:
    _, quiz = service.quiz_of(content, slug)
    chosen = {
        question.id: [str(value) for value in form.getlist(question.id)][
            :MAXIMUM_ANSWERS_PER_QUESTION
        ]
        for question in quiz.questions
    }
    unanswered = {
        question.id: f"Answer question {number}"
        for number, question in enumerate(quiz.questions, start=1)
        if not chosen[question.id]
    }
    if unanswered:
        return _quiz_page(
            request,
            templates,
            session,
            content,
            viewer,
            slug,
            chosen=chosen,
            errors=unanswered,
            status_code=400,
        )
    try:
        result = service.submit_attempt(session, content, viewer, slug, chosen)
    except InvalidInput as invalid:
        return _quiz_page(
            request,
            templates,
            session,
            content,
            viewer,
            slug,
            chosen=chosen,
            errors={"quiz": invalid.message},
            status_code=422,
        )
    return RedirectResponse(f"/modules/{slug}/quiz/attempts/{result.id}", status_code=303)


@router.get("/modules/{slug}/quiz/attempts/{attempt_id}")
def attempt_page(
    slug: str,
    attempt_id: int,
    request: Request,
    viewer: CurrentUser,
    session: SessionDep,
    content: ContentDep,
    templates: TemplatesDep,
) -> Response:
    module, quiz = service.quiz_of(content, slug)
    attempt, grading = service.attempt_of(session, content, viewer, slug, attempt_id)
    state = progress.state_for(session, content, viewer.id, slug)
    return templates.render(
        request,
        "quizzes/result.html",
        {
            "title": f"Your quiz result – {module.title}",
            "module": module,
            "quiz": quiz,
            "attempt": attempt,
            "grading": grading,
            "state": state,
            "unread": progress.unread_sections(module, state),
            "completion_url": progress.completion_url(module),
        },
    )

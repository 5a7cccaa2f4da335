"""POST /api/v1/modules/{slug}/attempts."""

from __future__ import annotations

from fastapi import APIRouter

from app.quizzes import service
from app.quizzes.schemas import AttemptOut, AttemptRequest
from app.web.deps import ContentDep, CsrfProtected, CurrentUser, SessionDep

router = APIRouter(prefix="/api/v1", tags=["quizzes"])


@router.post(
    "/modules/{slug}/attempts",
    response_model=AttemptOut,
    status_code=201,
    dependencies=[CsrfProtected],
)
def submit_attempt(
    slug: str,
    body: AttemptRequest,
    viewer: CurrentUser,
    session: SessionDep,
    content: ContentDep,
) -> AttemptOut:
    return AttemptOut.of(service.submit_attempt(session, content, viewer, slug, body.answers))

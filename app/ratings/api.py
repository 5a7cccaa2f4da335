"""Rating "how to ask" examples (co-designers) and reading the ratings (trainers)."""

from __future__ import annotations

from fastapi import APIRouter

from app.ratings import service
from app.ratings.schemas import AskSummaryOut, RatingIn, RatingOut
from app.web.deps import ContentDep, CsrfProtected, CurrentUser, SessionDep

router = APIRouter(prefix="/api/v1", tags=["ratings"])


@router.put(
    "/modules/{slug}/asks/{ask_id}/rating",
    response_model=RatingOut,
    dependencies=[CsrfProtected],
)
def rate_example(
    slug: str,
    ask_id: str,
    body: RatingIn,
    viewer: CurrentUser,
    session: SessionDep,
    content: ContentDep,
) -> RatingOut:
    """One rating per co-designer per example; sending another changes it."""
    return service.rate(session, content, viewer, slug, ask_id, body.verdict, body.comment)


@router.get("/review/asks", response_model=list[AskSummaryOut])
def example_ratings(
    viewer: CurrentUser, session: SessionDep, content: ContentDep
) -> list[AskSummaryOut]:
    """Every example's ratings and comments; ``needs_revision`` marks those young people reject."""
    return service.overview(session, content, viewer)

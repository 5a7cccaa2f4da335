"""Search as JSON."""

from __future__ import annotations

from fastapi import APIRouter

from app.search import service
from app.search.schemas import SearchHitOut, SearchResultsOut
from app.web.deps import ContentDep, CurrentUser, SessionDep

router = APIRouter(prefix="/api/v1", tags=["search"])


@router.get("/search", response_model=SearchResultsOut)
def search(
    viewer: CurrentUser, session: SessionDep, content: ContentDep, q: str = ""
) -> SearchResultsOut:
    results = service.search(session, viewer, content, q)
    return SearchResultsOut(
        query=q,
        results=[SearchHitOut.of(hit) for hit in results.hits],
        suggestion=results.suggestion,
    )

"""Search as JSON."""

from __future__ import annotations

from fastapi import APIRouter, Depends

from app.core.deps import ContentDep, SessionDep, get_viewer
from app.search import service
from app.search.schemas import SearchResultsOut

router = APIRouter(prefix="/api/v1", tags=["search"])


@router.get("/search", response_model=SearchResultsOut, dependencies=[Depends(get_viewer)])
def search(session: SessionDep, content: ContentDep, q: str = "") -> SearchResultsOut:
    return SearchResultsOut.of(service.search(session, content, q))

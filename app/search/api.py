"""Search as JSON."""

from __future__ import annotations

from fastapi import APIRouter, Depends

from app.search import service
from app.search.schemas import SearchResultsOut
from app.web.deps import ContentDep, SessionDep, get_viewer

router = APIRouter(prefix="/api/v1", tags=["search"])


@router.get("/search", response_model=SearchResultsOut, dependencies=[Depends(get_viewer)])
def search(session: SessionDep, content: ContentDep, q: str = "") -> SearchResultsOut:
    return SearchResultsOut.of(service.search(session, content, q))

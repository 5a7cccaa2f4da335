"""The search page: a plain GET form, so results can be bookmarked and shared."""

from __future__ import annotations

from fastapi import APIRouter, Depends
from fastapi.responses import Response

from app.core.errors import InvalidInput
from app.core.templating import Render
from app.search import service
from app.web.deps import ContentDep, SessionDep, get_viewer

router = APIRouter(tags=["pages"])


@router.get("/search", dependencies=[Depends(get_viewer)])
def search_page(render: Render, session: SessionDep, content: ContentDep, q: str = "") -> Response:
    error = None
    try:
        results = service.search(session, content, q)
    except InvalidInput as invalid:
        results, error = None, invalid.message
    return render(
        "search/index.html",
        {
            "title": f"Search results for “{q[:60]}”" if q.strip() else "Search",
            "query": q,
            "results": results,
            "errors": {"q": error} if error else {},
        },
        status_code=400 if error else 200,
    )

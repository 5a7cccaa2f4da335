"""The search page: a plain GET form, so results can be bookmarked and shared."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from app.core.errors import InvalidInput
from app.search import service
from app.web.deps import ContentDep, CurrentUser, SessionDep, TemplatesDep

router = APIRouter(tags=["pages"])


@router.get("/search")
def search_page(
    request: Request,
    viewer: CurrentUser,
    session: SessionDep,
    content: ContentDep,
    templates: TemplatesDep,
    q: str = "",
) -> Response:
    error = None
    try:
        results = service.search(session, viewer, content, q)
    except InvalidInput as invalid:
        results, error = None, invalid.message
    return templates.render(
        request,
        "search/index.html",
        {
            "title": f"Search results for “{q[:60]}”" if q.strip() else "Search",
            "query": q,
            "results": results,
            "errors": {"q": error} if error else {},
        },
        status_code=400 if error else 200,
    )

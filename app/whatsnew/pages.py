"""The What's new page and its Atom feed, both readable signed in or not."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from app.core.links import site_url
from app.core.templating import Render
from app.models.base import utcnow
from app.web.deps import ContentDep, OptionalViewer
from app.whatsnew import service

router = APIRouter(tags=["pages"])


@router.get("/whats-new")
def whats_new_page(render: Render, viewer: OptionalViewer, content: ContentDep) -> Response:
    return render(
        "whatsnew/index.html",
        {"title": "What's new", "whats_new": service.whats_new(content, viewer, utcnow().date())},
    )


@router.get("/whats-new.atom")
def whats_new_feed(request: Request, content: ContentDep) -> Response:
    """Public, like the page: titles and dates of changes say nothing about anyone."""
    return Response(
        service.atom_feed(content, site_url(request)),
        media_type="application/atom+xml; charset=utf-8",
        headers={"Cache-Control": "public, max-age=3600"},
    )

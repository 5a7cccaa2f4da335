"""The export page on a module, and the package it offers, for admins and trainers."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import Response

from app.core.templating import Render
from app.scorm import service
from app.web.deps import ContentDep, CurrentUser, SessionDep, TemplatesDep

router = APIRouter(tags=["pages"])


@router.get("/modules/{slug}/export")
def export_page(slug: str, render: Render, viewer: CurrentUser, content: ContentDep) -> Response:
    choice = service.export_choice(content, viewer, slug)
    return render(
        "scorm/export.html",
        {
            "title": f"Export {choice.module.title} as a SCORM package",
            "module": choice.module,
            "choice": choice,
        },
    )


@router.get("/modules/{slug}/export/scorm.zip")
def download_package(
    slug: str,
    viewer: CurrentUser,
    session: SessionDep,
    content: ContentDep,
    templates: TemplatesDep,
    version: int | None = None,
) -> Response:
    """The package as a file; ``version``, when given, must be the module's current one."""
    package = service.package_for(session, content, templates, viewer, slug, version)
    return Response(
        package.data,
        media_type="application/zip",
        headers={"Content-Disposition": f'attachment; filename="{package.filename}"'},
    )

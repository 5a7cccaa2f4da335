"""GET /api/v1/modules and /api/v1/modules/{slug}."""

from __future__ import annotations

from typing import Literal

from fastapi import APIRouter, Depends

from app.catalogue import service
from app.catalogue.schemas import ModuleDetailOut, ModuleSummaryOut, TwoMinuteVersionOut
from app.web.deps import ContentDep, CurrentUser, SessionDep, TemplatesDep, get_viewer

router = APIRouter(prefix="/api/v1", tags=["modules"])


@router.get("/modules", response_model=list[ModuleSummaryOut], dependencies=[Depends(get_viewer)])
def list_modules(
    content: ContentDep,
    kind: Literal["module", "app"] | None = None,
    q: str = "",
    topic: str | None = None,
) -> list[ModuleSummaryOut]:
    modules = service.find_modules(content, kind=kind, query=q, topic=topic)
    return [ModuleSummaryOut.of(module) for module in modules]


@router.get(
    "/modules/{slug}/in-two-minutes",
    response_model=TwoMinuteVersionOut,
    dependencies=[Depends(get_viewer)],
)
def in_two_minutes(slug: str, content: ContentDep) -> TwoMinuteVersionOut:
    """A module's key points and "try saying" lines, for a practitioner short on time."""
    return TwoMinuteVersionOut.of(service.two_minute_version(content, slug))


@router.get("/modules/{slug}", response_model=ModuleDetailOut)
def module_detail(
    slug: str,
    viewer: CurrentUser,
    content: ContentDep,
    templates: TemplatesDep,
    session: SessionDep,
) -> ModuleDetailOut:
    return ModuleDetailOut.of(
        service.module_view(session, content, viewer, slug), templates.section_html
    )

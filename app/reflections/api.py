"""Reflections and the learning record as JSON: always the caller's own."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from app.reflections import service
from app.reflections.schemas import ModuleReflectionsOut, ReflectionsIn
from app.web.deps import ContentDep, CsrfProtected, CurrentUser, SessionDep

router = APIRouter(prefix="/api/v1", tags=["reflections"])


@router.get("/me/reflections/{slug}", response_model=ModuleReflectionsOut)
def my_reflections(
    slug: str, viewer: CurrentUser, session: SessionDep, content: ContentDep
) -> ModuleReflectionsOut:
    return ModuleReflectionsOut.of(service.reflections_for(session, content, viewer, slug))


@router.put(
    "/me/reflections/{slug}", response_model=ModuleReflectionsOut, dependencies=[CsrfProtected]
)
def save_my_reflections(
    slug: str, body: ReflectionsIn, viewer: CurrentUser, session: SessionDep, content: ContentDep
) -> ModuleReflectionsOut:
    return ModuleReflectionsOut.of(
        service.save_reflections(session, content, viewer, slug, body.answers)
    )


@router.get("/me/record")
def my_record(viewer: CurrentUser, session: SessionDep, content: ContentDep) -> dict[str, Any]:
    """Every completion and reflection of the caller: the record for appraisal."""
    return service.record_as_json(service.learning_record(session, content, viewer))

"""Section completion and the practitioner's own progress."""

from __future__ import annotations

from fastapi import APIRouter

from app.progress import service
from app.progress.schemas import ProgressOut
from app.web.deps import ContentDep, CsrfProtected, CurrentUser, SessionDep

router = APIRouter(prefix="/api/v1", tags=["progress"])


@router.post(
    "/modules/{slug}/sections/{section_id}/complete",
    response_model=ProgressOut,
    dependencies=[CsrfProtected],
)
def complete_section(
    slug: str, section_id: str, viewer: CurrentUser, session: SessionDep, content: ContentDep
) -> ProgressOut:
    return ProgressOut.of(service.complete_section(session, content, viewer, slug, section_id))


@router.get("/me/progress", response_model=list[ProgressOut])
def my_progress(viewer: CurrentUser, session: SessionDep, content: ContentDep) -> list[ProgressOut]:
    return [ProgressOut.of(state) for state in service.my_progress(session, content, viewer)]

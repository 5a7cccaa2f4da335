"""What's new as JSON."""

from __future__ import annotations

from fastapi import APIRouter

from app.models.base import utcnow
from app.web.deps import ContentDep, CurrentUser
from app.whatsnew import service
from app.whatsnew.schemas import WhatsNewOut

router = APIRouter(prefix="/api/v1", tags=["whats-new"])


@router.get("/whats-new", response_model=WhatsNewOut)
def whats_new(viewer: CurrentUser, content: ContentDep) -> WhatsNewOut:
    return WhatsNewOut.of(service.whats_new(content, viewer, utcnow().date()))

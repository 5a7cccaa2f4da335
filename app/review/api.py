"""The trainer's review API: the queue (DESIGN §4), claiming, decisions, publishing."""

from __future__ import annotations

from fastapi import APIRouter, Query
from pydantic import BaseModel

from app.models.contributions import Scenario, ScenarioStatus
from app.review import service
from app.review.schemas import (
    DecisionIn,
    FlagNoteIn,
    PublishIn,
    QueueItemOut,
    ReviewScenarioOut,
    UnpublishIn,
)
from app.web.deps import ContentDep, CsrfProtected, CurrentUser, SessionDep

router = APIRouter(prefix="/api/v1/review", tags=["review"])


class StatusOut(BaseModel):
    id: int
    status: ScenarioStatus

    @classmethod
    def of(cls, scenario: Scenario) -> StatusOut:
        return cls(id=scenario.id or 0, status=ScenarioStatus(scenario.status))


@router.get("/scenarios", response_model=list[QueueItemOut])
def review_queue(
    viewer: CurrentUser,
    session: SessionDep,
    status: str | None = Query(None, max_length=40),
    topic: str | None = Query(None, max_length=40),
    flagged: bool = False,
) -> list[QueueItemOut]:
    """Submissions to review; ``status`` is one state, ``active`` (the default) or ``all``."""
    return service.queue(session, viewer, status=status, topic=topic, flagged_only=flagged)


@router.get("/scenarios/{scenario_id}", response_model=ReviewScenarioOut)
def review_scenario(
    scenario_id: int, viewer: CurrentUser, session: SessionDep, content: ContentDep
) -> ReviewScenarioOut:
    return service.review_view(session, content, viewer, scenario_id)


@router.post(
    "/scenarios/{scenario_id}/claim", response_model=StatusOut, dependencies=[CsrfProtected]
)
def claim(scenario_id: int, viewer: CurrentUser, session: SessionDep) -> StatusOut:
    return StatusOut.of(service.claim(session, viewer, scenario_id))


@router.post(
    "/scenarios/{scenario_id}/release", response_model=StatusOut, dependencies=[CsrfProtected]
)
def release(scenario_id: int, viewer: CurrentUser, session: SessionDep) -> StatusOut:
    return StatusOut.of(service.release(session, viewer, scenario_id))


@router.post(
    "/scenarios/{scenario_id}/decision", response_model=StatusOut, dependencies=[CsrfProtected]
)
def decide(
    scenario_id: int,
    body: DecisionIn,
    viewer: CurrentUser,
    session: SessionDep,
    content: ContentDep,
) -> StatusOut:
    return StatusOut.of(service.decide(session, content, viewer, scenario_id, body))


@router.post(
    "/scenarios/{scenario_id}/publish", response_model=StatusOut, dependencies=[CsrfProtected]
)
def publish(
    scenario_id: int,
    viewer: CurrentUser,
    session: SessionDep,
    content: ContentDep,
    body: PublishIn | None = None,
) -> StatusOut:
    """Into the chosen ``modules``, or the suggested ones when the body leaves them out."""
    return StatusOut.of(service.publish(session, content, viewer, scenario_id, body))


@router.post(
    "/scenarios/{scenario_id}/unpublish", response_model=StatusOut, dependencies=[CsrfProtected]
)
def unpublish(
    scenario_id: int, body: UnpublishIn, viewer: CurrentUser, session: SessionDep
) -> StatusOut:
    return StatusOut.of(service.unpublish(session, viewer, scenario_id, body.note))


@router.post("/scenarios/{scenario_id}/flag/resolve", status_code=204, dependencies=[CsrfProtected])
def resolve_flag(
    scenario_id: int, body: FlagNoteIn, viewer: CurrentUser, session: SessionDep
) -> None:
    service.resolve_flag(session, viewer, scenario_id, body.note)

"""Safeguarding records for trainers, as JSON; every read and follow-up is audited."""

from __future__ import annotations

from fastapi import APIRouter, Query

from app.safeguarding import service
from app.safeguarding.schemas import RecordOut, RecordSummaryOut, ResolveIn
from app.web.deps import CsrfProtected, CurrentUser, SessionDep

router = APIRouter(prefix="/api/v1/safeguarding", tags=["safeguarding"])


@router.get("", response_model=list[RecordSummaryOut])
def list_records(
    viewer: CurrentUser, session: SessionDep, show: str = Query("open", max_length=20)
) -> list[RecordSummaryOut]:
    """Open records (``show=resolved`` or ``all`` for the others), without words or names."""
    return service.list_records(session, viewer, show)


@router.get("/{record_id}", response_model=RecordOut)
def read_record(record_id: int, viewer: CurrentUser, session: SessionDep) -> RecordOut:
    """One record with the sentences and the account's details at the time."""
    return service.read_record(session, viewer, record_id)


@router.post("/{record_id}/resolve", response_model=RecordOut, dependencies=[CsrfProtected])
def resolve(record_id: int, body: ResolveIn, viewer: CurrentUser, session: SessionDep) -> RecordOut:
    """Record the follow-up; the retention period runs from now."""
    return service.resolve(session, viewer, record_id, body.note)

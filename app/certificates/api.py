"""GET /api/v1/verify/{code}: the public check behind a certificate, for machines."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path

from app.certificates import service
from app.certificates.schemas import VerificationOut
from app.web.deps import SessionDep

router = APIRouter(prefix="/api/v1", tags=["certificates"])


@router.get("/verify/{code}", response_model=VerificationOut)
def verify(code: Annotated[str, Path(max_length=64)], session: SessionDep) -> VerificationOut:
    return VerificationOut.of(service.verify(session, code))

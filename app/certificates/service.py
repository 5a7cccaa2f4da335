"""Certificates of completion, made from the Completion rows progress already keeps.

Verification is public and shows only what is printed on the certificate itself.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, col, select

from app.auth.schemas import Viewer
from app.core.errors import NotFound
from app.models.progress import Completion
from app.models.users import User

_CODE = re.compile(r"^[0-9a-f]{8,32}$")
NOT_FOUND = (
    "We could not find a certificate with that code. Check it was typed exactly as printed; "
    "if it was, the certificate was not issued by Askwell."
)


@dataclass(frozen=True)
class Certificate:
    """Everything printed on a certificate, and nothing more."""

    holder_name: str
    module_title: str
    module_slug: str
    version: int
    completed_at: datetime
    minutes: int
    verification_code: str


def _certificate(completion: Completion, holder_name: str) -> Certificate:
    return Certificate(
        holder_name=holder_name,
        module_title=completion.module_title,
        module_slug=completion.module_slug,
        version=completion.content_version,
        completed_at=completion.completed_at,
        minutes=completion.minutes,
        verification_code=completion.verification_code,
    )


def my_certificates(session: Session, viewer: Viewer) -> list[Completion]:
    return list(
        session.exec(
            select(Completion)
            .where(Completion.user_id == viewer.id)
            .order_by(col(Completion.completed_at).desc(), col(Completion.id).desc())
        ).all()
    )


def latest_for_module(session: Session, viewer: Viewer, module_slug: str) -> Completion | None:
    """The viewer's newest completion of one module: the certificate a completion page offers."""
    return session.exec(
        select(Completion)
        .where(Completion.user_id == viewer.id, Completion.module_slug == module_slug)
        .order_by(col(Completion.completed_at).desc(), col(Completion.id).desc())
    ).first()


def certificate_for(session: Session, viewer: Viewer, completion_id: int) -> Certificate:
    """One of the viewer's own completions; anyone else's is "not found"."""
    completion = session.get(Completion, completion_id)
    if completion is None or completion.user_id != viewer.id:
        raise NotFound("We could not find that certificate among yours.")
    return _certificate(completion, viewer.display_name)


def verify(session: Session, code: str) -> Certificate:
    code = code.strip().lower()
    if not _CODE.match(code):
        raise NotFound(NOT_FOUND)
    row = session.exec(
        select(Completion, User.display_name)
        .join(User, col(User.id) == Completion.user_id)
        .where(Completion.verification_code == code)
    ).first()
    if row is None:
        raise NotFound(NOT_FOUND)
    completion, name = row
    return _certificate(completion, name)

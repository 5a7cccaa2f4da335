"""A practitioner accepting a trainer's request to join a cohort, for tests that need a
cohort with members: since a trainer's "add by email" only asks, someone must say yes."""

from __future__ import annotations

from fastapi import FastAPI
from sqlmodel import select

from app.auth.schemas import Viewer
from app.cohorts import service as cohorts
from app.core.db import session_scope
from app.models.users import Role, User


def accepts(app: FastAPI, cohort_id: int, email: str) -> None:
    """The practitioner with this address accepts, through the same service as their
    home page's Accept button."""
    with session_scope(app.state.engine) as session:
        user = session.exec(select(User).where(User.email == email.strip().lower())).one()
        viewer = Viewer(
            id=user.id or 0,
            email=user.email,
            display_name=user.display_name,
            roles=frozenset({Role.practitioner}),
            session_id="",
        )
        cohorts.accept_request(session, viewer, cohort_id)

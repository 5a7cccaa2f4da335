"""Privacy information and the accessibility statement, open to everyone.

Every number they state is read from the settings and constants the platform itself runs
on, so the pages cannot drift from what Askwell actually does.
"""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import Response

from app.auth import csrf
from app.auth.service import (
    LOGIN_HISTORY_KEPT,
    PASSWORD_RESET_LIFETIME,
    SESSION_COOKIE,
    SHOWN_LINK_LIFETIME,
)
from app.cohorts.service import INVITATION_LIFETIME
from app.core.templating import Render
from app.web.deps import SettingsDep

router = APIRouter(tags=["pages"])


@router.get("/privacy")
def privacy(render: Render, settings: SettingsDep) -> Response:
    return render(
        "about/privacy.html",
        {
            "title": "Privacy: what Askwell keeps about you",
            "idle_minutes": settings.session_idle_minutes,
            "absolute_hours": settings.session_absolute_hours,
            "login_history_hours": int(LOGIN_HISTORY_KEPT.total_seconds() // 3600),
            "invitation_days": INVITATION_LIFETIME.days,
            "reset_hours": int(PASSWORD_RESET_LIFETIME.total_seconds() // 3600),
            "shown_link_minutes": int(SHOWN_LINK_LIFETIME.total_seconds() // 60),
            "session_cookie": SESSION_COOKIE,
            "pre_session_cookie": csrf.PRE_SESSION_COOKIE,
            "contact_email": settings.contact_email,
            "safeguarding_retention_days": settings.safeguarding_retention_days,
        },
    )


@router.get("/accessibility")
def accessibility(render: Render, settings: SettingsDep) -> Response:
    return render(
        "about/accessibility.html",
        {"title": "Accessibility statement", "contact_email": settings.contact_email},
    )

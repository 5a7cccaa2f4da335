"""The home page: a welcome for visitors, the dashboard for everyone signed in."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import Response

from app.core.templating import Render
from app.home import service
from app.models.users import Role
from app.scenarios.service import STATUS_LABELS
from app.web.deps import ContentDep, OptionalViewer, SessionDep

router = APIRouter(tags=["pages"])

COHORT_ANSWERS = {
    "joined": "You have joined the cohort: its trainers can now see your progress.",
    "declined": "You have declined: the cohort's trainers see nothing of your progress.",
}


@router.get("/")
def home(
    render: Render,
    viewer: OptionalViewer,
    session: SessionDep,
    content: ContentDep,
    cohort: str = "",
) -> Response:
    if viewer is None:
        return render("home/welcome.html", {"title": "Welcome"})
    board = service.dashboard(session, content, viewer)
    return render(
        "home/dashboard.html",
        {
            "title": "Your learning" if viewer.has(Role.practitioner) else "Askwell",
            "modules": board.modules,
            "states": board.states,
            "resume": board.resume,
            "due": board.due,
            "completed": board.completed,
            "refresher": board.refresher,
            "assigned": board.assigned,
            "cohort_requests": board.cohort_requests,
            "cohort_answer": COHORT_ANSWERS.get(cohort),
            "contributions": board.contributions,
            "review": board.review,
            "status_labels": STATUS_LABELS,
        },
    )

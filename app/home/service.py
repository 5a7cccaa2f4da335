"""What the home page shows one person: each room's own summary, asked of its service.

Home sits above the rooms it draws on (progress, refresh, cohorts, contributions, review),
so none of them needs to know the dashboard exists.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session

from app.auth.schemas import Viewer
from app.cohorts import service as cohorts
from app.content import ContentIndex, Module
from app.models.users import Role
from app.progress import service as progress
from app.progress.schemas import ModuleState, ModuleStatus
from app.refresh import refresher
from app.refresh.schemas import RefresherOverview
from app.scenarios import service as scenarios


@dataclass(frozen=True)
class Dashboard:
    """Each part is empty (or None) for someone whose roles it does not serve."""

    modules: tuple[Module, ...]
    states: dict[str, ModuleState]
    resume: progress.ResumePoint | None
    due: list[Module]
    completed: list[Module]
    refresher: RefresherOverview | None
    assigned: list[cohorts.MyAssignment]
    cohort_requests: list[cohorts.CohortForPractitioner]
    contributions: scenarios.AtAGlance | None
    review: scenarios.ReviewAtAGlance | None


def dashboard(session: Session, content: ContentIndex, viewer: Viewer) -> Dashboard:
    modules = content.all("module")
    practitioner = viewer.has(Role.practitioner)
    states = (
        progress.states_for(session, content, viewer.id, [m.slug for m in modules])
        if practitioner
        else {}
    )

    def having(status: ModuleStatus) -> list[Module]:
        return [m for m in modules if m.slug in states and states[m.slug].status is status]

    return Dashboard(
        modules=modules,
        states=states,
        resume=progress.resume_point(content, states),
        due=having(ModuleStatus.due_for_refresh),
        completed=having(ModuleStatus.completed),
        refresher=refresher.overview(session, content, viewer) if practitioner else None,
        assigned=cohorts.my_assignments(session, content, viewer),
        cohort_requests=cohorts.my_requests(session, viewer) if practitioner else [],
        contributions=scenarios.author_at_a_glance(session, viewer)
        if viewer.has(Role.codesigner)
        else None,
        review=scenarios.review_at_a_glance(session, viewer) if viewer.has(Role.trainer) else None,
    )

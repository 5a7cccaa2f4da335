"""What progress looks like to pages and to the API."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from pydantic import BaseModel

from app.progress.status import STATUS_LABELS, AssignmentStatus, ModuleStatus


@dataclass(frozen=True)
class ModuleState:
    """One person's standing in one module, derived from stored rows and current content."""

    slug: str
    status: ModuleStatus
    """Their own status: the rule's ``assignment_status`` as ``own_status`` tells it to them."""
    percent: int
    sections_done: frozenset[str]
    quiz_passed: bool
    best_score: int | None
    completed_at: datetime | None
    refresh_due: date | None
    last_section_id: str | None
    last_activity_at: datetime | None
    completed_version: int | None = None
    current_version: int | None = None
    """The version they are up to date with: completed, or whose changes they confirmed reading."""
    updated_since_completion: bool = False
    major_change_since_completion: bool = False
    assignment_status: AssignmentStatus | None = None
    """As the trainer sees it (it can be overdue); None when no cohort assigns the module."""
    due_date: date | None = None
    """The assignment's due date now, the one the trainer sees; None when not assigned."""
    recur_days: int | None = None

    @property
    def label(self) -> str:
        return STATUS_LABELS[AssignmentStatus(self.status)]


class ProgressOut(BaseModel):
    slug: str
    status: ModuleStatus
    percent: int
    completed_at: datetime | None
    refresh_due: date | None
    completed_version: int | None = None
    current_version: int | None = None
    updated_since_completion: bool = False
    assignment_status: AssignmentStatus | None = None
    due_date: date | None = None
    last_activity_at: datetime | None = None

    @classmethod
    def of(cls, state: ModuleState) -> ProgressOut:
        return cls(
            slug=state.slug,
            status=state.status,
            percent=state.percent,
            completed_at=state.completed_at,
            refresh_due=state.refresh_due,
            completed_version=state.completed_version,
            current_version=state.current_version,
            updated_since_completion=state.updated_since_completion,
            assignment_status=state.assignment_status,
            due_date=state.due_date,
            last_activity_at=state.last_activity_at,
        )

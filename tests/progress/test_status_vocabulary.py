"""The practitioner's four statuses are the rule's five without *overdue*, by one function."""

from __future__ import annotations

import pytest

from app.progress.schemas import ModuleState
from app.progress.status import STATUS_LABELS, AssignmentStatus, ModuleStatus, own_status


def test_their_own_statuses_are_the_rules_without_overdue():
    assert {status.value for status in ModuleStatus} == {
        status.value for status in AssignmentStatus if status is not AssignmentStatus.overdue
    }


@pytest.mark.parametrize(
    "status", [s for s in AssignmentStatus if s is not AssignmentStatus.overdue]
)
@pytest.mark.parametrize("completed", [False, True])
@pytest.mark.parametrize("started", [False, True])
def test_every_status_but_overdue_is_theirs_as_it_is(status, completed, started):
    assert own_status(status, completed=completed, started=started).value == status.value


@pytest.mark.parametrize(
    ("completed", "started", "theirs"),
    [
        (True, True, ModuleStatus.due_for_refresh),  # past a recurring due date
        (False, True, ModuleStatus.in_progress),  # past a first due date, begun
        (False, False, ModuleStatus.not_started),  # past a first due date, not begun
    ],
)
def test_overdue_is_told_as_what_it_means_to_them(completed, started, theirs):
    assert own_status(AssignmentStatus.overdue, completed=completed, started=started) is theirs


@pytest.mark.parametrize("status", list(ModuleStatus))
def test_a_status_reads_the_same_to_them_as_to_their_trainer(status):
    state = ModuleState(
        slug="asking-basics",
        status=status,
        percent=0,
        sections_done=frozenset(),
        quiz_passed=False,
        best_score=None,
        completed_at=None,
        refresh_due=None,
        last_section_id=None,
        last_activity_at=None,
    )
    assert state.label == STATUS_LABELS[AssignmentStatus(status.value)]

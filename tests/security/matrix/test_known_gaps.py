"""Checks of rules Askwell once broke, kept as regression tests now the gaps are closed.

A trainer used to be able to add any practitioner to a cohort they manage and read their
record straight away. Adding by email now only asks: until the practitioner accepts, the
trainer sees nothing of them, neither their record nor a row in the completion report.
(These were strict expected failures until consent to join a cohort landed.)
"""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.conftest import Account
from tests.security.matrix.conftest import OWN, World


def _added_without_asking(world: World) -> tuple[TestClient, Account, str]:
    """The trainer adds a practitioner by email, which only asks them: they accept nothing."""
    trainer = world.client("trainer")
    stranger = world.accounts["practitioner2"]
    cohort_id = world.values("trainer", OWN)["cohort_id"]
    asked = trainer.post(f"/api/v1/cohorts/{cohort_id}/members", json={"email": stranger.email})
    assert asked.status_code in (200, 201), asked.text
    return trainer, stranger, cohort_id


def test_a_trainer_cannot_open_the_record_of_someone_who_has_not_accepted_joining(
    world: World,
) -> None:
    trainer, stranger, _ = _added_without_asking(world)
    record = trainer.get(f"/reports/practitioners/{stranger.id}", follow_redirects=False)
    assert record.status_code == 404


def test_the_completion_report_leaves_out_someone_who_has_not_accepted_joining(
    world: World,
) -> None:
    trainer, stranger, cohort_id = _added_without_asking(world)
    rows = trainer.get("/api/v1/reports/completion", params={"cohort_id": cohort_id}).json()
    emails = {row["email"] for row in rows}
    assert world.accounts["practitioner"].email in emails, "the report shows those who accepted"
    assert stranger.email not in emails


def test_a_trainer_reads_the_record_of_a_practitioner_in_their_cohort(world: World) -> None:
    """The other side of the rule: someone who accepted is seen, so the checks above are
    about consent and not a trainer who can see nobody."""
    member = world.accounts["practitioner"]
    response = world.client("trainer").get(f"/reports/practitioners/{member.id}")
    assert response.status_code == 200
    assert member.user.display_name in response.text

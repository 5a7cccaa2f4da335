"""Module pages keep published scenarios in memory, and still lose them the moment they go."""

from __future__ import annotations

from sqlalchemy import text
from sqlmodel import select

from app.models.cache import PUBLISHED_SCENARIOS, CacheGeneration
from tests.scenarios.conftest import publish

TEXT = "My nurse asked to see my feed."


def generation(rows) -> int | None:
    found = rows(select(CacheGeneration).where(CacheGeneration.name == PUBLISHED_SCENARIOS))
    return found[0].generation if found else None


def test_publishing_gives_the_published_scenarios_a_new_generation(young, reviewer, rows):
    before = generation(rows)
    publish(young, reviewer)
    assert generation(rows) not in (None, before)


def test_a_deleted_account_takes_its_scenario_off_every_page_though_it_was_kept(
    young, reviewer, practitioner_client, rows
):
    publish(young, reviewer)
    # Seen twice, so the second page came from what the worker keeps.
    for _ in range(2):
        assert TEXT in practitioner_client.get("/modules/asking-basics").text
    kept = generation(rows)
    # The account's scenarios go by the database's cascade, which no service code sees.
    assert young.delete("/api/v1/me").status_code == 204
    assert generation(rows) != kept
    assert TEXT not in practitioner_client.get("/modules/asking-basics").text
    assert practitioner_client.get("/api/v1/modules/asking-basics").json()["scenarios"] == []


def test_a_change_made_outside_askwell_is_seen_at_once(young, reviewer, practitioner_client, db):
    scenario_id = publish(young, reviewer)
    assert TEXT in practitioner_client.get("/modules/asking-basics").text
    # As an administrator's SQL console would: no Askwell code runs.
    db.execute(
        text("UPDATE scenarios SET published_text = 'Corrected by hand.' WHERE id = :id"),
        {"id": scenario_id},
    )
    db.commit()
    page = practitioner_client.get("/modules/asking-basics").text
    assert "Corrected by hand." in page and TEXT not in page

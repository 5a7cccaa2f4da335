"""Published scenarios are found by search; drafts, unpublished and withdrawn ones never."""

from __future__ import annotations

import pytest

from app.models.users import Role
from tests.scenarios.conftest import publish, send


def found(client, words: str) -> list[dict]:
    response = client.get("/api/v1/search", params={"q": words})
    assert response.status_code == 200, response.text
    return [hit for hit in response.json()["results"] if hit["kind"] == "scenario"]


def test_a_published_scenario_is_found_and_links_to_its_module(
    young, reviewer, signed_in, make_user
):
    practitioner = signed_in(make_user(Role.practitioner))
    scenario_id = publish(young, reviewer)
    hits = found(practitioner, "nurse feed interested")
    assert len(hits) == 1
    assert hits[0]["url"].endswith(f"#young-scenario-{scenario_id}")
    assert hits[0]["title"] == "Show me your feed"
    module_page = practitioner.get(hits[0]["url"].split("#")[0])
    assert f'id="young-scenario-{scenario_id}"' in module_page.text


@pytest.mark.usefixtures("reviewer")
def test_drafts_and_submissions_under_review_are_never_found(young, signed_in, make_user):
    practitioner = signed_in(make_user(Role.practitioner))
    send(young, what_happened="A unique zebracorn detail that only this draft holds.")
    assert found(practitioner, "zebracorn") == []


def test_withdrawal_takes_it_out_of_search_in_the_same_request(
    young, reviewer, signed_in, make_user
):
    practitioner = signed_in(make_user(Role.practitioner))
    scenario_id = publish(young, reviewer)
    assert found(practitioner, "nurse feed")
    assert young.post(f"/api/v1/scenarios/{scenario_id}/withdraw").status_code == 200
    assert found(practitioner, "nurse feed") == []


def test_deleting_the_account_takes_their_scenarios_out_of_search(
    young, reviewer, signed_in, make_user
):
    practitioner = signed_in(make_user(Role.practitioner))
    publish(young, reviewer)
    assert young.delete("/api/v1/me").status_code in (200, 204)
    assert found(practitioner, "nurse feed") == []

"""The name a young person is credited by is checked for personal details like every field."""

from __future__ import annotations

from tests.scenarios.conftest import publish, send


def choices(client, scenario_id: int, credit: str, name: str):
    return client.put(
        f"/api/v1/scenarios/{scenario_id}/choices",
        json={"credit": credit, "credit_name": name, "consent_to_quote": True},
    )


def test_a_credit_name_that_looks_personal_is_flagged_when_sending(young):
    body = send(young, credit="pseudonym", credit_name="sam.x@example.com")
    assert {"kind": "email", "text": "sam.x@example.com", "field": "credit_name"} in body[
        "warnings"
    ]


def test_a_first_name_chosen_as_the_credit_is_not_flagged_as_a_name(young):
    body = send(young, credit="first_name", credit_name="Sarah")
    assert [w for w in body["warnings"] if w["field"] == "credit_name"] == []


def test_the_reviewer_must_confirm_a_credit_that_looks_personal(young, reviewer):
    scenario_id = send(young, credit="pseudonym", credit_name="Priya Shah")["id"]
    assert reviewer.post(f"/api/v1/review/scenarios/{scenario_id}/claim").status_code == 200
    accept = {
        "decision": "accept",
        "note": "Thank you.",
        "published_title": "Show me your feed",
        "published_text": "My nurse asked to see my feed. It felt like she was interested.",
    }
    refused = reviewer.post(f"/api/v1/review/scenarios/{scenario_id}/decision", json=accept)
    assert refused.status_code == 422
    assert "Priya Shah" in refused.json()["detail"]
    assert young.get(f"/api/v1/scenarios/{scenario_id}").json()["status"] == "in_review"
    confirmed = reviewer.post(
        f"/api/v1/review/scenarios/{scenario_id}/decision",
        json={**accept, "confirmed_not_personal": ["Priya Shah"]},
    )
    assert confirmed.status_code == 200, confirmed.text


def test_after_publication_only_a_credit_name_that_passes_the_check_is_taken(young, reviewer):
    scenario_id = publish(young, reviewer, credit="pseudonym", credit_name="Sunny Fox")
    refused = choices(young, scenario_id, "pseudonym", "@sam_x on TikTok")
    assert refused.status_code == 422
    assert "personal details" in refused.json()["detail"]
    assert young.get(f"/api/v1/scenarios/{scenario_id}").json()["credit_name"] == "Sunny Fox"
    accepted = choices(young, scenario_id, "pseudonym", "Moonlit Otter")
    assert accepted.status_code == 200, accepted.text
    assert accepted.json()["credit_name"] == "Moonlit Otter"

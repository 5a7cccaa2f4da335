"""A young person changes how they are credited, or whether they are quoted, at any time."""

from __future__ import annotations

import re

from sqlmodel import select

from app.models.contributions import Scenario, ScenarioTransition
from app.models.users import Role
from tests.scenarios.conftest import publish, send
from tests.scenarios.test_pages import token
from tests.scenarios.test_scenarios_in_search import found

MODULE = "/modules/asking-basics"
CHOICES = "/api/v1/scenarios/{}/choices"


def test_a_new_credit_shows_in_the_module_at_once(young, reviewer, practitioner_client):
    scenario_id = publish(young, reviewer)
    assert "Shared by a young co-designer" in practitioner_client.get(MODULE).text
    changed = young.put(
        CHOICES.format(scenario_id),
        json={"credit": "first_name", "credit_name": "Jo", "consent_to_quote": True},
    )
    assert changed.status_code == 200, changed.text
    assert changed.json()["credit"] == "first_name" and changed.json()["status"] == "published"
    assert "Shared by Jo, a young co-designer" in practitioner_client.get(MODULE).text

    young.put(CHOICES.format(scenario_id), json={"credit": "none", "consent_to_quote": True})
    page = practitioner_client.get(MODULE).text
    assert "Jo" not in page and "Shared by a young co-designer" in page


def test_turning_quoting_off_unpublishes_at_once_but_keeps_it_for_the_training(
    young, reviewer, practitioner_client, signed_in, make_user, rows
):
    scenario_id = publish(young, reviewer)
    searcher = signed_in(make_user(Role.practitioner))
    assert found(searcher, "nurse feed")
    off = young.put(CHOICES.format(scenario_id), json={"credit": "none", "consent_to_quote": False})
    assert off.status_code == 200 and off.json()["status"] == "accepted"
    assert "My nurse asked to see my feed" not in practitioner_client.get(MODULE).text
    assert found(searcher, "nurse feed") == []
    step = rows(select(ScenarioTransition).order_by(ScenarioTransition.id))[-1]
    assert (step.from_status, step.to_status) == ("published", "accepted")
    assert "turned quoting off" in step.note

    refused = reviewer.post(f"/api/v1/review/scenarios/{scenario_id}/publish")
    assert refused.status_code == 409 and "not agreed" in refused.json()["detail"]

    young.put(CHOICES.format(scenario_id), json={"credit": "none", "consent_to_quote": True})
    assert reviewer.post(f"/api/v1/review/scenarios/{scenario_id}/publish").status_code == 200
    assert "My nurse asked to see my feed" in practitioner_client.get(MODULE).text


def test_bad_credit_is_refused_and_nothing_changes(young, rows):
    scenario_id = send(young)["id"]
    for body, message in (
        ({"credit": "first_name", "credit_name": ""}, "Enter the first name"),
        ({"credit": "first_name", "credit_name": "Jo Bloggs"}, "without a surname"),
        ({"credit": "pseudonym", "credit_name": "x" * 41}, "40 characters or fewer"),
    ):
        refused = young.put(CHOICES.format(scenario_id), json={**body, "consent_to_quote": False})
        assert refused.status_code == 422 and message in refused.json()["detail"]
    scenario = rows(select(Scenario))[0]
    assert (scenario.credit, scenario.credit_name, scenario.consent_to_quote) == ("none", "", True)


def test_only_the_author_can_change_them_and_not_after_withdrawal(young, signed_in, make_user):
    scenario_id = send(young)["id"]
    someone_else = signed_in(make_user(Role.codesigner))
    body = {"credit": "none", "consent_to_quote": False}
    assert someone_else.put(CHOICES.format(scenario_id), json=body).status_code == 404
    assert someone_else.get(f"/scenarios/{scenario_id}/choices").status_code == 404
    young.post(f"/api/v1/scenarios/{scenario_id}/withdraw")
    assert young.put(CHOICES.format(scenario_id), json=body).status_code == 409


def test_the_choices_page_keeps_what_was_typed_and_saves_without_javascript(
    young, reviewer, practitioner_client
):
    scenario_id = publish(young, reviewer)
    detail = young.get(f"/scenarios/{scenario_id}").text
    assert f'href="/scenarios/{scenario_id}/choices"' in detail
    page = young.get(f"/scenarios/{scenario_id}/choices")
    assert "taken out of every module at once" in page.text
    assert re.search(r'id="consent_to_quote"[^>]*checked', page.text)

    refused = young.post(
        f"/scenarios/{scenario_id}/choices",
        data={
            "csrf_token": token(page.text),
            "credit": "first_name",
            "credit_name": "Jo <b>Bloggs</b>",
        },
    )
    assert refused.status_code == 422
    assert 'href="#credit_name"' in refused.text and "Jo &lt;b&gt;Bloggs&lt;/b&gt;" in refused.text
    assert re.search(r'value="first_name"[^>]*checked', refused.text)
    assert not re.search(r'id="consent_to_quote"[^>]*checked', refused.text)

    saved = young.post(
        f"/scenarios/{scenario_id}/choices",
        data={"csrf_token": token(page.text), "credit": "pseudonym", "credit_name": "Starling"},
        follow_redirects=True,
    )
    assert "Your choices are saved" in saved.text and "not shown to practitioners" in saved.text
    assert "My nurse asked to see my feed" not in practitioner_client.get(MODULE).text

"""Publishing: the trainer chooses the modules, previews the scenario, settles placeholders."""

from __future__ import annotations

import re
from pathlib import Path

from sqlmodel import delete, select

from app.content.loader import load_content
from app.core.db import session_scope
from app.models.contributions import Scenario, ScenarioModule
from app.models.users import Role
from app.scenarios import placement
from tests.form_pages import read_form_page
from tests.scenarios.conftest import error_beside, send

PROJECT_MODULES = Path(__file__).resolve().parents[2] / "modules"


def accepted(young, reviewer, text="My nurse asked to see my feed. It felt kind.", **overrides):
    """A scenario sent (about "asking" unless told otherwise), claimed and accepted."""
    scenario_id = send(young, **overrides)["id"]
    assert reviewer.post(f"/api/v1/review/scenarios/{scenario_id}/claim").status_code == 200
    decision = reviewer.post(
        f"/api/v1/review/scenarios/{scenario_id}/decision",
        json={
            "decision": "accept",
            "note": "Thank you.",
            "published_title": "Show me your feed",
            "published_text": text,
        },
    )
    assert decision.status_code == 200, decision.text
    return scenario_id


def token(html: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)


def shown_in(client, slug: str, scenario_id: int) -> bool:
    return f'id="young-scenario-{scenario_id}"' in client.get(f"/modules/{slug}").text


def stored(app, scenario_id: int) -> Scenario:
    with session_scope(app.state.engine) as session:
        scenario = session.exec(select(Scenario).where(Scenario.id == scenario_id)).one()
        session.expunge(scenario)
        return scenario


def test_a_scenario_appears_only_in_the_modules_the_trainer_chose(
    young, reviewer, signed_in, make_user
):
    practitioner = signed_in(make_user(Role.practitioner))
    scenario_id = accepted(young, reviewer)  # about "asking", like the asking-basics module
    published = reviewer.post(
        f"/api/v1/review/scenarios/{scenario_id}/publish", json={"modules": ["second-module"]}
    )
    assert published.status_code == 200, published.text
    assert shown_in(practitioner, "second-module", scenario_id)
    assert not shown_in(practitioner, "asking-basics", scenario_id)
    places = young.get("/api/v1/scenarios/mine").json()[0]["published_in"]
    assert [place["slug"] for place in places] == ["second-module"]
    hits = practitioner.get("/api/v1/search", params={"q": "nurse feed"}).json()["results"]
    assert [hit["url"] for hit in hits if hit["kind"] == "scenario"] == [
        f"/modules/second-module#young-scenario-{scenario_id}"
    ]


def test_without_a_choice_the_api_publishes_into_the_suggested_modules_only(
    young, reviewer, signed_in, make_user
):
    practitioner = signed_in(make_user(Role.practitioner))
    scenario_id = accepted(young, reviewer)
    assert reviewer.post(f"/api/v1/review/scenarios/{scenario_id}/publish").status_code == 200
    assert shown_in(practitioner, "asking-basics", scenario_id)
    assert not shown_in(practitioner, "second-module", scenario_id)


def test_publishing_into_no_module_or_an_unknown_one_is_refused_and_changes_nothing(
    app, young, reviewer
):
    scenario_id = accepted(young, reviewer)
    for modules in ([], ["no-such-module"], ["asking-basics", "no-such-module"]):
        refused = reviewer.post(
            f"/api/v1/review/scenarios/{scenario_id}/publish", json={"modules": modules}
        )
        assert refused.status_code == 422
        assert "module" in refused.json()["detail"]
    assert stored(app, scenario_id).status == "accepted"


def test_sensitive_modules_are_suggested_only_for_scenarios_about_that_topic():
    content = load_content(PROJECT_MODULES)
    peer_support = placement.module_choices(content, ["peer-support", "asking", "judgement"])
    suggested = {choice.module.slug for choice in peer_support if choice.suggested}
    assert "the-good-side" in suggested
    assert "harmful-content-self-harm-suicide-eating" not in suggested
    offered = {choice.module.slug for choice in peer_support}
    assert "harmful-content-self-harm-suicide-eating" in offered  # still there to choose
    self_harm = placement.module_choices(content, ["self-harm", "asking"])
    assert "harmful-content-self-harm-suicide-eating" in {
        choice.module.slug for choice in self_harm if choice.suggested
    }


def test_a_leftover_placeholder_is_refused_until_rewritten_or_confirmed(app, young, reviewer):
    scenario_id = accepted(young, reviewer, text="I told [name] and they got it.")
    refused = reviewer.post(f"/api/v1/review/scenarios/{scenario_id}/publish", json={})
    assert refused.status_code == 422
    assert "[name]" in refused.json()["detail"]
    assert stored(app, scenario_id).status == "accepted"
    rewritten = reviewer.post(
        f"/api/v1/review/scenarios/{scenario_id}/publish",
        json={"published_text": "I told a friend and they got it."},
    )
    assert rewritten.status_code == 200, rewritten.text
    assert stored(app, scenario_id).published_text == "I told a friend and they got it."


def test_a_placeholder_can_be_confirmed_and_published_as_it_is(app, young, reviewer):
    scenario_id = accepted(young, reviewer, text="Someone sent my [phone number] round.")
    confirmed = reviewer.post(
        f"/api/v1/review/scenarios/{scenario_id}/publish", json={"placeholders_confirmed": True}
    )
    assert confirmed.status_code == 200, confirmed.text
    assert stored(app, scenario_id).published_text == "Someone sent my [phone number] round."


def test_a_corrected_text_is_checked_for_personal_details_again(app, young, reviewer):
    scenario_id = accepted(young, reviewer)
    refused = reviewer.post(
        f"/api/v1/review/scenarios/{scenario_id}/publish",
        json={"published_text": "Text me on 07700 900123."},
    )
    assert refused.status_code == 422
    assert stored(app, scenario_id).published_text == "My nurse asked to see my feed. It felt kind."


def test_the_publish_form_ticks_suggested_modules_and_previews_the_text(young, reviewer):
    scenario_id = accepted(young, reviewer)
    page = reviewer.get(f"/review/scenarios/{scenario_id}").text
    assert re.search(r'value="asking-basics"[^>]*checked', page)
    assert not re.search(r'value="second-module"[^>]*checked', page)
    assert "Suggested: shares asking" in page
    preview = page[page.index('id="preview"') :]
    assert "My nurse asked to see my feed. It felt kind." in preview
    assert "Shared by a young co-designer" in preview


def test_previewing_shows_the_typed_text_as_practitioners_will_see_it_and_saves_nothing(
    app, young, reviewer
):
    scenario_id = accepted(young, reviewer)
    page = reviewer.get(f"/review/scenarios/{scenario_id}").text
    previewed = reviewer.post(
        f"/review/scenarios/{scenario_id}/publish",
        data={
            "csrf_token": token(page),
            "action": "preview",
            "modules": ["second-module"],
            "published_title": "A better title",
            "published_text": "First part.\n\nSecond part.",
            "content_warning": "",
        },
    )
    assert previewed.status_code == 200
    preview = previewed.text[previewed.text.index('id="preview"') :]
    assert "A better title" in preview
    assert '<p class="askwell-user-text" dir="auto">Second part.</p>' in preview
    assert re.search(r'value="second-module"[^>]*checked', previewed.text)
    assert not re.search(r'value="asking-basics"[^>]*checked', previewed.text)
    scenario = stored(app, scenario_id)
    assert scenario.status == "accepted" and scenario.published_title == "Show me your feed"


def test_publishing_from_the_page_keeps_what_was_typed_when_something_is_missing(
    app, young, reviewer, signed_in, make_user
):
    scenario_id = accepted(young, reviewer, text="I told [name].")
    page = reviewer.get(f"/review/scenarios/{scenario_id}").text
    form = {
        "csrf_token": token(page),
        "action": "publish",
        "published_title": "Show me your feed",
        "published_text": "I told [name] at last.",
        "content_warning": "",
    }
    no_modules = reviewer.post(f"/review/scenarios/{scenario_id}/publish", data=form)
    assert no_modules.status_code == 400
    assert "There is a problem" in no_modules.text
    assert "Choose at least one module" in no_modules.text
    assert "I told [name] at last." in no_modules.text
    placeholder = reviewer.post(
        f"/review/scenarios/{scenario_id}/publish", data={**form, "modules": ["second-module"]}
    )
    assert placeholder.status_code == 400
    assert 'href="#placeholders_confirmed"' in placeholder.text
    assert stored(app, scenario_id).status == "accepted"
    done = reviewer.post(
        f"/review/scenarios/{scenario_id}/publish",
        data={**form, "modules": ["second-module"], "placeholders_confirmed": "yes"},
        follow_redirects=True,
    )
    assert done.status_code == 200
    assert "Scenario published" in done.text
    assert f'href="/modules/second-module#young-scenario-{scenario_id}"' in done.text
    practitioner = signed_in(make_user(Role.practitioner))
    assert "I told [name] at last." in practitioner.get("/modules/second-module").text


def test_withdrawing_forgets_where_it_was_published(young, reviewer, rows):
    scenario_id = accepted(young, reviewer)
    reviewer.post(
        f"/api/v1/review/scenarios/{scenario_id}/publish", json={"modules": ["second-module"]}
    )
    assert [row.module_slug for row in rows(select(ScenarioModule))] == ["second-module"]
    assert young.post(f"/api/v1/scenarios/{scenario_id}/withdraw").status_code == 200
    assert rows(select(ScenarioModule)) == []


def test_a_scenario_published_before_modules_were_chosen_still_shows_by_topic(
    app, young, reviewer, signed_in, make_user
):
    practitioner = signed_in(make_user(Role.practitioner))
    scenario_id = accepted(young, reviewer)
    reviewer.post(
        f"/api/v1/review/scenarios/{scenario_id}/publish", json={"modules": ["second-module"]}
    )
    with session_scope(app.state.engine) as session:  # as the upgrade leaves older ones
        session.exec(delete(ScenarioModule))
    assert shown_in(practitioner, "asking-basics", scenario_id)
    assert not shown_in(practitioner, "second-module", scenario_id)


def test_a_corrected_text_too_long_is_refused_beside_the_field_it_is_in(young, reviewer):
    scenario_id = accepted(young, reviewer)
    parts = {
        "published_title": (120, "The published title"),
        "published_text": (8000, "The published text"),
        "content_warning": (200, "The content warning"),
    }
    for field, (limit, name) in parts.items():
        page = reviewer.get(f"/review/scenarios/{scenario_id}").text
        typed = {
            "published_title": "Show me your feed",
            "published_text": "My nurse asked to see my feed. It felt kind.",
            "content_warning": "",
            field: "x" * (limit + 1),
        }
        refused = reviewer.post(
            f"/review/scenarios/{scenario_id}/publish",
            data={"csrf_token": token(page), "modules": "asking-basics", **typed},
        )
        assert refused.status_code == 400
        assert error_beside(refused.text, field) == f"{name} must be {limit:,} characters or fewer."
        for other in set(parts) - {field}:
            assert error_beside(refused.text, other) is None, other
        read_form_page(refused.text).check_every_error_is_summarised()
    assert reviewer.get(f"/api/v1/scenarios/{scenario_id}").json()["status"] == "accepted"


def test_publishing_with_a_placeholder_or_no_module_says_so_beside_that_choice(young, reviewer):
    text = "My nurse asked [name] to see my feed."
    scenario_id = accepted(young, reviewer, text=text)
    page = reviewer.get(f"/review/scenarios/{scenario_id}").text
    typed = {"csrf_token": token(page), "published_title": "Show me your feed"}
    held = reviewer.post(
        f"/review/scenarios/{scenario_id}/publish",
        data={**typed, "published_text": text, "modules": "asking-basics"},
    )
    assert held.status_code == 400
    assert "[name]" in error_beside(held.text, "placeholders_confirmed")
    assert error_beside(held.text, "published_text") is None
    no_module = reviewer.post(
        f"/review/scenarios/{scenario_id}/publish",
        data={**typed, "published_text": text, "placeholders_confirmed": "yes"},
    )
    assert no_module.status_code == 400
    assert error_beside(no_module.text, "modules") == "Choose at least one module to show it in."
    assert reviewer.get(f"/api/v1/scenarios/{scenario_id}").json()["status"] == "accepted"

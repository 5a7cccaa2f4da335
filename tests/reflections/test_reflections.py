"""Reflections: private to the practitioner, editable, and exported with completed learning."""

from __future__ import annotations

import json

from app.models.users import Role
from app.reflections.service import prompt_key
from tests.auth.test_pages_and_csrf import form_token
from tests.conftest import api_login

SLUG = "second-module"
FIRST = "What do you know about the games the young people you see play?"
SECOND = "What would you ask a young person about gaming next time?"


def complete_second_module(client):
    client.post(f"/api/v1/modules/{SLUG}/sections/gaming/complete")
    client.post(f"/api/v1/modules/{SLUG}/attempts", json={"answers": {"g1": ["a"]}})


def save(client, answers):
    return client.put(f"/api/v1/me/reflections/{SLUG}", json={"answers": answers})


def test_a_practitioner_writes_edits_and_clears_a_reflection(practitioner_client):
    saved = save(practitioner_client, {prompt_key(FIRST): "  Mostly Roblox.  "})
    assert saved.status_code == 200
    items = {item["prompt"]: item["answer"] for item in saved.json()["reflections"]}
    assert items == {FIRST: "Mostly Roblox.", SECOND: ""}
    save(practitioner_client, {prompt_key(FIRST): "Roblox and Minecraft."})
    again = practitioner_client.get(f"/api/v1/me/reflections/{SLUG}").json()["reflections"]
    assert again[0]["answer"] == "Roblox and Minecraft."
    save(practitioner_client, {prompt_key(FIRST): ""})
    cleared = practitioner_client.get(f"/api/v1/me/reflections/{SLUG}").json()["reflections"]
    assert cleared[0]["answer"] == "" and cleared[0]["updated_at"] is None


def test_reflections_are_never_visible_to_trainers_admins_or_anyone_else(
    client, practitioner, make_user
):
    api_login(client, practitioner)
    complete_second_module(client)
    save(client, {prompt_key(FIRST): "A private thought about a hard week."})
    for role in (Role.trainer, Role.admin, Role.practitioner):
        other = make_user(role)
        api_login(client, other)
        for path in (f"/api/v1/me/reflections/{SLUG}", "/api/v1/me/record", "/record"):
            response = client.get(path)
            assert "A private thought" not in response.text, (role, path)
        if role is not Role.practitioner:
            assert client.get(f"/api/v1/me/reflections/{SLUG}").status_code == 403
            assert client.get("/record.pdf").status_code == 403
    api_login(client, practitioner)
    assert "A private thought" in client.get("/record").text


def test_hostile_input_is_escaped_and_disguising_characters_removed(practitioner_client):
    hostile = '<script>alert(1)</script> <a href="javascript:alert(1)">x</a> \u202eevil\u200b'
    save(practitioner_client, {prompt_key(FIRST): hostile})
    stored = practitioner_client.get(f"/api/v1/me/reflections/{SLUG}").json()["reflections"][0]
    assert "\u202e" not in stored["answer"] and "\u200b" not in stored["answer"]
    assert stored["answer"].endswith("evil")
    for path in ("/record", f"/modules/{SLUG}/reflect"):
        page = practitioner_client.get(path).text
        assert "<script>alert(1)</script>" not in page
        assert '<a href="javascript:' not in page
        assert "&lt;script&gt;" in page


def test_too_long_a_reflection_is_refused_and_what_was_typed_is_kept(practitioner_client):
    page = practitioner_client.get(f"/modules/{SLUG}/reflect")
    long_text = "word " * 1100
    response = practitioner_client.post(
        f"/modules/{SLUG}/reflect",
        data={
            "csrf_token": form_token(page.text),
            f"answer-{prompt_key(FIRST)}": long_text,
            f"answer-{prompt_key(SECOND)}": "Short and kept.",
        },
    )
    assert response.status_code == 422
    assert "There is a problem" in response.text and "5,000 characters" in response.text
    assert "Short and kept." in response.text and long_text.strip()[:50] in response.text
    assert save(practitioner_client, {"not-a-prompt": "x"}).status_code == 422


def test_the_page_form_saves_and_says_so(practitioner_client):
    page = practitioner_client.get(f"/modules/{SLUG}/reflect")
    assert "Only you can read these" in page.text
    saved = practitioner_client.post(
        f"/modules/{SLUG}/reflect",
        data={"csrf_token": form_token(page.text), f"answer-{prompt_key(SECOND)}": "Which games?"},
        follow_redirects=True,
    )
    assert "Your reflections are saved" in saved.text and "Which games?" in saved.text
    assert practitioner_client.get("/modules/asking-basics/reflect").status_code == 404


def test_the_record_exports_every_completion_and_reflection_as_json_and_pdf(practitioner_client):
    complete_second_module(practitioner_client)
    save(practitioner_client, {prompt_key(FIRST): "Fortnite, mostly with school friends."})
    record = practitioner_client.get("/record.json")
    assert record.headers["content-disposition"].startswith("attachment;")
    body = json.loads(record.text)
    # Its minutes are the module's estimate: reading, plus its quiz questions and scenarios.
    assert [(c["module_slug"], c["version"], c["minutes"]) for c in body["completed"]] == [
        (SLUG, 1, 3)
    ]
    assert body["completed"][0]["completed_at"] and body["total_minutes"] == 3
    assert body["reflections"][0]["answers"][0]["answer"].startswith("Fortnite")
    assert practitioner_client.get("/api/v1/me/record").json()["completed"] == body["completed"]

    pdf = practitioner_client.get("/record.pdf")
    assert pdf.headers["content-type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF") and len(pdf.content) > 1000
    assert pdf.headers["cache-control"] == "no-store"


def test_the_pdf_prints_text_a_core_font_cannot(monkeypatch):
    from datetime import UTC, datetime

    from app.core import pdf
    from app.reflections import export
    from app.reflections.schemas import LearningRecord, RecordReflectionGroup, ReflectionItem

    record = LearningRecord(
        display_name="Zoë Łukasz 张",
        email="z@example.org",
        generated_at=datetime(2026, 3, 1, tzinfo=UTC),
        completions=(),
        reflections=(
            RecordReflectionGroup(
                SLUG, "Second module", (ReflectionItem("k", "Prompt?", "Ünïcödé — “quotes”", None),)
            ),
        ),
    )
    assert export.record_pdf(record).startswith(b"%PDF")
    monkeypatch.setattr(pdf, "FONT_DIRECTORIES", ())
    assert export.record_pdf(record).startswith(b"%PDF")  # falls back, never fails

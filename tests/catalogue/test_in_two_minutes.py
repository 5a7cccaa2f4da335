"""The two-minute version: a module's key points and "try saying" lines on one screen."""

from __future__ import annotations

import shutil
from pathlib import Path

from fastapi.testclient import TestClient

from tests.conftest import FIXTURE_MODULES, api_login, make_settings

URL = "/modules/asking-basics/in-two-minutes"

SENSITIVE = """---
slug: hard-conversations
title: Hard conversations
kind: module
summary: A sensitive module for the test.
topics: [self-harm]
version: 1
updated: 2026-11-27
content_warning: Mentions self-harm.
sources: [derges-2023]
co_designed: Young people chose the examples.
changelog:
  - {version: 1, date: 2026-11-27, major: true, summary: First published}
---

## Asking

Ask calmly.

::: ask
id: calm
do: "Can you tell me more about what has been happening?"
dont: "Promise me you will stop."
why: An open question keeps them talking.
:::

::: support
If this has affected you, support is available.
:::

::: key-points
- Ask directly and calmly.
- Listen before advising.
- Agree next steps together.
:::

## Check your understanding

```quiz
- id: q1
  type: single
  prompt: Which is best?
  options:
    - text: Ask
      correct: true
      feedback: It opens the conversation.
    - text: Tell
      feedback: It closes it down.
```
"""


def text_of(page: str) -> str:
    return " ".join(page.split())


def test_the_page_shows_key_points_and_what_to_say_with_a_way_back(practitioner_client):
    page = practitioner_client.get(URL)
    assert page.status_code == 200
    text = text_of(page.text)
    assert "<h1>In two minutes</h1>" in text
    assert "Ask every young person." in text and "Ask which and how, not whether." in text
    assert "Try saying" in text and "What do you like doing online?" in text
    # The "avoid saying" half of the example is not part of the short version.
    assert "You should come off social media." not in text
    assert '<a href="/modules/asking-basics">Read the full module' in text
    assert "Content warning" not in text


def test_the_module_page_offers_it(practitioner_client):
    page = practitioner_client.get("/modules/asking-basics").text
    assert f'<a href="{URL}">Short on time? The two-minute version</a>' in page


def test_the_api_gives_the_same_content_as_the_page(practitioner_client):
    body = practitioner_client.get(f"/api/v1{URL}").json()
    assert body["slug"] == "asking-basics" and body["version"] == 2
    assert body["key_points"] == ["Ask every young person.", "Ask which and how, not whether."]
    assert body["try_saying"] == [{"ask_id": "curiosity", "text": "What do you like doing online?"}]
    assert body["module_url"] == "/modules/asking-basics"
    module = practitioner_client.get("/api/v1/modules").json()
    assert body["minutes"] == {m["slug"]: m["minutes"] for m in module}["asking-basics"]
    page = text_of(practitioner_client.get(URL).text)
    for line in body["key_points"] + [item["text"] for item in body["try_saying"]]:
        assert line in page


def test_an_unknown_module_is_not_found(practitioner_client):
    assert practitioner_client.get("/modules/no-such-module/in-two-minutes").status_code == 404
    assert practitioner_client.get("/api/v1/modules/no-such/in-two-minutes").status_code == 404


def test_a_sensitive_module_warns_first_and_offers_support_after(
    database_url, tmp_path: Path, practitioner, start_app
):
    folder = tmp_path / "modules"
    shutil.copytree(FIXTURE_MODULES, folder)
    (folder / "hard-conversations.md").write_text(SENSITIVE)
    app = start_app(make_settings(database_url, modules_dir=folder))
    with TestClient(app) as client:
        api_login(client, practitioner)
        text = text_of(client.get("/modules/hard-conversations/in-two-minutes").text)
    warning = text.index("Mentions self-harm.")
    points = text.index("Ask directly and calmly.")
    support = text.index("Samaritans")
    assert warning < points < text.index("Can you tell me more") < support
    assert "If this has affected you, support is available." in text

"""Module folders written per test, so a test can publish version 1, then version 2."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from tests.conftest import FIXTURE_MODULES, make_settings

ASKING = "asking-basics"
SECTIONS = ["why-ask", "opening-questions", "following-up"]
RIGHT_ANSWERS = {"q1": ["b"], "q2": ["a", "b"], "q3": ["b"]}


class ModuleFolder:
    """A copy of the test modules whose asking-basics can be edited and re-versioned."""

    def __init__(self, root: Path) -> None:
        self.root = root
        shutil.copytree(FIXTURE_MODULES, root)
        self.path = root / f"{ASKING}.md"
        self.original = self.path.read_text(encoding="utf-8")

    def publish(
        self,
        version: int,
        *,
        major: bool = False,
        summary: str = "A change",
        replace: dict[str, str] | None = None,
        append: str = "",
    ) -> None:
        text = self.original
        for old, new in (replace or {}).items():
            assert old in text, old
            text = text.replace(old, new)
        entries = "".join(
            f"  - {{version: {number}, date: 2026-12-{number:02d}, "
            f"major: {'true' if (number == version and major) else 'false'}, "
            f'summary: "{summary} {number}"}}\n'
            for number in range(version, 2, -1)
        )
        text = text.replace("version: 2\n", f"version: {version}\n", 1)
        text = text.replace("changelog:\n", f"changelog:\n{entries}", 1)
        if append:
            text = text.replace(
                "## Check your understanding", f"{append}\n\n## Check your understanding"
            )
        self.path.write_text(text, encoding="utf-8")


@pytest.fixture
def module_folder(tmp_path: Path) -> ModuleFolder:
    return ModuleFolder(tmp_path / "modules")


@pytest.fixture
def app_for(database_url: str, start_app: Callable[..., FastAPI]) -> Callable[[Path], FastAPI]:
    """An Askwell started on the given module folder (as after a deployment)."""

    def _make(modules_dir: Path) -> FastAPI:
        return start_app(make_settings(database_url, modules_dir=modules_dir))

    return _make


def complete_asking_basics(client: TestClient) -> None:
    for section in SECTIONS:
        response = client.post(f"/api/v1/modules/{ASKING}/sections/{section}/complete")
        assert response.status_code == 200, response.text
    response = client.post(f"/api/v1/modules/{ASKING}/attempts", json={"answers": RIGHT_ANSWERS})
    assert response.json()["passed"] is True


def progress_of(client: TestClient, slug: str = ASKING) -> dict:
    return {item["slug"]: item for item in client.get("/api/v1/me/progress").json()}[slug]

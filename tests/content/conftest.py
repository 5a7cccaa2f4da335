"""Sample content folders for the content tests."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from datetime import date
from html.parser import HTMLParser
from pathlib import Path

import pytest
from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from app.content import Module, check_content

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture
def today() -> date:
    """The day the samples are checked on; only app-past-review is past its review_by."""
    return date(2026, 11, 26)


@pytest.fixture
def modules_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty modules folder with the test registries.

    The working directory is its parent, so problems read `modules/…:line: …`.
    """
    root = tmp_path / "modules"
    (root / "apps").mkdir(parents=True)
    shutil.copy(FIXTURES / "sources.yml", root / "sources.yml")
    shutil.copy(FIXTURES / "apps_sources.yml", root / "apps" / "sources.yml")
    monkeypatch.chdir(tmp_path)
    return Path("modules")


@pytest.fixture
def add_sample(modules_dir: Path) -> Callable[[str], Path]:
    """Copies a fixture (e.g. "broken/unknown-key.md") into the folder; cards go to apps/."""

    def add(relative: str) -> Path:
        source = FIXTURES / relative
        folder = modules_dir / "apps" if source.parent.name == "apps" else modules_dir
        return Path(shutil.copy(source, folder / source.name))

    return add


@pytest.fixture
def check_sample(
    modules_dir: Path, add_sample: Callable[[str], Path], today: date
) -> Callable[[str], list[str]]:
    """Checks a folder holding just that sample and returns the printed problems."""

    def check(relative: str) -> list[str]:
        add_sample(relative)
        return [str(problem) for problem in check_content(modules_dir, today=today)]

    return check


REPO_ROOT = Path(__file__).resolve().parents[2]

PAGE = """{% from "content/_blocks.html" import render_section %}
<main><h1>{{ module.title }}</h1>
{% for section in module.sections %}{{ render_section(section) }}{% endfor %}
</main>"""


@pytest.fixture(scope="session")
def jinja_env() -> Environment:
    """Configured like Askwell's own environment: autoescape on, undefined names fail."""
    return Environment(
        loader=FileSystemLoader(REPO_ROOT / "templates"),
        autoescape=select_autoescape(default=True, default_for_string=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


@pytest.fixture(scope="session")
def render_module(jinja_env: Environment) -> Callable[[Module], str]:
    """A module page reduced to its title (h1) and sections, as the reader shows it."""
    page = jinja_env.from_string(PAGE)
    return lambda module: page.render(module=module)


class _PageAudit(HTMLParser):
    """The structural accessibility rules the content templates must keep."""

    def __init__(self) -> None:
        super().__init__()
        self.issues: list[str] = []
        self.ids: set[str] = set()
        self.labelled_by: list[str] = []
        self.last_heading = 0
        self.open_links: list[list[str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if tag in ("script", "style"):
            self.issues.append(f"<{tag}> element")
        for name in attributes:
            if name == "style" or name.startswith("on"):
                self.issues.append(f"{name}= attribute on <{tag}>")
        element_id = attributes.get("id")
        if element_id:
            if element_id in self.ids:
                self.issues.append(f"duplicate id {element_id!r}")
            self.ids.add(element_id)
        if attributes.get("aria-labelledby"):
            self.labelled_by.append(str(attributes["aria-labelledby"]))
        if tag == "svg" and attributes.get("aria-hidden") != "true":
            self.issues.append("decorative <svg> without aria-hidden")
        if len(tag) == 2 and tag[0] == "h" and tag[1].isdigit():
            level = int(tag[1])
            if level > self.last_heading + 1:
                self.issues.append(f"<{tag}> follows <h{self.last_heading}>")
            self.last_heading = level
        if tag == "a":
            self.open_links.append([])

    def handle_data(self, data: str) -> None:
        for link in self.open_links:
            link.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "a" and self.open_links and not "".join(self.open_links.pop()).strip():
            self.issues.append("link without text")


@pytest.fixture(scope="session")
def audit_html() -> Callable[[str], list[str]]:
    def audit(html: str) -> list[str]:
        parser = _PageAudit()
        parser.feed(html)
        parser.close()
        dangling = [
            f"aria-labelledby={target!r} names no element"
            for target in parser.labelled_by
            if target not in parser.ids
        ]
        return parser.issues + dangling

    return audit

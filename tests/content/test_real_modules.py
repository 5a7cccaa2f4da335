"""The real training content in modules/: valid, loadable, quoted verbatim, safely worded.

The content grows while the platform is built, so every test here holds for
however many modules exist, and tightens as they arrive.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable
from datetime import date
from pathlib import Path

import pytest

from app.content import Module, Quote, Scenario, check_content, content_files, load_content

REPO_ROOT = Path(__file__).resolve().parents[2]
MODULES_DIR = REPO_ROOT / "modules"
STUDY_FILE = "derges-2023-talking-about-social-media.txt"

_QUOTE_MARKS = str.maketrans(
    {
        "‘": "'",
        "’": "'",
        "‚": "'",
        "‛": "'",
        "“": '"',
        "”": '"',
        "„": '"',
        "‐": "-",
        "‑": "-",
        "‒": "-",
        "–": "-",
        "—": "-",
        "―": "-",
        "*": None,
        "_": None,
    }
)
_HASHTAG = re.compile(r"(?<![\w&/#])#[A-Za-z]\w*")


def normalise(text: str) -> str:
    """Ignores what typography and Markdown change, never the words themselves."""
    text = text.replace("…", "...").translate(_QUOTE_MARKS)
    return " ".join(text.split())


def research_dir() -> Path:
    configured = os.environ.get("ASKWELL_RESEARCH_DIR")
    return Path(configured) if configured else REPO_ROOT.parent / "shared" / "research"


@pytest.fixture(scope="module")
def index():
    return load_content(MODULES_DIR)


@pytest.fixture(scope="module")
def study_text() -> str:
    study = research_dir() / STUDY_FILE
    if not study.is_file():
        pytest.skip(f"study text not found at {study} (set ASKWELL_RESEARCH_DIR to its folder)")
    return normalise(study.read_text(encoding="utf-8"))


def quotes_in(module: Module) -> list[tuple[str, str, str]]:
    """(where, words, attribution) for every quote and every study scenario's quote.

    An illustrative scenario (`::: scenario illustrative`) was written for Askwell: its
    words are no one's quote, so they are left out. A study scenario whose setting was
    written for Askwell still quotes the study, so it is checked like any other.
    """
    found: list[tuple[str, str, str]] = []
    for section in module.sections:
        for block in section.blocks:
            where = f"{module.path.name} § {section.id}"
            if isinstance(block, Quote):
                found.append((where, block.text, block.attribution))
            elif isinstance(block, Scenario) and not block.illustrative:
                found.append((f"{where} scenario {block.id}", block.quote, block.attribution))
    return found


def misquotes(modules: Iterable[Module], study_text: str) -> list[str]:
    """Every quote whose words or attribution are not printed in the study."""
    misquoted: list[str] = []
    for module in modules:
        for where, words, attribution in quotes_in(module):
            pieces = [normalise(piece) for piece in re.split(r"\[(?:\.\.\.|…)\]", words)]
            missing = [piece for piece in pieces if piece and piece not in study_text]
            if missing:
                misquoted.append(f"{where}: not in the study: {missing[0]!r}")
            if f"[{normalise(attribution)}]" not in study_text:
                misquoted.append(f"{where}: attribution not printed in the study: {attribution!r}")
    return misquoted


def test_the_real_content_has_no_errors(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(REPO_ROOT)
    problems = check_content(Path("modules"), today=date.today())
    errors = [str(problem) for problem in problems if problem.is_error]
    assert errors == [], "\n".join(errors)


def test_every_file_loads_as_a_module(index) -> None:
    files = content_files(MODULES_DIR)
    assert sorted(module.path.name for module in index.modules.values()) == sorted(
        path.name for path in files
    )
    for module in index.modules.values():
        assert module.sections, module.slug
        if module.kind == "module":
            assert module.quiz is not None, module.slug
            assert module.minutes <= module.time_limit_minutes <= 15, module.slug


def test_every_quote_is_verbatim_from_the_study(index, study_text: str) -> None:
    misquoted = misquotes(index.all(), study_text)
    assert misquoted == [], "\n".join(misquoted)


def test_the_verbatim_check_accepts_typography_and_cuts(study_text: str) -> None:
    quote = (
        "So I think saying like, you know, you’re in *crisis* so you can’t use social media, "
        "that’s not really going to solve anything. [...] And it’s about learning to manage "
        "it healthily."
    )
    pieces = [normalise(piece) for piece in quote.split("[...]")]
    assert all(piece in study_text for piece in pieces)
    assert normalise("that's really going to solve anything") not in study_text


def _visible_text(module: Module) -> str:
    parts = [module.title, module.summary, module.content_warning or ""]
    parts += [section.title + "\n" + section.text for section in module.sections]
    if module.quiz:
        for question in module.quiz.questions:
            parts.append(question.prompt)
            parts += [f"{option.text}\n{option.feedback}" for option in question.options]
    return "\n".join(parts)


def test_no_module_names_a_hashtag(index) -> None:
    found = [
        f"{module.path.name}: {tag}"
        for module in index.all()
        for tag in _HASHTAG.findall(_visible_text(module))
    ]
    assert found == [], "\n".join(found)


def test_no_file_says_committed_suicide() -> None:
    offending = [
        path.name
        for path in content_files(MODULES_DIR)
        if "committed suicide" in " ".join(path.read_text(encoding="utf-8").lower().split())
    ]
    assert offending == []


def test_every_module_renders_as_a_well_formed_page(index, render_module, audit_html) -> None:
    for module in index.all():
        assert audit_html(render_module(module)) == [], module.slug

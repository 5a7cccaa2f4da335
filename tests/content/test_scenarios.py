"""Scenarios from the study and scenarios written for Askwell, told apart wherever shown.

A practitioner must never take words written for Askwell for a young person's own, and
every study quote must still be checked word for word against the study.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from app.content import Scenario, load_content
from tests.content.test_real_modules import STUDY_FILE, misquotes, normalise, research_dir

ILLUSTRATIVE_LABEL = "Illustrative: written for Askwell, not a quote from the study"
SETTING_LABEL = "The words are from the study; the setting is illustrative."
SAMPLE = "scenarios/two-kinds.md"


@pytest.fixture
def module(add_sample, modules_dir: Path):
    add_sample(SAMPLE)
    loaded = load_content(modules_dir).get("two-kinds")
    assert loaded is not None
    return loaded


@pytest.fixture(scope="module")
def study_text() -> str:
    study = research_dir() / STUDY_FILE
    if not study.is_file():
        pytest.skip(f"study text not found at {study} (set ASKWELL_RESEARCH_DIR to its folder)")
    return normalise(study.read_text(encoding="utf-8"))


def scenarios(module) -> dict[str, Scenario]:
    return {
        block.id: block
        for section in module.sections
        for block in section.blocks
        if isinstance(block, Scenario)
    }


def card(page: str, scenario_id: str) -> str:
    """The words of one scenario card, tags and spacing aside."""
    start = page.index(f'id="scenario-{scenario_id}"')
    end = page.find('id="scenario-', start + 1)
    return page[start : end if end > 0 else len(page)]


def words(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def test_the_two_forms_are_read_apart(module) -> None:
    found = scenarios(module)
    made_up = found["sextortion-young-man"]
    assert made_up.illustrative and not made_up.setting_illustrative
    assert made_up.says.startswith("Someone I met in a game")
    assert (made_up.quote, made_up.attribution, made_up.source) == ("", "", "")
    set_up = found["never-asked"]
    assert set_up.setting_illustrative and not set_up.illustrative
    assert (set_up.source, set_up.attribution) == ("derges-2023", "Focus group 2; aged 19 years")
    plain = found["quoted-as-it-happened"]
    assert not plain.illustrative and not plain.setting_illustrative


def test_each_scenario_is_labelled_for_what_it_is(module, render_module, audit_html) -> None:
    page = render_module(module)
    assert audit_html(page) == []
    made_up = card(page, "sextortion-young-man")
    assert ILLUSTRATIVE_LABEL in words(made_up)
    assert "<blockquote" not in made_up and "<cite>" not in made_up
    assert "“Someone I met in a game has pictures of me" in made_up
    set_up = card(page, "never-asked")
    assert SETTING_LABEL in words(set_up)
    assert "<blockquote" in set_up and "<cite>Focus group 2; aged 19 years</cite>" in set_up
    plain = card(page, "quoted-as-it-happened")
    assert SETTING_LABEL not in plain and "Illustrative" not in plain
    # The label comes before the words it is about.
    assert made_up.index("Illustrative:") < made_up.index("Someone I met")


def test_study_quotes_are_checked_and_illustrative_words_are_not(module, study_text) -> None:
    # The illustrative words are not in the study, so checking them would fail here.
    assert normalise(scenarios(module)["sextortion-young-man"].says) not in study_text
    assert misquotes([module], study_text) == []


def test_a_study_quote_with_an_illustrative_setting_is_still_checked(
    add_sample, modules_dir: Path, study_text
) -> None:
    path = add_sample(SAMPLE)
    text = path.read_text().replace("unless I've brought it up", "unless I raised it")
    path.write_text(text)
    module = load_content(modules_dir).get("two-kinds")
    assert misquotes([module], study_text) == [
        "two-kinds.md § why-it-matters scenario never-asked: not in the study: "
        '"Well, I\'ve never been like directly asked unless I raised it."'
    ]

"""A valid sample parses into the structure the rest of Askwell reads."""

from __future__ import annotations

import dataclasses
from datetime import date
from pathlib import Path
from types import MappingProxyType

import pytest

from app.content import (
    Ask,
    ContentIndex,
    KeyPoints,
    Prose,
    Quote,
    Reflect,
    Scenario,
    Support,
    load_content,
)


@pytest.fixture
def index(add_sample, modules_dir: Path) -> ContentIndex:
    add_sample("valid/how-to-ask.md")
    add_sample("valid/apps/chatterbox.md")
    return load_content(modules_dir)


def test_front_matter_fields(index: ContentIndex) -> None:
    module = index.get("how-to-ask")
    assert module is not None
    assert module.title == "How to ask: opening the conversation"
    assert (module.kind, module.order, module.version) == ("module", 2, 2)
    assert module.topics == ("asking", "rapport", "eating-disorders")
    assert module.updated == date(2026, 11, 26)
    assert (module.refresh_after_days, module.pass_mark) == (180, 75)
    assert module.content_warning == "Mentions eating disorders."
    assert module.sources == ("derges-2023", "biddle-2022")
    assert module.co_designed == "Young people's own words are the scenarios.\n"
    assert [entry.version for entry in module.changelog] == [2, 1]
    assert module.changelog[0].major is False
    assert module.path == Path("modules/how-to-ask.md")
    assert module.category is None and module.also_known_as == ()
    assert module.is_sensitive


def test_sections_and_blocks(index: ContentIndex) -> None:
    module = index.get("how-to-ask")
    assert module is not None
    # The quiz-only section is lifted out and dropped.
    assert [section.id for section in module.sections] == [
        "why-it-matters",
        "start-with-everyday-life",
    ]
    first, second = module.sections
    assert [type(block) for block in first.blocks] == [Prose, Quote, Prose]
    assert [block.kind for block in second.blocks] == [
        "ask",
        "scenario",
        "support",
        "key-points",
        "reflect",
    ]
    assert first.title == "Why it matters"
    assert first.text.startswith("Few young people are asked about their online lives.")
    assert first.words == 36


def test_block_contents(index: ContentIndex) -> None:
    module = index.get("how-to-ask")
    assert module is not None
    prose, quote, heading_prose = module.sections[0].blocks
    assert isinstance(prose, Prose) and "<em>asked</em>" in prose.html
    assert 'rel="noopener noreferrer"' in prose.html
    assert quote == Quote(
        html="<p>Well, I've never been like directly asked unless I've brought it up.</p>\n",
        attribution="Focus group 2; aged 19 years",
        source="derges-2023",
        text="Well, I've never been like directly asked unless I've brought it up.",
    )
    assert isinstance(heading_prose, Prose)
    assert '<h3 id="what-practitioners-said">' in heading_prose.html

    ask, scenario, support, key_points, reflect = module.sections[1].blocks
    assert ask == Ask(
        id="curiosity-not-advice",
        do="What do you like doing online? Could you show me how it works?",
        dont="You should come off social media for a while.",
        why="Curiosity invites the young person to explain.",
    )
    assert isinstance(scenario, Scenario)
    assert scenario.id == "never-asked"
    assert scenario.setting == "At a review appointment, a 19-year-old says"
    assert scenario.quote.startswith("Well, I've never been")
    assert scenario.question == "What would you say next?"
    assert scenario.source == "derges-2023"
    assert scenario.response_html.startswith("<p>&quot;Thank you for telling me.")
    assert support == Support(
        intro_html="<p>If anything in this section has affected you, support is available.</p>\n",
        eating_disorders=True,
    )
    assert isinstance(key_points, KeyPoints)
    assert key_points.items == (
        "Ask every young person.",
        "Ask which and how, not whether.",
        "Be honest about what you do not know.",
    )
    assert key_points.html.startswith('<ul class="nhsuk-list nhsuk-list--bullet">')
    assert isinstance(reflect, Reflect) and len(reflect.prompts) == 2

    assert module.key_points == (key_points,)
    assert module.asks == (ask,)
    assert module.reflect_prompts == reflect.prompts


def test_quiz(index: ContentIndex) -> None:
    module = index.get("how-to-ask")
    assert module is not None and module.quiz is not None
    quiz = module.quiz
    assert quiz.pass_mark == 75
    assert [question.id for question in quiz.questions] == ["q1", "q2", "q3"]
    assert [question.type for question in quiz.questions] == ["single", "multiple", "true_false"]
    q1, q2, q3 = quiz.questions
    assert [option.id for option in q2.options] == ["a", "b", "c"]
    assert q1.correct_ids == frozenset({"b"})
    assert q2.correct_ids == frozenset({"a", "b"})
    assert [option.text for option in q3.options] == ["True", "False"]
    assert q3.correct_ids == frozenset({"b"})
    assert q1.options[0].feedback == "Young people experienced this as dismissive."
    assert quiz.question("q2") is q2
    assert quiz.question("q9") is None


def test_minutes_count_every_word_and_every_activity(index: ContentIndex) -> None:
    module = index.get("how-to-ask")
    assert module is not None
    # 247 words (1.235) + 3 quiz questions (1.5) + 1 scenario (1) + 2 reflection prompts (2).
    assert (module.words, module.minutes) == (247, 6)
    card = index.get("chatterbox")
    assert card is not None and card.minutes == 1


def test_navigation(index: ContentIndex) -> None:
    module = index.get("how-to-ask")
    assert module is not None
    assert module.section("start-with-everyday-life") is module.sections[1]
    assert module.section("check-your-understanding") is None
    assert module.next_section_id("why-it-matters") == "start-with-everyday-life"
    assert module.next_section_id("start-with-everyday-life") is None
    assert module.next_section_id("nowhere") is None


def test_app_card(index: ContentIndex) -> None:
    card = index.get("chatterbox")
    assert card is not None
    assert (card.kind, card.category, card.age_rating) == ("app", "messaging", "13+")
    assert card.last_reviewed == date(2026, 11, 1)
    assert card.review_by == date(2027, 5, 1)
    assert card.also_known_as == ("CB", "the box")
    assert card.quiz is None and card.co_designed is None
    assert card.needs_review(date(2027, 5, 1)) is False
    assert card.needs_review(date(2027, 5, 2)) is True
    module = index.get("how-to-ask")
    assert module is not None and module.needs_review(date(2100, 1, 1)) is False


def test_index(index: ContentIndex) -> None:
    assert [module.slug for module in index.all()] == ["how-to-ask", "chatterbox"]
    assert [module.slug for module in index.all("app")] == ["chatterbox"]
    assert [module.slug for module in index.all("module")] == ["how-to-ask"]
    assert index.get("nothing") is None
    assert index.topics() == (
        "apps",
        "asking",
        "eating-disorders",
        "messaging",
        "rapport",
    )
    source = index.sources["chatterbox-terms"]
    assert source.title == "Chatterbox Terms of Use"
    assert source.accessed == date(2026, 11, 1)
    assert index.sources["biddle-2022"].url is None


def test_catalogue_order_is_order_then_title(modules_dir: Path, add_sample) -> None:
    sample = add_sample("valid/how-to-ask.md").read_text()
    for slug, order, title in [("b-first", "1", "Zebra"), ("a-later", "3", "Apple")]:
        (modules_dir / f"{slug}.md").write_text(
            sample.replace("slug: how-to-ask", f"slug: {slug}")
            .replace("order: 2", f"order: {order}")
            .replace('title: "How to ask: opening the conversation"', f"title: {title}")
        )
    index = load_content(modules_dir)
    assert [module.slug for module in index.all()] == ["b-first", "how-to-ask", "a-later"]


def test_the_index_cannot_be_changed(index: ContentIndex) -> None:
    module = index.get("how-to-ask")
    assert module is not None
    assert isinstance(index.modules, MappingProxyType)
    assert isinstance(index.sources, MappingProxyType)
    with pytest.raises(TypeError):
        index.modules["other"] = module  # type: ignore[index]
    with pytest.raises(dataclasses.FrozenInstanceError):
        module.title = "Changed"  # type: ignore[misc]
    with pytest.raises(dataclasses.FrozenInstanceError):
        module.sections[0].blocks[0].html = "<script></script>"  # type: ignore[misc]
    assert isinstance(module.sections, tuple) and isinstance(module.topics, tuple)


def test_heading_ids_never_clash_with_section_ids(modules_dir: Path, add_sample) -> None:
    sample = add_sample("valid/how-to-ask.md")
    sample.write_text(
        sample.read_text().replace("### What practitioners said", "### Start with everyday life")
    )
    module = load_content(modules_dir).get("how-to-ask")
    assert module is not None
    heading = module.sections[0].blocks[2]
    assert isinstance(heading, Prose)
    assert '<h3 id="start-with-everyday-life-2">' in heading.html


def test_raw_html_in_a_module_is_escaped(modules_dir: Path, add_sample) -> None:
    sample = add_sample("valid/how-to-ask.md")
    sample.write_text(
        sample.read_text().replace(
            "Most practitioners ask.",
            '<script>alert(1)</script> [x](javascript:alert(1)) <img src=x onerror="alert(1)">',
        )
    )
    module = load_content(modules_dir).get("how-to-ask")
    assert module is not None
    html = "".join(block.html for block in module.sections[0].blocks if isinstance(block, Prose))
    assert "<script" not in html and "<img" not in html and "href" in html
    assert "&lt;script&gt;" in html
    assert 'href="javascript' not in html

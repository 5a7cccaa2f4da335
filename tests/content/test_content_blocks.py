"""templates/content/_blocks.html: NHS.UK markup, safe output, sound page structure."""

from __future__ import annotations

from pathlib import Path

import pytest
from jinja2 import Environment

from app.content import (
    Ask,
    ContentIndex,
    KeyPoints,
    Prose,
    Quote,
    Reflect,
    Scenario,
    Section,
    Support,
    load_content,
)
from app.core.markdown import render_markdown


@pytest.fixture
def render_block(jinja_env: Environment):
    template = jinja_env.from_string(
        '{% from "content/_blocks.html" import render_block %}{{ render_block(block) }}'
    )
    return lambda block: template.render(block=block)


@pytest.fixture
def index(add_sample, modules_dir: Path) -> ContentIndex:
    add_sample("valid/how-to-ask.md")
    add_sample("valid/apps/chatterbox.md")
    return load_content(modules_dir)


def test_prose_is_rendered_as_given(render_block) -> None:
    assert render_block(Prose("<p>Hello</p>\n")).strip() == "<p>Hello</p>"


def test_quote_is_a_blockquote_with_a_cited_attribution(render_block) -> None:
    html = render_block(Quote(render_markdown("Never *asked*."), "Focus group 2; aged 19", "s"))
    assert '<blockquote class="nhsuk-inset-text askwell-quote">' in html
    assert "<p>Never <em>asked</em>.</p>" in html
    assert "<footer><cite>Focus group 2; aged 19</cite></footer>" in html


def test_scenario_hides_the_suggested_response_in_details(render_block) -> None:
    scenario = Scenario(
        id="never-asked",
        setting="At a review, a 19-year-old says:",
        quote="I've never been <b>asked</b>.",
        attribution="Focus group 2; aged 19 years",
        source="derges-2023",
        question="What would you say next?",
        response_html="<p>Thank them.</p>",
    )
    html = render_block(scenario)
    assert 'id="scenario-never-asked"' in html and "nhsuk-card" in html
    assert "<p>I&#39;ve never been &lt;b&gt;asked&lt;/b&gt;.</p>" in html
    assert '<details class="nhsuk-details">' in html
    assert html.index("<summary") < html.index("<p>Thank them.</p>")
    assert "<footer><cite>Focus group 2; aged 19 years</cite></footer>" in html


def test_scenario_without_a_setting_has_no_empty_paragraph(render_block) -> None:
    scenario = Scenario("s", "", "Words.", "Label", "src", "What next?", "<p>Reply</p>")
    assert '<p class="nhsuk-body"></p>' not in render_block(scenario)


def test_ask_is_a_do_and_dont_list_with_an_id_for_ratings(render_block) -> None:
    html = render_block(Ask("curiosity", "What's <it> like?", "Stop & think.", "Because."))
    assert 'id="ask-curiosity"' in html
    assert html.count('class="nhsuk-do-dont-list"') == 2
    assert "nhsuk-list--tick" in html and "nhsuk-list--cross" in html
    assert "What&#39;s &lt;it&gt; like?" in html and "Stop &amp; think." in html
    assert html.index("Stop &amp; think.") < html.index("Because.")


def test_key_points_and_reflect(render_block) -> None:
    key_points = render_block(KeyPoints(("Ask.",), render_markdown("- Ask.")))
    assert "nhsuk-card--feature" in key_points and "Key points</h3>" in key_points
    assert "<li>Ask.</li>" in key_points
    reflect = render_block(Reflect(("What <would> you ask?",)))
    assert "<li>What &lt;would&gt; you ask?</li>" in reflect


@pytest.mark.parametrize("eating_disorders", [False, True])
def test_support_adds_the_verified_signposting(render_block, eating_disorders: bool) -> None:
    html = render_block(Support("<p>Support is available.</p>", eating_disorders))
    assert "nhsuk-warning-callout" in html and "<p>Support is available.</p>" in html
    for text in ("Samaritans", "116 123", "SHOUT", "85258", "Childline", "0800 1111", "999"):
        assert text in html
    assert "(free, 24/7)" in html and "(under 19s)" in html
    assert ("https://www.beateatingdisorders.org.uk" in html) is eating_disorders


def test_a_section_is_an_h2_labelling_its_region(jinja_env: Environment) -> None:
    section = Section("why", "Why <it> matters", (Prose("<p>Text</p>"),), "Text", 1)
    html = jinja_env.from_string(
        '{% from "content/_blocks.html" import render_section %}{{ render_section(section) }}'
    ).render(section=section)
    assert '<section class="askwell-section" aria-labelledby="why">' in html
    assert '<h2 id="why">Why &lt;it&gt; matters</h2>' in html


def test_a_whole_module_page_is_well_formed(index: ContentIndex, render_module, audit_html) -> None:
    for module in index.all():
        html = render_module(module)
        assert audit_html(html) == [], module.slug
        assert "<h1>" in html and "<h4" not in html


def test_the_audit_catches_what_it_should(audit_html) -> None:
    issues = audit_html(
        '<h1>T</h1><h3 id="a">x</h3><p id="a" style="color:red" onclick="x">'
        '<a href="/"> </a><svg></svg></p><section aria-labelledby="gone"></section>'
        "<script></script>"
    )
    assert issues == [
        "<h3> follows <h1>",
        "style= attribute on <p>",
        "onclick= attribute on <p>",
        "duplicate id 'a'",
        "link without text",
        "decorative <svg> without aria-hidden",
        "<script> element",
        "aria-labelledby='gone' names no element",
    ]

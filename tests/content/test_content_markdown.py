"""Rendering safety: nothing in Markdown becomes markup, script or a dangerous link."""

from __future__ import annotations

import pytest

from app.core.markdown import is_safe_url, render_inline, render_markdown, slugify


def test_raw_html_is_escaped() -> None:
    html = render_markdown("Hello <script>alert(1)</script>\n\n<div onclick=x>hi</div>")
    assert "<script" not in html and "<div" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_raw_html_is_escaped_inline() -> None:
    assert render_inline("*hi* <b onmouseover=x>") == "<em>hi</em> &lt;b onmouseover=x&gt;"


@pytest.mark.parametrize(
    "markdown",
    [
        "[x](javascript:alert(1))",
        "[x](JavaScript:alert(1))",
        "[x](  javascript:alert(1))",
        "[x](java&#x09;script:alert(1))",
        "[x](&#106;avascript:alert(1))",
        "[x](vbscript:msgbox(1))",
        "[x](file:///etc/passwd)",
        "[x](data:text/html;base64,PHNjcmlwdD4=)",
        "<javascript:alert(1)>",
        "[x]\n\n[x]: javascript:alert(1)",
    ],
)
def test_dangerous_links_are_not_links(markdown: str) -> None:
    html = render_markdown(markdown)
    assert "<a" not in html
    assert 'href="javascript' not in html.lower()


@pytest.mark.parametrize(
    "markdown",
    [
        "![x](data:image/png;base64,iVBORw0KGgo=)",
        "![x](data:image/gif;base64,R0lGODlh)",
        "![x](DATA:image/svg+xml;base64,PHN2Zz4=)",
        "![x](javascript:alert(1))",
    ],
)
def test_dangerous_images_are_not_images(markdown: str) -> None:
    assert "<img" not in render_markdown(markdown)


def test_ordinary_links_work_and_external_ones_are_isolated() -> None:
    html = render_markdown("[study](https://doi.org/10.2196/43115) and [section](#why-it-matters)")
    assert '<a href="https://doi.org/10.2196/43115" rel="noopener noreferrer">study</a>' in html
    assert '<a href="#why-it-matters">section</a>' in html


def test_tables_and_lists_use_nhs_classes() -> None:
    html = render_markdown("| a | b |\n|---|---|\n| 1 | 2 |\n\n- one\n\n1. first\n")
    assert '<table class="nhsuk-table">' in html and "<th>a</th>" in html
    assert '<ul class="nhsuk-list nhsuk-list--bullet">' in html
    assert '<ol class="nhsuk-list nhsuk-list--number">' in html


def test_third_level_headings_get_anchors() -> None:
    assert render_markdown("### What to ask") == '<h3 id="what-to-ask">What to ask</h3>\n'


def test_is_safe_url() -> None:
    assert is_safe_url("https://example.org")
    assert is_safe_url("/modules/how-to-ask")
    assert not is_safe_url(" \tJAVASCRIPT:alert(1)")
    assert not is_safe_url("data:image/png;base64,AAAA")


def test_slugify() -> None:
    assert slugify("Why it matters") == "why-it-matters"
    assert slugify("  Trust & confidentiality: the basics ") == "trust-confidentiality-the-basics"
    assert slugify("Café – naïve") == "cafe-naive"
    assert slugify("???") == "section"

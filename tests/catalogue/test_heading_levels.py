"""Headings never skip a level, so screen reader users can trust the page outline."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest


class _Headings(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.levels: list[int] = []

    # HTMLParser calls this with the attributes too; only the tag matters here.
    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:  # noqa: ARG002
        if len(tag) == 2 and tag[0] == "h" and tag[1].isdigit():
            self.levels.append(int(tag[1]))


def skipped_levels(html: str) -> list[tuple[int, int]]:
    """Each place where a heading comes more than one level below the one before it."""
    parser = _Headings()
    parser.feed(html)
    pairs = zip(parser.levels, parser.levels[1:], strict=False)
    return [(before, after) for before, after in pairs if after > before + 1]


@pytest.mark.parametrize(
    "path",
    [
        "/modules/asking-basics/sections/opening-questions",
        "/modules/asking-basics/all",
    ],
)
def test_a_how_to_ask_example_never_skips_a_heading_level(practitioner_client, path):
    page = practitioner_client.get(path)
    assert page.status_code == 200
    assert "Try saying" in page.text
    assert skipped_levels(page.text) == []

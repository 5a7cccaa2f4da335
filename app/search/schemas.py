"""Search results as pages and the API see them."""

from __future__ import annotations

from dataclasses import dataclass

from pydantic import BaseModel

KIND_LABELS = {"module": "Module", "app": "App card", "scenario": "Scenario"}


@dataclass(frozen=True)
class SnippetPart:
    text: str
    matched: bool


@dataclass(frozen=True)
class SearchHit:
    kind: str
    key: str
    title: str
    heading: str
    url: str
    snippet: tuple[SnippetPart, ...]

    @property
    def is_section(self) -> bool:
        """Section documents are keyed ``slug#section``; the rest describe a whole item."""
        return "#" in self.key

    @property
    def kind_label(self) -> str:
        return KIND_LABELS.get(self.kind, self.kind.title())


@dataclass(frozen=True)
class SearchResults:
    query: str
    words: tuple[str, ...]
    hits: tuple[SearchHit, ...]
    suggestion: str | None = None


class SearchHitOut(BaseModel):
    kind: str
    title: str
    heading: str
    url: str
    snippet: str

    @classmethod
    def of(cls, hit: SearchHit) -> SearchHitOut:
        return cls(
            kind=hit.kind,
            title=hit.title,
            heading=hit.heading,
            url=hit.url,
            snippet="".join(part.text for part in hit.snippet),
        )


class SearchResultsOut(BaseModel):
    query: str
    results: list[SearchHitOut]
    suggestion: str | None = None

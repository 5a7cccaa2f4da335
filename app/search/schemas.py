"""Search results as pages and the API see them."""

from __future__ import annotations

from dataclasses import dataclass

from pydantic import BaseModel, Field

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
    matches: int = 1
    """How many of the item's documents matched (its overview and sections)."""

    @property
    def parent_url(self) -> str:
        """The whole module or card the best-matching section belongs to."""
        return self.url.split("#", 1)[0].split("/sections/", 1)[0]

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
    item_url: str = Field(description="The whole module, card or scenario the result is in.")
    matches: int = Field(
        description="How many parts of it matched: one result stands for them all, "
        "showing the best match."
    )

    @classmethod
    def of(cls, hit: SearchHit) -> SearchHitOut:
        return cls(
            kind=hit.kind,
            title=hit.title,
            heading=hit.heading,
            url=hit.url,
            snippet="".join(part.text for part in hit.snippet),
            item_url=hit.parent_url,
            matches=hit.matches,
        )


class SearchResultsOut(BaseModel):
    query: str
    results: list[SearchHitOut]
    suggestion: str | None = None

    @classmethod
    def of(cls, results: SearchResults) -> SearchResultsOut:
        return cls(
            query=results.query,
            results=[SearchHitOut.of(hit) for hit in results.hits],
            suggestion=results.suggestion,
        )

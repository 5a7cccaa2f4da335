"""The shapes of Askwell's content: front matter as authors write it, and the
frozen objects the rest of the app reads.

Front matter is validated with pydantic (`extra="forbid"`, so a misspelt key is
reported instead of silently dropped). Everything the loader hands out is a
frozen dataclass holding tuples and read-only mappings: content is parsed once
at start-up and shared by every request, so nothing may mutate it.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from fractions import Fraction
from pathlib import Path
from typing import ClassVar, Literal

from pydantic import BaseModel, ConfigDict, Field

TOPICS: tuple[str, ...] = (
    "evidence",
    "asking",
    "rapport",
    "judgement",
    "confidentiality",
    "parents",
    "safety-planning",
    "self-harm",
    "suicide",
    "eating-disorders",
    "exploitation",
    "grooming",
    "cyberbullying",
    "radicalisation",
    "gaming",
    "gambling",
    "spending",
    "peer-support",
    "apps",
    "sleep",
    "social-media",
    "messaging",
    "video",
    "wellbeing",
    "refresher",
)

SENSITIVE_TOPICS: frozenset[str] = frozenset(
    {"self-harm", "suicide", "eating-disorders", "exploitation", "grooming"}
)

APP_CATEGORIES: tuple[str, ...] = (
    "social",
    "messaging",
    "video",
    "gaming",
    "gambling",
    "support",
    "community",
)

BLOCK_NAMES: tuple[str, ...] = ("quote", "scenario", "ask", "key-points", "support", "reflect")

QUESTION_TYPES: tuple[str, ...] = ("single", "multiple", "true_false")

DEFAULT_SCENARIO_QUESTION = "What would you say next?"

ILLUSTRATIVE = "illustrative"
"""Written in place of a source id (`::: scenario illustrative`): a scenario written for
Askwell, whose words (`says`) are nobody's quote."""

SLUG_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"


# --- The time model ------------------------------------------------------------------------
# Practitioners are promised a module in 15 minutes, and reading is not all of it: answering
# a quiz question, thinking through a scenario and writing a reflection take time too. The
# estimate adds them up (modules/README.md, "How long a module takes", explains it to
# authors); the catalogue and module page show it, and the checker holds every file to it.

WORDS_PER_MINUTE = 200
"""A practitioner's reading speed for careful reading of training text."""
MINUTES_PER_QUIZ_QUESTION = Fraction(1, 2)
"""Reading the options and choosing; the feedback is counted with the words."""
MINUTES_PER_SCENARIO = 1
"""Stopping to think what one would say before opening the suggested response."""
MINUTES_PER_REFLECTION_PROMPT = 1
"""Each bullet of a `::: reflect` block is a question the practitioner answers in writing."""
MAX_MINUTES = 15
"""The promise: no module longer than this. `time_limit_minutes` may promise less."""


# --- Front matter and registries, as authors write them -----------------------------------


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ChangelogEntryModel(_Strict):
    version: int = Field(ge=1)
    date: date
    major: bool
    summary: str = Field(min_length=1)


class _CommonFrontMatter(_Strict):
    slug: str = Field(pattern=SLUG_PATTERN)
    title: str = Field(min_length=1)
    order: int | None = None
    summary: str = Field(min_length=1, max_length=240)
    topics: list[str] = Field(min_length=1)
    version: int = Field(ge=1)
    updated: date
    refresh_after_days: int = Field(default=365, ge=1)
    content_warning: str | None = None
    pass_mark: int = Field(default=80, ge=0, le=100)
    sources: list[str]
    co_designed: str | None = None
    time_limit_minutes: int = Field(default=MAX_MINUTES, ge=1, le=MAX_MINUTES)
    changelog: list[ChangelogEntryModel] = Field(min_length=1)


class ModuleFrontMatter(_CommonFrontMatter):
    """Front matter of a training module (`kind: module`)."""

    kind: Literal["module"]


class AppCardFrontMatter(_CommonFrontMatter):
    """Front matter of an app knowledge card (`kind: app`)."""

    kind: Literal["app"]
    category: str
    age_rating: str = Field(min_length=1)
    last_reviewed: date
    review_by: date
    also_known_as: list[str] = Field(default_factory=list)


class SourceEntry(_Strict):
    """One entry of `modules/sources.yml` or `modules/apps/sources.yml`."""

    title: str = Field(min_length=1)
    authors: str | None = None
    publisher: str | None = None
    year: int | None = None
    url: str | None = Field(default=None, pattern=r"^https?://")
    licence: str | None = None
    checked: Literal["full-text", "abstract"] | None = None
    accessed: date | None = None


# --- What the rest of Askwell reads -------------------------------------------------------


def _figure(value: Fraction) -> str:
    """12.7, 3, 3.5: minutes as an author reads them, to one decimal place at most."""
    return f"{float(value):.1f}".removesuffix(".0")


def _count(number: int, word: str) -> str:
    return f"{number:,} {word}" if number == 1 else f"{number:,} {word}s"


@dataclass(frozen=True, slots=True)
class TimeEstimate:
    """How long a module takes, from what is in it: the number shown as its minutes."""

    words: int
    questions: int = 0
    scenarios: int = 0
    reflection_prompts: int = 0

    @property
    def reading(self) -> Fraction:
        return Fraction(self.words, WORDS_PER_MINUTE)

    @property
    def exact(self) -> Fraction:
        return (
            self.reading
            + self.questions * MINUTES_PER_QUIZ_QUESTION
            + self.scenarios * MINUTES_PER_SCENARIO
            + self.reflection_prompts * MINUTES_PER_REFLECTION_PROMPT
        )

    @property
    def minutes(self) -> int:
        """Rounded up, and never 0: even a short card takes a minute."""
        return max(1, math.ceil(self.exact))

    def breakdown(self) -> str:
        """`2,540 words at 200 a minute (12.7) + 6 quiz questions (3) + …`, leaving out zeros."""
        parts = [f"{self.words:,} words at {WORDS_PER_MINUTE} a minute ({_figure(self.reading)})"]
        for number, word, each in (
            (self.questions, "quiz question", MINUTES_PER_QUIZ_QUESTION),
            (self.scenarios, "scenario", Fraction(MINUTES_PER_SCENARIO)),
            (self.reflection_prompts, "reflection prompt", Fraction(MINUTES_PER_REFLECTION_PROMPT)),
        ):
            if number:
                parts.append(f"{_count(number, word)} ({_figure(number * each)})")
        return " + ".join(parts)


@dataclass(frozen=True, slots=True)
class Source:
    id: str
    title: str
    authors: str | None = None
    publisher: str | None = None
    year: int | None = None
    url: str | None = None
    licence: str | None = None
    checked: str | None = None
    accessed: date | None = None


@dataclass(frozen=True, slots=True)
class Prose:
    """Ordinary Markdown between blocks, already rendered."""

    kind: ClassVar[str] = "prose"
    html: str


@dataclass(frozen=True, slots=True)
class Quote:
    """A participant's own words; `text` is the Markdown as written, for verbatim checks."""

    kind: ClassVar[str] = "quote"
    html: str
    attribution: str
    source: str
    text: str = ""


@dataclass(frozen=True, slots=True)
class Scenario:
    """ "What would you say next?" after a young person's words.

    From a source, `quote` and `attribution` are a participant's verbatim words (and
    `setting_illustrative` says when the situation around them was written for Askwell).
    An illustrative scenario was written for Askwell: its words are in `says`, and it has
    no quote, attribution or source, so it is never checked or counted as a quote.
    """

    kind: ClassVar[str] = "scenario"
    id: str
    setting: str
    quote: str
    attribution: str
    source: str
    question: str
    response_html: str
    says: str = ""
    illustrative: bool = False
    setting_illustrative: bool = False


@dataclass(frozen=True, slots=True)
class Ask:
    """A "how to ask" example; young co-designers' ratings are kept against `id`."""

    kind: ClassVar[str] = "ask"
    id: str
    do: str
    dont: str
    why: str


@dataclass(frozen=True, slots=True)
class KeyPoints:
    kind: ClassVar[str] = "key-points"
    items: tuple[str, ...]
    html: str


@dataclass(frozen=True, slots=True)
class Support:
    """Signposting; the template adds the verified phone numbers so they are never mistyped."""

    kind: ClassVar[str] = "support"
    intro_html: str
    eating_disorders: bool


@dataclass(frozen=True, slots=True)
class Reflect:
    kind: ClassVar[str] = "reflect"
    prompts: tuple[str, ...]


Block = Prose | Quote | Scenario | Ask | KeyPoints | Support | Reflect


@dataclass(frozen=True, slots=True)
class Option:
    id: str
    text: str
    correct: bool
    feedback: str


@dataclass(frozen=True, slots=True)
class Question:
    id: str
    type: str
    prompt: str
    options: tuple[Option, ...]

    @property
    def correct_ids(self) -> frozenset[str]:
        """An answer is right when exactly these options are chosen."""
        return frozenset(option.id for option in self.options if option.correct)


@dataclass(frozen=True, slots=True)
class Quiz:
    pass_mark: int
    questions: tuple[Question, ...]

    def question(self, qid: str) -> Question | None:
        return next((question for question in self.questions if question.id == qid), None)


@dataclass(frozen=True, slots=True)
class Section:
    """One `##` section: the unit a practitioner reads and marks done."""

    id: str
    title: str
    blocks: tuple[Block, ...]
    text: str
    words: int


@dataclass(frozen=True, slots=True)
class ChangelogEntry:
    version: int
    date: date
    major: bool
    summary: str


@dataclass(frozen=True, slots=True)
class Module:
    """A training module or an app knowledge card (`kind == "app"`)."""

    slug: str
    title: str
    kind: str
    order: int | None
    summary: str
    topics: tuple[str, ...]
    version: int
    updated: date
    refresh_after_days: int
    content_warning: str | None
    pass_mark: int
    sources: tuple[str, ...]
    co_designed: str | None
    changelog: tuple[ChangelogEntry, ...]
    sections: tuple[Section, ...]
    quiz: Quiz | None
    minutes: int
    words: int
    path: Path
    category: str | None = None
    age_rating: str | None = None
    last_reviewed: date | None = None
    review_by: date | None = None
    also_known_as: tuple[str, ...] = ()
    time_limit_minutes: int = MAX_MINUTES

    def section(self, section_id: str) -> Section | None:
        return next((section for section in self.sections if section.id == section_id), None)

    def next_section_id(self, section_id: str) -> str | None:
        """Where "Next" leads after a practitioner marks a section done."""
        ids = [section.id for section in self.sections]
        if section_id not in ids:
            return None
        position = ids.index(section_id) + 1
        return ids[position] if position < len(ids) else None

    def needs_review(self, today: date) -> bool:
        """An app card past `review_by` may be out of date (apps change fast)."""
        return self.kind == "app" and self.review_by is not None and today > self.review_by

    @property
    def blocks(self) -> tuple[Block, ...]:
        return tuple(block for section in self.sections for block in section.blocks)

    @property
    def key_points(self) -> tuple[KeyPoints, ...]:
        return tuple(block for block in self.blocks if isinstance(block, KeyPoints))

    @property
    def asks(self) -> tuple[Ask, ...]:
        return tuple(block for block in self.blocks if isinstance(block, Ask))

    @property
    def reflect_prompts(self) -> tuple[str, ...]:
        return tuple(
            prompt
            for block in self.blocks
            if isinstance(block, Reflect)
            for prompt in block.prompts
        )

    @property
    def is_sensitive(self) -> bool:
        return any(topic in SENSITIVE_TOPICS for topic in self.topics)


@dataclass(frozen=True, slots=True)
class ContentIndex:
    """Every module, app card and source, parsed once and shared read-only."""

    modules: Mapping[str, Module]
    sources: Mapping[str, Source]

    def get(self, slug: str) -> Module | None:
        return self.modules.get(slug)

    def all(self, kind: str | None = None) -> tuple[Module, ...]:
        """Modules in catalogue order (by `order`, then title), then app cards by title."""
        ordered_modules = sorted(
            (module for module in self.modules.values() if module.kind == "module"),
            key=lambda module: (
                module.order is None,
                module.order or 0,
                module.title.casefold(),
            ),
        )
        app_cards = sorted(
            (module for module in self.modules.values() if module.kind == "app"),
            key=lambda module: module.title.casefold(),
        )
        everything = (*ordered_modules, *app_cards)
        return tuple(module for module in everything if kind is None or module.kind == kind)

    def topics(self) -> tuple[str, ...]:
        return tuple(sorted({topic for module in self.modules.values() for topic in module.topics}))

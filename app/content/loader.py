"""Reads `modules/*.md` and `modules/apps/*.md` once into a frozen ContentIndex.

The same pass finds every problem (with its line), so the checker, the test
suite and start-up all agree on what valid content is. Structure comes from
markdown-it's token stream: `##` headings split sections, `:::` containers are
blocks, and the fenced ```quiz block is lifted out into the module's quiz.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from string import ascii_lowercase
from types import MappingProxyType
from typing import Any

from markdown_it.token import Token
from markdown_it.utils import EnvType
from pydantic import ValidationError
from pydantic_core import ErrorDetails
from yaml.nodes import MappingNode, ScalarNode, SequenceNode

from app.content.balance import balance_warnings
from app.content.problems import ContentError, Problem, display_path
from app.content.schemas import (
    APP_CATEGORIES,
    BLOCK_NAMES,
    DEFAULT_SCENARIO_QUESTION,
    ILLUSTRATIVE,
    MAX_MINUTES,
    QUESTION_TYPES,
    SENSITIVE_TOPICS,
    SLUG_PATTERN,
    TOPICS,
    AppCardFrontMatter,
    Ask,
    Block,
    ChangelogEntry,
    ContentIndex,
    KeyPoints,
    Module,
    ModuleFrontMatter,
    Option,
    Prose,
    Question,
    Quiz,
    Quote,
    Reflect,
    Scenario,
    Section,
    Source,
    SourceEntry,
    Support,
    TimeEstimate,
)
from app.content.yaml_source import YamlDocument, YamlSyntaxError, parse_yaml
from app.core.markdown import CONTAINER_NAME, md, slugify

REGISTRY_FILE = "sources.yml"
APPS_DIR = "apps"

_CONTAINER_OPEN = f"container_{CONTAINER_NAME}_open"
_CLOSING_LINE = re.compile(r"\s*:{3,}\s*")
_SLUG = re.compile(SLUG_PATTERN)
_WORD = re.compile(r"\S*[^\W_]\S*")  # a run of non-space holding a letter or digit
_NULL_TAG = "tag:yaml.org,2002:null"
_ATTRIBUTION_PREFIX = "— "
_BLOCK_LIST = "quote, scenario, ask, key-points, support and reflect"
_SCENARIO_KEYS = frozenset(
    {"id", "setting", "setting_illustrative", "quote", "attribution", "question", "response"}
)
_ILLUSTRATIVE_SCENARIO_KEYS = frozenset({"id", "setting", "says", "question", "response"})
# Keys that belong to the other form of scenario: named in their own message, not "unknown".
_SCENARIO_KEY_ADVICE = {
    "says": "`says` is for `::: scenario illustrative`; a scenario from a source has "
    "`quote` and `attribution`",
    "quote": "an illustrative scenario has `says`, not `quote`: its words were written for Askwell",
    "attribution": "an illustrative scenario has no `attribution`: its words were written for "
    "Askwell",
    "setting_illustrative": "`setting_illustrative` is for a scenario quoting a source; an "
    "illustrative scenario is written for Askwell throughout",
}
_ASK_KEYS = frozenset({"id", "do", "dont", "why"})
_QUESTION_KEYS = frozenset({"id", "type", "prompt", "options"})
_OPTION_KEYS = frozenset({"text", "correct", "feedback"})


# --- Public entry points ------------------------------------------------------------------


def load_content(modules_dir: Path) -> ContentIndex:
    """Parses all content once; raises ContentError listing every problem if any is an error."""
    index, problems = compile_content(modules_dir)
    if any(problem.is_error for problem in problems):
        raise ContentError(problems)
    return index


def content_files(modules_dir: Path) -> list[Path]:
    """Module files, then app cards; the authoring guide (README.md) is not content."""

    def markdown_in(folder: Path) -> list[Path]:
        return sorted(path for path in folder.glob("*.md") if path.name.lower() != "readme.md")

    return markdown_in(modules_dir) + markdown_in(modules_dir / APPS_DIR)


def compile_content(
    modules_dir: Path, today: date | None = None
) -> tuple[ContentIndex, list[Problem]]:
    """Builds the index and lists every problem; `today` enables review-date warnings."""
    problems: list[Problem] = []
    if not modules_dir.is_dir():
        problems.append(Problem(display_path(modules_dir), 1, "not a directory"))
        return ContentIndex(MappingProxyType({}), MappingProxyType({})), problems

    sources = _load_sources(modules_dir, problems)
    modules: dict[str, Module] = {}
    first_file_with_slug: dict[str, Path] = {}
    for path in content_files(modules_dir):
        reader = _ModuleReader(path, sources, today)
        module = reader.read()
        problems.extend(reader.problems)
        if reader.slug is not None:
            if reader.slug in first_file_with_slug:
                problems.append(
                    Problem(
                        reader.shown,
                        reader.slug_line,
                        f"slug `{reader.slug}` is already used by "
                        f"{display_path(first_file_with_slug[reader.slug])}",
                    )
                )
                continue
            first_file_with_slug[reader.slug] = path
        if module is not None and not any(problem.is_error for problem in reader.problems):
            modules[module.slug] = module

    problems.sort(key=lambda problem: (problem.path, problem.line))
    index = ContentIndex(modules=MappingProxyType(modules), sources=MappingProxyType(sources))
    return index, problems


def count_words(text: str) -> int:
    """Counts words a reader reads; punctuation on its own (— or -) is not a word."""
    return len(_WORD.findall(text))


# --- Helpers shared by the readers --------------------------------------------------------


def _describe_validation_error(error: ErrorDetails, key_word: str) -> str:
    """Turns a pydantic error into words an author understands."""
    location = tuple(error["loc"])
    name = _dotted(location)
    if error["type"] == "missing":
        if len(location) == 1:
            return f"missing required {key_word} `{name}`"
        return f"`{_dotted(location[:-1])}` is missing `{location[-1]}`"
    if error["type"] == "extra_forbidden":
        if len(location) == 1:
            return f"unknown {key_word} `{name}`"
        return f"unknown key `{location[-1]}` in `{_dotted(location[:-1])}`"
    if error["type"] == "string_pattern_mismatch":
        if location[-1] == "slug":
            return "`slug` must be lower-case words joined by hyphens, e.g. `how-to-ask`"
        if location[-1] == "url":
            return "`url` must start with https:// or http://"
    return f"`{name}`: {error['msg']}"


def _dotted(location: Sequence[Any]) -> str:
    text = ""
    for part in location:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


def plain_text(tokens: Sequence[Token]) -> str:
    """The words of rendered Markdown, one block per line, for search and diffs."""
    parts: list[str] = []
    for token in tokens:
        if token.type == "inline":
            parts.append(_inline_text(token.children or []))
        elif token.type in ("fence", "code_block"):
            parts.append(token.content.strip())
    return "\n".join(part for part in parts if part)


def _inline_text(children: Sequence[Token]) -> str:
    pieces: list[str] = []
    for child in children:
        if child.type in ("text", "code_inline", "image"):
            pieces.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            pieces.append(" ")
    return "".join(pieces).strip()


def _render(tokens: Sequence[Token], env: EnvType) -> str:
    return md.renderer.render(tokens, md.options, env)


def _is_quiz_fence(token: Token) -> bool:
    return token.type == "fence" and token.info.strip().split(" ", 1)[0] == "quiz"


def _matching_close(tokens: Sequence[Token], open_index: int) -> int:
    """Index of the token closing the one at open_index (inner tokens sit deeper)."""
    level = tokens[open_index].level
    index = open_index + 1
    while index < len(tokens) and tokens[index].level != level:
        index += 1
    return min(index, len(tokens) - 1)


def _load_sources(modules_dir: Path, problems: list[Problem]) -> dict[str, Source]:
    """Merges the two registries; an id defined in both would make citations ambiguous."""
    sources: dict[str, Source] = {}
    defined_in: dict[str, Path] = {}
    for registry in (modules_dir / REGISTRY_FILE, modules_dir / APPS_DIR / REGISTRY_FILE):
        if not registry.is_file():
            continue
        shown = display_path(registry)
        try:
            document = parse_yaml(registry.read_text(encoding="utf-8"))
        except YamlSyntaxError as exc:
            problems.append(Problem(shown, exc.line + 1, f"not valid YAML: {exc.problem}"))
            continue
        for line, key in document.duplicate_keys():
            problems.append(Problem(shown, line + 1, f"duplicate key `{key}`"))
        if document.data is None:
            continue
        if not isinstance(document.data, dict):
            problems.append(Problem(shown, 1, "must map each source id to its details"))
            continue
        for raw_id, entry in document.data.items():
            source_id = str(raw_id)
            line = document.line_of([source_id]) + 1
            if source_id in sources:
                problems.append(
                    Problem(
                        shown,
                        line,
                        f"source `{source_id}` is already defined in "
                        f"{display_path(defined_in[source_id])}",
                    )
                )
                continue
            if not isinstance(entry, dict):
                problems.append(
                    Problem(shown, line, f"source `{source_id}` must be `key: value` lines")
                )
                continue
            defined_in[source_id] = registry
            try:
                details = SourceEntry.model_validate(entry)
            except ValidationError as exc:
                for error in exc.errors():
                    problems.append(
                        Problem(
                            shown,
                            document.line_of([source_id, *error["loc"]]) + 1,
                            f"source `{source_id}`: {_describe_validation_error(error, 'key')}",
                        )
                    )
                # Still known, so modules citing it are not also reported.
                sources[source_id] = Source(id=source_id, title=str(entry.get("title", "")))
                continue
            sources[source_id] = Source(id=source_id, **details.model_dump())
    return sources


# --- Reading one file ---------------------------------------------------------------------


class _SectionDraft:
    """A section while its blocks are being read."""

    def __init__(self, section_id: str, title: str, line: int) -> None:
        self.id = section_id
        self.title = title
        self.line = line
        self.blocks: list[Block] = []
        self.texts: list[str] = []
        self.holds_quiz = False

    def add(self, block: Block, text: str) -> None:
        self.blocks.append(block)
        if text:
            self.texts.append(text)


class _ModuleReader:
    """Reads one Markdown file, collecting every problem instead of stopping at the first."""

    def __init__(self, path: Path, sources: dict[str, Source], today: date | None) -> None:
        self.path = path
        self.shown = display_path(path)
        self.sources = sources
        self.today = today
        self.problems: list[Problem] = []
        self.lines: list[str] = []
        self.slug: str | None = None
        self.slug_line = 1
        # Facts from the front matter, known even when it fails validation elsewhere.
        self.kind: str | None = None
        self.topics: set[str] = set()
        self.declared_sources: set[str] | None = None
        self.front_document: YamlDocument | None = None
        # Facts from the body.
        self.has_support = False
        self.quiz_seen = False
        self.quiz_questions: tuple[Question, ...] | None = None
        self.quiz_texts: list[str] = []
        self.ask_ids: set[str] = set()
        self.scenario_ids: set[str] = set()

    def error(self, line: int, message: str) -> None:
        self.problems.append(Problem(self.shown, line, message))

    def warn(self, line: int, message: str) -> None:
        self.problems.append(Problem(self.shown, line, message, "warning"))

    def front_line(self, *path: str | int) -> int:
        """1-based file line of a front-matter key (line 1, the `---`, when it is absent)."""
        if self.front_document is None:
            return 1
        node_path = list(path)
        if node_path and not self._front_has(node_path[0]):
            return 1
        return self.front_document.line_of(node_path) + 2

    def _front_has(self, key: str | int) -> bool:
        data = self.front_document.data if self.front_document else None
        return isinstance(data, dict) and key in data

    # -- whole file

    def read(self) -> Module | None:
        try:
            text = self.path.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            self.error(1, "not UTF-8 text")
            return None
        self.lines = text.splitlines()
        env: EnvType = {}
        tokens = md.parse(text, env)
        if not tokens or tokens[0].type != "front_matter":
            if self.lines and self.lines[0].startswith("---"):
                self.error(1, "front matter is not closed: add a `---` line after it")
            else:
                self.error(1, "missing front matter: start the file with a `---` block")
            return None

        front = self._read_front_matter(tokens[0])
        sections, words = self._read_body(tokens[1:], env)
        estimate = self._estimate(sections, words)
        self._check_whole_file(front, sections, estimate)
        if front is None:
            return None
        return self._build_module(front, sections, estimate)

    def _estimate(self, sections: list[Section], words: int) -> TimeEstimate:
        """The time model applied to what was read: words, questions, scenarios, prompts."""
        blocks = [block for section in sections for block in section.blocks]
        return TimeEstimate(
            words=words,
            questions=len(self.quiz_questions or ()),
            scenarios=sum(1 for block in blocks if isinstance(block, Scenario)),
            reflection_prompts=sum(
                len(block.prompts) for block in blocks if isinstance(block, Reflect)
            ),
        )

    def _build_module(
        self,
        front: ModuleFrontMatter | AppCardFrontMatter,
        sections: list[Section],
        estimate: TimeEstimate,
    ) -> Module:
        changelog = sorted(front.changelog, key=lambda entry: entry.version, reverse=True)
        app_card = front if isinstance(front, AppCardFrontMatter) else None
        quiz = None
        if self.quiz_questions is not None:
            quiz = Quiz(front.pass_mark, self.quiz_questions)
        return Module(
            slug=front.slug,
            title=front.title,
            kind=front.kind,
            order=front.order,
            summary=front.summary,
            topics=tuple(front.topics),
            version=front.version,
            updated=front.updated,
            refresh_after_days=front.refresh_after_days,
            content_warning=front.content_warning,
            pass_mark=front.pass_mark,
            sources=tuple(front.sources),
            co_designed=front.co_designed,
            changelog=tuple(
                ChangelogEntry(entry.version, entry.date, entry.major, entry.summary)
                for entry in changelog
            ),
            sections=tuple(sections),
            quiz=quiz,
            minutes=estimate.minutes,
            words=estimate.words,
            path=self.path,
            category=app_card.category if app_card else None,
            age_rating=app_card.age_rating if app_card else None,
            last_reviewed=app_card.last_reviewed if app_card else None,
            review_by=app_card.review_by if app_card else None,
            also_known_as=tuple(app_card.also_known_as) if app_card else (),
            time_limit_minutes=front.time_limit_minutes,
        )

    # -- front matter

    def _read_front_matter(self, token: Token) -> ModuleFrontMatter | AppCardFrontMatter | None:
        try:
            document = parse_yaml(token.content)
        except YamlSyntaxError as exc:
            self.error(exc.line + 2, f"front matter is not valid YAML: {exc.problem}")
            return None
        self.front_document = document
        for line, key in document.duplicate_keys():
            self.error(line + 2, f"duplicate front-matter key `{key}`")
        data = document.data
        if not isinstance(data, dict):
            self.error(1, "front matter must be `key: value` lines")
            return None

        self._remember_front_facts(data)
        model_class = {"module": ModuleFrontMatter, "app": AppCardFrontMatter}.get(
            str(data.get("kind"))
        )
        front: ModuleFrontMatter | AppCardFrontMatter | None = None
        if "kind" not in data:
            self.error(1, "missing required front-matter key `kind`")
        elif model_class is None:
            self.error(self.front_line("kind"), "`kind` must be `module` or `app`")
        else:
            try:
                front = model_class.model_validate(data)
            except ValidationError as exc:
                for error in exc.errors():
                    location = [part for part in error["loc"] if isinstance(part, str | int)]
                    if error["type"] == "missing":
                        line = self.front_line(*location[:-1]) if len(location) > 1 else 1
                    else:
                        line = self.front_line(*location)
                    self.error(line, _describe_validation_error(error, "front-matter key"))
        self._check_front_facts(data)
        return front

    def _remember_front_facts(self, data: dict[str, Any]) -> None:
        self.kind = data.get("kind") if isinstance(data.get("kind"), str) else None
        if isinstance(data.get("slug"), str):
            self.slug = data["slug"]
            self.slug_line = self.front_line("slug")
        topics = data.get("topics")
        if isinstance(topics, list):
            self.topics = {topic for topic in topics if isinstance(topic, str)}
        sources = data.get("sources")
        if isinstance(sources, list):
            self.declared_sources = {source for source in sources if isinstance(source, str)}

    def _check_front_facts(self, data: dict[str, Any]) -> None:
        """Checks that need more than a type: file name, topic list, source registries."""
        if self.slug is not None and self.slug != self.path.stem:
            self.error(
                self.slug_line,
                f"slug `{self.slug}` does not match the file name `{self.path.name}`",
            )
        topics = data.get("topics")
        if isinstance(topics, list):
            for position, topic in enumerate(topics):
                if isinstance(topic, str) and topic not in TOPICS:
                    self.error(
                        self.front_line("topics", position),
                        f"unknown topic `{topic}` (see the topic list in modules/README.md)",
                    )
        sources = data.get("sources")
        if isinstance(sources, list):
            for position, source in enumerate(sources):
                if isinstance(source, str) and source not in self.sources:
                    self.error(self.front_line("sources", position), self._unknown_source(source))
        category = data.get("category")
        if self.kind == "app" and isinstance(category, str) and category not in APP_CATEGORIES:
            self.error(
                self.front_line("category"),
                f"unknown category `{category}` (one of: {', '.join(APP_CATEGORIES)})",
            )

    @staticmethod
    def _unknown_source(source: str) -> str:
        return f"unknown source `{source}` (not in modules/sources.yml or modules/apps/sources.yml)"

    # -- body

    def _read_body(self, tokens: list[Token], env: EnvType) -> tuple[list[Section], int]:
        """Splits the body into sections of blocks; returns them with the word count."""
        section_ids = {
            slugify(_inline_text(tokens[index + 1].children or []))
            for index, token in enumerate(tokens)
            if token.type == "heading_open" and token.tag == "h2" and token.level == 0
        }
        self._make_heading_ids_unique(tokens, section_ids)
        self._report_misplaced_tokens(tokens)

        drafts: list[_SectionDraft] = []
        seen_section_ids: set[str] = set()
        prose: list[Token] = []
        reported_orphan = False

        def current() -> _SectionDraft | None:
            return drafts[-1] if drafts else None

        def flush_prose() -> None:
            nonlocal reported_orphan
            if not prose:
                return
            html = _render(prose, env)
            text = plain_text(prose)
            first_line = next((token.map[0] + 1 for token in prose if token.map), 1)
            prose.clear()
            section = current()
            if section is None:
                if not reported_orphan:
                    self.error(
                        first_line, "text before the first `##` heading: put it in a section"
                    )
                    reported_orphan = True
                return
            section.add(Prose(html), text)

        index = 0
        while index < len(tokens):
            token = tokens[index]
            line = (token.map[0] + 1) if token.map else 1
            if token.type == "heading_open" and token.tag == "h2":
                flush_prose()
                title = _inline_text(tokens[index + 1].children or [])
                section_id = slugify(title)
                if section_id in seen_section_ids:
                    self.error(line, f"duplicate section id `{section_id}` (heading `{title}`)")
                seen_section_ids.add(section_id)
                drafts.append(_SectionDraft(section_id, title, line))
                index = _matching_close(tokens, index) + 1
                continue
            if token.type == "heading_open" and token.tag == "h1":
                index = _matching_close(tokens, index) + 1  # reported; not part of any section
                continue
            if token.type == _CONTAINER_OPEN:
                flush_prose()
                close = _matching_close(tokens, index)
                block = self._read_container(tokens, index, close)
                if block is not None:
                    section = current()
                    if section is None:
                        if not reported_orphan:
                            self.error(
                                line, "text before the first `##` heading: put it in a section"
                            )
                            reported_orphan = True
                    else:
                        section.add(*block)
                index = close + 1
                continue
            if _is_quiz_fence(token):
                flush_prose()
                self._read_quiz(token)
                section = current()
                if section is not None:
                    section.holds_quiz = True
                index += 1
                continue
            close = _matching_close(tokens, index) if token.nesting == 1 else index
            prose.extend(tokens[index : close + 1])
            index = close + 1
        flush_prose()

        sections: list[Section] = []
        words = count_words("\n".join(self.quiz_texts))
        for draft in drafts:
            text = "\n\n".join(draft.texts)
            words += count_words(draft.title) + count_words(text)
            if not draft.blocks:
                if not draft.holds_quiz:
                    self.warn(draft.line, f"section `{draft.id}` is empty")
                continue
            sections.append(
                Section(draft.id, draft.title, tuple(draft.blocks), text, count_words(text))
            )
        return sections, words

    @staticmethod
    def _make_heading_ids_unique(tokens: list[Token], section_ids: set[str]) -> None:
        """`###` ids must not clash with section ids: both end up as ids on one page."""
        used = set(section_ids)
        used.update(
            str(token.attrGet("id"))
            for token in tokens
            if token.type == "heading_open" and token.tag != "h2" and token.attrGet("id")
        )
        for token in tokens:
            heading_id = token.attrGet("id") if token.type == "heading_open" else None
            if token.tag == "h2" or not heading_id or heading_id not in section_ids:
                continue
            suffix = 2
            while f"{heading_id}-{suffix}" in used:
                suffix += 1
            token.attrSet("id", f"{heading_id}-{suffix}")
            used.add(f"{heading_id}-{suffix}")

    def _report_misplaced_tokens(self, tokens: list[Token]) -> None:
        """Level-1 headings, stray `:::` lines, and blocks or quizzes hidden inside lists."""
        inside_block = False
        for index, token in enumerate(tokens):
            line = (token.map[0] + 1) if token.map else 1
            if token.type.startswith(f"container_{CONTAINER_NAME}_") and token.level == 0:
                inside_block = token.nesting == 1
            elif token.type == _CONTAINER_OPEN and not inside_block:
                name = token.info.strip().partition(" ")[0]
                self.error(line, f"`::: {name}` must start its own line, outside lists and quotes")
            elif token.type == "heading_open" and token.tag == "h1":
                title = _inline_text(tokens[index + 1].children or [])
                self.error(
                    line,
                    f"level-1 heading `# {title}`: the title comes from the front matter, "
                    "so start sections with `##`",
                )
            elif token.type == "paragraph_open" and token.map:
                start, end = token.map
                for offset, source_line in enumerate(self.lines[start:end]):
                    if _CLOSING_LINE.fullmatch(source_line):
                        self.error(start + offset + 1, "`:::` closes no open block")
            elif _is_quiz_fence(token) and token.level > 0:
                self.error(line, "the ```quiz block must not be inside a list or a `:::` block")

    # -- blocks

    def _read_container(
        self, tokens: list[Token], open_index: int, close_index: int
    ) -> tuple[Block, str] | None:
        """Builds one `::: name` block from its source lines; returns it with its plain text."""
        token = tokens[open_index]
        start, end = token.map or (0, 0)
        line = start + 1
        name, _, argument = token.info.strip().partition(" ")
        argument = argument.strip()

        trouble = False
        for inner in tokens[open_index + 1 : close_index]:
            inner_line = (inner.map[0] + 1) if inner.map else line
            if inner.type == _CONTAINER_OPEN:
                inner_name = inner.info.strip().partition(" ")[0]
                self.error(
                    inner_line,
                    f"`::: {inner_name}` starts inside the `::: {name}` block on line {line}: "
                    "blocks cannot be nested (is a closing `:::` missing?)",
                )
                trouble = True
                break
            if inner.type == "heading_open" and inner.tag == "h2":
                self.error(
                    inner_line,
                    f"`##` heading inside the `::: {name}` block on line {line} "
                    "(is a closing `:::` missing?)",
                )
                trouble = True
                break
        closed = end < len(self.lines) and _CLOSING_LINE.fullmatch(self.lines[end]) is not None
        if not closed and not trouble:
            self.error(line, f"`::: {name}` block is not closed: add a `:::` line after it")
        if trouble or not closed:
            return None
        if name not in BLOCK_NAMES:
            self.error(line, f"unknown block `::: {name}` (blocks are {_BLOCK_LIST})")
            return None

        body = "\n".join(self.lines[start + 1 : end])
        if name == "quote":
            return self._read_quote(argument, start, end)
        if name == "scenario":
            return self._read_scenario(argument, start, body)
        if name == "ask":
            return self._read_ask(start, body)
        if name == "key-points":
            return self._read_key_points(start, body)
        if name == "support":
            return self._read_support(body)
        return self._read_reflect(start, body)

    def _check_cited_source(self, name: str, source: str, line: int) -> None:
        if not source:
            written_for_askwell = " (or `::: scenario illustrative`)" if name == "scenario" else ""
            self.error(
                line,
                f"`::: {name}` needs a source id, e.g. `::: {name} derges-2023`"
                + written_for_askwell,
            )
        elif source not in self.sources:
            self.error(line, self._unknown_source(source))
        elif self.declared_sources is not None and source not in self.declared_sources:
            self.error(line, f"{name} cites `{source}`, which is not in this module's `sources`")

    def _read_quote(self, source: str, start: int, end: int) -> tuple[Block, str] | None:
        line = start + 1
        self._check_cited_source("quote", source, line)
        body_lines = self.lines[start + 1 : end]
        while body_lines and not body_lines[-1].strip():
            body_lines.pop()
        if not body_lines or not body_lines[-1].lstrip().startswith(_ATTRIBUTION_PREFIX):
            self.error(
                line,
                "quote has no attribution: its last line must start with `— ` "
                "(an em dash and a space)",
            )
            return None
        attribution = body_lines[-1].lstrip()[len(_ATTRIBUTION_PREFIX) :].strip()
        attribution_line = start + 1 + len(body_lines)
        quote_markdown = "\n".join(body_lines[:-1]).strip()
        if not attribution:
            self.error(attribution_line, "quote attribution is empty")
            return None
        if attribution.startswith("[") and attribution.endswith("]"):
            self.error(attribution_line, "write the quote's attribution without brackets")
        if not quote_markdown:
            self.error(line, "quote has no words before its attribution")
            return None
        tokens = md.parse(quote_markdown)
        quote = Quote(_render(tokens, {}), attribution, source, text=quote_markdown)
        return quote, f"{plain_text(tokens)}\n{attribution}"

    def _read_yaml_body(
        self, name: str, start: int, body: str, allowed: frozenset[str]
    ) -> YamlDocument | None:
        try:
            document = parse_yaml(body)
        except YamlSyntaxError as exc:
            self.error(start + 2 + exc.line, f"`::: {name}` block is not valid YAML: {exc.problem}")
            return None
        for line, key in document.duplicate_keys():
            self.error(start + 2 + line, f"duplicate key `{key}` in `::: {name}` block")
        if not isinstance(document.data, dict):
            self.error(start + 1, f"`::: {name}` block must be `key: value` lines")
            return None
        for key in document.data:
            if key not in allowed:
                self.error(
                    start + 2 + document.line_of([key]),
                    f"unknown key `{key}` in `::: {name}` block",
                )
        return document

    def _text(
        self, document: YamlDocument, path: Sequence[str | int], first_line: int
    ) -> str | None:
        """A text value exactly as written (so `No` stays "No", not False); None if absent."""
        node = document.node
        for part in path:
            if isinstance(node, MappingNode):
                node = next(
                    (
                        value
                        for key, value in node.value
                        if isinstance(key, ScalarNode) and key.value == str(part)
                    ),
                    None,
                )
            elif isinstance(node, SequenceNode) and isinstance(part, int):
                node = node.value[part] if part < len(node.value) else None
            else:
                node = None
        if node is None or node.tag == _NULL_TAG:
            return None
        if not isinstance(node, ScalarNode):
            self.error(
                first_line + document.line_of(path), f"`{path[-1]}` must be text, not a list"
            )
            return None
        return node.value.strip() or None

    def _read_block_id(
        self, name: str, document: YamlDocument, start: int, seen: set[str]
    ) -> str | None:
        block_id = self._text(document, ["id"], start + 2)
        if block_id is None:
            self.error(start + 1, f"{name} needs an `id`")
            return None
        id_line = start + 2 + document.line_of(["id"])
        if not _SLUG.fullmatch(block_id):
            self.error(
                id_line, f"{name} id `{block_id}` must be lower-case words joined by hyphens"
            )
        if block_id in seen:
            self.error(id_line, f"duplicate {name} id `{block_id}`")
        seen.add(block_id)
        return block_id

    def _read_scenario(self, source: str, start: int, body: str) -> tuple[Block, str] | None:
        """A study scenario quotes a source; `::: scenario illustrative` was written for Askwell.

        The two never mix: an illustrative scenario's words are never taken for a quote
        (so never checked as one), and a quote always keeps its attribution.
        """
        illustrative = source == ILLUSTRATIVE
        if not illustrative:
            self._check_cited_source("scenario", source, start + 1)
        keys = _ILLUSTRATIVE_SCENARIO_KEYS if illustrative else _SCENARIO_KEYS
        document = self._read_yaml_body("scenario", start, body, keys | _SCENARIO_KEY_ADVICE.keys())
        if document is None:
            return None
        misplaced = [key for key in document.data if key in _SCENARIO_KEY_ADVICE.keys() - keys]
        for key in misplaced:
            self.error(start + 2 + document.line_of([key]), _SCENARIO_KEY_ADVICE[key])
        scenario_id = self._read_block_id("scenario", document, start, self.scenario_ids)
        label = f"scenario `{scenario_id}`" if scenario_id else "scenario"
        values = {key: self._text(document, [key], start + 2) for key in keys - {"id"}}
        spoken = ("says",) if illustrative else ("quote", "attribution")
        missing = [key for key in (*spoken, "response") if not values[key]]
        for key in missing:
            self.error(start + 1, f"{label} needs `{key}`")
        setting_illustrative = (
            False if illustrative else document.data.get("setting_illustrative", False)
        )
        if not isinstance(setting_illustrative, bool):
            self.error(
                start + 2 + document.line_of(["setting_illustrative"]),
                f"{label}: `setting_illustrative` must be true or false",
            )
        elif setting_illustrative and not values.get("setting"):
            self.error(
                start + 2 + document.line_of(["setting_illustrative"]),
                f"{label} has `setting_illustrative: true` but no `setting`",
            )
        if scenario_id is None or missing or misplaced:
            return None
        response_tokens = md.parse(values["response"] or "")
        scenario = Scenario(
            id=scenario_id,
            setting=values["setting"] or "",
            quote=values.get("quote") or "",
            attribution=values.get("attribution") or "",
            source="" if illustrative else source,
            question=values["question"] or DEFAULT_SCENARIO_QUESTION,
            response_html=_render(response_tokens, {}),
            says=values.get("says") or "",
            illustrative=illustrative,
            setting_illustrative=setting_illustrative is True,
        )
        text = "\n".join(
            part
            for part in (
                scenario.setting,
                scenario.quote,
                scenario.says,
                scenario.attribution,
                scenario.question,
                plain_text(response_tokens),
            )
            if part
        )
        return scenario, text

    def _read_ask(self, start: int, body: str) -> tuple[Block, str] | None:
        document = self._read_yaml_body("ask", start, body, _ASK_KEYS)
        if document is None:
            return None
        ask_id = self._read_block_id("ask", document, start, self.ask_ids)
        label = f"ask `{ask_id}`" if ask_id else "ask"
        values = {key: self._text(document, [key], start + 2) for key in ("do", "dont", "why")}
        missing = [key for key, value in values.items() if not value]
        for key in missing:
            self.error(start + 1, f"{label} needs `{key}`")
        if ask_id is None or missing:
            return None
        ask = Ask(ask_id, values["do"] or "", values["dont"] or "", values["why"] or "")
        return ask, f"{ask.do}\n{ask.dont}\n{ask.why}"

    def _bullet_items(self, name: str, start: int, body: str) -> tuple[list[str], str] | None:
        tokens = md.parse(body)
        outline = [token.type for token in tokens if token.level == 0]
        if outline != ["bullet_list_open", "bullet_list_close"]:
            self.error(start + 1, f"`::: {name}` must be one bullet list (lines starting `- `)")
            return None
        items: list[str] = []
        for index, token in enumerate(tokens):
            if token.type == "list_item_open" and token.level == 1:
                close = _matching_close(tokens, index)
                items.append(" ".join(plain_text(tokens[index + 1 : close]).split()))
        return items, _render(tokens, {})

    def _read_key_points(self, start: int, body: str) -> tuple[Block, str] | None:
        parsed = self._bullet_items("key-points", start, body)
        if parsed is None:
            return None
        items, html = parsed
        if not 3 <= len(items) <= 6:
            self.warn(start + 1, f"key points has {len(items)} bullets: keep it to three to six")
        return KeyPoints(tuple(items), html), "\n".join(items)

    def _read_reflect(self, start: int, body: str) -> tuple[Block, str] | None:
        parsed = self._bullet_items("reflect", start, body)
        if parsed is None:
            return None
        prompts = tuple(parsed[0])
        return Reflect(prompts), "\n".join(prompts)

    def _read_support(self, body: str) -> tuple[Block, str]:
        self.has_support = True
        tokens = md.parse(body) if body.strip() else []
        support = Support(_render(tokens, {}), "eating-disorders" in self.topics)
        return support, plain_text(tokens)

    # -- quiz

    def _read_quiz(self, token: Token) -> None:
        open_line = (token.map[0] + 1) if token.map else 1
        if self.quiz_seen:
            self.error(open_line, "more than one quiz block: a module has one quiz")
            return
        self.quiz_seen = True
        try:
            document = parse_yaml(token.content)
        except YamlSyntaxError as exc:
            self.error(open_line + 1 + exc.line, f"quiz is not valid YAML: {exc.problem}")
            return
        for line, key in document.duplicate_keys():
            self.error(open_line + 1 + line, f"duplicate key `{key}` in the quiz")
        if not isinstance(document.data, list) or not document.data:
            self.error(open_line, "the quiz must be a YAML list of questions (`- id: q1` …)")
            return
        question_ids: set[str] = set()
        questions = [
            self._read_question(document, position, open_line + 1, question_ids)
            for position in range(len(document.data))
        ]
        self.quiz_questions = tuple(question for question in questions if question is not None)
        for warning in balance_warnings(self.quiz_questions):
            self.warn(open_line, warning)

    def _read_question(
        self, document: YamlDocument, position: int, first_line: int, seen: set[str]
    ) -> Question | None:
        def line_of(*path: str | int) -> int:
            return first_line + document.line_of([position, *path])

        def text(*path: str | int) -> str | None:
            return self._text(document, [position, *path], first_line)

        raw = document.data[position]
        question_line = line_of()
        if not isinstance(raw, dict):
            self.error(question_line, f"question {position + 1} must be `key: value` lines")
            return None
        question_id = text("id")
        label = f"question `{question_id}`" if question_id else f"question {position + 1}"
        for key in raw:
            if key not in _QUESTION_KEYS:
                self.error(line_of(key), f"unknown key `{key}` in {label}")
        if question_id is None:
            self.error(question_line, f"{label} has no `id`")
        elif question_id in seen:
            self.error(line_of("id"), f"duplicate question id `{question_id}`")
        if question_id:
            seen.add(question_id)

        question_type = text("type")
        if question_type not in QUESTION_TYPES:
            where = line_of("type") if "type" in raw else question_line
            self.error(where, f"{label}: `type` must be single, multiple or true_false")
        prompt = text("prompt")
        if prompt is None:
            self.error(question_line, f"{label} has no prompt")
        else:
            self.quiz_texts.append(prompt)

        raw_options = raw.get("options")
        if not isinstance(raw_options, list):
            self.error(line_of("options"), f"{label} needs a list of `options`")
            return None
        if len(raw_options) < 2 and question_type != "true_false":
            self.error(line_of("options"), f"{label} needs at least two options")

        options: list[Option] = []
        for number in range(len(raw_options)):
            option = self._read_option(document, position, number, first_line, label)
            if option is not None:
                options.append(option)
        correct = sum(1 for option in options if option.correct)
        if options and correct == 0:
            self.error(question_line, f"{label} has no correct option")
        if question_type in ("single", "true_false") and correct > 1:
            self.error(
                question_line, f"{label} is `{question_type}` but has {correct} correct options"
            )
        if question_type == "true_false" and sorted(option.text for option in options) != [
            "False",
            "True",
        ]:
            self.error(
                question_line,
                f"{label} is `true_false`: it needs exactly two options, `True` and `False`",
            )
        if question_id is None or question_type is None or prompt is None:
            return None
        return Question(question_id, question_type, prompt, tuple(options))

    def _read_option(
        self, document: YamlDocument, position: int, number: int, first_line: int, label: str
    ) -> Option | None:
        path: list[str | int] = [position, "options", number]
        option_id = ascii_lowercase[number] if number < len(ascii_lowercase) else str(number + 1)
        option_line = first_line + document.line_of(path)
        raw = document.data[position]["options"][number]
        name = f"option {option_id} of {label}"
        if not isinstance(raw, dict):
            self.error(option_line, f"{name} must be `key: value` lines")
            return None
        for key in raw:
            if key not in _OPTION_KEYS:
                self.error(
                    first_line + document.line_of([*path, key]), f"unknown key `{key}` in {name}"
                )
        text = self._text(document, [*path, "text"], first_line)
        feedback = self._text(document, [*path, "feedback"], first_line)
        correct = raw.get("correct", False)
        if text is None:
            self.error(option_line, f"{name} has no text")
        if feedback is None:
            self.error(option_line, f"{name} has no feedback")
        if not isinstance(correct, bool):
            self.error(
                first_line + document.line_of([*path, "correct"]),
                f"{name}: `correct` must be true or false",
            )
            correct = False
        self.quiz_texts.extend(part for part in (text, feedback) if part)
        return Option(option_id, text or "", correct, feedback or "")

    # -- rules about the whole file

    def _check_whole_file(
        self,
        front: ModuleFrontMatter | AppCardFrontMatter | None,
        sections: list[Section],
        estimate: TimeEstimate,
    ) -> None:
        data = self.front_document.data if self.front_document else None
        if not isinstance(data, dict):
            return
        if self.kind == "module":
            co_designed = data.get("co_designed")
            if not (isinstance(co_designed, str) and co_designed.strip()):
                self.error(
                    self.front_line("co_designed"),
                    "a module needs `co_designed`: how young people's words shaped it",
                )
            if not sections:
                self.error(1, "a module needs at least one `##` section")
            if not self.quiz_seen:
                self.error(1, "a module needs a quiz: a ```quiz block at the end")
        if self.kind == "app" and data.get("sources") == []:
            self.error(self.front_line("sources"), "an app card needs at least one source")

        sensitive = sorted(self.topics & SENSITIVE_TOPICS)
        if sensitive:
            names = ", ".join(f"`{topic}`" for topic in sensitive)
            warning = data.get("content_warning")
            if not (isinstance(warning, str) and warning.strip()):
                where = "content_warning" if "content_warning" in data else "topics"
                self.error(
                    self.front_line(where), f"sensitive topics ({names}) need a `content_warning`"
                )
            if not self.has_support:
                self.error(
                    self.front_line("topics"),
                    f"sensitive topics ({names}) need a `::: support` block after the "
                    "sensitive material",
                )

        self._check_time(front, estimate)
        if front is not None:
            self._check_changelog(front)
            if isinstance(front, AppCardFrontMatter):
                self._check_review_dates(front)

    def _check_time(
        self, front: ModuleFrontMatter | AppCardFrontMatter | None, estimate: TimeEstimate
    ) -> None:
        """Holds the file to its promise: 15 minutes, or the less it sets itself."""
        limit = front.time_limit_minutes if front is not None else MAX_MINUTES
        if estimate.minutes <= limit:
            return
        own_limit = front is not None and "time_limit_minutes" in front.model_fields_set
        self.error(
            self.front_line("time_limit_minutes") if own_limit else 1,
            f"estimated {estimate.minutes} minutes: {estimate.breakdown()}; it must be "
            f"{limit} or less" + (" (its `time_limit_minutes`)" if own_limit else ""),
        )

    def _check_changelog(self, front: ModuleFrontMatter | AppCardFrontMatter) -> None:
        versions_seen: set[int] = set()
        for position, entry in enumerate(front.changelog):
            line = self.front_line("changelog", position)
            if entry.version > front.version:
                self.error(
                    line,
                    f"changelog entry for version {entry.version} is later than the current "
                    f"version {front.version}",
                )
            if entry.version in versions_seen:
                self.error(line, f"changelog has more than one entry for version {entry.version}")
            versions_seen.add(entry.version)
        if front.version not in versions_seen:
            self.error(
                self.front_line("changelog"),
                f"changelog has no entry for version {front.version} (the current version)",
            )

    def _check_review_dates(self, front: AppCardFrontMatter) -> None:
        if front.review_by < front.last_reviewed:
            self.error(self.front_line("review_by"), "review_by is before last_reviewed")
        if self.today is not None and self.today > front.review_by:
            self.warn(
                self.front_line("review_by"),
                f"review_by {front.review_by.isoformat()} has passed: check the card against "
                "its sources, then update last_reviewed and review_by",
            )

"""YAML that remembers where things are, so every problem points at its line."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode


class YamlSyntaxError(Exception):
    """Invalid YAML; `line` is 0-based within the YAML text."""

    def __init__(self, line: int, problem: str) -> None:
        super().__init__(problem)
        self.line = line
        self.problem = problem


@dataclass(frozen=True, slots=True)
class YamlDocument:
    data: Any
    node: Node | None

    def line_of(self, path: Sequence[str | int] = ()) -> int:
        """0-based line of the deepest part of `path` that exists (a key's line for mappings)."""
        if self.node is None:
            return 0
        current: Node = self.node
        line = current.start_mark.line
        for part in path:
            if isinstance(current, MappingNode):
                match = next(
                    (
                        (key, value)
                        for key, value in current.value
                        if isinstance(key, ScalarNode) and key.value == str(part)
                    ),
                    None,
                )
                if match is None:
                    return line
                line = match[0].start_mark.line
                current = match[1]
            elif isinstance(current, SequenceNode) and isinstance(part, int):
                if part >= len(current.value):
                    return line
                current = current.value[part]
                line = current.start_mark.line
            else:
                return line
        return line

    def duplicate_keys(self) -> Iterator[tuple[int, str]]:
        """YAML silently keeps the last of two equal keys; authors need to hear about it."""
        if self.node is not None:
            yield from _duplicate_keys(self.node)


def _duplicate_keys(node: Node) -> Iterator[tuple[int, str]]:
    if isinstance(node, MappingNode):
        seen: set[str] = set()
        for key, value in node.value:
            if isinstance(key, ScalarNode):
                if key.value in seen:
                    yield key.start_mark.line, key.value
                seen.add(key.value)
            yield from _duplicate_keys(value)
    elif isinstance(node, SequenceNode):
        for item in node.value:
            yield from _duplicate_keys(item)


def _first_bad_scalar_line(node: Node | None) -> int:
    """Finds the scalar (usually an impossible date) that the constructor refused."""
    pending: list[Node] = [node] if node is not None else []
    while pending:
        current = pending.pop(0)
        if isinstance(current, ScalarNode):
            try:
                _SafeLoader("").construct_object(current)
            except ValueError:
                return current.start_mark.line
        elif isinstance(current, MappingNode):
            pending.extend(part for pair in current.value for part in pair)
        elif isinstance(current, SequenceNode):
            pending.extend(current.value)
    return 0


# libyaml is several times faster; the pure-Python loader gives the same nodes and marks.
_SafeLoader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def parse_yaml(text: str) -> YamlDocument:
    """Parses once, keeping both the Python data and the node tree with line marks."""
    loader = _SafeLoader(text)
    try:
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else None
    except yaml.MarkedYAMLError as exc:
        problem = exc.problem or exc.context or "invalid YAML"
        mark = exc.problem_mark or exc.context_mark
        context = exc.context or ""
        if exc.context_mark and ("flow" in context or "quoted scalar" in context):
            # An unclosed bracket or quote is noticed lines later; point at where it opened.
            mark = exc.context_mark
            problem = f"{problem} ({context})"
        raise YamlSyntaxError(mark.line if mark else 0, problem) from exc
    except ValueError as exc:
        # An impossible date such as 2026-13-01 fails while constructing, without a mark.
        raise YamlSyntaxError(_first_bad_scalar_line(node), str(exc)) from exc
    except yaml.YAMLError as exc:
        raise YamlSyntaxError(0, str(exc)) from exc
    finally:
        loader.dispose()
    return YamlDocument(data=data, node=node)

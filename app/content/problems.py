"""Problems found in content, reported as `path:line: message` like a compiler."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Literal

Level = Literal["error", "warning"]


def display_path(path: Path) -> str:
    """Relative to the current directory when possible, so editors can jump to the line."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except (ValueError, OSError):
        return str(path)


@dataclass(frozen=True, slots=True, order=True)
class Problem:
    path: str
    line: int
    message: str
    level: Level = "error"

    def __str__(self) -> str:
        prefix = "warning: " if self.level == "warning" else ""
        return f"{self.path}:{self.line}: {prefix}{self.message}"

    @property
    def is_error(self) -> bool:
        return self.level == "error"


class ContentError(Exception):
    """Raised at start-up when content is broken, so a bad module never reaches practitioners."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        errors = [problem for problem in problems if problem.is_error]
        lines = "\n".join(str(problem) for problem in errors)
        super().__init__(f"{len(errors)} content error(s):\n{lines}")

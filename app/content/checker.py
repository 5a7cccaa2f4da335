"""`askwell content check`: every problem in every file, so authors fix them in one go."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from app.content.loader import compile_content
from app.content.problems import ContentError, Problem

__all__ = ["ContentError", "Problem", "check_content"]


def check_content(modules_dir: Path, today: date | None = None) -> list[Problem]:
    """Lists errors and warnings, sorted by file and line.

    `today` decides which app cards are past `review_by`; that is only ever a
    warning, so the passing of time never breaks the build.
    """
    _index, problems = compile_content(modules_dir, today or date.today())
    return problems

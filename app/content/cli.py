"""The `content` commands, mounted by the main CLI as `askwell content`."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from app.content.checker import check_content
from app.content.loader import content_files

content_app = typer.Typer(
    help="Check Askwell's training content (modules and app cards).",
    no_args_is_help=True,
    add_completion=False,
)


@content_app.callback()
def content() -> None:
    """Check Askwell's training content (modules and app cards)."""


def _plural(count: int, word: str) -> str:
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


@content_app.command()
def check(
    directory: Annotated[
        Path, typer.Argument(metavar="DIR", help="The modules folder to check.")
    ] = Path("modules"),
    strict: Annotated[
        bool, typer.Option("--strict", help="Exit 1 on warnings too, not only on errors.")
    ] = False,
) -> None:
    """Print every problem as `path:line: message`; exit 1 if any is an error.

    Warnings (an unbalanced quiz, an app card past review) leave the exit code alone, so
    the passing of time never breaks the build; `--strict` makes them fail it as well.
    """
    problems = check_content(directory)
    for problem in problems:
        typer.echo(str(problem))
    errors = sum(1 for problem in problems if problem.is_error)
    warnings = len(problems) - errors
    files = len(content_files(directory)) if directory.is_dir() else 0
    if problems:
        summary = f"{_plural(errors, 'error')}, {_plural(warnings, 'warning')}"
    else:
        summary = "no problems"
    typer.echo(f"Checked {_plural(files, 'file')} in {directory}: {summary}.")
    if errors or (strict and warnings):
        raise typer.Exit(code=1)

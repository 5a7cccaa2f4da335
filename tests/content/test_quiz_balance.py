"""Quiz balance: warnings when the right answer could be found without knowing it.

Each quiz is written out as (type, option texts, index of the right option), so the
test reads like the file an author would write.
"""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from app.content import check_content
from app.content.cli import content_app

FRONT_MATTER = """---
slug: {slug}
title: A quiz under test
kind: module
summary: Only its quiz matters here.
topics: [asking]
version: 1
updated: 2026-11-26
sources: []
co_designed: Young people chose the examples.
changelog:
  - {{version: 1, date: 2026-11-26, major: true, summary: First published}}
---

## Why it matters

Ask every young person.

## Check your understanding

```quiz
"""
QUIZ_LINE = 21  # the line of the ```quiz fence: where the warnings point

# Four options of equal length, so only what a test changes can lean.
EVEN = ["Ask them", "Tell them", "Wait a bit", "Refer on"]
EVEN = [text.ljust(10, ".") for text in EVEN]
LONG = "Ask what they get from it and what worries them"

Spec = tuple[str, list[str], int]


def write_quiz(modules_dir: Path, slug: str, questions: list[Spec]) -> None:
    lines = [FRONT_MATTER.format(slug=slug)]
    for number, (kind, texts, right) in enumerate(questions, start=1):
        lines.append(f"- id: q{number}\n  type: {kind}\n  prompt: Question {number}?\n")
        lines.append("  options:\n")
        for index, text in enumerate(texts):
            lines.append(f'    - text: "{text}"\n')
            if index == right:
                lines.append("      correct: true\n")
            lines.append("      feedback: Because.\n")
    lines.append("```\n")
    (modules_dir / f"{slug}.md").write_text("".join(lines))


def single(right: int, texts: list[str] | None = None) -> Spec:
    return ("single", texts or EVEN, right)


def true_false(answer: bool) -> Spec:
    return ("true_false", ["True", "False"], 0 if answer else 1)


def warnings(modules_dir: Path, today) -> list[str]:
    return [str(problem) for problem in check_content(modules_dir, today=today)]


def with_longest_right(right: int) -> list[str]:
    return [LONG if index == right else text for index, text in enumerate(EVEN)]


def test_a_balanced_quiz_raises_no_warning(modules_dir, today) -> None:
    quiz = [
        single(0),
        single(3, with_longest_right(3)),
        single(1),
        single(2),
        true_false(True),
        true_false(False),
        ("multiple", EVEN, 1),
    ]
    write_quiz(modules_dir, "balanced", quiz)
    assert warnings(modules_dir, today) == []


def test_right_answers_in_one_position_are_a_warning(modules_dir, today) -> None:
    write_quiz(modules_dir, "clustered", [single(1), single(1), single(3), single(1)])
    assert warnings(modules_dir, today) == [
        f"modules/clustered.md:{QUIZ_LINE}: warning: the right option is the second in 3 of 4 "
        "single-answer questions: spread right answers over every position"
    ]


def test_half_in_one_position_is_not_a_cluster(modules_dir, today) -> None:
    write_quiz(modules_dir, "half", [single(0), single(0), single(3), single(2)])
    assert warnings(modules_dir, today) == []


def test_right_answers_never_last_are_a_warning(modules_dir, today) -> None:
    write_quiz(modules_dir, "never-last", [single(0), single(1), single(2), single(0)])
    assert warnings(modules_dir, today) == [
        f"modules/never-last.md:{QUIZ_LINE}: warning: none of the 4 single-answer questions "
        "has its right option last: put some right answers in the last position"
    ]


def test_never_last_needs_four_questions(modules_dir, today) -> None:
    write_quiz(modules_dir, "three", [single(0), single(1), single(2)])
    assert warnings(modules_dir, today) == []


def test_the_right_option_usually_longest_is_a_warning(modules_dir, today) -> None:
    quiz = [
        single(0, with_longest_right(0)),
        single(3, with_longest_right(3)),
        single(1, with_longest_right(1)),
        single(2),
    ]
    write_quiz(modules_dir, "longest", quiz)
    assert warnings(modules_dir, today) == [
        f"modules/longest.md:{QUIZ_LINE}: warning: the right option is the longest in 3 of 4 "
        "single-answer questions: make the wrong options as full as the right one "
        "(the right one longest in at most about a third)"
    ]


def test_a_right_option_tied_for_longest_gives_nothing_away(modules_dir, today) -> None:
    tied = [LONG, LONG, "Tell them", "Refer on"]
    write_quiz(modules_dir, "tied", [single(0, tied), single(1, tied), single(3), single(2)])
    assert warnings(modules_dir, today) == []


def test_true_false_answers_all_alike_are_a_warning(modules_dir, today) -> None:
    write_quiz(modules_dir, "all-true", [true_false(True), true_false(True), single(0)])
    assert warnings(modules_dir, today) == [
        f"modules/all-true.md:{QUIZ_LINE}: warning: the true/false answers are all True "
        "(2 of 2): balance True and False"
    ]


def test_true_false_answers_nearly_all_alike_are_a_warning(modules_dir, today) -> None:
    write_quiz(modules_dir, "nearly-all-false", [true_false(False)] * 4 + [true_false(True)])
    assert warnings(modules_dir, today) == [
        f"modules/nearly-all-false.md:{QUIZ_LINE}: warning: the true/false answers are "
        "nearly all False (4 of 5): balance True and False"
    ]
    write_quiz(modules_dir, "nearly-all-false", [true_false(False)] * 3 + [true_false(True)])
    assert warnings(modules_dir, today) == []


def test_warnings_pass_the_check_unless_strict(modules_dir) -> None:
    write_quiz(modules_dir, "clustered", [single(1), single(1), single(3), single(1)])
    runner = CliRunner()
    relaxed = runner.invoke(content_app, ["check", "modules"])
    assert relaxed.exit_code == 0, relaxed.output
    assert relaxed.output.splitlines() == [
        f"modules/clustered.md:{QUIZ_LINE}: warning: the right option is the second in 3 of 4 "
        "single-answer questions: spread right answers over every position",
        "Checked 1 file in modules: 0 errors, 1 warning.",
    ]
    strict = runner.invoke(content_app, ["check", "modules", "--strict"])
    assert strict.exit_code == 1
    assert strict.output == relaxed.output


def test_strict_passes_content_without_warnings(modules_dir) -> None:
    write_quiz(modules_dir, "three", [single(0), single(1), single(2)])
    result = CliRunner().invoke(content_app, ["check", "modules", "--strict"])
    assert result.exit_code == 0, result.output

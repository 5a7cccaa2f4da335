"""How long a module takes: reading plus its quiz, scenarios and reflection prompts.

Each test builds a module with a known number of words and activities, so the estimate,
the minutes practitioners are shown and the checker's message can be worked out by hand.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from app.content import check_content, compile_content, load_content

FRONT_MATTER = """---
slug: {slug}
title: A module of known length
kind: module
summary: Built to a length the test chooses.
topics: [asking]
version: 1
updated: 2026-11-26
sources: [derges-2023]
co_designed: Young people chose the examples.
{extra}changelog:
  - {{version: 1, date: 2026-11-26, major: true, summary: First published}}
---

## Why it matters

"""

SCENARIO = """
::: scenario derges-2023
id: scenario-{number}
setting: "At a review appointment, a 19-year-old says:"
quote: "I've never been like directly asked."
attribution: Focus group 2; aged 19 years
response: Thank them for saying so.
:::
"""

# Right answers alternate between first and last, and every option is as long as the
# others, so the quiz raises no balance warning and only the time is under test.
QUESTION = """- id: q{number}
  type: single
  prompt: Which is best?
  options:
    - text: Ask
{first}      feedback: It opens the conversation.
    - text: Say
{last}      feedback: It closes it down.
"""
CORRECT = "      correct: true\n"


def write_module(
    modules_dir: Path,
    slug: str,
    *,
    words: int,
    questions: int = 1,
    scenarios: int = 0,
    prompts: int = 0,
    extra: str = "",
) -> Path:
    """A module of exactly `words` counted words, padding its prose to reach the number."""

    def text(padding: int, extra: str = "") -> str:
        body = FRONT_MATTER.format(slug=slug, extra=extra)
        body += " ".join(["Read", "this.", *["word"] * padding]) + "\n"
        body += "".join(SCENARIO.format(number=n) for n in range(1, scenarios + 1))
        if prompts:
            body += "\n::: reflect\n"
            body += "".join(f"- Prompt {n}?\n" for n in range(1, prompts + 1)) + ":::\n"
        quiz = "".join(
            QUESTION.format(
                number=n,
                first=CORRECT if n % 2 else "",
                last="" if n % 2 else CORRECT,
            )
            for n in range(1, questions + 1)
        )
        return body + "\n## Check your understanding\n\n```quiz\n" + quiz + "```\n"

    path = modules_dir / f"{slug}.md"
    path.write_text(text(0))
    index, _ = compile_content(modules_dir)
    base = index.get(slug)
    assert base is not None and base.words <= words, "the module's fixed parts are too long"
    path.write_text(text(words - base.words, extra))
    return path


def problems(modules_dir: Path, today) -> list[str]:
    return [str(problem) for problem in check_content(modules_dir, today=today)]


def test_minutes_add_reading_quiz_scenarios_and_reflection_prompts(modules_dir) -> None:
    # 2,000 words (10) + 4 questions (2) + 1 scenario (1) + 2 prompts (2) = 15 exactly.
    write_module(modules_dir, "exactly-fifteen", words=2000, questions=4, scenarios=1, prompts=2)
    module = load_content(modules_dir).get("exactly-fifteen")
    assert module is not None
    assert (module.words, module.minutes) == (2000, 15)


def test_the_estimate_is_rounded_up(modules_dir) -> None:
    # 201 words is just over a minute of reading; half a minute of quiz makes 1.505.
    write_module(modules_dir, "just-over", words=201, questions=1)
    module = load_content(modules_dir).get("just-over")
    assert module is not None and module.minutes == 2


def test_a_module_over_fifteen_minutes_shows_the_breakdown(modules_dir, today) -> None:
    write_module(modules_dir, "long-read", words=2540, questions=6, scenarios=2, prompts=1)
    assert problems(modules_dir, today) == [
        "modules/long-read.md:1: estimated 19 minutes: 2,540 words at 200 a minute (12.7) "
        "+ 6 quiz questions (3) + 2 scenarios (2) + 1 reflection prompt (1); "
        "it must be 15 or less"
    ]


def test_a_module_one_word_over_is_an_error(modules_dir, today) -> None:
    # 2,001 words (10.005) + 4 questions (2) + 1 scenario (1) + 2 prompts (2) = 15.005.
    write_module(modules_dir, "one-over", words=2001, questions=4, scenarios=1, prompts=2)
    assert problems(modules_dir, today) == [
        "modules/one-over.md:1: estimated 16 minutes: 2,001 words at 200 a minute (10) "
        "+ 4 quiz questions (2) + 1 scenario (1) + 2 reflection prompts (2); "
        "it must be 15 or less"
    ]


def test_a_module_may_promise_less_than_fifteen_minutes(modules_dir, today) -> None:
    # 1,700 words (8.5) + 4 questions (2) = 10.5, so 11 minutes: fine for 15, not for 10.
    write_module(
        modules_dir, "refresher", words=1700, questions=4, extra="time_limit_minutes: 10\n"
    )
    assert problems(modules_dir, today) == [
        "modules/refresher.md:11: estimated 11 minutes: 1,700 words at 200 a minute (8.5) "
        "+ 4 quiz questions (2); it must be 10 or less (its `time_limit_minutes`)"
    ]
    write_module(
        modules_dir, "refresher", words=1600, questions=4, extra="time_limit_minutes: 10\n"
    )
    assert problems(modules_dir, today) == []
    module = load_content(modules_dir).get("refresher")
    assert module is not None and (module.minutes, module.time_limit_minutes) == (10, 10)


@pytest.mark.parametrize("limit", [0, 16])
def test_the_time_limit_is_between_one_and_fifteen(modules_dir, today, limit: int) -> None:
    write_module(modules_dir, "odd-limit", words=100, extra=f"time_limit_minutes: {limit}\n")
    bound = "greater than or equal to 1" if limit < 1 else "less than or equal to 15"
    assert problems(modules_dir, today) == [
        f"modules/odd-limit.md:11: `time_limit_minutes`: Input should be {bound}"
    ]


def test_activities_count_when_the_reading_is_short(modules_dir) -> None:
    # Reading alone would be 1 minute (0.75); a minute of quiz, three scenarios and a prompt
    # make 5.75, so 6.
    write_module(modules_dir, "activities", words=150, questions=2, scenarios=3, prompts=1)
    module = load_content(modules_dir).get("activities")
    assert module is not None and module.minutes == 6

"""A synthetic curriculum: N valid modules, each with three sections and a four-question quiz."""

from __future__ import annotations

from pathlib import Path

QUESTIONS_PER_MODULE = 4
OPTIONS = ("a", "b", "c")
SOURCES = """derges-2023:
  title: Mental Health Practitioners' and Young People's Experiences of Talking About Social Media
  authors: Derges J, et al.
  publisher: JMIR Formative Research 2023;7:e43115
  year: 2023
  url: https://doi.org/10.2196/43115
  licence: CC BY 4.0
  checked: full-text
"""


def slug_of(number: int) -> str:
    return f"bench-module-{number:02d}"


def correct_option(module_number: int, question_number: int) -> str:
    return OPTIONS[(module_number + question_number) % len(OPTIONS)]


def module_text(number: int) -> str:
    questions = []
    for question in range(1, QUESTIONS_PER_MODULE + 1):
        right = correct_option(number, question)
        options = "\n".join(
            f"    - text: Option {option.upper()} of question {question}\n"
            + ("      correct: true\n" if option == right else "")
            + f"      feedback: Feedback on option {option.upper()}."
            for option in OPTIONS
        )
        questions.append(
            f"- id: q{question}\n  type: single\n"
            f"  prompt: Question {question} of benchmark module {number}?\n"
            f"  options:\n{options}"
        )
    quiz = "\n".join(questions)
    prose = " ".join(["Practitioners ask young people about their online lives."] * 12)
    return f"""---
slug: {slug_of(number)}
title: "Benchmark module {number:02d}"
kind: module
order: {number}
summary: A synthetic module for the trust-scale benchmark.
topics: [asking]
version: 1
updated: 2026-11-01
refresh_after_days: 365
content_warning: null
pass_mark: 75
sources: [derges-2023]
co_designed: Synthetic content for benchmarking only.
changelog:
  - {{version: 1, date: 2026-11-01, major: true, summary: "First published"}}
---

## Why it matters

{prose}

## How to ask

{prose}

## Following up

{prose}

## Check your understanding

```quiz
{quiz}
```
"""


def write_modules(directory: Path, count: int) -> list[str]:
    """Write ``count`` modules (and their sources registry) into ``directory``."""
    directory.mkdir(parents=True, exist_ok=True)
    for old in directory.glob("bench-module-*.md"):
        old.unlink()
    (directory / "sources.yml").write_text(SOURCES, encoding="utf-8")
    slugs = []
    for number in range(1, count + 1):
        (directory / f"{slug_of(number)}.md").write_text(module_text(number), encoding="utf-8")
        slugs.append(slug_of(number))
    return slugs

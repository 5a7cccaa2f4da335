"""Quiz balance: can the right answer be found without knowing it?

A quiz tests judgement only when the right option cannot be spotted by where it sits,
by being the longest, or by true/false answers that are always the same. Askwell
shuffles options per attempt, but the file order still reaches readers of the file,
API clients and anyone comparing attempts, so the checker warns (never fails, unless
`askwell content check --strict`) when a quiz leans one way. modules/README.md lists
the rules for authors.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from app.content.schemas import Question

# Authors choose the file order, so even a short quiz can be balanced: three single-answer
# questions can put their right options in three different places.
MIN_SINGLE_ANSWER_QUESTIONS = 3
"""From this many single-answer questions, more than half alike (in place or in being the
longest) is a lean."""
MIN_QUESTIONS_FOR_LAST = 4
"""From this many single-answer questions, at least one right option belongs last."""
MIN_TRUE_FALSE_QUESTIONS = 2
"""From this many true/false questions, answers all (or nearly all) alike are a lean."""
MOST_TRUE_FALSE_ALIKE = 0.8
"""True/false answers lean when at least this share of them is the same answer."""

_ORDINALS = ("first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth")


def _ordinal(position: int) -> str:
    return _ORDINALS[position] if position < len(_ORDINALS) else f"number {position + 1}"


def _right_position(question: Question) -> int:
    return next(index for index, option in enumerate(question.options) if option.correct)


def _right_is_longest(question: Question) -> bool:
    """Strictly longest: a tie gives nothing away."""
    right = next(option for option in question.options if option.correct)
    return all(
        len(right.text) > len(option.text) for option in question.options if option is not right
    )


def balance_warnings(questions: Sequence[Question]) -> list[str]:
    """What gives the right answers away across one quiz, one message per lean."""
    warnings: list[str] = []
    single = [
        question
        for question in questions
        if question.type == "single" and sum(option.correct for option in question.options) == 1
    ]
    if len(single) >= MIN_SINGLE_ANSWER_QUESTIONS:
        count = len(single)
        positions = Counter(_right_position(question) for question in single)
        position, most = positions.most_common(1)[0]
        if most * 2 > count:
            warnings.append(
                f"the right option is the {_ordinal(position)} in {most} of {count} "
                "single-answer questions: spread right answers over every position"
            )
        never_last = not any(
            _right_position(question) == len(question.options) - 1 for question in single
        )
        if count >= MIN_QUESTIONS_FOR_LAST and never_last:
            warnings.append(
                f"none of the {count} single-answer questions has its right option last: "
                "put some right answers in the last position"
            )
        longest = sum(_right_is_longest(question) for question in single)
        if longest * 2 > count:
            warnings.append(
                f"the right option is the longest in {longest} of {count} single-answer "
                "questions: make the wrong options as full as the right one (the right one "
                "longest in at most about a third)"
            )

    answers = Counter(
        option.text
        for question in questions
        if question.type == "true_false"
        for option in question.options
        if option.correct
    )
    true_false = sum(answers.values())
    if true_false >= MIN_TRUE_FALSE_QUESTIONS:
        answer, most = answers.most_common(1)[0]
        if most >= MOST_TRUE_FALSE_ALIKE * true_false:
            share = "all" if most == true_false else "nearly all"
            warnings.append(
                f"the true/false answers are {share} {answer} ({most} of {true_false}): "
                "balance True and False"
            )
    return warnings

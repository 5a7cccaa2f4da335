"""Reading a posted form of questions: the one parser the quiz and the short refresh share."""

from __future__ import annotations

from starlette.datastructures import FormData

from app.content import Option, Question
from app.quizzes.service import MAXIMUM_ANSWERS_PER_QUESTION, answers_posted, options_chosen


def question(question_id: str) -> Question:
    options = (Option(id="a", text="A", feedback="…", correct=True),)
    return Question(id=question_id, type="single", prompt="?", options=options)


def test_each_question_keeps_what_was_ticked_and_blanks_are_numbered_as_shown() -> None:
    form = FormData([("q1", "a"), ("q3", "b"), ("q3", "c"), ("csrf_token", "x")])
    posted = answers_posted(form, [question("q1"), question("q2"), question("q3")])
    assert posted.chosen == {"q1": ["a"], "q2": [], "q3": ["b", "c"]}
    assert posted.unanswered == {"q2": "Answer question 2"}


def test_fields_for_other_questions_are_not_read() -> None:
    posted = answers_posted(FormData([("q9", "a")]), [question("q1")])
    assert posted.chosen == {"q1": []} and posted.unanswered == {"q1": "Answer question 1"}


def test_no_field_gives_more_answers_than_a_question_could_have() -> None:
    form = FormData([("answer", str(number)) for number in range(500)])
    assert len(options_chosen(form, "answer")) == MAXIMUM_ANSWERS_PER_QUESTION

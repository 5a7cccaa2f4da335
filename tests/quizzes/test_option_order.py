"""Options in an order shuffled per person and per attempt, answers stored by option id.

The right answer must not be learnable by its place on the page. The order is steady
while a person looks at one attempt (reloading, or fixing a missed answer, changes
nothing) and may change on their next attempt; whatever order they saw, the option
they ticked is the one stored and graded.
"""

from __future__ import annotations

import html
import re
from datetime import timedelta

import time_machine
from sqlmodel import select

from app.content import Option, Question
from app.models.quizzes import QuizAnswer, QuizAttempt
from app.quizzes.service import shown_order
from tests.auth.test_pages_and_csrf import form_token
from tests.conftest import api_login
from tests.refresh.conftest import ASKING, complete_asking_basics, progress_of

QUIZ = f"/modules/{ASKING}/quiz"
# The right answers of asking-basics, by the words a practitioner reads.
RIGHT_TEXTS = {
    "Ask them to show you how it works",
    "At the first meeting",
    "At regular intervals",
    "False",
}
_INPUT = re.compile(r'<input class="nhsuk-\w+__input" id="question-([\w-]+)-(\w+)" name="([\w-]+)"')
_LABEL = re.compile(
    r'<label class="nhsuk-label nhsuk-\w+__label" for="question-([\w-]+)-(\w+)">([^<]*)'
)


def shown(page: str) -> dict[str, list[tuple[str, str]]]:
    """Each question's options as the page lists them: (option id, text), top to bottom."""
    texts = {(qid, oid): html.unescape(text) for qid, oid, text in _LABEL.findall(page)}
    order: dict[str, list[tuple[str, str]]] = {}
    for qid, oid, _name in _INPUT.findall(page):
        order.setdefault(qid, []).append((oid, texts[(qid, oid)]))
    return order


def ids(order: dict[str, list[tuple[str, str]]]) -> tuple[tuple[str, ...], ...]:
    return tuple(tuple(oid for oid, _ in options) for options in order.values())


def right_answers(order: dict[str, list[tuple[str, str]]]) -> dict[str, list[str]]:
    """The options whose words are right, wherever they were shown."""
    return {
        qid: [oid for oid, text in options if text in RIGHT_TEXTS] for qid, options in order.items()
    }


def test_reloading_the_quiz_shows_the_same_order(practitioner_client) -> None:
    first = practitioner_client.get(QUIZ).text
    order = shown(first)
    assert set(order) == {"q1", "q2", "q3"}
    assert shown(practitioner_client.get(QUIZ).text) == order
    # A submission sent back for a missing answer keeps the order too.
    missing = practitioner_client.post(QUIZ, data={"csrf_token": form_token(first), "q1": "a"})
    assert missing.status_code == 400
    assert shown(missing.text) == order


def test_a_new_attempt_may_show_the_options_in_a_new_order(practitioner_client) -> None:
    seen = []
    for _ in range(6):
        page = practitioner_client.get(QUIZ).text
        order = shown(page)
        assert {qid: sorted(oid for oid, _ in options) for qid, options in order.items()} == {
            "q1": ["a", "b"],
            "q2": ["a", "b", "c"],
            "q3": ["a", "b"],
        }
        seen.append(ids(order))
        done = practitioner_client.post(
            QUIZ,
            data={"csrf_token": form_token(page), **right_answers(order)},
            follow_redirects=False,
        )
        assert done.status_code == 303
    assert len(set(seen)) > 1, "six attempts in a row showed one order"


def test_the_option_ticked_is_the_one_stored_and_graded(practitioner_client, practitioner, rows):
    # Tick whatever is shown first in each question (and second, in the multiple-answer
    # one), until an attempt shows some question out of file order.
    for _ in range(8):
        page = practitioner_client.get(QUIZ).text
        order = shown(page)
        ticked = {qid: [options[0]] for qid, options in order.items()}
        ticked["q2"] = order["q2"][:2]
        response = practitioner_client.post(
            QUIZ,
            data={
                "csrf_token": form_token(page),
                **{qid: [oid for oid, _ in chosen] for qid, chosen in ticked.items()},
            },
            follow_redirects=False,
        )
        assert response.status_code == 303
        if any(options[0][0] != "a" for options in order.values()):
            break
    else:
        raise AssertionError("no attempt showed an option out of file order")

    attempt = rows(
        select(QuizAttempt)
        .where(QuizAttempt.user_id == practitioner.id)
        .order_by(QuizAttempt.id.desc())  # type: ignore[union-attr]
    )[0]
    stored = {
        answer.question_id: (answer.chosen, answer.correct)
        for answer in rows(select(QuizAnswer).where(QuizAnswer.attempt_id == attempt.id))
    }
    expected = {}
    for qid, chosen in ticked.items():
        right = {oid for oid, text in order[qid] if text in RIGHT_TEXTS}
        expected[qid] = (
            ",".join(sorted(oid for oid, _ in chosen)),
            right == {oid for oid, _ in chosen},
        )
    assert stored == expected
    # The result page names the words that were ticked as "your answer".
    result = practitioner_client.get(f"{QUIZ}/attempts/{attempt.id}").text
    for qid in ("q1", "q3"):
        assert html.escape(ticked[qid][0][1], quote=False) in result


def test_every_right_answer_passes_whatever_the_order(practitioner_client) -> None:
    page = practitioner_client.get(QUIZ).text
    result = practitioner_client.post(
        QUIZ, data={"csrf_token": form_token(page), **right_answers(shown(page))}
    ).text
    assert "Your quiz result: 100%" in result


def four_options() -> Question:
    options = tuple(Option(oid, f"Option {oid}", oid == "c", "Why.") for oid in "abcd")
    return Question("q1", "single", "Which?", options)


def test_people_and_attempts_get_their_own_order_and_keep_it() -> None:
    question = four_options()

    def order(user_id: int, attempt: str) -> tuple[str, ...]:
        shuffled = shown_order(question, user_id=user_id, module_slug=ASKING, attempt=attempt)
        assert sorted(option.id for option in shuffled.options) == ["a", "b", "c", "d"]
        assert next(o for o in shuffled.options if o.correct).id == "c"
        return tuple(option.id for option in shuffled.options)

    assert order(7, "quiz-1") == order(7, "quiz-1")
    assert len({order(user_id, "quiz-1") for user_id in range(1, 13)}) > 3
    assert len({order(7, f"quiz-{number}") for number in range(1, 13)}) > 3
    places = {order(user_id, "quiz-1").index("c") for user_id in range(1, 41)}
    assert places == {0, 1, 2, 3}, "the right option reaches every place"


def test_true_or_false_keeps_its_order() -> None:
    options = (Option("a", "True", False, "No."), Option("b", "False", True, "Yes."))
    question = Question("q3", "true_false", "Is it?", options)
    for user_id in range(1, 10):
        shuffled = shown_order(question, user_id=user_id, module_slug=ASKING, attempt="quiz-1")
        assert shuffled == question


def test_the_short_refresh_keeps_its_order_on_reload_and_grades_by_id(client, practitioner):
    with time_machine.travel("2026-01-10 10:00:00Z", tick=False) as clock:
        api_login(client, practitioner)
        complete_asking_basics(client)
        clock.shift(timedelta(days=400))
        api_login(client, practitioner)
        page = client.get(f"/modules/{ASKING}/refresh").text
        order = shown(page)
        assert set(order) == {"q1", "q2", "q3"}
        assert shown(client.get(f"/modules/{ASKING}/refresh").text) == order
        response = client.post(
            f"/modules/{ASKING}/refresh",
            data={"csrf_token": form_token(page), **right_answers(order)},
            follow_redirects=False,
        )
        assert response.status_code == 303
        assert progress_of(client)["status"] == "completed"


def test_a_refresher_question_keeps_its_order_on_reload(client, practitioner):
    with time_machine.travel("2026-03-02 09:00:00Z", tick=False) as clock:
        api_login(client, practitioner)
        complete_asking_basics(client)
        clock.shift(timedelta(days=2))
        api_login(client, practitioner)
        home = client.get("/refresh").text
        sitting = client.post(
            "/refresh/sessions", data={"csrf_token": form_token(home)}, follow_redirects=False
        )
        assert sitting.status_code == 303
        first = shown(client.get(sitting.headers["location"]).text)
        assert len(first) == 1
        assert shown(client.get(sitting.headers["location"]).text) == first

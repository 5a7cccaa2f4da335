"""Item analysis names only wrong options as "wrong answer chosen most", for every question type."""

from __future__ import annotations

from app.models.users import Role
from tests.reports.conftest import RIGHT_ANSWERS, signed_in
from tests.reports.test_modules import cohort_with, submit_directly

# q2 is a "multiple" question: a and b are right, c ("Only in a crisis") is wrong.
LEFT_OUT_A_RIGHT_OPTION = {**RIGHT_ANSWERS, "q2": ["a"]}
ADDED_A_WRONG_OPTION = {**RIGHT_ANSWERS, "q2": ["a", "c"]}
RIGHT_OPTIONS = ("At the first meeting", "At regular intervals")


def q2_stats(app, trainer, cohort_id):
    with signed_in(app, trainer) as client:
        stats = client.get(
            f"/api/v1/reports/modules/asking-basics/questions?cohort_id={cohort_id}"
        ).json()
        page = client.get(f"/reports/modules/asking-basics/questions?cohort_id={cohort_id}").text
    return next(item for item in stats if item["question_id"] == "q2"), page


def test_a_multiple_question_names_the_wrong_option_not_the_right_ones_beside_it(
    app, make_user, trainer
):
    people = [make_user(Role.practitioner) for _ in range(3)]
    cohort_id = cohort_with(app, trainer, people)
    # Two leave out a right option (choosing only right ones); one adds the wrong option.
    for person, answers in zip(
        people,
        (LEFT_OUT_A_RIGHT_OPTION, LEFT_OUT_A_RIGHT_OPTION, ADDED_A_WRONG_OPTION),
        strict=True,
    ):
        submit_directly(app, person, answers)
    q2, page = q2_stats(app, trainer, cohort_id)
    assert q2["answered"] == 3 and q2["correct_share"] == 0
    assert q2["most_chosen_wrong"] == "Only in a crisis"
    assert "Only in a crisis (1)" in page
    for right in RIGHT_OPTIONS:
        assert right not in q2["most_chosen_wrong"]


def test_when_no_wrong_option_was_chosen_none_is_named(app, make_user, trainer):
    people = [make_user(Role.practitioner) for _ in range(2)]
    cohort_id = cohort_with(app, trainer, people)
    for person in people:
        submit_directly(app, person, LEFT_OUT_A_RIGHT_OPTION)
    q2, _ = q2_stats(app, trainer, cohort_id)
    assert q2["answered"] == 2 and q2["correct_share"] == 0
    assert q2["most_chosen_wrong"] is None

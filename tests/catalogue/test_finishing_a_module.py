"""Finishing a module: Next, the completion page, the quiz result, and pages that read cleanly."""

from __future__ import annotations

import re
from datetime import timedelta
from html.parser import HTMLParser

import time_machine

from app.models.users import Role
from tests.auth.test_pages_and_csrf import form_token
from tests.cohorts.conftest import RIGHT_ANSWERS, complete_module, create_cohort, signed_in
from tests.conftest import api_login
from tests.joining import accepts

ASKING = "asking-basics"
SECOND = "second-module"


class _Reader(HTMLParser):
    """What a person reads on a page: its text, and its headings in order."""

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self.headings: list[tuple[str, str]] = []
        self._heading: tuple[str, list[str]] | None = None
        self._skipping = 0

    # HTMLParser calls this with the attributes too; only the tag matters here.
    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:  # noqa: ARG002
        if tag in ("script", "style"):
            self._skipping += 1
        if re.fullmatch(r"h[1-6]", tag):
            self._heading = (tag, [])

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style"):
            self._skipping -= 1
        if self._heading and tag == self._heading[0]:
            self.headings.append((tag, " ".join("".join(self._heading[1]).split())))
            self._heading = None

    def handle_data(self, data: str) -> None:
        if self._skipping:
            return
        self.parts.append(data)
        if self._heading:
            self._heading[1].append(data)


def read(html: str) -> _Reader:
    reader = _Reader()
    reader.feed(html)
    return reader


def text_of(html: str) -> str:
    """The page's words as a person reads them, with runs of whitespace made single spaces."""
    return " ".join("".join(read(html).parts).split())


def next_button(html: str) -> str:
    match = re.search(r'<button class="nhsuk-button" type="submit">(Next[^<]*)</button>', html)
    assert match, "the section has no Next button"
    return match.group(1)


def press_next(client, slug: str, section_id: str) -> str:
    page = client.get(f"/modules/{slug}/sections/{section_id}")
    response = client.post(
        f"/modules/{slug}/sections/{section_id}/complete",
        data={"csrf_token": form_token(page.text), "then": "next"},
        follow_redirects=False,
    )
    assert response.status_code == 303
    return response.headers["location"]


def pass_second_module_quiz(client) -> None:
    response = client.post(f"/api/v1/modules/{SECOND}/attempts", json={"answers": {"g1": ["a"]}})
    assert response.status_code == 201 and response.json()["passed"]


# --- Next -----------------------------------------------------------------------------------


def test_next_is_one_button_that_marks_the_section_read_and_moves_on(practitioner_client):
    page = practitioner_client.get(f"/modules/{ASKING}/sections/why-ask").text
    assert next_button(page) == "Next: Opening questions"
    assert "Mark as done" not in page
    assert press_next(practitioner_client, ASKING, "why-ask") == (
        f"/modules/{ASKING}/sections/opening-questions"
    )
    progress = practitioner_client.get("/api/v1/me/progress").json()
    assert {item["slug"]: item["percent"] for item in progress}[ASKING] == 25


def test_a_section_already_read_offers_next_and_no_mark_as_done(practitioner_client):
    practitioner_client.post(f"/api/v1/modules/{ASKING}/sections/why-ask/complete")
    page = practitioner_client.get(f"/modules/{ASKING}/sections/why-ask").text
    assert "Mark as done" not in page and "Mark “" not in page
    assert next_button(page) == "Next: Opening questions"
    all_on_one = text_of(practitioner_client.get(f"/modules/{ASKING}/all").text)
    assert "Mark “Why ask” as done" not in all_on_one
    assert "Mark “Opening questions” as done" in all_on_one


def test_next_after_the_last_section_goes_to_the_quiz_when_it_is_still_to_pass(
    practitioner_client,
):
    for section in ("why-ask", "opening-questions"):
        practitioner_client.post(f"/api/v1/modules/{ASKING}/sections/{section}/complete")
    page = practitioner_client.get(f"/modules/{ASKING}/sections/following-up").text
    assert next_button(page) == "Next: Check your understanding (quiz)"
    assert press_next(practitioner_client, ASKING, "following-up") == f"/modules/{ASKING}/quiz"


def test_next_comes_back_for_a_skipped_section_then_goes_to_the_quiz(practitioner_client):
    practitioner_client.post(f"/api/v1/modules/{ASKING}/sections/why-ask/complete")
    assert press_next(practitioner_client, ASKING, "following-up") == (
        f"/modules/{ASKING}/sections/opening-questions"
    )
    page = practitioner_client.get(f"/modules/{ASKING}/sections/opening-questions").text
    assert next_button(page) == "Next: Check your understanding (quiz)"
    assert press_next(practitioner_client, ASKING, "opening-questions") == (
        f"/modules/{ASKING}/quiz"
    )


def test_reading_a_completed_module_again_goes_through_every_section(practitioner_client):
    complete_module(practitioner_client, ASKING)
    first = practitioner_client.get(f"/modules/{ASKING}/sections/why-ask").text
    assert next_button(first) == "Next: Opening questions"
    assert press_next(practitioner_client, ASKING, "why-ask") == (
        f"/modules/{ASKING}/sections/opening-questions"
    )
    last = practitioner_client.get(f"/modules/{ASKING}/sections/following-up").text
    assert next_button(last) == "Next: Finish the module"
    assert press_next(practitioner_client, ASKING, "following-up") == (
        f"/modules/{ASKING}/completed"
    )


def test_people_without_progress_still_page_through_with_a_next_link(app, make_user):
    trainer = make_user(Role.trainer)
    with signed_in(app, trainer) as client:
        page = client.get(f"/modules/{ASKING}/sections/why-ask").text
    assert f'href="/modules/{ASKING}/sections/opening-questions"' in page
    assert "/complete" not in page


# --- The completion page --------------------------------------------------------------------


def test_next_on_the_last_step_lands_on_the_completion_page(practitioner_client):
    pass_second_module_quiz(practitioner_client)
    page = practitioner_client.get(f"/modules/{SECOND}/sections/gaming").text
    assert next_button(page) == "Next: Finish the module"
    assert press_next(practitioner_client, SECOND, "gaming") == f"/modules/{SECOND}/completed"

    completed = practitioner_client.get(f"/modules/{SECOND}/completed")
    assert completed.status_code == 200
    words = text_of(completed.text)
    assert "Module completed" in words and "You finished Second module (version 1)" in words
    certificate = re.search(r'href="/certificates/(\d+)\.pdf"', completed.text)
    assert certificate, "the completion page links no certificate"
    pdf = practitioner_client.get(f"/certificates/{certificate.group(1)}.pdf")
    assert pdf.status_code == 200 and pdf.headers["content-type"] == "application/pdf"
    assert "What would you ask a young person about gaming next time?" in words
    assert f'href="/modules/{SECOND}/reflect"' in completed.text
    # Nothing is assigned, so the next module of the training is offered.
    assert "Next in the training" in words and f'href="/modules/{ASKING}"' in completed.text


def test_the_completion_page_says_what_is_assigned_and_due(app, client, practitioner, make_user):
    trainer = make_user(Role.trainer)
    with time_machine.travel("2026-01-10 10:00:00Z", tick=False) as clock:
        with signed_in(app, trainer) as trainer_client:
            cohort_id = create_cohort(trainer_client)
            assert (
                trainer_client.post(
                    f"/api/v1/cohorts/{cohort_id}/members", json={"email": practitioner.email}
                ).status_code
                == 201
            )
            accepts(app, cohort_id, practitioner.email)
            assigned = trainer_client.post(
                f"/api/v1/cohorts/{cohort_id}/assignments",
                json={"module_slug": SECOND, "due_date": "2027-03-31"},
            )
            assert assigned.status_code == 201, assigned.text
        api_login(client, practitioner)
        complete_module(client, ASKING)
        clock.shift(timedelta(days=400))  # a year on: Asking basics is due for a refresh
        api_login(client, practitioner)
        pass_second_module_quiz(client)
        client.post(f"/api/v1/modules/{SECOND}/sections/gaming/complete")
        words = text_of(client.get(f"/modules/{SECOND}/completed").text)
        assert "Due for a refresh Asking basics" in words
        # The module just finished is not offered again as assigned work.
        assert "Assigned to you" not in words

        clock.shift(timedelta(days=1))
        api_login(client, practitioner)
        client.post(f"/api/v1/modules/{ASKING}/sections/why-ask/complete")
        with signed_in(app, trainer) as trainer_client:
            trainer_client.post(
                f"/api/v1/cohorts/{cohort_id}/assignments",
                json={"module_slug": ASKING, "due_date": "2027-04-30"},
            )
        words = text_of(client.get(f"/modules/{SECOND}/completed").text)
        assert "Assigned to you Asking basics – due 30 April 2027" in words


def test_the_completion_page_waits_for_the_module_to_be_complete(practitioner_client):
    response = practitioner_client.get(f"/modules/{ASKING}/completed", follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"] == f"/modules/{ASKING}"


# --- The quiz result ------------------------------------------------------------------------


def test_a_passed_quiz_links_the_sections_still_to_read(practitioner_client):
    practitioner_client.post(f"/api/v1/modules/{ASKING}/sections/why-ask/complete")
    quiz = practitioner_client.get(f"/modules/{ASKING}/quiz").text
    result = practitioner_client.post(
        f"/modules/{ASKING}/quiz",
        data={"csrf_token": form_token(quiz), **RIGHT_ANSWERS},
        follow_redirects=True,
    )
    assert "You passed. To complete the module, read these 2 sections" in text_of(result.text)
    assert f'<a href="/modules/{ASKING}/sections/opening-questions">Opening questions</a>' in (
        result.text
    )
    assert f'<a href="/modules/{ASKING}/sections/following-up">Following up</a>' in result.text
    assert f'href="/modules/{ASKING}/sections/why-ask"' not in result.text


def test_a_quiz_that_completes_the_module_leads_to_the_completion_page(practitioner_client):
    for section in ("why-ask", "opening-questions", "following-up"):
        practitioner_client.post(f"/api/v1/modules/{ASKING}/sections/{section}/complete")
    quiz = practitioner_client.get(f"/modules/{ASKING}/quiz").text
    result = practitioner_client.post(
        f"/modules/{ASKING}/quiz",
        data={"csrf_token": form_token(quiz), **RIGHT_ANSWERS},
        follow_redirects=True,
    )
    assert "Module completed" in result.text
    assert f'href="/modules/{ASKING}/completed"' in result.text


def test_the_contents_show_the_quiz_passed_once_the_module_is_complete(practitioner_client):
    complete_module(practitioner_client, ASKING)
    words = text_of(practitioner_client.get(f"/modules/{ASKING}").text)
    assert "Check your understanding (quiz) Passed" in words


# --- Pages that read cleanly ----------------------------------------------------------------


def test_key_points_stand_under_their_own_heading_after_the_sections(practitioner_client):
    page = practitioner_client.get(f"/modules/{ASKING}/all").text
    headings = [text for level, text in read(page).headings if level == "h2"]
    assert headings[:4] == ["Why ask", "Opening questions", "Following up", "Key points"]
    words = text_of(page)
    assert words.index("Key points Ask every young person.") > words.index("Following up")

    section = read(practitioner_client.get(f"/modules/{ASKING}/sections/opening-questions").text)
    assert ("h2", "Key points") in section.headings


def test_the_api_keeps_key_points_in_the_section_that_holds_them(practitioner_client):
    sections = practitioner_client.get(f"/api/v1/modules/{ASKING}").json()["sections"]
    html = {section["id"]: section["html"] for section in sections}
    assert "Ask which and how, not whether." in html["opening-questions"]


def test_the_key_points_page_shows_them_under_key_points_not_a_section(practitioner_client):
    page = read(practitioner_client.get(f"/modules/{ASKING}/key-points").text)
    assert [text for _, text in page.headings if text != "Support"][:1] == ["Key points"]
    assert ("h2", "Opening questions") not in page.headings
    words = " ".join("".join(page.parts).split())
    assert "Key points Ask every young person. Ask which and how, not whether." in words


def test_the_refresh_offer_shows_key_points_under_key_points_alone(client, practitioner):
    with time_machine.travel("2026-01-10 10:00:00Z", tick=False) as clock:
        api_login(client, practitioner)
        complete_module(client, ASKING)
        clock.shift(timedelta(days=400))
        api_login(client, practitioner)
        offer = client.get(f"/modules/{ASKING}/refresh")
        assert offer.status_code == 200
        headings = read(offer.text).headings
        key_points = headings.index(("h2", "Key points"))
        assert headings[key_points + 1] != ("h3", "Opening questions")
        assert "Key points Ask every young person." in text_of(offer.text)


def test_each_source_reads_as_separate_spaced_text(practitioner_client):
    words = text_of(practitioner_client.get(f"/modules/{ASKING}").text)
    assert (
        "JMIR Formative Research 2023;7:e43115. https://doi.org/10.2196/43115 "
        "Licence: CC BY 4.0." in words
    )
    assert "e43115.https" not in words and "43115Licence" not in words


def test_the_module_page_says_its_status_once(practitioner_client):
    fresh = text_of(practitioner_client.get(f"/modules/{ASKING}").text)
    assert "Not started" in fresh and "0% complete" not in fresh
    complete_module(practitioner_client, ASKING)
    done = text_of(practitioner_client.get(f"/modules/{ASKING}").text)
    assert re.search(r"Completed on \d+ \w+ \d{4}", done)
    assert "Completed Completed" not in done and "100% complete" not in done


def test_a_missed_refresh_question_says_not_quite_once(client, practitioner):
    with time_machine.travel("2026-03-02 09:00:00Z", tick=False) as clock:
        api_login(client, practitioner)
        complete_module(client, ASKING)
        clock.shift(timedelta(days=2))
        api_login(client, practitioner)
        hub = client.get("/refresh")
        started = client.post(
            "/refresh/sessions", data={"csrf_token": form_token(hub.text)}, follow_redirects=True
        )
        question = re.search(r'name="question_id" value="([^"]+)"', started.text)
        assert question
        wrong = {"q1": "a", "q2": "c", "q3": "a"}[question.group(1)]
        feedback = client.post(
            f"{started.url.path}/answers",
            data={
                "csrf_token": form_token(started.text),
                "module_slug": ASKING,
                "question_id": question.group(1),
                "answer": wrong,
            },
            follow_redirects=True,
        )
        words = text_of(feedback.text)
        assert ("h1", "Not quite") in read(feedback.text).headings
        assert words.count("Not quite") == 1


def test_marking_a_section_done_on_the_page_moves_on(practitioner_client):
    page = practitioner_client.get("/modules/asking-basics/sections/why-ask")
    assert "section 1 of 3" in page.text
    response = practitioner_client.post(
        "/modules/asking-basics/sections/why-ask/complete",
        data={"csrf_token": form_token(page.text), "then": "next"},
        follow_redirects=False,
    )
    assert response.headers["location"] == "/modules/asking-basics/sections/opening-questions"
    last = practitioner_client.post(
        "/modules/asking-basics/sections/following-up/complete",
        data={"csrf_token": form_token(page.text)},
        follow_redirects=False,
    )
    # "Opening questions" was skipped, so the last section's Next goes back to it first.
    assert last.headers["location"] == "/modules/asking-basics/sections/opening-questions"
    skipped = practitioner_client.post(
        "/modules/asking-basics/sections/opening-questions/complete",
        data={"csrf_token": form_token(page.text)},
        follow_redirects=False,
    )
    assert skipped.headers["location"] == "/modules/asking-basics/quiz"

"""The cohort page's forms behave like NHS.UK forms: every error at once, a three-box due
date, a past date confirmed first, removals asked first, and nothing said about roles."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from fastapi.testclient import TestClient
from sqlmodel import select

from app.models.base import utcnow
from app.models.cohorts import Assignment, CohortMember
from app.models.users import Role
from tests.cohorts.conftest import create_cohort, form_token, signed_in
from tests.form_pages import read_form_page
from tests.joining import accepts


def due(day: str, month: str, year: str) -> dict[str, str]:
    return {"due_date-day": day, "due_date-month": month, "due_date-year": year}


def post_assignment(client: TestClient, cohort_id: int, **data: str):
    token = form_token(client.get(f"/cohorts/{cohort_id}").text)
    body = {"csrf_token": token, "module_slug": "asking-basics", "recur_days": "", **data}
    return client.post(f"/cohorts/{cohort_id}/assignments", data=body, follow_redirects=False)


def test_every_problem_in_the_assign_form_is_listed_at_once(trainer_client, rows):
    cohort_id = create_cohort(trainer_client)
    response = post_assignment(
        trainer_client,
        cohort_id,
        module_slug="",
        recur_days="often",
        **due("12", "", "2030"),
    )
    assert response.status_code == 400
    page = read_form_page(response.text)
    page.check_every_error_is_summarised()
    assert [text for _, text in page.summary] == [
        "Choose a module to assign.",
        "Due date must include a month",
        "Enter how often it recurs as a whole number of days.",
    ]
    assert ("#due_date-month", "Due date must include a month") in page.summary
    assert page.fields["due_date-day"]["value"] == "12"
    assert page.fields["recur_days"]["value"] == "often"
    assert rows(select(Assignment)) == []


@pytest.mark.parametrize(
    ("typed", "message", "at_fault"),
    [
        (("", "", ""), "Enter the due date", {"day", "month", "year"}),
        (("", "3", "2030"), "Due date must include a day", {"day"}),
        (("31", "", "2030"), "Due date must include a month", {"month"}),
        (("31", "3", ""), "Due date must include a year", {"year"}),
        (("", "", "2030"), "Due date must include a day and month", {"day", "month"}),
        (("31", "13", "2030"), "Due date must be a real date", {"month"}),
        (("30", "2", "2030"), "Due date must be a real date", {"day"}),
        (("1st", "3", "2030"), "Due date must be a real date", {"day"}),
        (("31", "3", "30"), "Year must include 4 numbers", {"year"}),
        (
            ("31", "3", "2999"),
            "Due date must be within 10 years from today",
            {"day", "month", "year"},
        ),
    ],
)
def test_a_due_date_is_checked_box_by_box(trainer_client, typed, message, at_fault):
    cohort_id = create_cohort(trainer_client)
    response = post_assignment(trainer_client, cohort_id, **due(*typed))
    assert response.status_code == 400
    page = read_form_page(response.text)
    page.check_every_error_is_summarised()
    assert page.field_errors == [message]
    highlighted = {
        part for part in ("day", "month", "year") if page.has_error_class(f"due_date-{part}")
    }
    assert highlighted == at_fault
    first = next(part for part in ("day", "month", "year") if part in at_fault)
    assert page.summary == [(f"#due_date-{first}", message)]


def test_a_good_due_date_is_saved_from_the_three_boxes(trainer_client, rows):
    cohort_id = create_cohort(trainer_client)
    response = post_assignment(trainer_client, cohort_id, **due(" 7 ", "03", "2030"))
    assert response.status_code == 303
    assert [item.due_date.isoformat() for item in rows(select(Assignment))] == ["2030-03-07"]


def test_a_due_date_in_the_past_is_confirmed_before_it_is_saved(trainer_client, rows):
    cohort_id = create_cohort(trainer_client)
    yesterday = utcnow().date() - timedelta(days=1)
    typed = due(str(yesterday.day), str(yesterday.month), str(yesterday.year))
    asked = post_assignment(trainer_client, cohort_id, **typed)
    assert asked.status_code == 200
    assert "This date is in the past — assign it anyway?" in asked.text
    assert rows(select(Assignment)) == []

    token = form_token(asked.text)
    base = {"csrf_token": token, "module_slug": "asking-basics", "recur_days": "", **typed}
    changed = trainer_client.post(
        f"/cohorts/{cohort_id}/assignments", data={**base, "past-date": "change"}
    )
    page = read_form_page(changed.text)
    assert not page.title.startswith("Error: ")
    assert page.fields["due_date-year"]["value"] == str(yesterday.year)
    assert rows(select(Assignment)) == []

    confirmed = trainer_client.post(
        f"/cohorts/{cohort_id}/assignments",
        data={**base, "past-date": "confirmed"},
        follow_redirects=False,
    )
    assert confirmed.status_code == 303
    assert [item.due_date for item in rows(select(Assignment))] == [yesterday]


def test_the_api_still_takes_an_iso_due_date(trainer_client):
    cohort_id = create_cohort(trainer_client)
    response = trainer_client.post(
        f"/api/v1/cohorts/{cohort_id}/assignments",
        json={"module_slug": "asking-basics", "due_date": "2030-03-31"},
    )
    assert response.status_code == 201 and response.json()["due_date"] == "2030-03-31"


def test_removing_a_practitioner_asks_first(trainer_client, make_user, rows):
    cohort_id = create_cohort(trainer_client)
    person = make_user(Role.practitioner, name="Remy Member")
    trainer_client.post(f"/api/v1/cohorts/{cohort_id}/members", json={"email": person.email})
    accepts(trainer_client.app, cohort_id, person.email)
    cohort_page = trainer_client.get(f"/cohorts/{cohort_id}").text
    remove_url = f"/cohorts/{cohort_id}/members/{person.id}/remove"
    assert f'href="{remove_url}"' in cohort_page

    asked = trainer_client.get(remove_url)
    assert asked.status_code == 200
    assert "Remove Remy Member from CAMHS North, 2027 intake?" in asked.text
    assert "No, keep them in the cohort" in asked.text
    assert len(rows(select(CohortMember))) == 1

    removed = trainer_client.post(remove_url, data={"csrf_token": form_token(asked.text)})
    assert "Practitioner removed from the cohort." in removed.text
    assert rows(select(CohortMember)) == []
    assert trainer_client.get(remove_url).status_code == 404


def test_removing_an_assignment_asks_first(trainer_client, rows):
    cohort_id = create_cohort(trainer_client)
    created = trainer_client.post(
        f"/api/v1/cohorts/{cohort_id}/assignments",
        json={"module_slug": "asking-basics", "due_date": "2030-03-31"},
    ).json()
    remove_url = f"/cohorts/{cohort_id}/assignments/{created['id']}/remove"
    assert f'href="{remove_url}"' in trainer_client.get(f"/cohorts/{cohort_id}").text
    asked = trainer_client.get(remove_url)
    assert asked.status_code == 200
    assert "Their progress, quiz results and certificates are kept." in asked.text
    assert len(rows(select(Assignment))) == 1
    removed = trainer_client.post(remove_url, data={"csrf_token": form_token(asked.text)})
    assert "Assignment removed." in removed.text
    assert rows(select(Assignment)) == []


def test_adding_people_never_reveals_another_role(trainer_client, make_user):
    """A co-designer's or an admin's address reads exactly like any address that cannot join."""
    cohort_id = create_cohort(trainer_client)
    codesigner = make_user(Role.codesigner, email="young.person@example.org")
    admin = make_user(Role.admin, email="the.admin@trust.nhs.uk")
    token = form_token(trainer_client.get(f"/cohorts/{cohort_id}").text)

    bulk = trainer_client.post(
        f"/cohorts/{cohort_id}/members/bulk",
        data={"csrf_token": token, "member-emails": f"{codesigner.email}\n{admin.email}"},
    )
    for email in (codesigner.email, admin.email):
        assert f"{email} cannot be added: only practitioner accounts can join a cohort" in bulk.text
    assert "not as a practitioner" not in bulk.text and "has an account, but" not in bulk.text

    single_messages = set()
    for email in (codesigner.email, admin.email, "nobody@trust.nhs.uk"):
        page = trainer_client.post(
            f"/cohorts/{cohort_id}/members", data={"csrf_token": token, "member-email": email}
        )
        api = trainer_client.post(f"/api/v1/cohorts/{cohort_id}/members", json={"email": email})
        form_message = read_form_page(page.text).field_errors[0]
        assert api.json()["detail"] == form_message
        single_messages.add(form_message.replace(email, "ADDRESS"))
    assert single_messages == {
        "ADDRESS cannot be added: only practitioner accounts can join a cohort. "
        "Check the address, or invite them if they are new to Askwell."
    }


def test_another_trainer_cannot_open_the_removal_pages(app, trainer_client, make_user):
    cohort_id = create_cohort(trainer_client)
    person = make_user(Role.practitioner)
    trainer_client.post(f"/api/v1/cohorts/{cohort_id}/members", json={"email": person.email})
    accepts(trainer_client.app, cohort_id, person.email)
    created = trainer_client.post(
        f"/api/v1/cohorts/{cohort_id}/assignments",
        json={"module_slug": "asking-basics", "due_date": "2030-03-31"},
    ).json()
    with signed_in(app, make_user(Role.trainer)) as stranger:
        for path in (
            f"/cohorts/{cohort_id}/members/{person.id}/remove",
            f"/cohorts/{cohort_id}/assignments/{created['id']}/remove",
        ):
            page = stranger.get(path)
            assert page.status_code == 404 and person.email not in page.text


def test_without_invitations_a_new_address_and_another_role_read_the_same(
    trainer_client, make_user
):
    cohort_id = create_cohort(trainer_client)
    make_user(Role.codesigner, email="b.young@example.org")
    token = form_token(trainer_client.get(f"/cohorts/{cohort_id}").text)
    page = trainer_client.post(
        f"/cohorts/{cohort_id}/members/bulk",
        data={"csrf_token": token, "member-emails": "c.new@trust.nhs.uk\nb.young@example.org"},
    ).text
    said = re.findall(r"<li>(\S+@\S+) (cannot be added: [^<]*)</li>", page)
    assert said == [
        ("b.young@example.org", "cannot be added: only practitioner accounts can join a cohort"),
        ("c.new@trust.nhs.uk", "cannot be added: only practitioner accounts can join a cohort"),
    ]
    assert "no account yet (" not in page

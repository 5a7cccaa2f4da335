"""Adding a whole team at once: paste the addresses, existing practitioners join, the rest are
invited, and everything that could not be added is listed with the reason."""

from __future__ import annotations

import re

from sqlmodel import select

from app.cohorts.service import split_addresses
from app.models.audit import AuditEvent
from app.models.cohorts import CohortInvitation, CohortMember
from app.models.users import Role
from tests.cohorts.conftest import create_cohort, form_token, signed_in
from tests.cohorts.test_invitations import accept
from tests.joining import accepts


def test_pasted_lists_are_read_as_a_mail_program_or_spreadsheet_copies_them():
    pasted = (
        "jo@trust.nhs.uk\n"
        'sam@trust.nhs.uk; "Bloggs, Jo" <jo.b@trust.nhs.uk>, Priya Shah <priya@trust.nhs.uk>\t'
        "ash@trust.nhs.uk\n\n not an address ,jo@trust.nhs.uk,,"
    )
    assert split_addresses(pasted) == [
        "jo@trust.nhs.uk",
        "sam@trust.nhs.uk",
        "jo.b@trust.nhs.uk",
        "priya@trust.nhs.uk",
        "ash@trust.nhs.uk",
        "not an address",
    ]


def test_a_team_is_added_invited_and_the_rest_explained(app, trainer_client, make_user, rows):
    cohort_id = create_cohort(trainer_client)
    known = [make_user(Role.practitioner, name=f"Known {n}") for n in range(3)]
    colleague = make_user(Role.trainer)
    trainer_client.post(f"/api/v1/cohorts/{cohort_id}/members", json={"email": known[0].email})
    accepts(trainer_client.app, cohort_id, known[0].email)
    pasted = "\n".join(
        [
            known[0].email,
            f"Known One <{known[1].email.upper()}>",
            known[2].email,
            colleague.email,
            "new.one@trust.nhs.uk; new.two@trust.nhs.uk",
            "not an address",
        ]
    )
    response = trainer_client.post(
        f"/api/v1/cohorts/{cohort_id}/members/bulk", json={"emails": pasted}
    )
    assert response.status_code == 200, response.text
    result = response.json()
    # Practitioners are asked, and join only when they accept.
    assert result["added"] == [] and result["asked"] == [known[1].email, known[2].email]
    assert result["already_members"] == [known[0].email]
    # Another kind of account is invited like any new address: its owner is told why it
    # cannot be used when they open it, and the trainer is told nothing.
    assert result["not_practitioners"] == [] and result["cannot_add"] == []
    assert [item["email"] for item in result["invited"]] == [
        colleague.email,
        "new.one@trust.nhs.uk",
        "new.two@trust.nhs.uk",
    ]
    assert result["not_addresses"] == ["not an address"]
    members = {m.user_id for m in rows(select(CohortMember))}
    assert members == {known[0].id}

    # Each invitation link works once, for its own person.
    path = result["invited"][2]["url"].removeprefix("http://testserver")
    browser, _, joined = accept(app, path, name="New Two")
    assert joined.status_code == 303
    assert browser.get("/api/v1/me").json()["email"] == "new.two@trust.nhs.uk"

    again = trainer_client.post(
        f"/api/v1/cohorts/{cohort_id}/members/bulk",
        json={"emails": "new.one@trust.nhs.uk, new.three@trust.nhs.uk", "invite_the_rest": False},
    ).json()
    assert again["already_invited"] == ["new.one@trust.nhs.uk"]
    assert again["cannot_add"] == ["new.three@trust.nhs.uk"] and again["invited"] == []
    assert again["without_account"] == again["cannot_add"] and again["not_practitioners"] == []
    assert len(rows(select(CohortInvitation))) == 3
    logged = [e.detail for e in rows(select(AuditEvent)) if e.action == "cohort.member_add_many"]
    assert logged == ["added 0, asked 2, invited 3", "added 0, asked 0, invited 0"]


def test_too_many_or_none_at_all_is_refused_and_nothing_changes(trainer_client, rows):
    cohort_id = create_cohort(trainer_client)
    url = f"/api/v1/cohorts/{cohort_id}/members/bulk"
    empty = trainer_client.post(url, json={"emails": " ;\n, "})
    assert empty.status_code == 422 and "at least one email address" in empty.json()["detail"]
    many = ", ".join(f"person{n}@trust.nhs.uk" for n in range(501))
    refused = trainer_client.post(url, json={"emails": many})
    assert refused.status_code == 422 and "at most 500 people" in refused.json()["detail"]
    assert rows(select(CohortInvitation)) == [] and rows(select(CohortMember)) == []


def test_only_the_cohorts_trainers_can_add_many(app, trainer_client, make_user):
    cohort_id = create_cohort(trainer_client)
    person = make_user(Role.practitioner)
    with signed_in(app, make_user(Role.trainer)) as other:
        refused = other.post(
            f"/api/v1/cohorts/{cohort_id}/members/bulk", json={"emails": person.email}
        )
        assert refused.status_code == 404
    with signed_in(app, person) as practitioner:
        forbidden = practitioner.post(
            f"/api/v1/cohorts/{cohort_id}/members/bulk", json={"emails": person.email}
        )
        assert forbidden.status_code == 403


def test_the_cohort_page_adds_many_and_shows_each_new_link_once(trainer_client, make_user):
    cohort_id = create_cohort(trainer_client)
    person = make_user(Role.practitioner, name="Pasted Person")
    page = trainer_client.get(f"/cohorts/{cohort_id}").text
    assert "Add many people at once" in page
    done = trainer_client.post(
        f"/cohorts/{cohort_id}/members/bulk",
        data={
            "csrf_token": form_token(page),
            "member-emails": f"{person.email}\nnewcomer@trust.nhs.uk\n<script>x</script>",
            "invite-the-rest": "yes",
        },
    )
    assert done.status_code == 200
    assert "Asked to join (they appear in the cohort once they accept): 1" in done.text
    assert "Pasted Person" not in done.text and person.email in done.text
    links = re.findall(r"http://testserver/invitations/[\w-]+", done.text)
    assert len(set(links)) == 1 and f"newcomer@trust.nhs.uk,{links[0]}" in done.text
    assert "&lt;script&gt;x&lt;/script&gt;</bdi>: not an email address" in done.text
    assert links[0] not in trainer_client.get(f"/cohorts/{cohort_id}").text

    too_long = trainer_client.post(
        f"/cohorts/{cohort_id}/members/bulk",
        data={"csrf_token": form_token(page), "member-emails": "x" * 100_001},
    )
    assert too_long.status_code == 400
    assert (
        'href="#member-emails"' in too_long.text and "at most 100,000 characters" in too_long.text
    )
    assert not re.search(r'id="invite-the-rest"[^>]*checked', too_long.text)

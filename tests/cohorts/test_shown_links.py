"""A new invitation link is shown on a page that is safe to reload, only to the browser that
made it and only for a while; pending invitations can be withdrawn or made anew."""

from __future__ import annotations

import re
from datetime import timedelta

import time_machine
from fastapi.testclient import TestClient
from sqlmodel import select

from app.cohorts.service import hash_token
from app.models.auth import ShownLink
from app.models.cohorts import CohortInvitation
from app.models.users import Role
from tests.cohorts.conftest import create_cohort, form_token, signed_in
from tests.cohorts.test_invitations import accept
from tests.form_pages import read_form_page

LINK = re.compile(
    r'id="invitation-link" type="text" readonly value="http://testserver(/invitations/[\w-]+)"'
)


def invite_on_the_page(client: TestClient, cohort_id: int, email: str = "new.person@trust.nhs.uk"):
    token = form_token(client.get(f"/cohorts/{cohort_id}").text)
    return client.post(
        f"/cohorts/{cohort_id}/invitations",
        data={"csrf_token": token, "invite-email": email},
        follow_redirects=False,
    )


def shown_link(html: str) -> str | None:
    found = LINK.search(html)
    return found.group(1) if found else None


def test_the_new_link_page_can_be_reloaded(app, trainer_client, rows):
    cohort_id = create_cohort(trainer_client)
    made = invite_on_the_page(trainer_client, cohort_id)
    assert made.status_code == 303
    page_address = made.headers["location"]
    assert page_address.startswith(f"/cohorts/{cohort_id}/invitations/new/")

    first, reloaded = trainer_client.get(page_address), trainer_client.get(page_address)
    assert first.status_code == reloaded.status_code == 200
    assert "Invitation link ready" in first.text
    path = shown_link(first.text)
    assert path and shown_link(reloaded.text) == path
    assert len(rows(select(CohortInvitation))) == 1  # reloading made nothing new

    # Nothing stored can rebuild the link: only the token's hash and a nonce are kept.
    token = path.rsplit("/", 1)[1]
    assert rows(select(CohortInvitation))[0].token_hash == hash_token(token)
    for held in rows(select(ShownLink)):
        assert token not in " ".join(str(value) for value in held.model_dump().values())

    _, _, joined = accept(app, path)
    assert joined.status_code == 303
    after = trainer_client.get(page_address).text
    assert shown_link(after) is None and "This invitation link no longer works" in after


def test_the_link_is_shown_only_in_the_session_that_made_it(app, trainer, trainer_client):
    cohort_id = create_cohort(trainer_client)
    page_address = invite_on_the_page(trainer_client, cohort_id).headers["location"]
    with signed_in(app, trainer) as other_browser:
        elsewhere = other_browser.get(page_address)
    assert elsewhere.status_code == 200
    assert shown_link(elsewhere.text) is None
    assert "The link is no longer shown" in elsewhere.text


def test_the_link_is_shown_for_thirty_minutes(app, trainer):
    with (
        time_machine.travel("2027-03-01 09:00:00Z", tick=False) as clock,
        signed_in(app, trainer) as client,
    ):
        cohort_id = create_cohort(client)
        page_address = invite_on_the_page(client, cohort_id).headers["location"]
        clock.shift(timedelta(minutes=29))
        assert shown_link(client.get(page_address).text)
        clock.shift(timedelta(minutes=2))
        later = client.get(page_address).text
    assert shown_link(later) is None and "The link is no longer shown" in later


def test_a_pending_invitation_can_be_made_anew_and_the_old_link_stops(app, trainer_client, rows):
    cohort_id = create_cohort(trainer_client)
    old_path = shown_link(
        trainer_client.get(invite_on_the_page(trainer_client, cohort_id).headers["location"]).text
    )
    cohort_page = trainer_client.get(f"/cohorts/{cohort_id}").text
    assert "Pending invitations" in cohort_page and "new.person@trust.nhs.uk" in cohort_page
    invitation_id = rows(select(CohortInvitation))[0].id
    renewed = trainer_client.post(
        f"/cohorts/{cohort_id}/invitations/{invitation_id}/renew",
        data={"csrf_token": form_token(cohort_page)},
        follow_redirects=False,
    )
    assert renewed.status_code == 303
    new_path = shown_link(trainer_client.get(renewed.headers["location"]).text)
    assert new_path and new_path != old_path

    _, old_page, _ = accept(app, old_path)
    assert old_page.status_code == 409 and "withdrawn" in old_page.text
    _, _, joined = accept(app, new_path)
    assert joined.status_code == 303
    assert "Pending invitations" not in trainer_client.get(f"/cohorts/{cohort_id}").text


def test_an_expired_invitation_is_listed_and_can_be_made_anew(app, trainer):
    with time_machine.travel("2027-03-01 09:00:00Z", tick=False) as clock:
        with signed_in(app, trainer) as client:
            cohort_id = create_cohort(client)
            invite_on_the_page(client, cohort_id)
        clock.shift(timedelta(days=15))
        with signed_in(app, trainer) as client:
            page = client.get(f"/cohorts/{cohort_id}").text
            assert re.search(r"new.person@trust.nhs.uk</td>\s*<td[^>]*>Expired", page)
            assert "Make a new link" in page
            renew = re.search(r'action="(/cohorts/\d+/invitations/\d+/renew)"', page).group(1)
            made = client.post(renew, data={"csrf_token": form_token(page)})
            path = shown_link(made.text)
    assert path
    _, opened, _ = accept(app, path)
    assert opened.status_code == 200


def test_an_invitation_error_is_summarised(trainer_client, make_user):
    cohort_id = create_cohort(trainer_client)
    practitioner = make_user(Role.practitioner)
    response = invite_on_the_page(trainer_client, cohort_id, practitioner.email)
    assert response.status_code == 400
    read_form_page(response.text).check_every_error_is_summarised()


def test_adding_a_list_shows_its_result_and_links_on_a_page_safe_to_reload(
    app, trainer, trainer_client, make_user, rows
):
    cohort_id = create_cohort(trainer_client)
    known = make_user(Role.practitioner, email="known@trust.nhs.uk")
    make_user(Role.codesigner, email="young.person@example.org")
    token = form_token(trainer_client.get(f"/cohorts/{cohort_id}").text)
    pasted = f"{known.email}\nyoung.person@example.org\nfresh.one@trust.nhs.uk\nnonsense"
    made = trainer_client.post(
        f"/cohorts/{cohort_id}/members/bulk",
        data={"csrf_token": token, "member-emails": pasted, "invite-the-rest": "yes"},
        follow_redirects=False,
    )
    assert made.status_code == 303
    page_address = made.headers["location"]
    first, reloaded = trainer_client.get(page_address).text, trainer_client.get(page_address).text
    for page in (first, reloaded):
        assert "Asked to join (they appear in the cohort once they accept): 1" in page
        assert "Invited (no account yet): 2" in page
        assert "cannot be added" not in page
        assert "<bdi>nonsense</bdi>: not an email address" in page
    links = re.findall(r"fresh.one@trust.nhs.uk,http://testserver(/invitations/[\w-]+)", first)
    assert len(links) == 1 and links[0] in reloaded
    assert len(rows(select(CohortInvitation))) == 2  # reloading invited nobody again

    _, opened, _ = accept(app, links[0])
    assert opened.status_code == 200

    with signed_in(app, trainer) as other_browser:
        elsewhere = other_browser.get(page_address).text
    assert "The result is no longer shown" in elsewhere and links[0] not in elsewhere


def test_the_privacy_page_says_how_long_a_new_link_can_be_shown_again(client):
    page = client.get("/privacy").text
    assert "keeps for 30 minutes, tied to their sign-in" in " ".join(page.split())


def test_signing_out_forgets_the_links_held_for_the_page(trainer_client, rows):
    cohort_id = create_cohort(trainer_client)
    invite_on_the_page(trainer_client, cohort_id)
    assert len(rows(select(ShownLink))) == 1
    assert trainer_client.post("/api/v1/auth/logout").status_code in (200, 204)
    assert rows(select(ShownLink)) == []

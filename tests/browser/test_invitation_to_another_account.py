"""A trainer invites an address that already belongs to a young co-designer: the trainer sees
an ordinary invitation, and only the co-designer, signed in, learns why it cannot be used."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect
from sqlmodel import Session, select

from app.models.cohorts import CohortInvitation, CohortMember
from app.models.users import Role, User, UserRole
from tests.browser.conftest import sign_in

pytestmark = pytest.mark.browser

YOUNG_PERSON = "young.person.invited@example.org"


def test_a_co_designer_opening_an_invitation_is_told_why_and_keeps_their_account(
    page: Page, browser, live_server, browser_app, make_user, assert_accessible
):
    trainer = make_user(Role.trainer, name="Tess Trainer")
    codesigner = make_user(Role.codesigner, email=YOUNG_PERSON, name="Young Person")

    sign_in(page, trainer.email, trainer.password)
    page.goto("/cohorts")
    page.get_by_label("Cohort name").fill("Leeds CAMHS, spring intake")
    page.get_by_role("button", name="Create cohort").click()
    expect(page.get_by_role("heading", name="Leeds CAMHS, spring intake")).to_be_visible()
    page.locator("#invite-email").fill(YOUNG_PERSON)
    page.get_by_role("button", name="Create invitation link").click()
    # The trainer sees an ordinary new link, as for anyone new to Askwell.
    expect(page.get_by_role("heading", name="Invitation link ready")).to_be_visible()
    link = page.get_by_label("Invitation link", exact=True).input_value()
    cohort_page = page.url.split("/invitations/")[0]

    context = browser.new_context(base_url=live_server, locale="en-GB")
    young = context.new_page()
    try:
        young.goto(link)
        # Not yet signed in, the page is the same join page anyone would see.
        expect(young.get_by_role("heading", name="Join Askwell")).to_be_visible()
        assert_accessible(young)
        young.get_by_role("link", name="Sign in").last.click()
        young.get_by_label("Email address").fill(codesigner.email)
        young.get_by_label("Password").fill(codesigner.password)
        young.get_by_role("button", name="Sign in").click()

        # Signed in, they come back to the link and are told, in plain words, why.
        expect(young.get_by_role("heading", name="This invitation cannot be used")).to_be_visible()
        expect(
            young.get_by_text(
                f"{YOUNG_PERSON} already has an Askwell account, and that kind of account "
                "cannot join a cohort."
            )
        ).to_be_visible()
        expect(young.get_by_text("using a different email address")).to_be_visible()
        expect(young.get_by_role("button", name="Create my account")).to_have_count(0)
        assert_accessible(young)
    finally:
        context.close()

    with Session(browser_app.state.engine) as session:
        account = session.exec(select(User).where(User.email == YOUNG_PERSON)).one()
        roles = session.exec(select(UserRole.role).where(UserRole.user_id == account.id)).all()
        invitation = session.exec(
            select(CohortInvitation).where(CohortInvitation.email == YOUNG_PERSON)
        ).one()
        joined = session.exec(select(CohortMember).where(CohortMember.user_id == account.id)).all()
    assert account.display_name == "Young Person" and list(roles) == [Role.codesigner.value]
    assert invitation.used_at is None and joined == []

    # The trainer still sees an ordinary pending invitation, and nothing else.
    page.goto(cohort_page)
    pending = page.locator("table", has_text=YOUNG_PERSON)
    expect(pending).to_be_visible()
    expect(page.get_by_text("already has an Askwell account")).to_have_count(0)
    assert_accessible(page)

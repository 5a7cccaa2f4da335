"""Demo accounts and sample progress, so a fresh install can be tried at once.

Never available in production: the passwords are printed and well known.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session

from app.auth import service as auth
from app.auth.passwords import Passwords
from app.auth.schemas import Viewer
from app.content import ContentIndex
from app.models.users import Role
from app.progress import service as progress


@dataclass(frozen=True)
class DemoAccount:
    email: str
    password: str
    display_name: str
    roles: tuple[Role, ...]


DEMO_ACCOUNTS = (
    DemoAccount(
        "practitioner@askwell.test",
        "demo-practitioner-2026",
        "Priya Shah (demo practitioner)",
        (Role.practitioner,),
    ),
    DemoAccount(
        "codesigner@askwell.test",
        "demo-codesigner-2026",
        "Sam (demo co-designer)",
        (Role.codesigner,),
    ),
    DemoAccount(
        "trainer@askwell.test",
        "demo-trainer-2026",
        "Tom Okafor (demo trainer)",
        (Role.trainer, Role.practitioner),
    ),
    DemoAccount("admin@askwell.test", "demo-admin-2026", "Ada Jones (demo admin)", (Role.admin,)),
)


def seed_demo(session: Session, passwords: Passwords, content: ContentIndex) -> list[DemoAccount]:
    """Create (or reset) one account per role and start the practitioner on the first module."""
    for account in DEMO_ACCOUNTS:
        user = auth.find_user_by_email(session, account.email)
        if user is None:
            user = auth.create_user(
                session,
                passwords,
                email=account.email,
                password=account.password,
                display_name=account.display_name,
                roles=account.roles,
            )
        else:
            user.password_hash = passwords.hash(account.password)
            user.is_active = True
        if Role.practitioner in account.roles and account.email.startswith("practitioner"):
            assert user.id is not None
            viewer = Viewer(
                id=user.id,
                email=user.email,
                display_name=user.display_name,
                roles=frozenset(account.roles),
                session_id="",
            )
            modules = content.all("module")
            if modules:
                for section in modules[0].sections[:2]:
                    progress.complete_section(session, content, viewer, modules[0].slug, section.id)
    seed_demo_cohort(session, content)
    return list(DEMO_ACCOUNTS)


DEMO_COHORT = "CAMHS North, 2027 intake (demo)"


def seed_demo_cohort(session: Session, content: ContentIndex) -> None:
    """A cohort the demo trainer manages, so the dashboard has something to show."""
    from datetime import timedelta

    from sqlmodel import select

    from app.cohorts import service as cohorts
    from app.models.base import utcnow
    from app.models.cohorts import Cohort

    if session.exec(select(Cohort.id).where(Cohort.name == DEMO_COHORT)).first() is not None:
        return
    trainer_account = DEMO_ACCOUNTS[2]
    trainer = auth.find_user_by_email(session, trainer_account.email)
    if trainer is None or trainer.id is None:
        return
    viewer = Viewer(
        id=trainer.id,
        email=trainer.email,
        display_name=trainer.display_name,
        roles=frozenset(trainer_account.roles),
        session_id="",
    )
    cohort = cohorts.create_cohort(session, viewer, DEMO_COHORT)
    assert cohort.id is not None
    for account in (DEMO_ACCOUNTS[0], trainer_account):
        cohorts.add_member(session, viewer, cohort.id, account.email)
    today = utcnow().date()
    modules = content.all("module")
    plan = [(-7, None), (30, 365), (60, None)]  # one overdue, one recurring, one later
    if len(modules) > 1 and modules[1].quiz is not None:
        # The trainer is a practitioner too: one module done, so the chart has a rise.
        from app.quizzes import service as quizzes

        learner = Viewer(
            id=trainer.id,
            email=trainer.email,
            display_name=trainer.display_name,
            roles=frozenset({Role.practitioner}),
            session_id="",
        )
        for section in modules[1].sections:
            progress.complete_section(session, content, learner, modules[1].slug, section.id)
        right = {
            question.id: sorted(question.correct_ids) for question in modules[1].quiz.questions
        }
        quizzes.submit_attempt(session, content, learner, modules[1].slug, right)
    for module, (days, recur) in zip(modules, plan, strict=False):
        cohorts.assign_module(
            session,
            content,
            viewer,
            cohort.id,
            module_slug=module.slug,
            due_date=today + timedelta(days=days),
            recur_days=recur,
        )

"""Demo accounts and sample progress, so a fresh install can be tried at once.

Never available in production: the passwords are printed and well known.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlmodel import Session, select

from app.auth import service as auth
from app.auth.passwords import Passwords
from app.auth.schemas import Viewer
from app.content import ContentIndex, Module
from app.content.snapshots import record_module_version
from app.core.config import get_settings
from app.models.base import utcnow
from app.models.progress import Completion, ModuleProgress, SectionProgress
from app.models.quizzes import QuizAttempt
from app.models.users import Role
from app.progress import service as progress
from app.ratings import service as ratings
from app.reflections import service as reflections
from app.scenarios import service as scenarios
from app.scenarios.service import Decision, DecisionIn, ScenarioForm


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
                age_band="18-24" if Role.codesigner in account.roles else None,
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
            _seed_earlier_learning(session, content, viewer, modules)
    seed_codesign(session, passwords, content)
    seed_demo_cohort(session, content)
    return list(DEMO_ACCOUNTS)


# Modules the demo practitioner finished a while ago, so Refresh has something to show:
# one past its refresh date, and questions from all of them due in the 5-minute refresh.
DEMO_COMPLETED_DAYS_AGO = (400, 95, 40)
DEMO_REFLECTION = (
    "I usually ask about sleep and school but not about what they do online. "
    "Next time I will ask which apps they use most and what they like about them."
)


def _seed_earlier_learning(
    session: Session, content: ContentIndex, viewer: Viewer, modules: tuple[Module, ...]
) -> None:
    now = utcnow()
    for module, days in zip(modules[1:], DEMO_COMPLETED_DAYS_AGO, strict=False):
        complete_as_of(session, viewer.id, module, now - timedelta(days=days))
    reflective = next((m for m in modules[1:] if m.reflect_prompts), None)
    if reflective is not None:
        first_prompt = reflections.prompt_key(reflective.reflect_prompts[0])
        reflections.save_reflections(
            session, content, viewer, reflective.slug, {first_prompt: DEMO_REFLECTION}
        )


def complete_as_of(session: Session, user_id: int, module: Module, when: datetime) -> None:
    """Rows as if the module had been read and passed on ``when`` (once: safe to run again)."""
    existing = session.exec(
        select(ModuleProgress).where(
            ModuleProgress.user_id == user_id, ModuleProgress.module_slug == module.slug
        )
    ).first()
    if existing is not None:
        return
    record_module_version(session, module)
    session.add(
        ModuleProgress(
            user_id=user_id,
            module_slug=module.slug,
            started_at=when - timedelta(minutes=module.minutes),
            last_activity_at=when,
            completed_at=when,
            completed_version=module.version,
            best_score=100,
        )
    )
    session.add_all(
        SectionProgress(
            user_id=user_id,
            module_slug=module.slug,
            section_id=section.id,
            content_version=module.version,
            completed_at=when,
        )
        for section in module.sections
    )
    session.add(
        QuizAttempt(
            user_id=user_id,
            module_slug=module.slug,
            content_version=module.version,
            score=100,
            passed=True,
            created_at=when,
        )
    )
    session.add(
        Completion(
            user_id=user_id,
            module_slug=module.slug,
            module_title=module.title,
            content_version=module.version,
            minutes=module.minutes,
            completed_at=when,
            verification_code=secrets.token_hex(8),
        )
    )
    session.flush()


def _viewer_of(session: Session, email: str) -> Viewer:
    user = auth.find_user_by_email(session, email)
    assert user is not None and user.id is not None
    return Viewer(
        id=user.id,
        email=user.email,
        display_name=user.display_name,
        roles=auth.roles_of(session, user.id),
        session_id="",
    )


DEMO_SCENARIOS = (
    (
        ScenarioForm(
            title="When my nurse asked what I actually do on TikTok",
            what_happened=(
                "I'd been up every night watching videos and my sleep was a mess. "
                "I thought I'd get told off for being on my phone."
            ),
            what_was_said=(
                "She asked me to show her what my feed looks like and what I like about it. "
                "Then she asked if any of it made me feel worse."
            ),
            how_it_felt="Like she was actually interested, not judging me.",
            what_would_help="More of that. Asking which apps and how, not just how long.",
            platforms=["TikTok"],
            topics=["asking", "sleep"],
            credit="pseudonym",
            credit_name="Robin",
            consent_to_quote=True,
        ),
        "publish",
    ),
    (
        ScenarioForm(
            title="Told to delete the app",
            what_happened="Someone in a group chat kept posting things about me.",
            what_was_said="My counsellor said I should just delete it and stop looking.",
            how_it_felt="Like it was my fault and I couldn't talk about it again.",
            what_would_help="Asking what the group chat means to me before telling me what to do.",
            platforms=["WhatsApp"],
            topics=["judgement", "cyberbullying"],
            consent_to_quote=True,
        ),
        "request_changes",
    ),
    (
        ScenarioForm(
            title="Nobody asked about gaming",
            what_happened="Gaming with my friends online is how I cope with stuff.",
            what_was_said="Nothing. It never came up in a year of appointments.",
            how_it_felt="Like the most important part of my week didn't count.",
            what_would_help="Just being asked what I play and who with.",
            platforms=["Discord", "Fortnite"],
            topics=["gaming", "asking"],
        ),
        "send",
    ),
)
RATING_PANEL = 6  # enough young people for endorsements to show (at least 5 ratings)


def seed_codesign(session: Session, passwords: Passwords, content: ContentIndex) -> None:
    """Scenarios in several states and ratings of two examples, once."""
    codesigner = _viewer_of(session, "codesigner@askwell.test")
    trainer = _viewer_of(session, "trainer@askwell.test")
    if not scenarios.my_scenarios(session, content, codesigner):
        settings = get_settings()
        for form, outcome in DEMO_SCENARIOS:
            saved = scenarios.save_scenario(session, settings, content, codesigner, form, send=True)
            scenario_id = saved.scenario.id
            assert scenario_id is not None
            if outcome == "send":
                continue
            scenarios.claim(session, trainer, scenario_id)
            if outcome == "request_changes":
                note = (
                    "Thank you, this is really useful. Could you say a bit more about what the "
                    "group chat was like for you, without anyone's names?"
                )
                scenarios.decide(
                    session,
                    content,
                    trainer,
                    scenario_id,
                    DecisionIn(decision=Decision.request_changes, note=note),
                )
                continue
            scenarios.decide(
                session,
                content,
                trainer,
                scenario_id,
                DecisionIn(
                    decision=Decision.accept,
                    note="Thank you. This is exactly what practitioners need to hear.",
                    published_title="“Show me your feed”",
                    published_text=(
                        "I'd been up every night watching videos and my sleep was a mess. I "
                        "thought I'd get told off for being on my phone.\n\nInstead my nurse "
                        "asked me to show her what my feed looks like and what I like about it, "
                        "then whether any of it made me feel worse. It felt like she was "
                        "actually interested, not judging me.\n\nWhat would help: more of "
                        "that. Ask which apps and how, not just how long."
                    ),
                ),
            )
            scenarios.publish(session, content, trainer, scenario_id)
    module = next((m for m in content.all("module") if len(m.asks) >= 2), None)
    if module is None:
        return
    liked, disliked = module.asks[0], module.asks[1]
    for number in range(1, RATING_PANEL + 1):
        email = f"codesigner{number + 1}@askwell.test"
        if auth.find_user_by_email(session, email) is None:
            auth.create_user(
                session,
                passwords,
                email=email,
                password=f"demo-codesigner-{number + 1}-2026",
                display_name=f"Demo co-designer {number + 1}",
                roles=[Role.codesigner],
                age_band="16-17" if number % 2 else "18-24",
            )
        young_person = _viewer_of(session, email)
        ratings.rate(
            session,
            content,
            young_person,
            module.slug,
            liked.id,
            "yes" if number < 6 else "not_sure",
        )
        ratings.rate(
            session,
            content,
            young_person,
            module.slug,
            disliked.id,
            "no" if number < 5 else "yes",
            "Sounds like a form, not a conversation." if number == 1 else "",
        )


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
        # A trainer's request waits for the practitioner: the demo accepts on their behalf.
        member = cohorts.add_member(session, viewer, cohort.id, account.email)
        cohorts.accept_request(
            session,
            Viewer(
                id=member.id or 0,
                email=member.email,
                display_name=member.display_name,
                roles=frozenset({Role.practitioner}),
                session_id="",
            ),
            cohort.id,
        )
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

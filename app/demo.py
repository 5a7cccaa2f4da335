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
from app.models.base import utcnow
from app.models.progress import Completion, ModuleProgress, SectionProgress
from app.models.quizzes import QuizAttempt
from app.models.users import Role
from app.progress import service as progress
from app.reflections import service as reflections
from app.refresh.snapshots import record_module_version


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
            _seed_earlier_learning(session, content, viewer, modules)
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

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
    return list(DEMO_ACCOUNTS)

"""The header menu: one list, each entry shown to the roles it serves."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import parse_qsl, urlsplit

from starlette.requests import Request

from app.auth.schemas import Viewer
from app.models.users import Role


@dataclass(frozen=True)
class NavItem:
    href: str
    label: str
    roles: frozenset[Role] | None = None  # None: everyone signed in


@dataclass(frozen=True)
class NavLink:
    href: str
    label: str
    current: bool


NAVIGATION: tuple[NavItem, ...] = (
    NavItem("/", "Your learning", frozenset({Role.practitioner})),
    NavItem("/", "Home", frozenset({Role.codesigner, Role.trainer, Role.admin})),
    NavItem("/modules", "Modules"),
    NavItem("/modules?kind=app", "App cards"),
    NavItem("/refresh", "Refresh", frozenset({Role.practitioner})),
    NavItem("/record", "Your record", frozenset({Role.practitioner})),
    NavItem("/admin/users", "Accounts", frozenset({Role.admin})),
    NavItem("/scenarios/mine", "My contributions", frozenset({Role.codesigner})),
    NavItem("/review/scenarios", "Review scenarios", frozenset({Role.trainer})),
    NavItem("/cohorts", "Cohorts", frozenset({Role.trainer, Role.admin})),
    NavItem("/reports/modules", "Reports", frozenset({Role.trainer, Role.admin})),
    NavItem("/admin/audit", "Audit log", frozenset({Role.admin})),
)


def _is_current(item: NavItem, request: Request) -> bool:
    target = urlsplit(item.href)
    if request.url.path != target.path:
        return False
    wanted = dict(parse_qsl(target.query))
    return all(request.query_params.get(key) == value for key, value in wanted.items()) and (
        bool(wanted) or not request.query_params.get("kind")
    )


def navigation_for(viewer: Viewer | None, request: Request) -> list[NavLink]:
    if viewer is None:
        return []
    links: list[NavLink] = []
    for item in NAVIGATION:
        already = any(link.href == item.href for link in links)
        if not already and (item.roles is None or viewer.has(*item.roles)):
            links.append(NavLink(item.href, item.label, _is_current(item, request)))
    return links

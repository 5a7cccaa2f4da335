"""The header menu: one list, each entry shown to the roles it serves; and the way back up
from any page below it, for phones, where the breadcrumbs are hidden."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from html.parser import HTMLParser
from urllib.parse import parse_qsl, urlsplit

from starlette.requests import Request
from starlette.routing import Match

from app.auth.schemas import Viewer
from app.core.templating import Templates
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
    NavItem("/admin/events", "Event deliveries", frozenset({Role.admin})),
)


def install_menu(templates: Templates) -> None:
    """Gives every page's header its menu and back link; the templating floor below knows
    nothing of who is signed in or which pages exist."""
    templates.env.globals["navigation"] = navigation_for
    templates.env.globals["back_link"] = back_link_for


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


@dataclass(frozen=True)
class BackLink:
    href: str
    label: str  # where it leads, after a visually hidden "Back to"; empty for plain "Back"


HOME = BackLink("/", "Askwell home")


class _LastBreadcrumb(HTMLParser):
    """Reads rendered breadcrumbs: the last link is the page one level up."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.last: BackLink | None = None
        self.has_back_link = False
        self._href: str | None = None
        self._text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        classes = (dict(attrs).get("class") or "").split()
        if "nhsuk-back-link" in classes:
            self.has_back_link = True
        if tag == "a" and "nhsuk-breadcrumb__link" in classes:
            self._href, self._text = dict(attrs).get("href"), []

    def handle_data(self, data: str) -> None:
        if self._href is not None:
            self._text.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "a" and self._href is not None:
            self.last = BackLink(self._href, " ".join("".join(self._text).split()))
            self._href = None


@lru_cache(maxsize=1024)
def _read_breadcrumbs(breadcrumbs: str) -> tuple[bool, BackLink | None]:
    """Whether the breadcrumbs hold a back link, and their last link. Most pages' breadcrumbs
    are the same for everyone who opens them, so each is parsed once."""
    crumbs = _LastBreadcrumb()
    crumbs.feed(breadcrumbs)
    crumbs.close()
    return crumbs.has_back_link, crumbs.last


def is_top_level(viewer: Viewer | None, request: Request) -> bool:
    """Top level: the home page, a page in the menu, or one a single step from the root."""
    path = request.url.path.rstrip("/") or "/"
    menu = {urlsplit(link.href).path for link in navigation_for(viewer, request)}
    return path in menu or path.count("/") <= 1


def _serves_page(request: Request, path: str) -> bool:
    scope = {"type": "http", "path": path, "method": "GET", "root_path": ""}
    return any(route.matches(scope)[0] is Match.FULL for route in request.app.router.routes)


def back_link_for(
    viewer: Viewer | None, request: Request, breadcrumbs: str = ""
) -> BackLink | None:
    """Where "Back" leads on a page below the top level, or None on a top-level page.

    The page's own breadcrumbs win (their last link); otherwise the nearest shorter path
    that is a page, then the menu entry of the same part of the site, then home. None too
    when the breadcrumbs already carry a back link, so a page never shows two.
    """
    if is_top_level(viewer, request):
        return None
    has_back_link, last = _read_breadcrumbs(breadcrumbs)
    if has_back_link:
        return None
    if last is not None:
        return last
    menu = navigation_for(viewer, request)
    labels = {urlsplit(link.href).path: link.label for link in menu if "?" not in link.href}
    parts = request.url.path.rstrip("/").split("/")
    for length in range(len(parts) - 1, 1, -1):
        candidate = "/".join(parts[:length])
        if _serves_page(request, candidate):
            return BackLink(candidate, labels.get(candidate, ""))
    section = next(
        (path for path in labels if path != "/" and path.split("/")[1] == parts[1]), None
    )
    if section is not None:
        return BackLink(section, labels[section])
    return HOME if viewer is None else BackLink("/", labels.get("/", "Home"))

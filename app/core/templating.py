"""The one Jinja environment (autoescape on) and fingerprinted static URLs."""

from __future__ import annotations

import hashlib
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Annotated, Any

from fastapi import Depends, Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from starlette.responses import Response
from starlette.staticfiles import StaticFiles
from starlette.types import Scope

from app.core.config import Settings

ONE_YEAR_SECONDS = 31_536_000


class StaticAssets:
    """Maps a static path to a URL carrying a hash of its content.

    Files never change while the server runs, so each hash is computed once.
    """

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self._fingerprints: dict[str, str] = {}

    def url(self, path: str) -> str:
        fingerprint = self._fingerprints.get(path)
        if fingerprint is None:
            file = self.directory / path
            digest = hashlib.sha256(file.read_bytes()).hexdigest() if file.is_file() else "missing"
            fingerprint = self._fingerprints.setdefault(path, digest[:12])
        return f"/static/{path}?v={fingerprint}"


class CachedStaticFiles(StaticFiles):
    """Fingerprinted URLs are cached for a year; anything else for an hour."""

    async def get_response(self, path: str, scope: Scope) -> Response:
        response = await super().get_response(path, scope)
        if response.status_code == 200:
            versioned = b"v=" in scope.get("query_string", b"")
            response.headers["Cache-Control"] = (
                f"public, max-age={ONE_YEAR_SECONDS}, immutable"
                if versioned
                else "public, max-age=3600"
            )
        return response


def format_date(value: date | datetime | None) -> str:
    if value is None:
        return ""
    return f"{value.day} {value:%B %Y}"


def format_datetime(value: datetime | None) -> str:
    if value is None:
        return ""
    return f"{value.day} {value:%B %Y} at {value:%H:%M}"


class Templates:
    """Renders pages with what every page needs: the user, the CSRF token, static URLs."""

    def __init__(self, settings: Settings) -> None:
        self.assets = StaticAssets(settings.static_dir)
        self.env = Environment(
            loader=FileSystemLoader(settings.templates_dir),
            autoescape=select_autoescape(default=True, default_for_string=True),
            undefined=StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
            # Production compiles each template once; development picks up edits.
            auto_reload=not settings.is_production,
        )
        self.env.globals["static_url"] = self.assets.url
        self.env.filters["date"] = format_date
        self.env.filters["datetime"] = format_datetime
        self._sections: dict[tuple[str, int, str], str] = {}

    def render_string(self, name: str, context: dict[str, Any]) -> str:
        return self.env.get_template(name).render(**context)

    def section_html(self, module: Any, section: Any) -> str:
        """A section's HTML for the API; content is immutable while running, so render it once."""
        key = _section_cache_key(module, section)
        html = self._sections.get(key)
        if html is None:
            html = self.render_string("content/section_fragment.html", {"section": section})
            self._sections[key] = html
        return html

    def render(
        self,
        request: Request,
        name: str,
        context: dict[str, Any] | None = None,
        status_code: int = 200,
    ) -> HTMLResponse:
        state = request.state
        page_context = {
            "request": request,
            "current_user": getattr(state, "user", None),
            "csrf_token": getattr(state, "csrf_token", ""),
            "title": "",
            "errors": {},
            "form": {},
            "today": datetime.now(UTC).date(),
            **(context or {}),
        }
        html = self.render_string(name, page_context)
        return HTMLResponse(html, status_code=status_code)


def _section_cache_key(module: Any, section: Any) -> tuple[str, int, str]:
    return (module.slug, module.version, section.id)


class PageRenderer:
    """How a page handler answers: a template rendered for the request being answered.

    One dependency in place of the request and the templates that every page took and
    passed along by hand; ``request`` is here for the few pages that also read it.
    """

    def __init__(self, request: Request, templates: Templates) -> None:
        self.request = request
        self.templates = templates

    def __call__(
        self, name: str, context: dict[str, Any] | None = None, *, status_code: int = 200
    ) -> HTMLResponse:
        return self.templates.render(self.request, name, context, status_code)


async def get_renderer(request: Request) -> PageRenderer:
    return PageRenderer(request, request.app.state.templates)


Render = Annotated[PageRenderer, Depends(get_renderer)]

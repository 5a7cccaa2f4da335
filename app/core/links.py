"""Links Askwell hands out and follows: absolute ones from the configured base URL, never a
forged Host, and onward ones (``next``) only ever to a page of Askwell itself.

A password reset or invitation link built from the Host header a request claims could
point at someone else's site, and the person who follows it would hand over the token.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from fastapi import Request


def site_url(request: Request) -> str:
    """The site's address without a final slash: ``ASKWELL_BASE_URL``, or in development
    (where it may be unset) the address this request came to."""
    configured: str | None = request.app.state.settings.base_url
    return configured or str(request.base_url).rstrip("/")


def absolute_url(request: Request, path: str) -> str:
    """A link to ``path`` (starting with /) on this site, safe to send to someone."""
    return site_url(request) + path


def safe_next(target: str | None) -> str:
    """Only ever send people on to a page of Askwell itself."""
    if not target:
        return "/"
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return "/"
    return target

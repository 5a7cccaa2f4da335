"""Absolute links Askwell hands out: from the configured base URL, never a forged Host.

A password reset or invitation link built from the Host header a request claims could
point at someone else's site, and the person who follows it would hand over the token.
"""

from __future__ import annotations

from fastapi import Request


def site_url(request: Request) -> str:
    """The site's address without a final slash: ``ASKWELL_BASE_URL``, or in development
    (where it may be unset) the address this request came to."""
    configured: str | None = request.app.state.settings.base_url
    return configured or str(request.base_url).rstrip("/")


def absolute_url(request: Request, path: str) -> str:
    """A link to ``path`` (starting with /) on this site, safe to send to someone."""
    return site_url(request) + path

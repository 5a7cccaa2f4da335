"""Security headers on every response, and the limit on request bodies, set in one place."""

from __future__ import annotations

from starlette.datastructures import MutableHeaders
from starlette.exceptions import HTTPException
from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)


class FrameAncestors:
    """The origins allowed to show Askwell in a frame (the registered learning platforms),
    refreshed from the database by the app; none by default, so nobody may frame it."""

    def __init__(self) -> None:
        self.origins: tuple[str, ...] = ()

    def policy(self) -> str:
        if not self.origins:
            return CONTENT_SECURITY_POLICY
        return CONTENT_SECURITY_POLICY.replace(
            "frame-ancestors 'none'", "frame-ancestors " + " ".join(self.origins)
        )


class SecurityHeadersMiddleware:
    """CSP without inline script, nosniff, no framing, no referrer leaks, no caching of pages,
    and HTTPS only from the first secure visit on (HSTS).

    Pages may show a young person's words or a practitioner's record, so nothing
    but static files is ever stored by a browser or a proxy.
    """

    def __init__(self, app: ASGIApp, frame_ancestors: FrameAncestors | None = None) -> None:
        self.app = app
        self.frame_ancestors = frame_ancestors or FrameAncestors()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        is_static = scope["path"].startswith("/static/")
        framed_by = self.frame_ancestors.origins
        secure = scope.get("scheme") == "https"

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                # A response may carry a stricter policy of its own (a chart's SVG does).
                if "content-security-policy" not in headers:
                    headers["Content-Security-Policy"] = self.frame_ancestors.policy()
                headers["X-Content-Type-Options"] = "nosniff"
                if not framed_by:
                    # X-Frame-Options cannot name origins: frame-ancestors does, when any
                    # learning platform is registered to show Askwell in its pages.
                    headers["X-Frame-Options"] = "DENY"
                headers["Referrer-Policy"] = "same-origin"
                headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=()"
                headers["Cross-Origin-Opener-Policy"] = "same-origin"
                if secure:
                    # Browsers heed this only over HTTPS, so it is sent only there; behind a
                    # proxy the scheme comes from X-Forwarded-Proto (ASKWELL_TRUSTED_PROXIES).
                    headers["Strict-Transport-Security"] = "max-age=31536000"
                if not is_static and "cache-control" not in headers:
                    headers["Cache-Control"] = "no-store"
            await send(message)

        await self.app(scope, receive, send_with_headers)


class HeadAsGetMiddleware:
    """Answer HEAD as GET without the body, for every page and API route.

    FastAPI routes answer only the methods they declare, so uptime monitors (many probe with
    HEAD) would see every page as missing. The headers are exactly those GET would send.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "HEAD":
            await self.app(scope, receive, send)
            return

        async def send_headers_only(message: Message) -> None:
            if message["type"] == "http.response.body":
                if not message.get("more_body", False):
                    await send({"type": "http.response.body", "body": b"", "more_body": False})
                return
            await send(message)

        await self.app({**scope, "method": "GET"}, receive, send_headers_only)


class RequestTooLarge(HTTPException):
    """A request body past ``max_body_bytes``: answered 413 by the usual error handlers, so
    people get a page and API clients ``{"detail": …}``."""

    def __init__(self, max_body_bytes: int) -> None:
        super().__init__(
            status_code=413,
            detail=(
                "That was more than Askwell accepts in one request "
                f"({describe_size(max_body_bytes)}). Nothing has been saved: "
                "go back, shorten what you sent and try again."
            ),
        )


def describe_size(size: int) -> str:
    """A byte count as people say it: 1 MB, 64 KB, 1500 bytes."""
    for unit, scale in (("MB", 1024 * 1024), ("KB", 1024)):
        if size % scale == 0:
            return f"{size // scale} {unit}"
    return f"{size} bytes"


class BodySizeLimitMiddleware:
    """Refuse request bodies larger than ``max_body_bytes`` without holding them in memory.

    A ``Content-Length`` past the limit is refused before a byte is read; a chunked body is
    counted as it arrives and refused the moment it grows past the limit. The refusal is
    raised from ``receive``, so whatever reads the body (a form, JSON) stops there and the
    error handlers answer; if nothing handles it, a plain 413 is sent here. (Starlette's own
    RequestBodyLimitMiddleware works the same way, but its answer cannot name the limit.)
    """

    def __init__(self, app: ASGIApp, max_body_bytes: int) -> None:
        self.app = app
        self.max_body_bytes = max_body_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self.max_body_bytes
        declared = _declared_length(scope)
        received = 0
        response_started = False

        async def limited_receive() -> Message:
            nonlocal received
            if declared is not None and declared > limit:
                raise RequestTooLarge(limit)
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise RequestTooLarge(limit)
            return message

        async def watching_send(message: Message) -> None:
            nonlocal response_started
            if message["type"] == "http.response.start":
                response_started = True
            await send(message)

        try:
            await self.app(scope, limited_receive, watching_send)
        except RequestTooLarge as refused:
            if response_started:
                raise
            await JSONResponse({"detail": refused.detail}, status_code=413)(scope, receive, send)


def _declared_length(scope: Scope) -> int | None:
    for name, value in scope["headers"]:
        if name == b"content-length":
            try:
                return int(value)
            except ValueError:
                return None
    return None

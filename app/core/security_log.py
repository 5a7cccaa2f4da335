"""Security events as structured log lines: one JSON object per event, UTC ISO times.

Operators feed these to whatever watches their logs, so a burst of refused requests or failed
sign-ins is visible. Only facts about the request are logged (event, status, method, path,
client, account id): never a password, an email address in clear, a query string or a body,
so nothing a young person typed can reach the logs.
"""

from __future__ import annotations

import hashlib
import json
import logging
from datetime import UTC, datetime

from starlette.types import ASGIApp, Message, Receive, Scope, Send

SECURITY_LOGGER = "askwell.security"
REFUSED_STATUSES = {401: "not_signed_in", 403: "forbidden", 429: "rate_limited"}

security_log = logging.getLogger(SECURITY_LOGGER)


class JsonLineFormatter(logging.Formatter):
    """One JSON object per record: time (UTC, ISO 8601), level, event and its fields."""

    def format(self, record: logging.LogRecord) -> str:
        line = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(),
            "level": record.levelname,
            "logger": record.name,
            "event": record.getMessage(),
            **getattr(record, "security", {}),
        }
        return json.dumps(line, ensure_ascii=True, sort_keys=False)


def configure_security_log() -> None:
    """Give the security logger its JSON handler once; records still reach the root logger's."""
    if not any(isinstance(h.formatter, JsonLineFormatter) for h in security_log.handlers):
        handler = logging.StreamHandler()
        handler.setFormatter(JsonLineFormatter())
        security_log.addHandler(handler)
    if security_log.level == logging.NOTSET:
        security_log.setLevel(logging.INFO)


def record_event(event: str, level: int = logging.INFO, **fields: str | int | bool | None) -> None:
    """Log one security event; the fields must never hold what a person typed."""
    security_log.log(level, event, extra={"security": fields})


def email_fingerprint(email: str) -> str:
    """A short stable digest, so repeated failures on one account can be linked in the logs
    without writing the address itself there."""
    return hashlib.sha256(email.strip().lower().encode()).hexdigest()[:12]


def _client(scope: Scope) -> str | None:
    client = scope.get("client")
    return str(client[0]) if client else None


class SecurityLogMiddleware:
    """Logs every refused request (401, 403 including a failed CSRF check, 429) by status,
    method and path: the query string is left out, since searches carry people's words."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_and_log(message: Message) -> None:
            if message["type"] == "http.response.start":
                status = int(message["status"])
                if status in REFUSED_STATUSES:
                    record_event(
                        f"request.{REFUSED_STATUSES[status]}",
                        logging.WARNING,
                        status=status,
                        method=scope["method"],
                        path=scope["path"],
                        client=_client(scope),
                    )
            await send(message)

        await self.app(scope, receive, send_and_log)

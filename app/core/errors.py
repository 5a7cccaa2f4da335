"""Errors services raise, and the one place that turns them into responses."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from enum import StrEnum
from typing import TYPE_CHECKING
from urllib.parse import quote

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from sqlalchemy.exc import DataError, DBAPIError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from starlette.exceptions import HTTPException as StarletteHTTPException

if TYPE_CHECKING:
    from app.core.templating import Templates

log = logging.getLogger("askwell")


class AppError(Exception):
    """A failure a user can be told about in plain words."""

    status_code = 400
    default_message = "Something about that request was not right."

    def __init__(self, message: str | None = None) -> None:
        self.message = message or self.default_message
        super().__init__(self.message)


class NotAuthenticated(AppError):
    status_code = 401
    default_message = "Please sign in to continue."


class Forbidden(AppError):
    status_code = 403
    default_message = "Your account does not have access to this."


class NotFound(AppError):
    status_code = 404
    default_message = "We could not find that page."


class Conflict(AppError):
    status_code = 409
    default_message = "That cannot be done in its current state."


class InvalidInput(AppError):
    """Input a service refuses, saying which form field it is about.

    A page shows the message beside ``field`` (or each of ``errors`` beside its own field)
    without ever reading the message; ``code`` is a stable name for the problem, for code
    that must tell problems apart. The API answers with the message alone.
    """

    status_code = 422
    default_message = "Some of the information was not valid."
    field: str | None = None
    code: str | None = None

    def __init__(
        self,
        message: str | None = None,
        *,
        field: str | None = None,
        code: str | None = None,
        errors: Mapping[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        if field is not None:
            self.field = field
        if code is not None:
            self.code = code
        self._errors = dict(errors or {})
        if self._errors and self.field is None:
            self.field = next(iter(self._errors))

    @property
    def errors(self) -> dict[str, str]:
        """Every problem under the field it is about: several at once, the one, or none."""
        if self._errors:
            return dict(self._errors)
        return {self.field: self.message} if self.field else {}


class RateLimited(AppError):
    status_code = 429
    default_message = "Too many attempts. Please wait a minute and try again."


class CsrfFailed(AppError):
    status_code = 403
    default_message = (
        "This form has expired or did not come from Askwell. "
        "Go back, reload the page and try again."
    )


class DatabaseBusy(AppError):
    """Too many people are saving at once for this one to wait: it was refused before its
    first write, so, unlike a lock lost mid-request, it is certain nothing was saved."""

    status_code = 503
    retry_after_seconds = 2
    default_message = (
        "Askwell is very busy just now — what you have saved is safe; try again in a moment. "
        "What you just sent was not saved: send it again."
    )


ERROR_TITLES = {
    400: "Something was not right",
    401: "Please sign in",
    403: "You do not have access",
    404: "Page not found",
    405: "Page not found",
    409: "That cannot be done now",
    413: "That was too much to send",
    422: "Some information was not valid",
    429: "Too many attempts",
    500: "Sorry, there is a problem with Askwell",
    503: "Askwell is not available right now",
}

UNREACHABLE_MESSAGE = (
    "Askwell can’t reach its database just now — what you have saved is safe; "
    "try again in a moment."
)
BUSY_MESSAGE = "Askwell is very busy just now — what you have saved is safe; try again in a moment."
NOT_SURE_IT_WAS_SAVED = (
    " What you just sent may not have been saved, so check it is there before sending it again."
)


class DatabaseTrouble(StrEnum):
    """Why the database could not serve a request, when a retry soon may well succeed."""

    locked = "locked"  # another writer holds the lock (SQLite) or a lock wait timed out
    busy = "busy"  # every pooled connection is in use, or the server has no slot free
    unreachable = "unreachable"  # cannot connect, or the connection was lost

    @property
    def retry_after_seconds(self) -> int:
        """A lock is usually free within a second or two; a restart takes a few seconds."""
        return 2 if self is DatabaseTrouble.locked else 5

    @property
    def message(self) -> str:
        return UNREACHABLE_MESSAGE if self is DatabaseTrouble.unreachable else BUSY_MESSAGE


# SQLite's primary result codes (extended codes keep them in the low byte).
SQLITE_BUSY, SQLITE_LOCKED, SQLITE_IOERR, SQLITE_FULL, SQLITE_CANTOPEN = 5, 6, 10, 13, 14
SQLITE_LOCK_WORDS = ("database is locked", "database table is locked", "database is busy")
SQLITE_UNREACHABLE_WORDS = ("unable to open database file", "disk i/o error", "disk is full")
# PostgreSQL SQLSTATEs: a lock or statement timeout, a deadlock or a serialisation failure is
# worth retrying at once; class 08 is a connection failure, 57P01-57P03 a server shutting
# down, restarting or starting, 53300 too many connections.
POSTGRES_LOCKED_STATES = frozenset({"55P03", "57014", "40P01", "40001"})
POSTGRES_UNREACHABLE_STATES = frozenset({"57P01", "57P02", "57P03"})
POSTGRES_BUSY_STATES = frozenset({"53300"})


def is_sqlite_lock(error: BaseException) -> bool:
    """SQLite's "database is locked" or "busy", by its result code or, lacking one, its words."""
    primary = (getattr(error, "sqlite_errorcode", None) or 0) & 0xFF
    words = str(error).lower()
    return primary in (SQLITE_BUSY, SQLITE_LOCKED) or any(w in words for w in SQLITE_LOCK_WORDS)


def database_trouble(error: BaseException) -> DatabaseTrouble | None:
    """The kind of outage an exception means, or None when it is a bug, not an outage.

    Only errors that say "cannot connect", "connection lost", "pool timed out" or "locked"
    count: SQLite also reports a missing table as an OperationalError, and that is a 500.
    """
    if isinstance(error, PoolTimeout):
        return DatabaseTrouble.busy
    if not isinstance(error, DBAPIError):
        return None
    if error.connection_invalidated:
        return DatabaseTrouble.unreachable
    if not isinstance(error, OperationalError):
        return None
    original = error.orig
    code = getattr(original, "sqlite_errorcode", None)
    words = str(original).lower()
    if code is not None or type(original).__module__ == "sqlite3":
        primary = (code or 0) & 0xFF
        if is_sqlite_lock(original):
            return DatabaseTrouble.locked
        if primary in (SQLITE_IOERR, SQLITE_FULL, SQLITE_CANTOPEN) or any(
            w in words for w in SQLITE_UNREACHABLE_WORDS
        ):
            return DatabaseTrouble.unreachable
        return None
    state = _sqlstate(error)
    if state is None or state.startswith("08") or state in POSTGRES_UNREACHABLE_STATES:
        # No SQLSTATE at all: the driver could not connect, or the server went away mid-query.
        return DatabaseTrouble.unreachable
    if state in POSTGRES_LOCKED_STATES:
        return DatabaseTrouble.locked
    if state in POSTGRES_BUSY_STATES:
        return DatabaseTrouble.busy
    return None


NUMBER_OUT_OF_RANGE = "A number in the address or the form is too large to be an Askwell record."
# PostgreSQL's SQLSTATE for a number outside a column's range: 22003 numeric_value_out_of_range.
NUMERIC_VALUE_OUT_OF_RANGE = "22003"


def wants_json(request: Request) -> bool:
    return request.url.path.startswith("/api/")


def redirect_to_sign_in(request: Request) -> RedirectResponse:
    """A person who is not signed in goes to the sign-in page, and comes back here after."""
    target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    return RedirectResponse(f"/sign-in?next={quote(target)}", status_code=303)


def install_error_handlers(app: FastAPI, templates: Templates) -> None:
    """JSON ``{"detail": …}`` for the API, a plain page for people; never a traceback."""

    def respond(
        request: Request, status_code: int, message: str, headers: dict[str, str] | None = None
    ) -> Response:
        if wants_json(request):
            return JSONResponse({"detail": message}, status_code=status_code, headers=headers)
        response = templates.render(
            request,
            "errors/error.html",
            {"title": ERROR_TITLES.get(status_code, ERROR_TITLES[400]), "message": message},
            status_code=status_code,
        )
        response.headers.update(headers or {})
        return response

    @app.exception_handler(AppError)
    async def _app_error(request: Request, error: AppError) -> Response:
        if isinstance(error, NotAuthenticated) and not wants_json(request):
            return redirect_to_sign_in(request)
        if isinstance(error, DatabaseBusy):
            log.warning("A write waited too long for the database and was refused with 503")
            headers = {"Retry-After": str(error.retry_after_seconds)}
            return respond(request, error.status_code, error.message, headers)
        return respond(request, error.status_code, error.message)

    @app.exception_handler(StarletteHTTPException)
    async def _http_error(request: Request, error: StarletteHTTPException) -> Response:
        if error.status_code in (404, 405):
            return respond(request, 404, NotFound.default_message)
        return respond(request, error.status_code, str(error.detail))

    @app.exception_handler(RequestValidationError)
    async def _validation_error(request: Request, error: RequestValidationError) -> Response:
        if wants_json(request):
            return JSONResponse({"detail": _describe_validation_errors(error)}, status_code=422)
        return respond(request, 422, InvalidInput.default_message)

    # Starlette hands every handler the exception; this one answers the same whatever it says.
    @app.exception_handler(OverflowError)
    async def _number_too_large(request: Request, error: OverflowError) -> Response:  # noqa: ARG001
        # SQLite's driver refuses any integer beyond 64 bits: an id nobody could hold.
        return respond(request, 400, NUMBER_OUT_OF_RANGE)

    def database_unavailable(
        request: Request, error: Exception, trouble: DatabaseTrouble
    ) -> Response:
        """Logged once, without a traceback; the answer needs nothing from the database."""
        log.log(
            logging.WARNING if trouble is DatabaseTrouble.locked else logging.ERROR,
            "Database %s on %s %s: %s",
            trouble.value,
            request.method,
            request.url.path,
            _one_line(error),
        )
        message = trouble.message
        if request.method not in ("GET", "HEAD", "OPTIONS"):
            message += NOT_SURE_IT_WAS_SAVED
        # The page is drawn as for someone signed out: whose session it is cannot be looked up.
        request.state.user = None
        request.state.csrf_token = ""
        return respond(
            request,
            503,
            message,
            headers={"Retry-After": str(trouble.retry_after_seconds)},
        )

    @app.exception_handler(DBAPIError)
    async def _database_error(request: Request, error: DBAPIError) -> Response:
        """A database that cannot be reached, or stays locked, is a 503 the client may retry;
        a number beyond a column's range is the sender's mistake, a 400."""
        if isinstance(error, DataError) and _sqlstate(error) == NUMERIC_VALUE_OUT_OF_RANGE:
            return respond(request, 400, NUMBER_OUT_OF_RANGE)
        trouble = database_trouble(error)
        if trouble is not None:
            return database_unavailable(request, error, trouble)
        return await _unexpected(request, error)

    @app.exception_handler(PoolTimeout)
    async def _no_connection_free(request: Request, error: PoolTimeout) -> Response:
        return database_unavailable(request, error, DatabaseTrouble.busy)

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, error: Exception) -> Response:
        log.exception("Unhandled error on %s %s", request.method, request.url.path, exc_info=error)
        return respond(
            request,
            500,
            "Please try again later. Nothing you saved before this page has been lost.",
        )


def _sqlstate(error: DBAPIError) -> str | None:
    return getattr(error.orig, "sqlstate", None) or getattr(error.orig, "pgcode", None)


def _one_line(error: Exception) -> str:
    """The driver's own words for the log, on one line (PostgreSQL's span several)."""
    original = getattr(error, "orig", None) or error
    return " ".join(str(original).split()) or type(original).__name__


def _describe_validation_errors(error: RequestValidationError) -> str:
    """One readable sentence per problem, naming the field, never echoing the input."""
    parts = []
    for item in error.errors():
        location = ".".join(str(part) for part in item.get("loc", ()) if part != "body")
        parts.append(f"{location}: {item.get('msg', 'invalid')}" if location else item["msg"])
    return "; ".join(parts) or InvalidInput.default_message

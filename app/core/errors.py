"""Errors services raise, and the one place that turns them into responses."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from sqlalchemy.exc import DataError, DBAPIError, OperationalError
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
    status_code = 422
    default_message = "Some of the information was not valid."


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
    """Too many people are saving at once for this one to wait: nothing was saved."""

    status_code = 503
    retry_after_seconds = 2
    default_message = (
        "Askwell is saving a lot of answers at the moment and could not save yours. "
        "Nothing was lost: go back and send it again in a few seconds."
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

DATABASE_UNAVAILABLE = (
    "Askwell cannot reach its database just now. Please try again in a minute. "
    "Nothing you saved before this page has been lost."
)
RETRY_AFTER_SECONDS = 30
NUMBER_OUT_OF_RANGE = "A number in the address or the form is too large to be an Askwell record."
# PostgreSQL's SQLSTATE for a number outside a column's range: 22003 numeric_value_out_of_range.
NUMERIC_VALUE_OUT_OF_RANGE = "22003"


def wants_json(request: Request) -> bool:
    return request.url.path.startswith("/api/")


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
            from app.auth.pages import redirect_to_sign_in

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

    @app.exception_handler(OverflowError)
    async def _number_too_large(request: Request, error: OverflowError) -> Response:
        # SQLite's driver refuses any integer beyond 64 bits: an id nobody could hold.
        return respond(request, 400, NUMBER_OUT_OF_RANGE)

    @app.exception_handler(DBAPIError)
    async def _database_error(request: Request, error: DBAPIError) -> Response:
        """A database that does not answer (or stays locked) is a 503 the client may retry;
        a number beyond a column's range is the sender's mistake, a 400."""
        if isinstance(error, DataError) and _sqlstate(error) == NUMERIC_VALUE_OUT_OF_RANGE:
            return respond(request, 400, NUMBER_OUT_OF_RANGE)
        if isinstance(error, OperationalError) or error.connection_invalidated:
            log.error(
                "The database did not answer on %s %s: %s",
                request.method,
                request.url.path,
                error.orig,
            )
            return respond(
                request,
                503,
                DATABASE_UNAVAILABLE,
                headers={"Retry-After": str(RETRY_AFTER_SECONDS)},
            )
        return await _unexpected(request, error)

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, error: Exception) -> Response:
        log.exception("Unhandled error on %s %s", request.method, request.url.path)
        return respond(
            request,
            500,
            "Please try again later. Nothing you saved before this page has been lost.",
        )


def _sqlstate(error: DBAPIError) -> str | None:
    return getattr(error.orig, "sqlstate", None) or getattr(error.orig, "pgcode", None)


def _describe_validation_errors(error: RequestValidationError) -> str:
    """One readable sentence per problem, naming the field, never echoing the input."""
    parts = []
    for item in error.errors():
        location = ".".join(str(part) for part in item.get("loc", ()) if part != "body")
        parts.append(f"{location}: {item.get('msg', 'invalid')}" if location else item["msg"])
    return "; ".join(parts) or InvalidInput.default_message

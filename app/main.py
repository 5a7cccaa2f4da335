"""The application factory: one call builds everything from settings."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager

import anyio
from anyio import to_thread
from fastapi import Depends, FastAPI
from fastapi.responses import JSONResponse
from sqlalchemy import Engine
from sqlalchemy.exc import SQLAlchemyError
from starlette.middleware.gzip import DEFAULT_EXCLUDED_CONTENT_TYPES, GZipMiddleware
from starlette.middleware.trustedhost import TrustedHostMiddleware
from uvicorn.middleware.proxy_headers import ProxyHeadersMiddleware

from app.about import pages as about_pages
from app.accounts import api as accounts_api
from app.accounts import pages as accounts_pages
from app.audit import api as audit_api
from app.audit import pages as audit_pages
from app.auth.passwords import Passwords
from app.catalogue import api as catalogue_api
from app.catalogue import pages as catalogue_pages
from app.certificates import api as certificates_api
from app.certificates import pages as certificates_pages
from app.cohorts import api as cohorts_api
from app.cohorts import pages as cohorts_pages
from app.content import load_content
from app.content.snapshots import record_content_versions_at_start
from app.core.config import Settings, get_settings
from app.core.db import REQUEST_THREADS, Bind, make_engine, session_scope
from app.core.errors import install_error_handlers
from app.core.health import DatabaseProbe
from app.core.middleware import (
    BodySizeLimitMiddleware,
    FrameAncestors,
    HeadAsGetMiddleware,
    SecurityHeadersMiddleware,
)
from app.core.openapi import document_errors_as_sentences
from app.core.request_text import refuse_control_characters
from app.core.security_log import SecurityLogMiddleware, configure_security_log
from app.core.templating import CachedStaticFiles, Templates
from app.events import api as events_api
from app.events import pages as events_pages
from app.events import service as events_service
from app.events.destinations import Destinations
from app.home import pages as home_pages
from app.lti import pages as lti_pages
from app.lti import service as lti_service
from app.lti.grades import LtiGrades
from app.progress import api as progress_api
from app.quizzes import api as quizzes_api
from app.quizzes import pages as quizzes_pages
from app.ratings import api as ratings_api
from app.ratings import pages as ratings_pages
from app.reflections import api as reflections_api
from app.reflections import pages as reflections_pages
from app.refresh import api as refresh_api
from app.refresh import pages as refresh_pages
from app.reports import api as reports_api
from app.reports import pages as reports_pages
from app.safeguarding import api as safeguarding_api
from app.safeguarding import pages as safeguarding_pages
from app.scenarios import api as scenarios_api
from app.scenarios import pages as scenarios_pages
from app.scorm import pages as scorm_pages
from app.search import api as search_api
from app.search import pages as search_pages
from app.search.service import index_content_at_start
from app.signin import api as signin_api
from app.signin import pages as signin_pages
from app.web.navigation import install_menu
from app.whatsnew import api as whatsnew_api
from app.whatsnew import pages as whatsnew_pages

log = logging.getLogger("askwell")


@asynccontextmanager
async def _lifespan(app: FastAPI) -> AsyncIterator[None]:
    # As many request threads as pooled connections: a thread never waits on the pool,
    # and no more threads run than the connections and the cores can serve.
    to_thread.current_default_thread_limiter().total_tokens = REQUEST_THREADS
    interval = app.state.settings.events_delivery_interval_seconds
    tasks = [asyncio.create_task(_refresh_frame_ancestors(app))]
    if interval > 0:
        tasks.append(asyncio.create_task(_deliver_events(app, interval)))
    try:
        yield
    finally:
        for task in tasks:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task


def refresh_frame_ancestors(app: FastAPI) -> None:
    """Read which learning platforms may frame Askwell (registered from any process)."""
    with session_scope(app.state.engine, write=False) as session:
        app.state.frame_ancestors.origins = lti_service.frame_origins(session)


async def _refresh_frame_ancestors(app: FastAPI) -> None:
    """Every minute, on a thread: a platform registered elsewhere may frame Askwell soon."""
    while True:
        await anyio.sleep(FRAME_ANCESTORS_REFRESH_SECONDS)
        if not _own_engine(app):
            continue
        try:
            await to_thread.run_sync(refresh_frame_ancestors, app)
        except Exception:
            log.exception("Reading the platforms allowed to frame Askwell failed.")


FRAME_ANCESTORS_REFRESH_SECONDS = 60


def _own_engine(app: FastAPI) -> bool:
    """Background work needs an engine of its own: a single connection handed in (the
    test suite's transaction) belongs to the requests, and is never shared with a thread."""
    return isinstance(app.state.engine, Engine)


async def _deliver_events(app: FastAPI, interval: float) -> None:
    """Deliver due learning events every ``interval`` seconds, on a thread (destinations
    block on the network); every worker may do so, as none sends what another has."""
    while True:
        if not _own_engine(app):
            await anyio.sleep(interval)
            continue
        try:
            report = await to_thread.run_sync(
                events_service.deliver_due, app.state.engine, app.state.event_destinations
            )
            if report.problems:
                log.warning("Learning events not delivered: %s", "; ".join(report.problems[:5]))
        except Exception:
            log.exception("Delivering learning events failed; trying again later.")
        await anyio.sleep(interval)


def event_destinations(settings: Settings, bind: Callable[[], Bind]) -> Destinations:
    """The destinations this Askwell can send learning events to.

    Each interoperability feature that feeds from the stream (an LMS gradebook; later
    badges, a learning record store) adds its destination here. A destination receives
    events once it has its row in ``event_destinations``, made when it is set up
    (registering an LMS makes the gradebook's). ``bind`` gives the database to read.
    """
    del settings  # nothing here depends on settings yet
    return Destinations(LtiGrades(bind))


def create_app(settings: Settings | None = None, *, bind: Bind | None = None) -> FastAPI:
    """The Askwell app; ``bind`` puts it on a connection already open (the test suite's
    transaction) instead of an engine of its own."""
    settings = settings or get_settings()
    show_api_docs = not settings.is_production
    app = FastAPI(
        lifespan=_lifespan,
        title="Askwell",
        version="1",
        summary="Co-designed training on talking with young people about their online lives.",
        openapi_url="/api/openapi.json" if show_api_docs else None,
        docs_url="/api/docs" if show_api_docs else None,
        redoc_url=None,
        # Every route refuses NUL and other control characters in what a person sends.
        dependencies=[Depends(refuse_control_characters)],
    )
    app.openapi = document_errors_as_sentences(app)  # type: ignore[method-assign]
    app.state.settings = settings
    app.state.engine = bind or make_engine(settings.database_url, echo=settings.sql_echo)
    app.state.write_slots = {}
    app.state.content = load_content(settings.modules_dir)
    app.state.templates = Templates(settings)
    install_menu(app.state.templates)
    app.state.templates.env.globals["content_sources"] = app.state.content.sources
    app.state.passwords = Passwords(settings.password_hash_profile)
    # A connection handed in (the test suite's) is on a database already migrated.
    if not settings.schema_checked and bind is None:
        from app.core.migrations import warn_if_behind

        warn_if_behind(app.state.engine)
    # Keep the text of each module version for "what changed", and index it for search.
    record_content_versions_at_start(app.state.engine, app.state.content)
    index_content_at_start(app.state.engine, app.state.content)
    app.state.event_destinations = event_destinations(settings, lambda: app.state.engine)
    app.state.frame_ancestors = FrameAncestors()
    try:
        refresh_frame_ancestors(app)
    except SQLAlchemyError as error:
        # As the start-up reads above: nobody may frame Askwell until the database answers.
        log.warning("Platforms allowed to frame Askwell were not read: %s", error)

    # Streamed CSV exports go uncompressed: gzip at level 9 costs more CPU than the export.
    app.add_middleware(
        GZipMiddleware,
        minimum_size=800,
        exclude_content_types=(*DEFAULT_EXCLUDED_CONTENT_TYPES, "text/csv"),
    )
    app.add_middleware(SecurityHeadersMiddleware, frame_ancestors=app.state.frame_ancestors)
    app.add_middleware(HeadAsGetMiddleware)
    app.add_middleware(BodySizeLimitMiddleware, max_body_bytes=settings.max_body_bytes)
    if settings.is_production:
        # A request for a host Askwell does not serve is refused before anything but the log.
        app.add_middleware(TrustedHostMiddleware, allowed_hosts=settings.trusted_hosts)
    # Outside all but the proxy headers, so it sees every response and refusal, and the real
    # client address.
    app.add_middleware(SecurityLogMiddleware)
    configure_security_log()
    if settings.trusted_proxies:
        # Outermost, so everything inside (the rate limits, HSTS) sees the real client and
        # scheme; headers from anyone else are ignored, so nobody picks their own address.
        app.add_middleware(
            ProxyHeadersMiddleware,
            trusted_hosts=[str(network) for network in settings.trusted_proxies],
        )
    app.mount("/static", CachedStaticFiles(directory=settings.static_dir), name="static")

    for router in (
        signin_api.router,
        catalogue_api.router,
        progress_api.router,
        quizzes_api.router,
        audit_api.router,
        accounts_api.router,
        scenarios_api.router,
        ratings_api.router,
        signin_pages.router,
        audit_pages.router,
        accounts_pages.router,
        home_pages.router,
        catalogue_pages.router,
        quizzes_pages.router,
        refresh_api.router,
        refresh_pages.router,
        whatsnew_api.router,
        whatsnew_pages.router,
        about_pages.router,
        reflections_api.router,
        reflections_pages.router,
        search_api.router,
        search_pages.router,
        scenarios_pages.router,
        ratings_pages.router,
        cohorts_api.router,
        cohorts_pages.router,
        reports_api.router,
        reports_pages.router,
        certificates_api.router,
        certificates_pages.router,
        safeguarding_api.router,
        safeguarding_pages.router,
        scorm_pages.router,
        events_api.router,
        events_pages.router,
        lti_pages.router,
    ):
        app.include_router(router)

    app.state.health = DatabaseProbe()

    @app.get("/healthz", include_in_schema=False)
    async def healthz() -> JSONResponse:
        """200 only when the database answers, within a second either way, so a load balancer
        can take a node out and put it back by itself."""
        problem = await app.state.health.problem(app.state.engine)
        if problem is not None:
            return JSONResponse(
                {"status": "unavailable", "reason": problem},
                status_code=503,
                headers={"Retry-After": "5"},
            )
        return JSONResponse({"status": "ok"})

    install_error_handlers(app, app.state.templates)
    return app

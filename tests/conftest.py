"""Fixtures every test shares: a throwaway database (SQLite or PostgreSQL), the app, users.

Run on PostgreSQL with ``pytest --db postgresql``. Set ASKWELL_TEST_REQUIRE_POSTGRES=1
(as CI does) to fail instead of skip when PostgreSQL cannot be reached.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import Connection, Engine, delete, event
from sqlalchemy.engine import make_url
from sqlmodel import Session, SQLModel

import app.models  # noqa: F401
from app.auth import service as auth_service
from app.auth.passwords import Passwords
from app.core.config import PasswordHashProfile, Settings
from app.core.db import make_engine, open_session, session_scope
from app.core.migrations import upgrade
from app.main import create_app
from app.models.users import Role, User

TESTS_DIR = Path(__file__).parent
FIXTURE_MODULES = TESTS_DIR / "fixtures" / "modules"
DEFAULT_POSTGRES_ADMIN_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
TEST_PASSWORD = "correct-horse-battery"  # noqa: S105 - a test fixture's password


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--db",
        choices=("sqlite", "postgresql"),
        default=os.environ.get("ASKWELL_TEST_DATABASE", "sqlite"),
        help="Database the suite runs against.",
    )


def pytest_report_header(config: pytest.Config) -> str:
    return f"askwell database: {config.getoption('--db')}"


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Every test under tests/browser is a browser test. Tests marked ``postgresql`` run in
    the PostgreSQL run (and so in CI); the SQLite run lists them as skipped, saying where."""
    browser_tests = TESTS_DIR / "browser"
    for item in items:
        if browser_tests in item.path.parents:
            item.add_marker(pytest.mark.browser)
    if config.getoption("--db") == "postgresql":
        return
    elsewhere = pytest.mark.skip(reason="PostgreSQL only: runs with --db postgresql")
    for item in items:
        if item.get_closest_marker("postgresql"):
            item.add_marker(elsewhere)


def require_postgres() -> bool:
    """CI sets ASKWELL_TEST_REQUIRE_POSTGRES=1: what PostgreSQL tests need must be there."""
    return _require("ASKWELL_TEST_REQUIRE_POSTGRES")


def _require(variable: str) -> bool:
    return os.environ.get(variable, "") not in ("", "0", "false")


@pytest.fixture(scope="session")
def database_url(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    """A database of its own for this test run, migrated with alembic, dropped afterwards."""
    backend = request.config.getoption("--db")
    if backend == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('db') / 'askwell-test.db'}"
        upgrade(url)
        yield url
        return
    yield from _postgres_database()


@pytest.fixture
def fresh_database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """An empty database, not migrated, for tests of the migrations themselves."""
    if request.config.getoption("--db") == "sqlite":
        yield f"sqlite:///{tmp_path / 'fresh.db'}"
        return
    yield from _postgres_database(migrate=False)


def _postgres_database(migrate: bool = True) -> Iterator[str]:
    import psycopg

    admin_url = make_url(os.environ.get("ASKWELL_TEST_POSTGRES_URL", DEFAULT_POSTGRES_ADMIN_URL))
    name = f"askwell_test_{secrets.token_hex(4)}"
    conninfo = admin_url.set(drivername="postgresql").render_as_string(hide_password=False)
    try:
        admin = psycopg.connect(conninfo, autocommit=True, connect_timeout=5)
    except psycopg.OperationalError as error:
        message = f"PostgreSQL is not reachable at {admin_url.render_as_string()}: {error}"
        if _require("ASKWELL_TEST_REQUIRE_POSTGRES"):
            pytest.fail(message)
        pytest.skip(message)
    with admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    url = admin_url.set(database=name).render_as_string(hide_password=False)
    try:
        if migrate:
            upgrade(url)
        yield url
    finally:
        with psycopg.connect(conninfo, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def make_settings(database_url: str, **overrides: object) -> Settings:
    values: dict[str, object] = {
        "database_url": database_url,
        "secret_key": "test-secret-key-" + "x" * 32,
        "modules_dir": FIXTURE_MODULES,
        "password_hash_profile": PasswordHashProfile.fast,
        # Off unless a test turns it on: a background deliverer would race the test's own.
        "events_delivery_interval_seconds": 0,
        **overrides,
    }
    return Settings(**values)  # type: ignore[arg-type]


@pytest.fixture(scope="session")
def settings(database_url: str) -> Settings:
    return make_settings(database_url)


@pytest.fixture(scope="session")
def app(settings: Settings) -> FastAPI:
    return create_app(settings)


@pytest.fixture(scope="session")
def cleanup_engine(database_url: str) -> Iterator[Engine]:
    engine = make_engine(database_url)
    yield engine
    engine.dispose()


class _RealCommits:
    """Notices a commit that reached the database, made outside the test's own transaction
    (a second app or engine a test makes, a migration): that test's database is cleaned."""

    def __init__(self) -> None:
        self.seen = False
        event.listen(Engine, "commit", self._note)

    def _note(self, _connection: object) -> None:
        self.seen = True


_real_commits = _RealCommits()


@pytest.fixture(autouse=True)
def _database_per_test(request: pytest.FixtureRequest) -> Iterator[Connection | None]:
    """Each test runs in a transaction that is rolled back when it ends, on both databases.

    The app's sessions are bound to one connection that has begun a transaction; each
    session nests in a savepoint, so what a request commits is seen by the next request
    and by the test, and all of it is gone afterwards. Tests marked ``commits`` (browser
    journeys, concurrency, several connections) really commit and are cleaned afterwards,
    as is any test that turned out to commit through an engine of its own.
    """
    if "database_url" not in request.fixturenames:
        yield None
        return
    # Asked for before the test runs: pytest will not hand out fixtures during teardown.
    cleanup_engine = request.getfixturevalue("cleanup_engine")
    if request.node.get_closest_marker("commits") or request.node.get_closest_marker("browser"):
        yield None
        _delete_everything(cleanup_engine)
        return
    app: FastAPI = request.getfixturevalue("app")
    engine = app.state.engine
    connection = engine.connect()
    transaction = connection.begin()
    _real_commits.seen = False
    app.state.engine = connection
    try:
        yield connection
    finally:
        app.state.engine = engine
        transaction.rollback()
        connection.close()
        if _real_commits.seen:
            _delete_everything(cleanup_engine)


@pytest.fixture
def start_app(_database_per_test: Connection | None) -> Callable[[Settings], FastAPI]:
    """Start an Askwell of its own (other settings, other modules) on the test's database:
    inside the test's transaction, unless the test really commits."""

    def _start(settings: Settings) -> FastAPI:
        return create_app(settings, bind=_database_per_test)

    return _start


def _delete_everything(engine: Engine) -> None:
    with session_scope(engine) as session:
        for table in reversed(SQLModel.metadata.sorted_tables):
            session.execute(delete(table))


@pytest.fixture
def db(app: FastAPI) -> Iterator[Session]:
    """A session on the test database that commits when the test ends.

    It reads lazily (no write lock), but a SQLite read keeps its snapshot until the
    session ends: to look at the database again after more requests, use ``rows``.
    """
    session = open_session(app.state.engine, write=False)
    try:
        yield session
        session.commit()
    finally:
        session.close()


@pytest.fixture
def rows(app: FastAPI) -> Callable[[Any], list[Any]]:
    """Run one query in a fresh session, so it sees everything committed so far."""

    def _rows(statement: Any) -> list[Any]:
        with session_scope(app.state.engine, write=False) as session:
            return list(session.exec(statement).all())

    return _rows


def client_with_cookie(app: FastAPI, name: str, value: str) -> TestClient:
    """A new browser holding exactly one cookie: for replaying an old or stolen one."""
    return TestClient(app, cookies={name: value})


@dataclass
class Account:
    user: User
    email: str
    password: str
    roles: tuple[Role, ...]

    @property
    def id(self) -> int:
        assert self.user.id is not None
        return self.user.id


@pytest.fixture
def make_user(app: FastAPI) -> Callable[..., Account]:
    """Create an account in its own committed transaction."""
    counter = iter(range(1, 10_000))

    def _make(*roles: Role, email: str | None = None, name: str | None = None) -> Account:
        roles = roles or (Role.practitioner,)
        number = next(counter)
        email = email or f"{roles[0].value}{number}@askwell.test"
        with session_scope(app.state.engine) as session:
            user = auth_service.create_user(
                session,
                Passwords(PasswordHashProfile.fast),
                email=email,
                password=TEST_PASSWORD,
                display_name=name or f"{roles[0].value.title()} {number}",
                roles=roles,
                age_band="18-24" if Role.codesigner in roles else None,
            )
        return Account(user=user, email=email, password=TEST_PASSWORD, roles=tuple(roles))

    return _make


@pytest.fixture
def client(app: FastAPI) -> Iterator[TestClient]:
    with TestClient(app, base_url="http://testserver") as test_client:
        yield test_client


def api_login(client: TestClient, account: Account) -> str:
    """Sign in through the API; the client keeps the cookie and sends the CSRF header."""
    response = client.post(
        "/api/v1/auth/login", json={"email": account.email, "password": account.password}
    )
    assert response.status_code == 200, response.text
    token = response.json()["csrf_token"]
    client.headers["X-CSRF-Token"] = token
    return token


@pytest.fixture
def practitioner(make_user: Callable[..., Account]) -> Account:
    return make_user(Role.practitioner)


@pytest.fixture
def practitioner_client(client: TestClient, practitioner: Account) -> TestClient:
    api_login(client, practitioner)
    return client

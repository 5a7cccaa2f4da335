"""The sign-in page's rate limit, seen from a browser behind a trusted reverse proxy."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Callable, Iterator

import pytest
import uvicorn
from playwright.sync_api import Browser, Page, expect

from app.auth import service as auth_service
from app.auth.passwords import Passwords
from app.core.config import PasswordHashProfile
from app.core.db import session_scope
from app.main import create_app
from app.models.users import Role
from tests.browser.conftest import _ThreadedServer
from tests.conftest import TEST_PASSWORD, make_settings

# The same account, spelt as someone might to get round a per-address limit.
LOOK_ALIKES = [
    "prac2@ａｕｄｉｔ.test",
    "prac2@ＡＵＤＩＴ.ＴＥＳＴ",
    "prac2@ａudit.test",
    "prac2@aｕdit.test",
    "prac2@auｄit.test",
    "prac2@audｉt.test",
    "prac2@audiｔ.test",
    "prac2@audit.ｔest",
    "prac2@audit.tｅst",
    "prac2@audit.teｓt",
    "prac2@audit.tesｔ",
]


@pytest.fixture
def proxied_server(database_url: str) -> Iterator[str]:
    """Askwell behind a reverse proxy on 127.0.0.1: forwarded headers from there are believed."""
    app = create_app(make_settings(database_url, trusted_proxies="127.0.0.1"))
    with session_scope(app.state.engine) as session:
        auth_service.create_user(
            session,
            Passwords(PasswordHashProfile.fast),
            email="prac2@audit.test",
            password=TEST_PASSWORD,
            display_name="Practitioner Two",
            roles=[Role.practitioner],
        )
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = _ThreadedServer(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 15
    while not server.started:
        if time.monotonic() > deadline:
            raise RuntimeError("the test server did not start")
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=10)


@pytest.fixture
def proxied_page(browser: Browser, proxied_server: str) -> Iterator[Page]:
    context = browser.new_context(base_url=proxied_server, locale="en-GB")
    context.set_default_timeout(10_000)
    yield context.new_page()
    context.close()


def try_to_sign_in(page: Page, email: str, password: str, forwarded_for: str) -> None:
    page.set_extra_http_headers({"X-Forwarded-For": forwarded_for})
    page.goto("/sign-in")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()


def test_look_alike_addresses_from_many_places_share_one_limit(
    proxied_page: Page, settings, assert_accessible: Callable[[Page], None]
) -> None:
    """Ten wrong guesses, each from another address, then the right password: refused, with
    a message that says the account is not locked. (Chromium already sends a full-width
    domain as ASCII; clients that do not are covered in tests/security/test_sign_in.py.)"""
    limit = settings.login_attempts_per_minute
    for number, spelling in enumerate(LOOK_ALIKES[:limit]):
        try_to_sign_in(proxied_page, spelling, "not-the-password", f"198.51.100.{number + 1}")
        expect(proxied_page.locator(".nhsuk-error-summary")).to_contain_text(
            "Email or password is not right."
        )
    try_to_sign_in(proxied_page, LOOK_ALIKES[limit], TEST_PASSWORD, "198.51.100.200")
    summary = proxied_page.locator(".nhsuk-error-summary")
    expect(summary).to_contain_text("Too many sign-in attempts")
    expect(summary).to_contain_text("your account has not been locked")
    expect(proxied_page.get_by_role("heading", level=1)).to_have_text("Sign in to Askwell")
    assert_accessible(proxied_page)

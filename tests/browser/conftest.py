"""A real server and a real browser: Playwright driving Debian's Chromium, checked with axe-core.

Set ASKWELL_TEST_REQUIRE_BROWSER=1 (as CI does) to fail instead of skip when
Chromium is missing. Never downloads a browser.
"""

from __future__ import annotations

import os
import socket
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import uvicorn
from axe_playwright_python.sync_playwright import Axe
from fastapi import FastAPI
from playwright.sync_api import Browser, Page, sync_playwright

from app.core.config import PROJECT_ROOT
from app.main import create_app
from tests.conftest import make_settings

CHROMIUM = Path(os.environ.get("ASKWELL_CHROMIUM", "/usr/bin/chromium"))
WCAG_22_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
# Best practice too, so findings such as a skipped heading level fail the suite.
AXE_TAGS = [*WCAG_22_AA, "best-practice"]
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]


@pytest.fixture(scope="session")
def browser_app(database_url: str) -> FastAPI:
    """The app with Askwell's real modules, so the journeys read (and axe checks) real content."""
    return create_app(make_settings(database_url, modules_dir=PROJECT_ROOT / "modules"))


class _ThreadedServer(uvicorn.Server):
    def install_signal_handlers(self) -> None:  # the test process keeps its own handlers
        pass


@pytest.fixture(scope="session")
def live_server(browser_app: FastAPI) -> Iterator[str]:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = _ThreadedServer(
        uvicorn.Config(browser_app, host="127.0.0.1", port=port, log_level="warning")
    )
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


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    if not CHROMIUM.exists():
        message = (
            f"Chromium is not installed at {CHROMIUM} "
            "(make test installs Debian's chromium package)"
        )
        if os.environ.get("ASKWELL_TEST_REQUIRE_BROWSER", "") not in ("", "0", "false"):
            pytest.fail(message)
        pytest.skip(message)
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        yield launched
        launched.close()


@pytest.fixture
def page(browser: Browser, live_server: str) -> Iterator[Page]:
    context = browser.new_context(base_url=live_server, locale="en-GB")
    context.set_default_timeout(10_000)
    opened = context.new_page()
    yield opened
    context.close()


@dataclass
class AxeChecker:
    """Runs axe-core (WCAG 2.2 AA and best practice) on each page and keeps what it checked."""

    checked: list[str]
    _axe: Axe

    def __call__(self, page: Page) -> None:
        results = self._axe.run(page, options={"runOnly": {"type": "tag", "values": AXE_TAGS}})
        self.checked.append(page.url)
        assert results.violations_count == 0, f"{page.url}\n{results.generate_report()}"


@pytest.fixture
def assert_accessible() -> Callable[[Page], None]:
    return AxeChecker(checked=[], _axe=Axe())


def sign_in(page: Page, email: str, password: str) -> None:
    page.goto("/sign-in")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()

"""CPU time per request, Askwell beside the floor, in one process: a figure the load on a
shared machine barely moves.

    python -m bench.cpu --requests 300

``bench.load`` measures requests a second over HTTP, which on a busy machine say as much
about the neighbours as about Askwell. This measures what a request costs: the process's
CPU time (``time.process_time``: every thread, the app's thread pool included) over
``--requests`` requests made by calling the ASGI app directly on one event loop, after a
warm-up,
for the floor (``bench/floor_app.py``, on a 100,000-row table and a template the size of
the module page) and for Askwell's figures on a SQLite database prepared as ``bench.load``
prepares it, in production mode. The client's own cost is in both, so the ratio
(floor CPU ÷ Askwell CPU) is what to compare with ``bench.load``'s ratio of requests a second.
"""

from __future__ import annotations

import argparse
import asyncio
import importlib
import os
import re
import secrets
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from starlette.testclient import TestClient

from bench.load_clients import csrf_token_in, quiz_answers
from bench.load_servers import PROJECT_ROOT, prepare_database

Request = Callable[[], object]


def cpu_per_request(request: Request, requests: int, warm_up: int = 30) -> tuple[float, float]:
    """CPU and wall milliseconds per request, median of five rounds."""
    for _ in range(warm_up):
        request()
    cpu: list[float] = []
    wall: list[float] = []
    for _ in range(5):
        started_cpu, started_wall = time.process_time(), time.perf_counter()
        for _ in range(requests):
            request()
        cpu.append((time.process_time() - started_cpu) * 1000 / requests)
        wall.append((time.perf_counter() - started_wall) * 1000 / requests)
    return sorted(cpu)[2], sorted(wall)[2]


class AsgiDriver:
    """Calls an ASGI app directly on one event loop: no client, no sockets, so what is
    measured is the app (its middleware, routing, thread-pool hops, queries and templates)."""

    def __init__(self, app: Any, scheme: str, cookies: dict[str, str]) -> None:
        self.app = app
        self.scheme = scheme
        self.cookie = "; ".join(f"{name}={value}" for name, value in cookies.items())
        self.loop = asyncio.new_event_loop()

    def request(self, method: str, path: str, body: bytes = b"") -> int:
        return self.loop.run_until_complete(self._request(method, path, body))

    async def _request(self, method: str, path: str, body: bytes) -> int:
        headers = [(b"host", b"testserver"), (b"cookie", self.cookie.encode())]
        if body:
            headers += [
                (b"content-type", b"application/x-www-form-urlencoded"),
                (b"content-length", str(len(body)).encode()),
            ]
        scope = {
            "type": "http",
            "asgi": {"version": "3.0"},
            "http_version": "1.1",
            "method": method,
            "scheme": self.scheme,
            "path": path,
            "raw_path": path.encode(),
            "query_string": b"",
            "root_path": "",
            "headers": headers,
            "client": ("127.0.0.1", 50000),
            "server": ("testserver", 443),
            "state": {},
        }
        sent = False
        status = 0

        async def receive() -> dict[str, Any]:
            nonlocal sent
            if sent:
                await asyncio.sleep(3600)
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}

        async def send(message: dict[str, Any]) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]

        await self.app(scope, receive, send)
        return status


def floor_client(work: Path) -> tuple[TestClient, str]:
    os.environ["FLOOR_DATABASE"] = str(work / "floor.db")
    os.environ["FLOOR_TEMPLATES"] = str(work)
    floor_app = importlib.import_module("bench.floor_app")
    floor_app.create_database(work / "floor.db")
    floor_app.write_template(work, 12_800)
    return TestClient(floor_app.app), f"/items/{floor_app.item_slug(50_000)}"


def askwell_client(work: Path) -> TestClient:
    database_url = f"sqlite:///{work / 'askwell.db'}"
    with open(work / "prepare.log", "w") as log:
        prepare_database(database_url, 0, log)
    os.environ.update(
        {
            "ASKWELL_ENV": "production",
            "ASKWELL_SECRET_KEY": secrets.token_urlsafe(48),
            "ASKWELL_BASE_URL": "https://testserver",
            "ASKWELL_DATABASE_URL": database_url,
            "ASKWELL_MODULES_DIR": str(PROJECT_ROOT / "modules"),
            "ASKWELL_TRUSTED_HOSTS": '["testserver"]',
            "ASKWELL_LOGIN_ATTEMPTS_PER_MINUTE": "1000",
        }
    )
    from app.core.config import Settings
    from app.main import create_app

    return TestClient(create_app(Settings()), base_url="https://testserver")


def sign_in(client: TestClient, email: str, password: str) -> str:
    """Signs the client in through the form; its CSRF token for later forms."""
    form = client.get("/sign-in")
    answer = client.post(
        "/sign-in",
        data={"csrf_token": csrf_token_in(form.text), "email": email, "password": password},
        follow_redirects=False,
    )
    if answer.status_code != 303:
        raise RuntimeError(f"signing in as {email} answered {answer.status_code}")
    token = csrf_token_in(client.get("/").text)
    assert token is not None
    return token


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument(
        "--only", help="measure just this figure (and the floor), e.g. under py-spy record"
    )
    arguments = parser.parse_args()
    from app.demo import DEMO_ACCOUNTS

    passwords = {account.email: account.password for account in DEMO_ACCOUNTS}
    with tempfile.TemporaryDirectory(prefix="askwell-cpu-") as directory:
        work = Path(directory)
        floor, floor_path = floor_client(work)
        askwell = askwell_client(work)
        email = "practitioner@askwell.test"
        token = sign_in(askwell, email, passwords[email])
        module = askwell.get("/modules/how-to-ask").text
        section = re.search(r'href="(/modules/how-to-ask/sections/[^"?#]+)"', module)
        assert section is not None
        quiz_page = askwell.get("/modules/how-to-ask/quiz").text
        answers = [("csrf_token", token), *quiz_answers(quiz_page)]

        driver = AsgiDriver(askwell.app, "https", dict(askwell.cookies.items()))
        floor_driver = AsgiDriver(floor.app, "http", {})

        def get(path: str, on: AsgiDriver = driver) -> Request:
            return lambda: _expect(on.request("GET", path), path)

        def post(path: str, data: list[tuple[str, str]]) -> Request:
            body = urlencode(data).encode()
            return lambda: _expect(driver.request("POST", path, body), path)

        figures: list[tuple[str, Request]] = [
            ("Floor", get(floor_path, floor_driver)),
            ("Catalogue", get("/modules")),
            ("Module page", get("/modules/how-to-ask")),
            ("Section page", get(section.group(1))),
            ("Section completion", post(section.group(1) + "/complete", [("csrf_token", token)])),
            ("Quiz submission", post("/modules/how-to-ask/quiz", answers)),
        ]
        results = {
            name: cpu_per_request(request, arguments.requests)
            for name, request in figures
            if arguments.only in (None, name) or name == "Floor"
        }
    floor_cpu = results["Floor"][0]
    load = os.getloadavg()[0]
    print(f"CPU per request, median of 5 rounds of {arguments.requests}, load {load:.1f}")
    print("| figure | CPU ms | wall ms | floor CPU ÷ this |")
    print("|---|---:|---:|---:|")
    for name, (cpu, wall) in results.items():
        print(f"| {name} | {cpu:.2f} | {wall:.2f} | {floor_cpu / cpu:.2f} |")


def _expect(status: int, path: str) -> int:
    if not 200 <= status < 400:
        sys.exit(f"{path} answered {status}")
    return status


if __name__ == "__main__":
    main()

"""Askwell served for real on a free local port, for tests that need real connections:
several clients at once, a database that goes away under a running server, two servers."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx2 as httpx
import uvicorn
from fastapi import FastAPI

PROJECT_ROOT = Path(__file__).resolve().parents[1]
START_SECONDS = 90  # a ceiling: a loaded machine can take a while to import


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class _ThreadedServer(uvicorn.Server):
    def install_signal_handlers(self) -> None:  # the test process keeps its own handlers
        pass


@contextmanager
def serve_in_thread(app: FastAPI) -> Iterator[str]:
    """The app under uvicorn in a thread of this process; yields its base URL."""
    port = free_port()
    server = _ThreadedServer(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + START_SECONDS
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the test server did not start")
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)


@contextmanager
def askwell_servers(count: int, environment: dict[str, str], logs: Path) -> Iterator[list[str]]:
    """``askwell serve`` in ``count`` processes of their own, as an operator starts them on
    several machines; yields their base URLs once every one answers /healthz."""
    env = {**os.environ, "PYTHONPATH": str(PROJECT_ROOT), **environment}
    started: list[tuple[subprocess.Popen[bytes], str, Path]] = []
    try:
        for number in range(count):
            port = free_port()
            log = logs / f"askwell-{number}.log"
            with log.open("wb") as output:
                server = subprocess.Popen(
                    [sys.executable, "-m", "app.cli", "serve", "--port", str(port)],
                    cwd=PROJECT_ROOT,
                    env=env,
                    stdout=output,
                    stderr=subprocess.STDOUT,
                )
            started.append((server, f"http://127.0.0.1:{port}", log))
        for server, base_url, log in started:
            _wait_until_up(server, base_url, log)
        yield [base_url for _, base_url, _ in started]
    finally:
        for server, _, _ in started:
            server.terminate()
        for server, _, _ in started:
            try:
                server.wait(timeout=10)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()


def _wait_until_up(server: subprocess.Popen[bytes], base_url: str, log: Path) -> None:
    deadline = time.monotonic() + START_SECONDS
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"askwell serve exited:\n{log.read_text(errors='replace')}")
        try:
            if httpx.get(f"{base_url}/healthz", timeout=1).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.1)
    raise RuntimeError(f"askwell serve did not answer:\n{log.read_text(errors='replace')}")

"""How much anonymous wrong passwords slow a signed-in user's saving, on SQLite.

    python -m bench.sign_in_contention --seconds 10

Starts Askwell (uvicorn, one worker, the standard argon2 profile) on a fresh SQLite
database in a subprocess. One signed-in practitioner saves their name (PUT /api/v1/me)
as fast as they can for ``--seconds``: first alone, then while two other threads post
wrong passwords to the sign-in API without pause. Prints the writes each time and their
ratio. The rate limit is raised out of the way so every guess reaches the password check.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import httpx2 as httpx

from app.auth import service as auth_service
from app.auth.passwords import Passwords
from app.core.config import PasswordHashProfile
from app.core.db import make_engine, session_scope
from app.core.migrations import upgrade
from app.models.users import Role
from bench.measure import _free_port

PROJECT_ROOT = Path(__file__).resolve().parents[1]
WRITER_EMAIL = "writer@bench.test"
PASSWORD = "bench-password-long-enough"  # noqa: S105 - a throwaway benchmark account


def prepare(database_url: str) -> None:
    upgrade(database_url)
    engine = make_engine(database_url)
    try:
        with session_scope(engine) as session:
            auth_service.create_user(
                session,
                Passwords(PasswordHashProfile.standard),
                email=WRITER_EMAIL,
                password=PASSWORD,
                display_name="Bench Writer",
                roles=[Role.practitioner],
            )
    finally:
        engine.dispose()


def start_server(database_url: str, port: int) -> subprocess.Popen[bytes]:
    environment = {
        **os.environ,
        "ASKWELL_DATABASE_URL": database_url,
        "ASKWELL_SECRET_KEY": "bench-secret-key-" + "x" * 32,
        "ASKWELL_LOGIN_ATTEMPTS_PER_MINUTE": "1000000",
    }
    server = subprocess.Popen(  # noqa: S603 - our own interpreter and module
        [sys.executable, "-m", "uvicorn", "app.main:create_app", "--factory"]
        + ["--host", "127.0.0.1", "--port", str(port), "--log-level", "warning"],
        env=environment,
        cwd=PROJECT_ROOT,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=2).status_code == 200:
                return server
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    server.kill()
    raise RuntimeError("the server did not start")


def count_writes(base_url: str, seconds: float, guessers: int) -> tuple[int, int]:
    """The signed-in user's successful writes in ``seconds``, and the guesses answered."""
    writer = httpx.Client(base_url=base_url, timeout=60)
    login = writer.post("/api/v1/auth/login", json={"email": WRITER_EMAIL, "password": PASSWORD})
    login.raise_for_status()
    writer.headers["X-CSRF-Token"] = login.json()["csrf_token"]
    stop = threading.Event()
    guesses = 0
    lock = threading.Lock()

    def guess(number: int) -> None:
        nonlocal guesses
        with httpx.Client(base_url=base_url, timeout=60) as guesser:
            while not stop.is_set():
                guesser.post(
                    "/api/v1/auth/login",
                    json={"email": f"nobody{number}@bench.test", "password": "wrong-password"},
                )
                with lock:
                    guesses += 1

    threads = [threading.Thread(target=guess, args=(n,)) for n in range(guessers)]
    for thread in threads:
        thread.start()
    time.sleep(0.5 if guessers else 0)
    writes = 0
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        response = writer.put("/api/v1/me", json={"display_name": f"Bench Writer {writes}"})
        if response.status_code == 200:
            writes += 1
    stop.set()
    for thread in threads:
        thread.join()
    writer.close()
    return writes, guesses


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--guessers", type=int, default=2)
    arguments = parser.parse_args()
    with tempfile.TemporaryDirectory() as directory:
        database_url = f"sqlite:///{Path(directory) / 'contention.db'}"
        prepare(database_url)
        port = _free_port()
        server = start_server(database_url, port)
        try:
            base_url = f"http://127.0.0.1:{port}"
            alone, _ = count_writes(base_url, arguments.seconds, 0)
            contended, guesses = count_writes(base_url, arguments.seconds, arguments.guessers)
        finally:
            server.terminate()
            server.wait(timeout=30)
    print(f"load average at start: {os.getloadavg()[0]:.1f}")
    print(f"writes in {arguments.seconds:g} s, alone: {alone}")
    print(
        f"writes in {arguments.seconds:g} s, with {arguments.guessers} threads guessing "
        f"({guesses} wrong passwords answered): {contended}"
    )
    print(f"ratio: {contended / alone:.2f}" if alone else "ratio: n/a")


if __name__ == "__main__":
    main()

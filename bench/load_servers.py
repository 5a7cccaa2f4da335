"""The servers of ``bench.load``: a prepared database, Askwell under ``askwell serve``, the floor.

Every server listens on 127.0.0.1 only, runs from this checkout (``PYTHONPATH``), and writes
its log to the run's folder so a failure can be read afterwards.
"""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import IO

import httpx2 as httpx
import psutil
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from app.auth import service as auth_service
from app.auth.passwords import Passwords
from app.core.config import PasswordHashProfile
from app.core.db import make_engine, session_scope
from app.models.users import Role

PROJECT_ROOT = Path(__file__).resolve().parents[1]
HOST = "127.0.0.1"
STORM_PASSWORD = "bench-storm-password-2026"  # noqa: S105 - throwaway benchmark accounts
START_SECONDS = 90


def storm_email(number: int) -> str:
    return f"storm-{number:02d}@bench.test"


def _environment(extra: dict[str, str]) -> dict[str, str]:
    """This process's environment without any Askwell setting of its own, plus ``extra``."""
    environment = {k: v for k, v in os.environ.items() if not k.startswith("ASKWELL_")}
    environment["PYTHONPATH"] = str(PROJECT_ROOT)
    return {**environment, **extra}


def askwell_command() -> list[str]:
    """``askwell`` from this interpreter's environment (it imports this checkout's code, which
    ``PYTHONPATH`` puts first); ``python -c`` when the script is not installed."""
    script = Path(sys.executable).with_name("askwell")
    if script.exists():
        return [str(script)]
    return [sys.executable, "-c", "from app.cli import main; main()"]


def prepare_database(database_url: str, storm_clients: int, log: IO[str]) -> None:
    """``askwell db upgrade`` and ``askwell demo`` (development mode: the demo refuses
    production), then the storm's practitioners through the app's own account service."""
    environment = _environment(
        {
            "ASKWELL_DATABASE_URL": database_url,
            "ASKWELL_MODULES_DIR": str(PROJECT_ROOT / "modules"),
            "ASKWELL_ENV": "development",
        }
    )
    for arguments in (["db", "upgrade"], ["demo"]):
        subprocess.run(  # noqa: S603 - our own command
            askwell_command() + arguments,
            env=environment,
            cwd=PROJECT_ROOT,
            stdout=log,
            stderr=log,
            check=True,
            timeout=300,
        )
    engine = make_engine(database_url)
    try:
        with session_scope(engine) as session:
            passwords = Passwords(PasswordHashProfile.standard)
            for number in range(1, storm_clients + 1):
                if auth_service.find_user_by_email(session, storm_email(number)) is None:
                    auth_service.create_user(
                        session,
                        passwords,
                        email=storm_email(number),
                        password=STORM_PASSWORD,
                        display_name=f"Storm Practitioner {number}",
                        roles=[Role.practitioner],
                    )
    finally:
        engine.dispose()


@dataclass
class Server:
    """A server we started; ``process`` is the uvicorn supervisor, its children the workers."""

    name: str
    command: list[str]
    environment: dict[str, str]
    port: int
    log_path: Path
    health_path: str
    worker_count: int
    process: subprocess.Popen[bytes] | None = None

    @property
    def base_url(self) -> str:
        return f"http://{HOST}:{self.port}"

    def launch(self) -> None:
        """Start it and wait until it answers with all its workers up."""
        with self.log_path.open("ab") as log:
            self.process = subprocess.Popen(  # noqa: S603 - our own interpreter and modules
                self.command, env=self.environment, cwd=PROJECT_ROOT, stdout=log, stderr=log
            )
        deadline = time.monotonic() + START_SECONDS
        while time.monotonic() < deadline and self.process.poll() is None:
            try:
                answered = httpx.get(self.base_url + self.health_path, timeout=5).status_code
            except httpx.HTTPError:
                answered = None
            if answered is not None and answered < 500 and len(self.workers()) >= self.worker_count:
                return
            time.sleep(0.3)
        self.stop()
        raise RuntimeError(f"{self.name} did not start: see {self.log_path}")

    def restart(self) -> None:
        """Stop it (dropping whatever it still had in hand) and start it again, same port and
        settings, so sessions and CSRF tokens stay valid."""
        self.stop()
        self.launch()

    def workers(self) -> list[psutil.Process]:
        """The worker processes (multiprocessing's resource tracker is not one)."""
        if self.process is None:
            return []
        try:
            children = psutil.Process(self.process.pid).children(recursive=True)
        except psutil.NoSuchProcess:
            return []
        workers = []
        for child in children:
            try:
                if "resource_tracker" not in " ".join(child.cmdline()):
                    workers.append(child)
            except psutil.Error:
                continue
        return workers

    def worker_rss_mb(self) -> list[float]:
        sizes = []
        for worker in self.workers():
            try:
                sizes.append(worker.memory_info().rss / 2**20)
            except psutil.Error:
                continue
        return sizes

    def wait_until_idle(self, limit: float, quiet: float = 2.0) -> tuple[float, bool]:
        """Seconds until the server has finished what it was still doing (its log, a line per
        answered request, stops growing and it answers its health check), and whether it did
        within ``limit``. Requests a client gave up on keep the workers busy, and would
        otherwise be charged to the next figure."""
        started = time.monotonic()
        size, since = -1, started
        while time.monotonic() - started < limit:
            current = self.log_path.stat().st_size
            if current != size:
                size, since = current, time.monotonic()
            elif time.monotonic() - since >= quiet:
                try:
                    healthy = httpx.get(self.base_url + self.health_path, timeout=5).is_success
                except httpx.HTTPError:
                    healthy = False
                if healthy:
                    return max(0.0, since - started), True
                size = -1
            time.sleep(0.25)
        return time.monotonic() - started, False

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        workers = self.workers()
        self.process.terminate()
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=10)
        for worker in workers:
            try:
                worker.wait(timeout=10)
            except psutil.TimeoutExpired:
                worker.kill()
            except psutil.NoSuchProcess:
                pass


def start_askwell(
    database_url: str, port: int, workers: int, log_path: Path, login_attempts_per_minute: int
) -> Server:
    """``askwell serve --workers N`` in production mode on plain http, loopback only.

    Production accepts an http:// base URL (only ``askwell check-deploy`` asks for https), so
    nothing else is relaxed but the sign-in rate limit, raised so the storm's accounts can all
    sign in from the one loopback address within a minute.
    """
    environment = _environment(
        {
            "ASKWELL_ENV": "production",
            "ASKWELL_SECRET_KEY": secrets.token_urlsafe(48),
            "ASKWELL_BASE_URL": f"http://{HOST}:{port}",
            "ASKWELL_DATABASE_URL": database_url,
            "ASKWELL_MODULES_DIR": str(PROJECT_ROOT / "modules"),
            "ASKWELL_LOGIN_ATTEMPTS_PER_MINUTE": str(login_attempts_per_minute),
        }
    )
    command = askwell_command() + [
        "serve",
        "--host",
        HOST,
        "--port",
        str(port),
        "--workers",
        str(workers),
    ]
    server = Server("Askwell", command, environment, port, log_path, "/healthz", workers)
    server.launch()
    return server


def start_floor(
    database: Path, templates: Path, port: int, workers: int, log_path: Path, probe: str
) -> Server:
    """The floor app under uvicorn's defaults, as ``askwell serve`` runs Askwell."""
    environment = _environment({"FLOOR_DATABASE": str(database), "FLOOR_TEMPLATES": str(templates)})
    command = [sys.executable, "-m", "uvicorn", "bench.floor_app:app"]
    command += ["--host", HOST, "--port", str(port), "--workers", str(workers)]
    server = Server("the floor", command, environment, port, log_path, probe, workers)
    server.launch()
    return server


# --- PostgreSQL --------------------------------------------------------------------------------


def create_postgresql_database(server_url: str, name: str) -> str:
    """A fresh, empty database on the server; its URL."""
    admin = create_engine(f"{server_url}/postgres", isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            connection.execute(text(f'CREATE DATABASE "{name}"'))
    finally:
        admin.dispose()
    return f"{server_url}/{name}"


def drop_postgresql_database(database_url: str) -> None:
    url = make_url(database_url)
    admin = create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{url.database}" WITH (FORCE)'))
    finally:
        admin.dispose()


def database_version(database_url: str) -> str:
    engine = make_engine(database_url)
    try:
        with engine.connect() as connection:
            if engine.dialect.name == "postgresql":
                return "PostgreSQL " + str(connection.execute(text("SHOW server_version")).scalar())
            return "SQLite " + str(connection.execute(text("SELECT sqlite_version()")).scalar())
    finally:
        engine.dispose()

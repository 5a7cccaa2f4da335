"""A PostgreSQL server of a test's own, which the test starts and stops: for showing what
Askwell does when its database goes away and comes back.

It uses initdb and pg_ctl from /usr/lib/postgresql/*/bin (or PATH). PostgreSQL refuses to
run as root, so when the tests run as root the server runs as the ``postgres`` user, in a
folder of its own that user can write.
"""

from __future__ import annotations

import contextlib
import glob
import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import psycopg
import pytest

from tests.conftest import require_postgres
from tests.live_server import free_port

SERVER_USER = "postgres"


def _bin_dir() -> Path | None:
    """The newest installed PostgreSQL's programs, else whichever initdb is on PATH."""
    candidates = sorted(
        (Path(found) for found in glob.glob("/usr/lib/postgresql/*/bin")),
        key=lambda path: int(path.parent.name) if path.parent.name.isdigit() else 0,
    )
    for folder in reversed(candidates):
        if (folder / "initdb").exists() and (folder / "pg_ctl").exists():
            return folder
    on_path = shutil.which("initdb")
    return Path(on_path).parent if on_path else None


@dataclass
class Cluster:
    bin_dir: Path
    root: Path
    port: int
    as_user: list[str]

    @property
    def data(self) -> Path:
        return self.root / "data"

    def url(self, database: str = "postgres") -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/{database}"

    def _run(self, *command: str) -> None:
        done = subprocess.run(
            [*self.as_user, *command], capture_output=True, text=True, check=False, cwd=self.root
        )
        if done.returncode != 0:
            raise RuntimeError(f"{command[0]} failed: {done.stdout}\n{done.stderr}")

    def start(self) -> None:
        options = (
            f"-p {self.port} -k {self.root} -c listen_addresses=127.0.0.1 "
            "-c fsync=off -c full_page_writes=off"
        )
        self._run(
            str(self.bin_dir / "pg_ctl"),
            *("-D", str(self.data), "-l", str(self.root / "server.log")),
            *("-o", options, "-w", "-t", "30", "start"),
        )

    def stop(self) -> None:
        self._run(str(self.bin_dir / "pg_ctl"), "-D", str(self.data), "-m", "fast", "-w", "stop")

    def create_database(self, name: str) -> str:
        with psycopg.connect(
            f"postgresql://postgres@127.0.0.1:{self.port}/postgres", autocommit=True
        ) as admin:
            admin.execute(f'CREATE DATABASE "{name}"')
        return self.url(name)


@contextmanager
def throwaway_cluster() -> Iterator[Cluster]:
    """A fresh, started PostgreSQL server; stopped and deleted afterwards."""
    bin_dir = _bin_dir()
    if bin_dir is None:
        message = "initdb and pg_ctl are not installed (Debian: apt-get install postgresql)"
        if require_postgres():
            pytest.fail(message)
        pytest.skip(message)
    as_user: list[str] = []
    root = Path(tempfile.mkdtemp(prefix="askwell-pg-"))
    if os.geteuid() == 0:
        as_user = ["runuser", "-u", SERVER_USER, "--"]
        shutil.chown(root, user=SERVER_USER)
    cluster = Cluster(bin_dir=bin_dir, root=root, port=free_port(), as_user=as_user)
    try:
        cluster._run(
            str(bin_dir / "initdb"),
            *("-D", str(cluster.data), "-U", "postgres", "--auth=trust"),
            *("--no-sync", "--encoding=UTF8", "--no-locale"),
        )
        cluster.start()
        try:
            yield cluster
        finally:
            with contextlib.suppress(RuntimeError):  # the test may have stopped it already
                cluster.stop()
    finally:
        shutil.rmtree(root, ignore_errors=True)

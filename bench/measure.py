"""Measure the trainer reports of a seeded trust through the real app over HTTP.

    python -m bench.measure --database-url sqlite:////tmp/askwell-bench/trust.db

Starts ``askwell`` (uvicorn, one worker) in a subprocess, signs in as the trainer of one
cohort and as an admin, requests each page repeatedly and reports the median, then
downloads the full CSV export while sampling the server's resident memory.
"""

from __future__ import annotations

import argparse
import os
import platform
import socket
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx2 as httpx
import psutil

from bench.seed_trust import (
    ADMIN_EMAIL,
    BENCH_PASSWORD,
    DEFAULT_DATABASE_URL,
    DEFAULT_DIRECTORY,
    trainer_email,
)
from bench.synthetic import slug_of

MEMORY_SAMPLE_SECONDS = 0.02


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_server(database_url: str, modules_dir: Path, port: int) -> subprocess.Popen[bytes]:
    environment = {
        **os.environ,
        "ASKWELL_DATABASE_URL": database_url,
        "ASKWELL_MODULES_DIR": str(modules_dir),
        "ASKWELL_SECRET_KEY": "bench-secret-key-" + "x" * 32,
        "ASKWELL_LOGIN_ATTEMPTS_PER_MINUTE": "1000",
    }
    server = subprocess.Popen(  # noqa: S603 - our own interpreter and module
        [
            sys.executable,
            "-m",
            "uvicorn",
            "app.main:create_app",
            "--factory",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--log-level",
            "warning",
        ],
        env=environment,
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


def signed_in(base_url: str, email: str) -> httpx.Client:
    client = httpx.Client(base_url=base_url, timeout=120)
    response = client.post("/api/v1/auth/login", json={"email": email, "password": BENCH_PASSWORD})
    response.raise_for_status()
    return client


def median_ms(client: httpx.Client, path: str, runs: int) -> tuple[float, float]:
    """Median and slowest time of ``runs`` requests, after two warm-up requests."""
    for _ in range(2):
        client.get(path).raise_for_status()
    timings = []
    for _ in range(runs):
        started = time.perf_counter()
        response = client.get(path)
        timings.append((time.perf_counter() - started) * 1000)
        response.raise_for_status()
    return statistics.median(timings), max(timings)


def export_csv(client: httpx.Client, path: str, server_pid: int) -> tuple[float, int, float]:
    """Seconds to download the whole export, its rows, and the server's RSS growth in MB."""
    process = psutil.Process(server_pid)
    baseline = process.memory_info().rss
    peak = baseline
    done = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not done.is_set():
            peak = max(peak, process.memory_info().rss)
            time.sleep(MEMORY_SAMPLE_SECONDS)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    lines = 0
    started = time.perf_counter()
    with client.stream("GET", path) as response:
        response.raise_for_status()
        for chunk in response.iter_bytes():
            lines += chunk.count(b"\n")
    elapsed = time.perf_counter() - started
    done.set()
    sampler.join()
    return elapsed, lines - 1, (peak - baseline) / 1_000_000


def machine() -> str:
    cpu = platform.processor() or "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = psutil.virtual_memory().total / 2**30
    python = platform.python_version()
    load = ", ".join(f"{value:.1f}" for value in os.getloadavg())
    return (
        f"{os.cpu_count()} cores ({cpu}), {memory:.0f} GiB memory, Python {python}; "
        f"load average at start {load}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default=DEFAULT_DATABASE_URL)
    parser.add_argument("--modules-dir", type=Path, default=DEFAULT_DIRECTORY / "modules")
    parser.add_argument("--runs", type=int, default=15)
    arguments = parser.parse_args()
    port = _free_port()
    server = start_server(arguments.database_url, arguments.modules_dir, port)
    base_url = f"http://127.0.0.1:{port}"
    slug = slug_of(7)
    try:
        trainer = signed_in(base_url, trainer_email(1))
        admin = signed_in(base_url, ADMIN_EMAIL)
        pages = [
            (
                "Cohort dashboard (trainer, 200 people × 40 modules)",
                trainer,
                "/reports/completion?cohort_id=1",
            ),
            (
                "Cohort dashboard, filtered to overdue, sorted by due date",
                trainer,
                "/reports/completion?cohort_id=1&status=overdue&sort=due",
            ),
            (
                "Cohort dashboard, a row per practitioner (100 people × 40 modules a page)",
                trainer,
                "/reports/completion?cohort_id=1&view=people",
            ),
            ("Per-module summary (admin, whole trust)", admin, f"/reports/modules/{slug}"),
            (
                "Per-module summary (trainer, one cohort)",
                trainer,
                f"/reports/modules/{slug}?cohort_id=1",
            ),
            ("Item analysis (admin, whole trust)", admin, f"/reports/modules/{slug}/questions"),
            (
                "Item analysis (trainer, one cohort)",
                trainer,
                f"/reports/modules/{slug}/questions?cohort_id=1",
            ),
            ("Modules overview (admin, whole trust)", admin, "/reports/modules"),
            (
                "Questions most people miss (trainer, one cohort)",
                trainer,
                "/reports/questions?cohort_id=1",
            ),
            ("Questions most people miss (admin, whole trust)", admin, "/reports/questions"),
        ]
        backend = arguments.database_url.split(":", 1)[0].split("+", 1)[0]
        print(f"Askwell trainer reports on {backend}; {machine()}")
        print(f"| page | median ms | slowest ms (of {arguments.runs}) |")
        print("|---|---:|---:|")
        for label, client, path in pages:
            median, slowest = median_ms(client, path, arguments.runs)
            print(f"| {label} `{path}` | {median:.0f} | {slowest:.0f} |")
        seconds, rows, growth = export_csv(admin, "/reports/completion.csv", server.pid)
        print(
            f"\nFull CSV export (admin, every cohort): {rows:,} rows in {seconds:.1f} s; "
            f"server memory grew {growth:.1f} MB while streaming"
        )
    finally:
        server.terminate()
        server.wait(timeout=20)


if __name__ == "__main__":
    main()

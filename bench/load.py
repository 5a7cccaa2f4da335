"""Askwell's everyday pages and writes under load, beside a bare FastAPI floor.

    python -m bench.load --database both --duration 10 --json load.json

For each database (SQLite, then PostgreSQL): prepares a database (``askwell db upgrade``,
``askwell demo`` and the storm's practitioners), starts ``askwell serve --workers 2`` in
production mode on 127.0.0.1, starts the floor (``bench/floor_app.py``, 2 workers), signs in
through the sign-in form and drives each figure for ``--duration`` seconds with
``wrk -t2 -c64`` (a Python asyncio client when wrk is not installed), then runs the write
storm and reads the database to check that no acknowledged write was lost. Prints a Markdown
table with every figure's ratio to the floor measured in the same run.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sqlite3
import subprocess
import sys
import tempfile
import time
import traceback
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl

import psutil

from app.demo import DEMO_ACCOUNTS
from bench import floor_app
from bench.load_clients import (
    Account,
    LoadResult,
    get_page,
    links_in,
    quiz_answers,
    run_python_load,
    run_wrk,
    sign_in,
    warm_up,
    wrk_available,
)
from bench.load_servers import (
    PROJECT_ROOT,
    STORM_PASSWORD,
    Server,
    create_postgresql_database,
    database_version,
    drop_postgresql_database,
    prepare_database,
    start_askwell,
    start_floor,
    storm_email,
)
from bench.load_storm import (
    WriteTargets,
    check_storm,
    count_rows,
    quiz_request,
    run_storm,
    section_request,
    sign_in_all,
)
from bench.measure import _free_port

MODULE = "how-to-ask"
POSTGRESQL_SERVER = "postgresql+psycopg://postgres@127.0.0.1:5432"
LOGIN_ATTEMPTS_PER_MINUTE = 1000
USER_ATTEMPTS = (
    "SELECT count(*) FROM quiz_attempts a JOIN users u ON u.id = a.user_id WHERE u.email = :email"
)
USER_SECTION = (
    "SELECT count(*) FROM section_progress s JOIN users u ON u.id = s.user_id "
    "WHERE u.email = :email AND s.module_slug = :slug AND s.section_id = :section"
)


def _demo_password(email: str) -> str:
    return next(account.password for account in DEMO_ACCOUNTS if account.email == email)


@dataclass
class Figure:
    """One measured line of the table."""

    label: str
    target: str
    result: LoadResult | None = None
    failure: str | None = None
    note: str = ""
    busy_after: float = 0.0
    """Seconds the server went on working after the figure's time was up."""
    restarted: bool = False
    """The server was still busy after ``--settle-limit`` seconds and was restarted."""

    def as_dict(self, floor: float | None) -> dict[str, Any]:
        ratio = (
            round(self.result.requests_per_second / floor, 3)
            if self.result is not None and floor
            else None
        )
        return {
            "label": self.label,
            "target": self.target,
            **(self.result.as_dict() if self.result is not None else {}),
            "ratio_to_floor": ratio,
            "failure": self.failure,
            "note": self.note,
            "server_busy_seconds_after": self.busy_after,
            "server_restarted_after": self.restarted,
        }


@dataclass
class DatabaseRun:
    """Everything measured on one database."""

    name: str
    version: str = ""
    load_average_at_start: tuple[float, ...] = ()
    preparation_seconds: float | None = None
    module_page_bytes: int | None = None
    floor_page_bytes: int | None = None
    figures: list[Figure] = field(default_factory=list)
    storm_check: dict[str, int] | None = None
    askwell_rss_mb: list[float] = field(default_factory=list)
    floor_rss_mb: list[float] = field(default_factory=list)
    failure: str | None = None

    @property
    def floor_rate(self) -> float | None:
        floor = next((f for f in self.figures if f.label.startswith("Floor")), None)
        return floor.result.requests_per_second if floor and floor.result else None

    def as_dict(self) -> dict[str, Any]:
        return {
            "database": self.version or self.name,
            "load_average_at_start": self.load_average_at_start,
            "preparation_seconds": self.preparation_seconds,
            "module_page_bytes": self.module_page_bytes,
            "floor_page_bytes": self.floor_page_bytes,
            "figures": [figure.as_dict(self.floor_rate) for figure in self.figures],
            "storm_check": self.storm_check,
            "askwell_worker_rss_mb": [round(size, 1) for size in self.askwell_rss_mb],
            "floor_worker_rss_mb": [round(size, 1) for size in self.floor_rss_mb],
            "failure": self.failure,
        }


class Bench:
    """One run over one database: the servers, the accounts and the figures."""

    def __init__(self, arguments: argparse.Namespace, work: Path, floor_database: Path) -> None:
        self.arguments = arguments
        self.work = work
        self.floor_database = floor_database
        self.use_wrk = wrk_available() and not arguments.python_client

    def drive(
        self,
        base_url: str,
        path: str,
        account: Account | None = None,
        form: list[tuple[str, str]] | None = None,
    ) -> LoadResult:
        headers = account.headers if account else {}
        if form is None:
            warm_up(base_url, path, headers)
        if self.use_wrk:
            return run_wrk(
                base_url + path,
                duration=self.arguments.duration,
                connections=self.arguments.connections,
                threads=self.arguments.threads,
                headers=headers,
                form=form,
            )
        return run_python_load(
            base_url,
            path,
            duration=self.arguments.duration,
            connections=self.arguments.connections,
            headers=headers,
            form=form,
        )

    def measure(
        self, run: DatabaseRun, server: Server, label: str, target: str, action: Any
    ) -> Figure:
        """Run ``action`` for one figure, then wait for the server to finish what it still
        had in hand; a failure is recorded on the figure, not raised."""
        figure = Figure(label, target)
        run.figures.append(figure)
        print(f"  {label} …", file=sys.stderr, flush=True)
        try:
            figure.result = action(figure)
        except Exception as error:  # noqa: BLE001 - reported in the table, the run goes on
            figure.failure = f"{type(error).__name__}: {error}"
            traceback.print_exc(file=sys.stderr)
        self.settle(server, figure)
        return figure

    def settle(self, server: Server, figure: Figure) -> None:
        """Wait (a bounded time) for the server to finish what the figure left it; restart it
        when it does not, so the next figure starts on an idle server."""
        seconds, idle = server.wait_until_idle(self.arguments.settle_limit)
        figure.busy_after = round(figure.busy_after + seconds, 1)
        if not idle:
            figure.restarted = True
            server.restart()

    def run(self, name: str, database_url: str) -> DatabaseRun:
        load = tuple(round(value, 2) for value in os.getloadavg())
        run = DatabaseRun(name=name, load_average_at_start=load)
        started = time.perf_counter()
        with (self.work / f"prepare-{name}.log").open("w") as log:
            prepare_database(database_url, self.arguments.storm_clients, log)
        run.preparation_seconds = round(time.perf_counter() - started, 1)
        run.version = database_version(database_url)
        server = start_askwell(
            database_url,
            _free_port(),
            self.arguments.workers,
            self.work / f"askwell-{name}.log",
            LOGIN_ATTEMPTS_PER_MINUTE,
        )
        try:
            self._measure_askwell(run, server, database_url)
            run.askwell_rss_mb = server.worker_rss_mb()
        finally:
            server.stop()
        return run

    def _measure_askwell(self, run: DatabaseRun, server: Server, database_url: str) -> None:
        base = server.base_url
        practitioner_email, trainer_email = DEMO_ACCOUNTS[0].email, DEMO_ACCOUNTS[2].email
        practitioner = sign_in(base, practitioner_email, _demo_password(practitioner_email))
        trainer = sign_in(base, trainer_email, _demo_password(trainer_email))
        module_page = get_page(base, f"/modules/{MODULE}", practitioner)
        module_page.raise_for_status()
        run.module_page_bytes = len(module_page.content)
        targets = self._write_targets(base, practitioner)
        section_id = next(section for slug, section in targets.sections if slug == MODULE)
        quiz = dict(targets.quizzes)
        dashboard = links_in(
            get_page(base, "/cohorts", trainer).text, r"/reports/completion\?[^\"]+"
        )

        self._measure_floor(run, run.module_page_bytes)
        reads = [
            ("Catalogue", "/modules", practitioner),
            ("Module page", f"/modules/{MODULE}", practitioner),
            ("Section page", f"/modules/{MODULE}/sections/{section_id}", practitioner),
        ]
        if dashboard:
            reads.append(("Trainer dashboard (demo cohort)", dashboard[0], trainer))
        else:
            run.figures.append(Figure("Trainer dashboard", "-", failure="no link on /cohorts"))
        for label, path, account in reads:
            self.measure(
                run, server, label, path, lambda _f, p=path, a=account: self.drive(base, p, a)
            )

        section_path = f"/modules/{MODULE}/sections/{section_id}/complete"
        section = section_request(practitioner, MODULE, section_id)
        self.measure(
            run,
            server,
            "Section completion, one practitioner",
            f"POST {section_path}",
            lambda figure: self._single_writer(
                server,
                database_url,
                figure,
                practitioner,
                section.path,
                _form(section.body),
                section_check=True,
            ),
        )
        answers = quiz.get(MODULE) or next(iter(quiz.values()))
        submission = quiz_request(practitioner, MODULE, answers)
        self.measure(
            run,
            server,
            "Quiz submission, one practitioner",
            f"POST {submission.path}",
            lambda figure: self._single_writer(
                server, database_url, figure, practitioner, submission.path, _form(submission.body)
            ),
        )
        self.measure(
            run,
            server,
            f"Write storm: {self.arguments.storm_clients} practitioners at once",
            "POST section complete + quiz, alternately",
            lambda figure: self._storm(run, server, database_url, targets, figure),
        )

    def _write_targets(self, base: str, practitioner: Account) -> WriteTargets:
        """Every module's sections and every quiz's answers, read from the pages themselves."""
        catalogue = get_page(base, "/modules", practitioner).text
        slugs = [link.rsplit("/", 1)[1] for link in links_in(catalogue, r"/modules/[a-z0-9-]+")]
        sections: list[tuple[str, str]] = []
        quizzes: list[tuple[str, list[tuple[str, str]]]] = []
        for slug in slugs:
            page = get_page(base, f"/modules/{slug}", practitioner).text
            for link in links_in(page, rf"/modules/{slug}/sections/[A-Za-z0-9_-]+"):
                sections.append((slug, link.rsplit("/", 1)[1]))
            quiz_page = get_page(base, f"/modules/{slug}/quiz", practitioner)
            if quiz_page.status_code == 200 and (answers := quiz_answers(quiz_page.text)):
                quizzes.append((slug, answers))
        if not sections or not quizzes:
            raise RuntimeError("found no sections or no quizzes to write to")
        return WriteTargets(sections, quizzes)

    def _measure_floor(self, run: DatabaseRun, page_bytes: int) -> None:
        templates = self.work / "floor-templates"
        floor_app.write_template(templates, page_bytes)
        probe = f"/items/{floor_app.item_slug(floor_app.ROWS // 2)}"
        floor = start_floor(
            self.floor_database,
            templates,
            _free_port(),
            self.arguments.workers,
            self.work / f"floor-{run.name}.log",
            probe,
        )
        try:
            run.floor_page_bytes = len(get_page(floor.base_url, probe).content)
            self.measure(
                run,
                floor,
                "Floor: bare FastAPI, one indexed read, same-size page",
                probe,
                lambda _f: self.drive(floor.base_url, probe),
            )
            run.floor_rss_mb = floor.worker_rss_mb()
        finally:
            floor.stop()

    def _single_writer(
        self,
        server: Server,
        database_url: str,
        figure: Figure,
        account: Account,
        path: str,
        form: list[tuple[str, str]],
        section_check: bool = False,
    ) -> LoadResult:
        """One practitioner posting the same form over every connection; afterwards the
        database must hold what was acknowledged."""
        email = account.email
        before = count_rows(database_url, USER_ATTEMPTS, email=email)
        result = self.drive(server.base_url, path, account, form)
        self.settle(server, figure)
        if section_check:
            _, _, slug, _, section_id, _ = path.split("/")
            present = count_rows(
                database_url, USER_SECTION, email=email, slug=slug, section=section_id
            )
            figure.note = (
                "the section's row is present"
                if present
                else f"LOST: {result.ok} acknowledged, no row"
            )
        else:
            added = count_rows(database_url, USER_ATTEMPTS, email=email) - before
            lost = max(0, result.ok - added)
            late = max(0, added - result.ok)
            figure.note = (
                f"{result.ok} acknowledged, {added} attempts in the database, {lost} lost"
                + (f" ({late} saved after the client stopped counting)" if late else "")
            )
        return result

    def _storm(
        self,
        run: DatabaseRun,
        server: Server,
        database_url: str,
        targets: WriteTargets,
        figure: Figure,
    ) -> LoadResult:
        emails = [storm_email(n) for n in range(1, self.arguments.storm_clients + 1)]
        accounts = sign_in_all(server.base_url, emails, STORM_PASSWORD)
        result, acknowledged = run_storm(
            server.base_url, accounts, targets, self.arguments.duration
        )
        self.settle(server, figure)
        check = check_storm(database_url, emails, acknowledged)
        run.storm_check = check.as_dict()
        figure.note = (
            f"{acknowledged.section_writes} sections marked read and "
            f"{check.attempts_acknowledged} quiz attempts acknowledged; "
            f"{check.lost} lost ({check.attempts_in_database} attempts in the database)"
        )
        return result


def _form(body: bytes) -> list[tuple[str, str]]:
    return parse_qsl(body.decode(), keep_blank_values=True)


# --- the report ---------------------------------------------------------------------------------


def machine() -> dict[str, Any]:
    cpu = platform.processor() or "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    try:
        commit = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"],  # noqa: S607 - the checkout's own git
            cwd=PROJECT_ROOT,
            capture_output=True,
            text=True,
            check=False,
        ).stdout.strip()
    except OSError:
        commit = ""
    return {
        "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "cores": os.cpu_count(),
        "cpu": cpu,
        "memory_gib": round(psutil.virtual_memory().total / 2**30, 1),
        "load_average_at_start": [round(value, 2) for value in os.getloadavg()],
        "python": platform.python_version(),
        "sqlite": sqlite3.sqlite_version,
        "commit": commit,
    }


def _number(value: float | None, digits: int = 0) -> str:
    return "–" if value is None else f"{value:,.{digits}f}"


def _errors(result: LoadResult) -> str:
    if not result.requests:
        return "no answer within the time"
    if not result.errors:
        return "0"
    detail = ", ".join(f"{kind}×{count}" for kind, count in sorted(result.errors.items()))
    return f"{result.error_count} ({detail})"


def report(machine_facts: dict[str, Any], runs: list[DatabaseRun], tool: str) -> str:
    lines = [
        f"Askwell under load, {machine_facts['date']}, commit {machine_facts['commit']}: "
        f"{machine_facts['cores']} cores ({machine_facts['cpu']}), "
        f"{machine_facts['memory_gib']} GiB, Python {machine_facts['python']}, "
        f"SQLite {machine_facts['sqlite']}; load average at start "
        + ", ".join(str(v) for v in machine_facts["load_average_at_start"])
        + f". Client: {tool}.",
    ]
    for run in runs:
        lines += ["", f"### {run.version or run.name}", ""]
        if run.failure:
            lines.append(f"Not measured: {run.failure}")
            continue
        lines.append(
            f"Load average at start {', '.join(f'{v:.2f}' for v in run.load_average_at_start)}; "
            f"database prepared in {run.preparation_seconds} s; module page "
            f"{_number(run.module_page_bytes)} bytes, floor page {_number(run.floor_page_bytes)} "
            "bytes."
        )
        lines += [
            "",
            "| figure | req/s | p50 ms | p99 ms | errors | ÷ floor |",
            "|---|---:|---:|---:|---|---:|",
        ]
        floor = run.floor_rate
        for figure in run.figures:
            name = f"{figure.label} `{figure.target}`"
            if figure.result is None:
                lines.append(f"| {name} | – | – | – | failed: {figure.failure} | – |")
                continue
            result = figure.result
            ratio = result.requests_per_second / floor if floor else None
            lines.append(
                f"| {name} | {_number(result.requests_per_second, 1)} | "
                f"{_number(result.p50_ms, 1)} | {_number(result.p99_ms, 1)} | "
                f"{_errors(result)} | {_number(ratio, 2)} |"
            )
        lines.append("")
        for figure in run.figures:
            notes = [figure.note] if figure.note else []
            if figure.restarted:
                notes.append(
                    f"the server was still busy {figure.busy_after:.0f} s after time ran out "
                    "and was restarted before the next figure"
                )
            elif figure.busy_after >= 1:
                notes.append(
                    f"the server went on working {figure.busy_after:.0f} s after time ran out "
                    "(on requests the client had stopped counting)"
                )
            if notes:
                lines.append(f"- {figure.label}: {'; '.join(notes)}.")
        askwell = " + ".join(f"{size:.0f}" for size in run.askwell_rss_mb)
        floor_rss = " + ".join(f"{size:.0f}" for size in run.floor_rss_mb)
        lines.append(
            f"- Worker RSS after the run: Askwell {askwell} = {sum(run.askwell_rss_mb):.0f} MiB; "
            f"the floor {floor_rss} = {sum(run.floor_rss_mb):.0f} MiB."
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", choices=["sqlite", "postgresql", "both"], default="both")
    parser.add_argument("--duration", type=float, default=10.0, help="seconds per figure")
    parser.add_argument("--connections", type=int, default=64)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--storm-clients", type=int, default=50)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument(
        "--settle-limit",
        type=float,
        default=60.0,
        help="seconds to let Askwell finish a figure's requests before restarting it",
    )
    parser.add_argument("--postgresql-server", default=POSTGRESQL_SERVER)
    parser.add_argument(
        "--python-client", action="store_true", help="use the asyncio client even if wrk is here"
    )
    parser.add_argument("--json", type=Path, help="write the raw figures here")
    parser.add_argument(
        "--keep", type=Path, help="keep the databases and server logs in this folder"
    )
    arguments = parser.parse_args()

    facts = machine()
    bench_tool = (
        f"wrk -t{arguments.threads} -c{arguments.connections}"
        if wrk_available() and not arguments.python_client
        else f"Python asyncio client, {arguments.connections} connections "
        + ("(--python-client)" if arguments.python_client else "(wrk is not installed)")
    )
    names = ["sqlite", "postgresql"] if arguments.database == "both" else [arguments.database]
    runs: list[DatabaseRun] = []
    with tempfile.TemporaryDirectory(prefix="askwell-load-") as directory:
        work = arguments.keep or Path(directory)
        work.mkdir(parents=True, exist_ok=True)
        floor_database = work / "floor.db"
        floor_app.create_database(floor_database)
        bench = Bench(arguments, work, floor_database)
        for name in names:
            print(f"{name}:", file=sys.stderr, flush=True)
            database_url = f"sqlite:///{work / 'askwell.db'}"
            (work / "askwell.db").unlink(missing_ok=True)
            try:
                if name == "postgresql":
                    database_url = create_postgresql_database(
                        arguments.postgresql_server, f"askwell_load_{os.getpid()}"
                    )
                runs.append(bench.run(name, database_url))
            except Exception as error:  # noqa: BLE001 - the other database is still measured
                traceback.print_exc(file=sys.stderr)
                runs.append(DatabaseRun(name=name, failure=f"{type(error).__name__}: {error}"))
            finally:
                if name == "postgresql" and database_url.startswith("postgresql"):
                    try:
                        drop_postgresql_database(database_url)
                    except Exception:  # noqa: BLE001 - nothing to drop when creating it failed
                        traceback.print_exc(file=sys.stderr)
    print(report(facts, runs, bench_tool))
    if arguments.json:
        arguments.json.write_text(
            json.dumps(
                {
                    "machine": facts,
                    "client": bench_tool,
                    "settings": {
                        k: str(v) if isinstance(v, Path) else v for k, v in vars(arguments).items()
                    },
                    "runs": [run.as_dict() for run in runs],
                },
                indent=2,
            )
            + "\n"
        )


if __name__ == "__main__":
    main()

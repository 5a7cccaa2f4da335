"""The write storm of ``bench.load``: many signed-in practitioners saving at once.

Each client is a different practitioner with their own cookie and CSRF token. In turn they
mark a section read (the "Next" button of a section page) and submit a quiz (every question
answered), as fast as their answers come back. Afterwards the database is read directly to
check that every write Askwell acknowledged (2xx/3xx) is there.
"""

from __future__ import annotations

import asyncio
import re
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from urllib.parse import urlencode

from sqlalchemy import text

from app.core.db import make_engine
from bench.load_clients import (
    Account,
    Acknowledge,
    LoadResult,
    Plan,
    Request,
    Response,
    run_clients,
    sign_in,
)

ATTEMPT_LOCATION = re.compile(r"/modules/[^/]+/quiz/attempts/(\d+)")
FORM = "application/x-www-form-urlencoded"


@dataclass(frozen=True)
class WriteTargets:
    """Where the writes go: every (module, section) and every quiz with its answers."""

    sections: list[tuple[str, str]]
    quizzes: list[tuple[str, list[tuple[str, str]]]]


def section_request(account: Account, slug: str, section_id: str) -> Request:
    body = urlencode([("csrf_token", account.csrf_token), ("then", "next")]).encode()
    return Request(
        "POST",
        f"/modules/{slug}/sections/{section_id}/complete",
        {**account.headers, "Content-Type": FORM},
        body,
    )


def quiz_request(account: Account, slug: str, answers: list[tuple[str, str]]) -> Request:
    body = urlencode([("csrf_token", account.csrf_token), *answers]).encode()
    return Request("POST", f"/modules/{slug}/quiz", {**account.headers, "Content-Type": FORM}, body)


@dataclass
class Acknowledged:
    """The writes Askwell said yes to, by practitioner."""

    sections: set[tuple[str, str, str]] = field(default_factory=set)
    section_writes: int = 0
    attempts: dict[int, str] = field(default_factory=dict)
    attempts_without_id: int = 0


def sign_in_all(base_url: str, emails: list[str], password: str) -> list[Account]:
    """Sign everyone in, a few at a time (each sign-in checks an argon2id hash); the first
    failure stops the rest."""
    pool = ThreadPoolExecutor(max_workers=4)
    futures = [pool.submit(sign_in, base_url, email, password) for email in emails]
    try:
        return [future.result() for future in futures]
    finally:
        pool.shutdown(cancel_futures=True)


def _plan_for(account: Account, targets: WriteTargets, offset: int) -> Plan:
    """Section, quiz, section, quiz… each client starting at its own place in the lists."""

    def plan(number: int) -> Request:
        turn = number // 2 + offset
        if number % 2 == 0:
            slug, section_id = targets.sections[turn % len(targets.sections)]
            return section_request(account, slug, section_id)
        slug, answers = targets.quizzes[turn % len(targets.quizzes)]
        return quiz_request(account, slug, answers)

    return plan


def run_storm(
    base_url: str, accounts: list[Account], targets: WriteTargets, duration: float
) -> tuple[LoadResult, Acknowledged]:
    """All the accounts writing at once for ``duration`` seconds."""
    acknowledged = Acknowledged()
    plans: list[Plan] = []
    acknowledges: list[Acknowledge | None] = []
    for index, account in enumerate(accounts):

        def acknowledge(
            _number: int, request: Request, response: Response, email: str = account.email
        ) -> None:
            if request.path.endswith("/complete"):
                _, _, slug, _, section_id, _ = request.path.split("/")
                acknowledged.sections.add((email, slug, section_id))
                acknowledged.section_writes += 1
                return
            found = ATTEMPT_LOCATION.search(response.headers.get("location", ""))
            if found:
                acknowledged.attempts[int(found.group(1))] = email
            else:
                acknowledged.attempts_without_id += 1

        plans.append(_plan_for(account, targets, index * 7))
        acknowledges.append(acknowledge)
    host, port = base_url.removeprefix("http://").split(":")
    result = asyncio.run(run_clients(host, int(port), plans, duration, acknowledges))
    result.tool = f"asyncio clients ×{len(accounts)}, each its own account"
    return result, acknowledged


@dataclass(frozen=True)
class StormCheck:
    """What the database holds against what was acknowledged."""

    sections_acknowledged: int
    sections_missing: int
    attempts_acknowledged: int
    attempts_missing: int
    attempts_without_answers: int
    attempts_in_database: int

    @property
    def lost(self) -> int:
        return self.sections_missing + self.attempts_missing + self.attempts_without_answers

    def as_dict(self) -> dict[str, int]:
        return {
            "section_writes_acknowledged_distinct": self.sections_acknowledged,
            "section_rows_missing": self.sections_missing,
            "quiz_attempts_acknowledged": self.attempts_acknowledged,
            "quiz_attempts_missing": self.attempts_missing,
            "quiz_attempts_without_their_answers": self.attempts_without_answers,
            "quiz_attempts_in_database": self.attempts_in_database,
            "lost_writes": self.lost,
        }


def check_storm(database_url: str, emails: list[str], acknowledged: Acknowledged) -> StormCheck:
    """Read back every acknowledged write: a section row for each section marked read, an
    attempt (with its answers) for each quiz answered with the attempt's address."""
    engine = make_engine(database_url)
    try:
        with engine.connect() as connection:
            ids = dict(
                connection.execute(
                    text("SELECT email, id FROM users WHERE email LIKE 'storm-%@bench.test'")
                ).all()
            )
            by_id = {user_id: email for email, user_id in ids.items() if email in emails}
            sections = {
                (by_id[user_id], slug, section_id)
                for user_id, slug, section_id in connection.execute(
                    text("SELECT user_id, module_slug, section_id FROM section_progress")
                )
                if user_id in by_id
            }
            attempts = {
                attempt_id: (by_id[user_id], answers)
                for attempt_id, user_id, answers in connection.execute(
                    text(
                        "SELECT a.id, a.user_id, (SELECT count(*) FROM quiz_answers q "
                        "WHERE q.attempt_id = a.id) FROM quiz_attempts a"
                    )
                )
                if user_id in by_id
            }
    finally:
        engine.dispose()
    missing_attempts = [
        attempt_id
        for attempt_id, email in acknowledged.attempts.items()
        if attempts.get(attempt_id, ("", 0))[0] != email
    ]
    return StormCheck(
        sections_acknowledged=len(acknowledged.sections),
        sections_missing=len(acknowledged.sections - sections),
        attempts_acknowledged=len(acknowledged.attempts) + acknowledged.attempts_without_id,
        attempts_missing=len(missing_attempts) + acknowledged.attempts_without_id,
        attempts_without_answers=sum(
            1
            for attempt_id in acknowledged.attempts
            if attempt_id in attempts and attempts[attempt_id][1] == 0
        ),
        attempts_in_database=len(attempts),
    )


def count_rows(database_url: str, query: str, **parameters: object) -> int:
    engine = make_engine(database_url)
    try:
        with engine.connect() as connection:
            return int(connection.execute(text(query), parameters).scalar() or 0)
    finally:
        engine.dispose()

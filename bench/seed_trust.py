"""Seed a synthetic trust: 10,000 practitioners in 50 cohorts, 40 modules, 400,000 progress
rows and 200,000 quiz attempts (with their answers), using bulk inserts.

    python -m bench.seed_trust --database-url sqlite:////tmp/askwell-bench/trust.db

Everything is generated from a fixed random seed, so two runs build the same trust.
"""

from __future__ import annotations

import argparse
import random
import tempfile
import time
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, Table, text
from sqlalchemy.engine import make_url
from sqlmodel import SQLModel

import app.models  # noqa: F401 - registers every table
from app.auth.passwords import Passwords
from app.core.config import PasswordHashProfile
from app.core.db import make_engine, session_scope
from app.core.migrations import upgrade
from app.quizzes.service import rebuild_question_tallies
from bench.synthetic import OPTIONS, QUESTIONS_PER_MODULE, correct_option, write_modules

DEFAULT_DIRECTORY = Path(tempfile.gettempdir()) / "askwell-bench"
DEFAULT_DATABASE_URL = f"sqlite:///{DEFAULT_DIRECTORY / 'trust.db'}"
BENCH_PASSWORD = "bench-password-2026"  # noqa: S105 - a synthetic trust's shared password
BATCH = 20_000
NOW = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)


def trainer_email(cohort: int) -> str:
    return f"trainer{cohort:02d}@bench.askwell.test"


ADMIN_EMAIL = "admin@bench.askwell.test"


def _naive(moment: datetime) -> datetime:
    return moment.astimezone(UTC).replace(tzinfo=None)


def _insert(engine: Engine, table: Table, rows: Iterator[dict[str, Any]]) -> int:
    """Insert in batches of plain tuples: executemany, one transaction per batch."""
    count = 0
    batch: list[dict[str, Any]] = []
    with engine.begin() as connection:
        for row in rows:
            batch.append(row)
            if len(batch) >= BATCH:
                connection.execute(table.insert(), batch)
                count += len(batch)
                batch = []
        if batch:
            connection.execute(table.insert(), batch)
            count += len(batch)
    return count


def _fresh_schema(database_url: str) -> None:
    url = make_url(database_url)
    if url.get_backend_name() == "sqlite":
        path = Path(url.database or "")
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
    else:
        engine = make_engine(database_url)
        with engine.begin() as connection:
            connection.execute(text("DROP SCHEMA public CASCADE"))
            connection.execute(text("CREATE SCHEMA public"))
        engine.dispose()
    upgrade(database_url)


def seed(
    database_url: str,
    modules_dir: Path,
    *,
    practitioners: int = 10_000,
    cohorts: int = 50,
    modules: int = 40,
    progress_rows: int = 400_000,
    attempts: int = 200_000,
) -> dict[str, int]:
    rng = random.Random(2026)
    slugs = write_modules(modules_dir, modules)
    _fresh_schema(database_url)
    engine = make_engine(database_url)
    tables = SQLModel.metadata.tables
    password_hash = Passwords(PasswordHashProfile.standard).hash(BENCH_PASSWORD)
    created = _naive(NOW - timedelta(days=400))
    counts: dict[str, int] = {}

    # People: practitioners 1..N, then one trainer per cohort, then an admin.
    trainers_start = practitioners + 1
    admin_id = trainers_start + cohorts

    def users() -> Iterator[dict[str, Any]]:
        for user_id in range(1, practitioners + 1):
            yield {
                "id": user_id,
                "email": f"p{user_id:05d}@bench.askwell.test",
                "display_name": f"Practitioner {user_id:05d}",
                "password_hash": password_hash,
                "is_active": True,
                "created_at": created,
            }
        for cohort in range(1, cohorts + 1):
            yield {
                "id": trainers_start + cohort - 1,
                "email": trainer_email(cohort),
                "display_name": f"Trainer {cohort:02d}",
                "password_hash": password_hash,
                "is_active": True,
                "created_at": created,
            }
        yield {
            "id": admin_id,
            "email": ADMIN_EMAIL,
            "display_name": "Bench Admin",
            "password_hash": password_hash,
            "is_active": True,
            "created_at": created,
        }

    counts["users"] = _insert(engine, tables["users"], users())

    def roles() -> Iterator[dict[str, Any]]:
        for user_id in range(1, practitioners + 1):
            yield {"user_id": user_id, "role": "practitioner"}
        for cohort in range(cohorts):
            yield {"user_id": trainers_start + cohort, "role": "trainer"}
        yield {"user_id": admin_id, "role": "admin"}

    _insert(engine, tables["user_roles"], roles())
    _insert(
        engine,
        tables["cohorts"],
        (
            {
                "id": cohort,
                "name": f"Synthetic cohort {cohort:02d}",
                "created_by": trainers_start + cohort - 1,
                "created_at": created,
            }
            for cohort in range(1, cohorts + 1)
        ),
    )
    _insert(
        engine,
        tables["cohort_trainers"],
        (
            {"cohort_id": cohort, "user_id": trainers_start + cohort - 1}
            for cohort in range(1, cohorts + 1)
        ),
    )
    counts["cohort_members"] = _insert(
        engine,
        tables["cohort_members"],
        (
            {"cohort_id": (user_id - 1) % cohorts + 1, "user_id": user_id, "added_at": created}
            for user_id in range(1, practitioners + 1)
        ),
    )

    def assignments() -> Iterator[dict[str, Any]]:
        number = 0
        for cohort in range(1, cohorts + 1):
            for position, slug in enumerate(slugs):
                number += 1
                yield {
                    "id": number,
                    "cohort_id": cohort,
                    "module_slug": slug,
                    "due_date": date(2026, 6, 1)
                    + timedelta(days=(cohort * 7 + position * 5) % 300),
                    "recur_days": 365 if position % 4 == 0 else None,
                    "created_by": trainers_start + cohort - 1,
                    "created_at": created,
                }

    counts["assignments"] = _insert(engine, tables["assignments"], assignments())

    # Progress: each practitioner in (up to) every module; ~60% completed.
    ability = {user_id: rng.random() for user_id in range(1, practitioners + 1)}
    pairs = [(user_id, slug) for user_id in range(1, practitioners + 1) for slug in slugs]
    rng.shuffle(pairs)
    pairs = pairs[:progress_rows]
    completed_pairs: list[tuple[int, str, datetime]] = []

    def progress() -> Iterator[dict[str, Any]]:
        for number, (user_id, slug) in enumerate(pairs, start=1):
            started = NOW - timedelta(days=rng.uniform(0, 365))
            done = rng.random() < 0.4 + 0.4 * ability[user_id]
            completed = started + timedelta(minutes=rng.lognormvariate(3.2, 1.6)) if done else None
            if completed is not None and completed > NOW:
                completed = NOW
            if completed is not None:
                completed_pairs.append((user_id, slug, completed))
            yield {
                "id": number,
                "user_id": user_id,
                "module_slug": slug,
                "started_at": _naive(started),
                "last_activity_at": _naive(completed or started),
                "last_section_id": "how-to-ask",
                "completed_at": _naive(completed) if completed else None,
                "completed_version": 1 if completed else None,
                "best_score": rng.choice((75, 100)) if completed else None,
            }

    counts["module_progress"] = _insert(engine, tables["module_progress"], progress())

    # Quiz attempts and their answers: the ablest practitioners answer more questions right.
    module_number = {slug: number for number, slug in enumerate(slugs, start=1)}
    attempt_rows: list[dict[str, Any]] = []
    answer_rows: list[dict[str, Any]] = []

    def take_attempts() -> Iterator[tuple[dict[str, Any], list[dict[str, Any]]]]:
        attempt_id = 0
        source = completed_pairs or [(u, s, NOW) for u, s in pairs]
        while attempt_id < attempts:
            user_id, slug, when = source[attempt_id % len(source)]
            attempt_id += 1
            answers = []
            right_count = 0
            for question in range(1, QUESTIONS_PER_MODULE + 1):
                difficulty = 0.35 + 0.12 * ((module_number[slug] + question) % 5)
                right = rng.random() < min(0.97, difficulty + 0.5 * ability[user_id])
                answer = correct_option(module_number[slug], question)
                if not right:
                    wrong = [option for option in OPTIONS if option != answer]
                    answer = wrong[0] if rng.random() < 0.7 else wrong[1]
                right_count += right
                answers.append(
                    {
                        "attempt_id": attempt_id,
                        "module_slug": slug,
                        "question_id": f"q{question}",
                        "chosen": answer,
                        "correct": right,
                    }
                )
            score = round(100 * right_count / QUESTIONS_PER_MODULE)
            yield (
                {
                    "id": attempt_id,
                    "user_id": user_id,
                    "module_slug": slug,
                    "content_version": 1,
                    "score": score,
                    "passed": score >= 75,
                    "created_at": _naive(when - timedelta(minutes=attempt_id % 7)),
                },
                answers,
            )

    for attempt, answers in take_attempts():
        attempt_rows.append(attempt)
        answer_rows.extend(answers)
    counts["quiz_attempts"] = _insert(engine, tables["quiz_attempts"], iter(attempt_rows))
    counts["quiz_answers"] = _insert(engine, tables["quiz_answers"], iter(answer_rows))
    # Recording an attempt keeps first attempts and question tallies; bulk rows need them built.
    with session_scope(engine) as session:
        rebuild_question_tallies(session)

    with engine.begin() as connection:
        if engine.dialect.name == "postgresql":
            for table in ("users", "cohorts", "assignments", "module_progress", "quiz_attempts"):
                connection.execute(
                    text(
                        f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "  # noqa: S608
                        f"(SELECT MAX(id) FROM {table}))"
                    )
                )
        if engine.dialect.name == "sqlite":
            connection.execute(text("ANALYZE"))
    if engine.dialect.name == "postgresql":
        # Fresh statistics, and a visibility map so covering indexes answer on their own.
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.execute(text("VACUUM ANALYZE"))
    engine.dispose()
    return counts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default=DEFAULT_DATABASE_URL)
    parser.add_argument("--modules-dir", type=Path, default=DEFAULT_DIRECTORY / "modules")
    parser.add_argument("--practitioners", type=int, default=10_000)
    parser.add_argument("--cohorts", type=int, default=50)
    parser.add_argument("--modules", type=int, default=40)
    parser.add_argument("--progress-rows", type=int, default=400_000)
    parser.add_argument("--attempts", type=int, default=200_000)
    arguments = parser.parse_args()
    started = time.perf_counter()
    counts = seed(
        arguments.database_url,
        arguments.modules_dir,
        practitioners=arguments.practitioners,
        cohorts=arguments.cohorts,
        modules=arguments.modules,
        progress_rows=arguments.progress_rows,
        attempts=arguments.attempts,
    )
    elapsed = time.perf_counter() - started
    print(", ".join(f"{table}: {number:,}" for table, number in counts.items()))
    print(f"Seeded {make_url(arguments.database_url).get_backend_name()} in {elapsed:.1f} s")


if __name__ == "__main__":
    main()

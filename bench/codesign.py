"""How long co-design's hot paths take: the personal-detail detector on a full scenario, and a
module page carrying many published scenarios. Run: .venv/bin/python bench/codesign.py"""

from __future__ import annotations

import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from fastapi.testclient import TestClient

from app.auth.passwords import Passwords
from app.core.config import PROJECT_ROOT, PasswordHashProfile, Settings
from app.core.db import session_scope
from app.core.migrations import upgrade
from app.main import create_app
from app.models.contributions import Scenario, ScenarioStatus, ScenarioTopic
from app.models.users import Role
from app.scenarios import service as scenarios
from app.scenarios.personal_details import find_personal_details
from app.scenarios.service import ScenarioForm

SENTENCE = (
    "Sarah messaged me on 07700 900123 after I posted on Instagram, and my nurse asked "
    "whether it made me feel worse. "
)
PUBLISHED = 50
BENCH_PASSWORD = "a-long-enough-password"  # noqa: S105 - a throwaway bench account


def timed(label: str, action: Callable[[], object], repeats: int = 20) -> None:
    action()
    samples = []
    for _ in range(repeats):
        start = time.perf_counter()
        action()
        samples.append((time.perf_counter() - start) * 1000)
    print(f"{label}: median {statistics.median(samples):.1f} ms, max {max(samples):.1f} ms")


def main() -> None:
    text = (SENTENCE * 200)[:10_000]
    timed("detector, 10,000 characters (a full scenario)", lambda: find_personal_details(text))
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{Path(folder) / 'bench.db'}"
        upgrade(url)
        settings = Settings(
            database_url=url,
            modules_dir=PROJECT_ROOT / "modules",
            password_hash_profile=PasswordHashProfile.fast,
        )
        app = create_app(settings)
        passwords = Passwords(PasswordHashProfile.fast)
        with session_scope(app.state.engine) as session:
            from app.auth import service as auth

            author = auth.create_user(
                session,
                passwords,
                email="yp@example.org",
                password=BENCH_PASSWORD,
                display_name="YP",
                roles=[Role.codesigner],
                age_band="18-24",
            )
            auth.create_user(
                session,
                passwords,
                email="p@example.org",
                password=BENCH_PASSWORD,
                display_name="P",
                roles=[Role.practitioner],
            )
            assert author.id is not None
            for number in range(PUBLISHED):
                scenario = Scenario(
                    author_id=author.id,
                    status=ScenarioStatus.published.value,
                    title=f"Scenario {number}",
                    consent_to_quote=True,
                    published_title=f"Scenario {number}",
                    published_text="A published text. " * 40,
                )
                session.add(scenario)
                session.flush()
                session.add(ScenarioTopic(scenario_id=scenario.id or 0, topic="asking"))
            timed(
                "form warnings, every field full",
                lambda: scenarios.form_warnings(
                    app.state.content,
                    ScenarioForm(
                        what_happened=text[:3000],
                        what_was_said=text[:3000],
                        how_it_felt=text[:2000],
                        what_would_help=text[:2000],
                    ),
                ),
            )
        with TestClient(app) as client:
            client.post(
                "/api/v1/auth/login",
                json={"email": "p@example.org", "password": BENCH_PASSWORD},
            )
            page = client.get("/modules/how-to-ask")
            assert (
                page.status_code == 200 and page.text.count("askwell-young-scenario") == PUBLISHED
            )
            timed(
                f"module page with {PUBLISHED} published scenarios (SQLite)",
                lambda: client.get("/modules/how-to-ask"),
            )


if __name__ == "__main__":
    main()

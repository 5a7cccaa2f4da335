"""A withdrawn scenario's words are gone from the database file, not only from search."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url

from tests.scenarios.conftest import send

# Words the stemmer leaves as they are, so the index would hold them letter for letter.
WORDS = ("quokkazanzibar", "plinthvortex")


@pytest.fixture
def sqlite_file(request: pytest.FixtureRequest, database_url: str) -> Path:
    if request.config.getoption("--db") != "sqlite":
        pytest.skip("PostgreSQL's erasure is VACUUM's work: see README, 'Erasure on disk'")
    return Path(make_url(database_url).database or "")


def file_bytes_after_checkpoint(app, path: Path) -> bytes:
    """Everything in the write-ahead log moved into the file, and the log emptied."""
    with app.state.engine.connect() as connection:
        busy, _, _ = connection.execute(text("PRAGMA wal_checkpoint(TRUNCATE)")).one()
    assert busy == 0, "a reader kept the checkpoint from finishing"
    wal = path.with_name(path.name + "-wal")
    return path.read_bytes() + (wal.read_bytes() if wal.exists() else b"")


@pytest.mark.commits  # reads the database file itself
def test_withdrawn_words_are_nowhere_in_the_database_file(app, young, reviewer, sqlite_file):
    story = f"I was on {WORDS[0]} every night and then {WORDS[1]} messaged me."
    scenario_id = send(young, what_happened=story)["id"]
    assert reviewer.post(f"/api/v1/review/scenarios/{scenario_id}/claim").status_code == 200
    decision = reviewer.post(
        f"/api/v1/review/scenarios/{scenario_id}/decision",
        json={
            "decision": "accept",
            "note": "Thank you.",
            "published_title": "Up every night",
            "published_text": story,
        },
    )
    assert decision.status_code == 200, decision.text
    assert reviewer.post(f"/api/v1/review/scenarios/{scenario_id}/publish").status_code == 200
    found = young.get("/api/v1/search", params={"q": WORDS[0]})
    assert found.status_code == 200 and found.json()["results"], found.text
    before = file_bytes_after_checkpoint(app, sqlite_file)
    assert all(word.encode() in before for word in WORDS)

    assert young.post(f"/api/v1/scenarios/{scenario_id}/withdraw").status_code == 200

    assert not young.get("/api/v1/search", params={"q": WORDS[0]}).json()["results"]
    after = file_bytes_after_checkpoint(app, sqlite_file)
    for word in WORDS:
        assert word.encode() not in after, word

"""The home page tells a young person what waits on them, and a trainer what must not wait."""

from __future__ import annotations

from tests.scenarios.conftest import publish, send


def test_a_young_person_sees_where_their_scenarios_are_and_what_needs_them(young, reviewer):
    assert "Your scenarios:" not in young.get("/").text
    publish(young, reviewer)
    waiting = send(young, title="Told to log off")["id"]
    reviewer.post(f"/api/v1/review/scenarios/{waiting}/claim")
    reviewer.post(
        f"/api/v1/review/scenarios/{waiting}/decision",
        json={"decision": "request_changes", "note": "Could you say which app?"},
    )
    send(young, title="Still waiting")
    home = young.get("/").text
    assert "Welcome, Young Person" in home and "<h1>Your learning</h1>" not in home
    assert ">Home</a>" in home
    assert "Waiting for you" in home
    assert f'suggested changes to <a href="/scenarios/{waiting}"><bdi>Told to log off</bdi>' in home
    assert "1 sent – waiting for review, 1 changes suggested, 1 published" in home


def test_a_trainer_sees_open_safeguarding_flags_first(young, reviewer):
    home = reviewer.get("/").text
    assert "open safeguarding record" not in home and "0 scenarios waiting for review" in home
    send(young, how_it_felt="I want to hurt myself")
    send(young)
    home = reviewer.get("/").text
    assert "1 open safeguarding record" in home
    assert home.index("Safeguarding") < home.index("Co-design")
    assert 'href="/safeguarding/' in home
    assert "2 scenarios waiting for review" in home

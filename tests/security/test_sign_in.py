"""Sign-in under attack: rate limits that look-alike addresses and forged forwarded headers
cannot escape, sessions that rotate and expire, and no hint of who has an account."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from datetime import timedelta
from typing import Any

import pytest
import time_machine
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlmodel import select

from app.auth.service import SESSION_COOKIE
from app.models.auth import LoginAttempt
from app.models.users import Role
from tests.conftest import Account, api_login, client_with_cookie, make_settings

LOGIN = "/api/v1/auth/login"
WRONG = "not-the-password"  # noqa: S105 - a wrong guess, for the tests
A_MOMENT = "2026-11-26 09:00:00Z"

LOOK_ALIKES = [
    "prac2@ａｕｄｉｔ.test",  # full-width letters in the domain
    "PRAC2@AUDIT.TEST",
    "  prac2@Audit.Test  ",
    "prac2@ＡＵＤＩＴ.ＴＥＳＴ",
    "Prac2@audit.test",
    "prac2@ａudit.test",
    "prac2@aｕdit.test",
    "prac2@auｄit.test",
    "prac2@audｉt.test",
    "prac2@audiｔ.test",
    "prac2@audit.ｔest",
]


def client_at(app: FastAPI, address: str, **headers: str) -> TestClient:
    """A browser connecting from one address, so per-client budgets can be told apart."""
    return TestClient(app, client=(address, 50000), headers=headers)


@pytest.fixture
def prac2(make_user: Callable[..., Account]) -> Account:
    return make_user(Role.practitioner, email="prac2@audit.test")


# --- Per account ---------------------------------------------------------------------------


def test_look_alike_spellings_of_an_address_share_one_budget(app, prac2, settings):
    limit = settings.login_attempts_per_minute
    with time_machine.travel(A_MOMENT, tick=False):
        # Each guess from a different address, so only the account's budget can stop them.
        for number, spelling in enumerate(LOOK_ALIKES[:limit]):
            with client_at(app, f"198.51.100.{number + 1}") as guesser:
                response = guesser.post(LOGIN, json={"email": spelling, "password": WRONG})
                assert response.status_code == 401, spelling
        with client_at(app, "198.51.100.200") as guesser:
            blocked = guesser.post(
                LOGIN, json={"email": LOOK_ALIKES[limit], "password": prac2.password}
            )
    assert blocked.status_code == 429
    assert "wait a minute" in blocked.json()["detail"]


def test_the_sign_in_page_counts_look_alike_spellings_together(app, prac2, settings):
    limit = settings.login_attempts_per_minute
    with time_machine.travel(A_MOMENT, tick=False):
        for number, spelling in enumerate(LOOK_ALIKES[:limit]):
            with client_at(app, f"198.51.100.{number + 1}") as guesser:
                assert sign_in_page(guesser, spelling, WRONG).status_code == 400
        with client_at(app, "198.51.100.200") as guesser:
            blocked = sign_in_page(guesser, LOOK_ALIKES[limit], prac2.password)
    assert blocked.status_code == 429
    assert "Too many sign-in attempts" in blocked.text
    assert SESSION_COOKIE not in blocked.cookies


def test_wrong_current_passwords_and_sign_ins_share_the_accounts_budget(app, prac2, settings):
    """Guessing through the change-password form and through sign-in is one budget."""
    limit = settings.login_attempts_per_minute
    with time_machine.travel(A_MOMENT, tick=False), client_at(app, "192.0.2.10") as owner:
        api_login(owner, prac2)  # one attempt, from the owner's own address
        for number, spelling in enumerate(LOOK_ALIKES[: limit - 1]):
            with client_at(app, f"198.51.100.{number + 1}") as guesser:
                guesser.post(LOGIN, json={"email": spelling, "password": WRONG})
        change = owner.put(
            "/api/v1/me/password",
            json={"current_password": prac2.password, "new_password": "a-brand-new-passphrase"},
        )
    assert change.status_code == 429


def test_unknown_addresses_are_counted_by_their_normalised_form(app, rows, settings):
    limit = settings.login_attempts_per_minute
    with time_machine.travel(A_MOMENT, tick=False):
        for number in range(limit):
            with client_at(app, f"198.51.100.{number + 1}") as guesser:
                guesser.post(LOGIN, json={"email": LOOK_ALIKES[number], "password": WRONG})
        with client_at(app, "198.51.100.200") as guesser:
            blocked = guesser.post(LOGIN, json={"email": "PRAC2@audit.test", "password": WRONG})
    assert blocked.status_code == 429
    assert set(rows(select(LoginAttempt.email))) == {"prac2@audit.test"}


@pytest.mark.commits  # requests at the same instant, each on its own connection
def test_guesses_sent_all_at_once_cannot_pass_the_limit_together(app, prac2, settings):
    """Each attempt is counted before its password is checked, one at a time per account."""
    limit = settings.login_attempts_per_minute
    guessers = limit * 2
    everyone_ready = threading.Barrier(guessers)
    statuses: list[int] = []

    def guess(number: int) -> None:
        with client_at(app, f"198.51.100.{number + 1}") as guesser:
            everyone_ready.wait(timeout=30)
            response = guesser.post(LOGIN, json={"email": prac2.email, "password": WRONG})
            statuses.append(response.status_code)

    with time_machine.travel(A_MOMENT, tick=False):
        threads = [threading.Thread(target=guess, args=(n,)) for n in range(guessers)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
    assert sorted(statuses) == [401] * limit + [429] * limit


def test_trusted_proxies_are_read_from_the_environment(monkeypatch, database_url):
    monkeypatch.setenv("ASKWELL_TRUSTED_PROXIES", "10.0.0.0/8, 192.0.2.1 ,fd00::/8")
    assert [str(network) for network in make_settings(database_url).trusted_proxies] == [
        "10.0.0.0/8",
        "192.0.2.1/32",
        "fd00::/8",
    ]
    monkeypatch.setenv("ASKWELL_TRUSTED_PROXIES", "")
    assert make_settings(database_url).trusted_proxies == []


# --- Per client, and forwarded headers ------------------------------------------------------


def guess_from_many_forwarded_addresses(client: TestClient, times: int) -> list[int]:
    """Wrong guesses at different accounts, each claiming a different forwarded address."""
    statuses = []
    for number in range(times):
        response = client.post(
            LOGIN,
            json={"email": f"guess{number}@askwell.test", "password": WRONG},
            headers={"X-Forwarded-For": f"203.0.113.{number + 1}"},
        )
        statuses.append(response.status_code)
    return statuses


def test_forwarded_for_from_an_untrusted_client_does_not_buy_a_fresh_budget(app, settings):
    limit = settings.login_attempts_per_minute
    with time_machine.travel(A_MOMENT, tick=False), client_at(app, "192.0.2.66") as attacker:
        statuses = guess_from_many_forwarded_addresses(attacker, limit + 2)
    assert statuses[:limit] == [401] * limit
    assert statuses[limit:] == [429, 429]


@pytest.fixture
def behind_proxy(database_url: str, start_app: Callable[..., FastAPI]) -> Iterator[FastAPI]:
    """Askwell configured to believe a reverse proxy on a private network."""
    yield start_app(make_settings(database_url, trusted_proxies="10.0.0.0/8, 192.0.2.1"))


def test_forwarded_for_from_a_trusted_proxy_names_the_client(behind_proxy, settings):
    """Behind a trusted proxy each real client has its own budget, and a client's own
    forwarded header (passed on by the proxy) cannot choose a fresh one."""
    limit = settings.login_attempts_per_minute
    with time_machine.travel(A_MOMENT, tick=False), client_at(behind_proxy, "10.1.2.3") as proxy:
        assert guess_from_many_forwarded_addresses(proxy, limit + 2) == [401] * (limit + 2)
        # Client 203.0.113.99 claims other addresses; the proxy appends the real one.
        for number in range(limit):
            proxy.post(
                LOGIN,
                json={"email": f"again{number}@askwell.test", "password": WRONG},
                headers={"X-Forwarded-For": f"198.51.100.{number}, 203.0.113.99"},
            )
        blocked = proxy.post(
            LOGIN,
            json={"email": "last@askwell.test", "password": WRONG},
            headers={"X-Forwarded-For": "198.51.100.250, 203.0.113.99"},
        )
    assert blocked.status_code == 429


def test_a_single_trusted_address_is_believed_too(behind_proxy, settings):
    limit = settings.login_attempts_per_minute
    with time_machine.travel(A_MOMENT, tick=False), client_at(behind_proxy, "192.0.2.1") as proxy:
        assert guess_from_many_forwarded_addresses(proxy, limit + 1) == [401] * (limit + 1)


def test_forwarded_proto_is_believed_only_from_a_trusted_proxy(app, behind_proxy):
    """HSTS is sent only over HTTPS; a client cannot claim HTTPS for itself."""
    https = {"X-Forwarded-Proto": "https"}
    with client_at(app, "192.0.2.66", **https) as direct:
        assert "strict-transport-security" not in direct.get("/sign-in").headers
    with client_at(behind_proxy, "192.0.2.66", **https) as untrusted:
        assert "strict-transport-security" not in untrusted.get("/sign-in").headers
    with client_at(behind_proxy, "10.9.9.9", **https) as proxy:
        assert "strict-transport-security" in proxy.get("/sign-in").headers


def test_trusted_proxies_must_be_addresses_or_ranges(database_url):
    with pytest.raises(ValueError, match="trusted_proxies"):
        make_settings(database_url, trusted_proxies="*")


def test_serve_leaves_forwarded_headers_to_the_app(monkeypatch):
    """uvicorn would otherwise believe 127.0.0.1 (or FORWARDED_ALLOW_IPS) behind the app's back."""
    import uvicorn
    from typer.testing import CliRunner

    import app.core.migrations
    from app.cli import cli

    seen: dict[str, Any] = {}
    monkeypatch.setattr(uvicorn, "run", lambda *_args, **kwargs: seen.update(kwargs))
    monkeypatch.setattr(app.core.migrations, "pending_revisions", lambda _engine: [])
    result = CliRunner().invoke(cli, ["serve"])
    assert result.exit_code == 0, result.output
    assert seen["proxy_headers"] is False
    assert "forwarded_allow_ips" not in seen


# --- Sessions -------------------------------------------------------------------------------


def sign_in_page(client: TestClient, email: str, password: str) -> Any:
    """Sign in through the page, as a browser does: the form's token, then the post."""
    page = client.get("/sign-in")
    token = page.text.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]
    return client.post(
        "/sign-in",
        data={"email": email, "password": password, "csrf_token": token, "next": "/"},
        follow_redirects=False,
    )


def test_signing_in_replaces_a_planted_session_id(app, make_user):
    victim = make_user(Role.practitioner)
    attacker = make_user(Role.practitioner)
    with TestClient(app) as attackers_browser:
        api_login(attackers_browser, attacker)
        planted = attackers_browser.cookies.get(SESSION_COOKIE)
    with client_with_cookie(app, SESSION_COOKIE, planted) as victims_browser:
        response = sign_in_page(victims_browser, victim.email, victim.password)
        assert response.status_code == 303
        fresh = response.cookies.get(SESSION_COOKIE)
        assert fresh and fresh != planted
        assert victims_browser.get("/api/v1/me").json()["email"] == victim.email
    with client_with_cookie(app, SESSION_COOKIE, planted) as replay:
        assert replay.get("/api/v1/me").status_code == 401


def test_an_idle_session_ends(client, make_user, settings):
    account = make_user(Role.practitioner)
    with time_machine.travel(A_MOMENT, tick=False) as clock:
        api_login(client, account)
        clock.shift(timedelta(minutes=settings.session_idle_minutes - 1))
        assert client.get("/api/v1/me").status_code == 200
        clock.shift(timedelta(minutes=settings.session_idle_minutes - 1))
        assert client.get("/api/v1/me").status_code == 200  # each visit keeps it alive
        clock.shift(timedelta(minutes=settings.session_idle_minutes + 1))
        assert client.get("/api/v1/me").status_code == 401


def test_a_busy_session_still_ends_at_the_absolute_limit(client, make_user, settings):
    account = make_user(Role.practitioner)
    with time_machine.travel(A_MOMENT, tick=False) as clock:
        api_login(client, account)
        # Kept busy by a visit every half hour, right up to the limit.
        for _ in range(settings.session_absolute_hours * 2 - 1):
            clock.shift(timedelta(minutes=30))
            assert client.get("/api/v1/me").status_code == 200
        clock.shift(timedelta(minutes=31))
        assert client.get("/api/v1/me").status_code == 401
        assert client.get("/account/password", follow_redirects=False).status_code == 303


# --- Nothing reveals who has an account -----------------------------------------------------


@pytest.fixture
def counted_verifications(app: FastAPI, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every argon2 verification sign-in makes, by the hash it checked against."""
    hasher_class = type(app.state.passwords._hasher)
    real_verify = hasher_class.verify
    seen: list[str] = []

    def counting_verify(self: Any, password_hash: str, password: str) -> bool:
        seen.append(password_hash)
        return real_verify(self, password_hash, password)

    monkeypatch.setattr(hasher_class, "verify", counting_verify)
    return seen


def test_an_unknown_address_costs_the_same_hash_check_as_a_wrong_password(
    app, client, make_user, counted_verifications
):
    account = make_user(Role.practitioner)
    decoy = app.state.passwords._decoy_hash
    client.post(LOGIN, json={"email": "nobody@askwell.test", "password": WRONG})
    assert counted_verifications == [decoy]
    client.post(LOGIN, json={"email": "not an address", "password": WRONG})
    assert counted_verifications == [decoy, decoy]
    client.post(LOGIN, json={"email": account.email, "password": WRONG})
    assert len(counted_verifications) == 3
    assert counted_verifications[2] == account.user.password_hash


# --- Signing in never holds up other people's writes ----------------------------------------


@pytest.mark.commits  # requests at the same instant, each on its own connection
def test_a_password_being_checked_does_not_block_another_users_write(app, make_user, monkeypatch):
    """While a wrong password is being verified, a signed-in user can still save."""
    writer = make_user(Role.practitioner)
    with TestClient(app) as writers_browser:
        api_login(writers_browser, writer)
        checking, finish = threading.Event(), threading.Event()
        real_verify = app.state.passwords.verify

        def slow_verify(password_hash: str | None, password: str) -> bool:
            checking.set()
            finish.wait(timeout=30)
            return real_verify(password_hash, password)

        monkeypatch.setattr(app.state.passwords, "verify", slow_verify)
        answers: list[int] = []

        def guess() -> None:
            with client_at(app, "198.51.100.7") as guesser:
                answers.append(
                    guesser.post(
                        LOGIN, json={"email": "nobody@askwell.test", "password": WRONG}
                    ).status_code
                )

        guesser_thread = threading.Thread(target=guess)
        guesser_thread.start()
        try:
            assert checking.wait(timeout=30)
            saved = writers_browser.put(
                "/api/v1/me", json={"display_name": "Renamed while someone signs in"}
            )
        finally:
            finish.set()
            guesser_thread.join(timeout=30)
        assert saved.status_code == 200
        assert saved.json()["display_name"] == "Renamed while someone signs in"
        assert answers == [401]


@pytest.mark.commits  # requests at the same instant, each on its own connection
def test_a_current_password_being_checked_does_not_block_another_users_write(
    app, make_user, monkeypatch
):
    """The change-password form checks the current password before it writes anything."""
    writer, changer = make_user(Role.practitioner), make_user(Role.practitioner)
    with TestClient(app) as writers_browser, client_at(app, "198.51.100.8") as changers_browser:
        api_login(writers_browser, writer)
        api_login(changers_browser, changer)
        checking, finish = threading.Event(), threading.Event()
        real_verify = app.state.passwords.verify

        def slow_verify(password_hash: str | None, password: str) -> bool:
            checking.set()
            finish.wait(timeout=30)
            return real_verify(password_hash, password)

        monkeypatch.setattr(app.state.passwords, "verify", slow_verify)
        answers: list[int] = []

        def change() -> None:
            answers.append(
                changers_browser.put(
                    "/api/v1/me/password",
                    json={"current_password": WRONG, "new_password": "a-brand-new-passphrase"},
                ).status_code
            )

        changer_thread = threading.Thread(target=change)
        changer_thread.start()
        try:
            assert checking.wait(timeout=30)
            saved = writers_browser.put("/api/v1/me", json={"display_name": "Saved meanwhile"})
        finally:
            finish.set()
            changer_thread.join(timeout=30)
        assert saved.status_code == 200
        assert answers == [422]

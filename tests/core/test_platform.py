"""What every response promises: headers, errors without tracebacks, health, static caching."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from app.core.config import InsecureSettingsError, Settings
from app.main import create_app
from tests.conftest import make_settings


def test_security_headers_on_every_response(client):
    for path in ("/", "/sign-in", "/healthz", "/api/v1/me"):
        headers = client.get(path).headers
        csp = headers["content-security-policy"]
        assert "script-src 'self'" in csp and "unsafe-inline" not in csp
        assert "frame-ancestors 'none'" in csp
        assert headers["x-content-type-options"] == "nosniff"
        assert headers["referrer-policy"] == "same-origin"
        assert headers["cache-control"] == "no-store"


def test_browsers_are_told_to_keep_to_https_once_they_arrive_over_it(app):
    with TestClient(app, base_url="https://askwell.example") as secure:
        assert secure.get("/sign-in").headers["strict-transport-security"] == "max-age=31536000"
    with TestClient(app, base_url="http://testserver") as plain:
        assert "strict-transport-security" not in plain.get("/sign-in").headers


def test_head_answers_like_get_without_a_body(client):
    for path in ("/healthz", "/sign-in", "/whats-new.atom"):
        got = client.get(path)
        head = client.head(path)
        assert head.status_code == got.status_code == 200
        assert head.content == b""
        assert head.headers["content-type"] == got.headers["content-type"]
        assert head.headers["content-security-policy"] == got.headers["content-security-policy"]
    assert client.head("/no-such-page").status_code == 404


def test_signed_in_pages_are_never_stored(practitioner_client):
    response = practitioner_client.get("/modules/asking-basics")
    assert response.headers["cache-control"] == "no-store"


def test_static_files_are_fingerprinted_and_cached_for_a_year(client):
    html = client.get("/sign-in").text
    match = re.search(r'href="(/static/dist/askwell\.css\?v=[0-9a-f]{12})"', html)
    assert match, "the stylesheet link is not fingerprinted"
    response = client.get(match.group(1), headers={"accept-encoding": "gzip"})
    assert response.status_code == 200
    assert response.headers["cache-control"] == "public, max-age=31536000, immutable"
    assert response.headers["content-encoding"] == "gzip"


def test_pages_are_compressed(client):
    response = client.get("/sign-in", headers={"accept-encoding": "gzip"})
    assert response.headers.get("content-encoding") == "gzip"


def test_healthz_answers_when_the_database_does(client):
    assert client.get("/healthz").json() == {"status": "ok"}


def test_healthz_is_503_when_the_database_is_gone():
    broken = create_app(make_settings("postgresql+psycopg://askwell@127.0.0.1:9/unreachable"))
    with TestClient(broken) as client:
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {
        "status": "unavailable",
        "reason": "Askwell cannot reach its database",
    }
    assert response.headers["Retry-After"] == "5"


def test_unexpected_errors_show_a_generic_page_and_json(settings, practitioner_client, start_app):
    # An app of its own: routes added here must not reach the shared app other tests read.
    app = start_app(settings)

    @app.get("/api/v1/_boom", include_in_schema=False)
    def boom_api() -> None:
        raise RuntimeError("secret internals")

    @app.get("/_boom", include_in_schema=False)
    def boom_page() -> None:
        raise RuntimeError("secret internals")

    with TestClient(app, raise_server_exceptions=False) as client:
        client.cookies = practitioner_client.cookies
        api = client.get("/api/v1/_boom")
        page = client.get("/_boom")
    assert api.status_code == 500 and "secret internals" not in api.text
    assert set(api.json()) == {"detail"}
    assert (
        page.status_code == 500
        and "secret internals" not in page.text
        and "Traceback" not in page.text
    )
    assert "Sorry, there is a problem with Askwell" in page.text


def test_openapi_is_served_outside_production(client):
    assert client.get("/api/openapi.json").status_code == 200


def test_production_refuses_a_default_or_short_secret_key():
    with pytest.raises(InsecureSettingsError):
        Settings(env="production")
    with pytest.raises(InsecureSettingsError):
        Settings(env="production", secret_key="short")
    assert (
        Settings(
            env="production", secret_key="k" * 48, base_url="https://askwell.example.org"
        ).secure_cookies
        is True
    )


def test_production_hides_the_api_docs_and_sets_secure_cookies(database_url, make_user, start_app):
    settings = make_settings(
        database_url,
        env="production",
        secret_key="k" * 48,
        password_hash_profile="standard",
        base_url="https://testserver",
    )
    production = start_app(settings)
    account = make_user()
    with TestClient(production, base_url="https://testserver") as client:
        assert client.get("/api/openapi.json").status_code == 404
        response = client.post(
            "/api/v1/auth/login", json={"email": account.email, "password": account.password}
        )
        assert "Secure" in response.headers["set-cookie"]

"""Links Askwell hands out start with its configured address, never with a forged Host."""

from __future__ import annotations

import io
import re

import pytest
from fastapi.testclient import TestClient
from pypdf import PdfReader

from app.core.config import InsecureSettingsError, Settings
from app.models.users import Role
from tests.certificates.conftest import complete_module
from tests.cohorts.conftest import create_cohort
from tests.conftest import api_login, make_settings

SITE = "https://askwell.example.org"
FORGED = "attacker.example"


@pytest.fixture
def configured_app(database_url, start_app):
    return start_app(make_settings(database_url, base_url=SITE + "/"))


def forged_client(app) -> TestClient:
    """A browser whose requests all claim to be for the attacker's host."""
    return TestClient(app, base_url=f"http://{FORGED}")


def test_an_invitation_link_ignores_a_forged_host(configured_app, make_user):
    trainer = make_user(Role.trainer)
    with forged_client(configured_app) as client:
        api_login(client, trainer)
        cohort = create_cohort(client)
        invited = client.post(
            f"/api/v1/cohorts/{cohort}/invitations", json={"email": "new@askwell.test"}
        )
        assert invited.status_code == 201, invited.text
        page = client.get(f"/cohorts/{cohort}").text
    assert invited.json()["url"].startswith(SITE + "/")
    assert FORGED not in page


def test_a_password_reset_link_ignores_a_forged_host(configured_app, make_user):
    admin = make_user(Role.admin)
    someone = make_user(Role.practitioner)
    with forged_client(configured_app) as client:
        api_login(client, admin)
        reset = client.post(f"/api/v1/admin/users/{someone.id}/password-reset")
    assert reset.status_code == 201, reset.text
    assert reset.json()["url"].startswith(SITE + "/password-reset/")


def test_a_certificates_check_link_ignores_a_forged_host(configured_app, make_user):
    person = make_user(Role.practitioner)
    with forged_client(configured_app) as client:
        api_login(client, person)
        complete_module(client)
        listing = client.get("/certificates").text
        link = re.search(r'href="(/certificates/\d+\.pdf)"', listing).group(1)
        pdf = client.get(link)
        feed = client.get("/whats-new.atom").text
    text = PdfReader(io.BytesIO(pdf.content)).pages[0].extract_text()
    assert f"{SITE}/verify/" in text
    assert FORGED not in text
    assert FORGED not in feed and SITE in feed


def test_production_needs_a_base_url():
    with pytest.raises(InsecureSettingsError, match="ASKWELL_BASE_URL"):
        Settings(env="production", secret_key="k" * 48)
    with pytest.raises(ValueError, match="ASKWELL_BASE_URL"):
        Settings(base_url="askwell.example.org")


def test_production_refuses_a_host_it_does_not_serve(database_url, start_app):
    settings = make_settings(
        database_url,
        env="production",
        secret_key="k" * 48,
        password_hash_profile="standard",
        base_url=SITE,
        allowed_hosts="10.0.0.7, health.internal",
    )
    production = start_app(settings)
    with TestClient(production, base_url=f"https://{FORGED}") as client:
        refused = client.get("/sign-in")
    assert refused.status_code == 400
    for host in ("askwell.example.org", "10.0.0.7", "health.internal"):
        with TestClient(production, base_url=f"https://{host}") as client:
            assert client.get("/sign-in").status_code == 200, host

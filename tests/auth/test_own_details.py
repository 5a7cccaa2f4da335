"""Everyone can put their own name right; a young co-designer can move up an age band."""

from __future__ import annotations

from sqlmodel import select

from app.models.users import Role, User
from tests.auth.test_pages_and_csrf import form_token


def test_a_practitioner_corrects_their_name_for_their_certificates(practitioner_client, rows):
    page = practitioner_client.get("/account")
    assert page.status_code == 200 and "Your age" not in page.text
    saved = practitioner_client.post(
        "/account",
        data={"csrf_token": form_token(page.text), "display_name": "  Dr Aisha Rahman "},
        follow_redirects=True,
    )
    assert "Your details are saved." in saved.text
    assert rows(select(User.display_name)) == ["Dr Aisha Rahman"]
    assert practitioner_client.get("/api/v1/me").json()["display_name"] == "Dr Aisha Rahman"


def test_a_young_person_moves_to_18_24_and_bad_input_is_kept_and_explained(client, make_user, rows):
    from tests.conftest import api_login

    young = make_user(Role.codesigner)
    api_login(client, young)
    young_band = rows(select(User.age_band).where(User.id == young.id))
    assert young_band == ["18-24"]
    client.put("/api/v1/me", json={"display_name": "Sam", "age_band": "16-17"})
    page = client.get("/account")
    assert 'value="16-17" checked' in page.text
    refused = client.post(
        "/account",
        data={"csrf_token": form_token(page.text), "display_name": "", "age_band": "25-30"},
    )
    assert refused.status_code == 400
    assert 'href="#display_name"' in refused.text and 'href="#age_band"' in refused.text
    assert rows(select(User.age_band).where(User.id == young.id)) == ["16-17"]
    api = client.put("/api/v1/me", json={"display_name": "Sam", "age_band": "18-24"})
    assert api.status_code == 200 and api.json()["display_name"] == "Sam"
    assert rows(select(User.age_band).where(User.id == young.id)) == ["18-24"]
    nameless = client.put("/api/v1/me", json={"display_name": "   "})
    assert nameless.status_code == 422
    renamed = client.put("/api/v1/me", json={"display_name": "Sam K"})
    assert renamed.status_code == 200
    assert rows(select(User.age_band).where(User.id == young.id)) == ["18-24"]


def test_the_header_name_opens_the_account_page(practitioner_client):
    home = practitioner_client.get("/").text
    assert 'href="/account"' in home and ": your account</span>" in home

"""Certificates: a PDF for each completion, and public verification that reveals nothing more."""

from __future__ import annotations

import io
import re

from fastapi.testclient import TestClient
from pypdf import PdfReader
from sqlmodel import select

from app.models.progress import Completion
from app.models.users import Role
from tests.certificates.conftest import complete_module, signed_in


def test_a_practitioner_downloads_a_certificate_for_a_completed_module(app, make_user, rows):
    person = make_user(Role.practitioner, name="Zoë Łukasiewicz-O'Brien")
    with signed_in(app, person) as client:
        assert "not completed a module yet" in client.get("/certificates").text
        complete_module(client)
        listing = client.get("/certificates").text
        link = re.search(r'href="(/certificates/\d+\.pdf)"', listing).group(1)
        response = client.get(link)
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")
    completion = rows(select(Completion))[0]
    text = PdfReader(io.BytesIO(response.content)).pages[0].extract_text()
    assert "Zoë Łukasiewicz-O'Brien" in text
    assert "Asking basics" in text and "Version 2" in text
    assert f"/verify/{completion.verification_code}" in text
    assert f"{completion.minutes} minutes of learning" in text


def test_nobody_else_can_download_your_certificate(app, make_user, rows):
    person = make_user(Role.practitioner)
    with signed_in(app, person) as client:
        complete_module(client)
    completion_id = rows(select(Completion))[0].id
    for role in (Role.practitioner, Role.trainer, Role.admin):
        with signed_in(app, make_user(role, Role.practitioner)) as other:
            assert other.get(f"/certificates/{completion_id}.pdf").status_code == 404


def test_verification_confirms_a_genuine_certificate_and_nothing_else(app, make_user, rows):
    person = make_user(Role.practitioner, name="Kim Verified")
    with signed_in(app, person) as client:
        complete_module(client)
    code = rows(select(Completion))[0].verification_code
    anonymous = TestClient(app)
    page = anonymous.get(f"/verify/{code}")
    assert page.status_code == 200
    assert "This certificate is genuine" in page.text
    assert "Kim Verified" in page.text and "Asking basics" in page.text
    assert person.email not in page.text
    body = anonymous.get(f"/api/v1/verify/{code}").json()
    assert body["genuine"] is True and body["module_title"] == "Asking basics"
    assert set(body) == {
        "genuine",
        "holder_name",
        "module_title",
        "version",
        "completed_on",
        "minutes",
    }


def test_a_forged_code_is_not_found(app, make_user, rows):
    person = make_user(Role.practitioner)
    with signed_in(app, person) as client:
        complete_module(client)
    code = rows(select(Completion))[0].verification_code
    forged = ("0" if code[0] != "0" else "1") + code[1:]
    anonymous = TestClient(app)
    for attempt in [forged, "not-a-code", "<script>alert(1)</script>", "f" * 64]:
        response = anonymous.get(f"/verify/{attempt}")
        assert response.status_code == 404
        assert "not found" in response.text.lower() or "could not find" in response.text
        assert "<script>alert(1)</script>" not in response.text
    assert anonymous.get(f"/api/v1/verify/{forged}").status_code == 404

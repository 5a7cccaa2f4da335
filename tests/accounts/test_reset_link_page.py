"""The password reset link an admin makes is shown on a page that is safe to reload."""

from __future__ import annotations

import re

from app.models.users import Role
from tests.auth.test_pages_and_csrf import form_token
from tests.conftest import api_login

LINK = re.compile(
    r'id="reset-link" type="text" readonly value="http://testserver(/password-reset/[\w-]+)"'
)


def make_link(client, user_id: int):
    page = client.get(f"/admin/users/{user_id}")
    return client.post(
        f"/admin/users/{user_id}/password-reset",
        data={"csrf_token": form_token(page.text)},
        follow_redirects=False,
    )


def test_the_reset_link_page_can_be_reloaded_and_says_when_the_link_is_replaced(
    app, client, make_user
):
    from fastapi.testclient import TestClient

    admin, person = make_user(Role.admin), make_user(Role.practitioner, name="Locked Out")
    api_login(client, admin)
    made = make_link(client, person.id)
    assert made.status_code == 303
    page_address = made.headers["location"]
    first, reloaded = client.get(page_address).text, client.get(page_address).text
    path = LINK.search(first).group(1)
    assert LINK.search(reloaded).group(1) == path
    assert "Copy link" not in first  # the button is added by copy-link.js, never without it
    assert "js/copy-link.js" in first

    with TestClient(app, base_url="http://testserver") as visitor:
        assert visitor.get(path).status_code == 200

    make_link(client, person.id)  # a newer link replaces this one
    replaced = client.get(page_address).text
    assert not LINK.search(replaced) and "This link no longer works" in replaced

    with TestClient(app, base_url="http://testserver") as other_browser:
        api_login(other_browser, admin)
        elsewhere = other_browser.get(page_address).text
    assert not LINK.search(elsewhere) and "The link is no longer shown" in elsewhere

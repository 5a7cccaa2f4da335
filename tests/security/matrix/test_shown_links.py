"""A link made a moment ago is shown only in the browser that made it.

The matrix lets anyone who manages a cohort (and admins) open its "links made" pages, since
those pages are the cohort page; this is what makes that safe: the links are not on it.
"""

from __future__ import annotations

import re

from tests.security.matrix.conftest import OTHER, OWN, World

LINK = re.compile(r"https?://[^\s\"'<>]*/(?:invitations|password-reset)/[A-Za-z0-9_-]{20,}")


def test_invitation_links_show_only_to_the_trainer_who_made_them(world: World) -> None:
    path = world.path_for("/cohorts/{cohort_id}/invitations/new/{batch}", "trainer", OWN)
    maker = world.client("trainer").get(path)
    links = set(LINK.findall(maker.text))
    assert maker.status_code == 200 and links, "the maker sees their new link"

    admin = world.client("admin").get(path)
    assert admin.status_code == 200
    assert links.isdisjoint(LINK.findall(admin.text))
    assert world.client("trainer2").get(path).status_code == 404


def test_a_reset_link_shows_only_to_the_admin_who_made_it(world: World) -> None:
    path = world.path_for("/admin/users/{user_id}/password-reset/{batch}", "admin", OTHER)
    other_admin = world.client("admin2").get(path)
    links = set(LINK.findall(other_admin.text))
    assert other_admin.status_code == 200 and links, "the maker sees their new link"

    admin = world.client("admin").get(path)
    assert admin.status_code == 200
    assert links.isdisjoint(LINK.findall(admin.text))

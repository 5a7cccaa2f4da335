"""The one form that sets a password: from a reset link, changing one's own, and the new
account an invitation makes. Each keeps its field names; the check and the fields are one."""

from __future__ import annotations

import pytest

from app.auth.passwords import MINIMUM_PASSWORD_LENGTH, NEW_PASSWORD, PASSWORDS_DIFFER
from app.cohorts.pages import INVITATION_PASSWORD

FORMS = [NEW_PASSWORD, INVITATION_PASSWORD]


@pytest.mark.parametrize("form", FORMS, ids=["reset-and-change", "invitation"])
def test_each_problem_is_reported_beside_its_own_field(form) -> None:
    too_short = f"Password must be at least {MINIMUM_PASSWORD_LENGTH} characters."
    assert form.problems("short", "short") == {form.name: too_short}
    assert form.problems("a long passphrase", "another passphrase") == {
        form.again_name: PASSWORDS_DIFFER
    }
    assert form.problems("a long passphrase", "a long passphrase") == {}


@pytest.mark.parametrize("form", FORMS, ids=["reset-and-change", "invitation"])
def test_the_partial_shows_both_fields_by_the_forms_names(app, form) -> None:
    partial = app.state.templates.env.get_template("signin/_new_password.html").module
    html = str(partial.new_password_fields(form, {form.again_name: PASSWORDS_DIFFER}))
    for name, label in ((form.name, form.label), (form.again_name, form.again_label)):
        assert f'<label class="nhsuk-label" for="{name}">{label}</label>' in html
        assert f'name="{name}" type="password"' in html
    assert html.count('autocomplete="new-password"') == 2
    assert PASSWORDS_DIFFER in html

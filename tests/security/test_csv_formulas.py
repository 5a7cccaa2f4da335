"""A name typed with a full-width ＝ ＋ － ＠ is not run as a formula when the export opens."""

from __future__ import annotations

import csv
import io

from app.models.users import Role
from tests.reports.conftest import create_cohort, signed_in
from tests.reports.test_completion import add, assign

FULL_WIDTH_FORMULAS = [
    '\uff1dHYPERLINK("http://example.com")',
    "\uff0b1 plus",
    "\uff0d1 minus",
    "\uff20SUM(1)",
]


def test_full_width_formula_starts_are_neutralised_in_the_export(app, make_user):
    trainer = make_user(Role.trainer)
    people = [make_user(Role.practitioner, name=name) for name in FULL_WIDTH_FORMULAS]
    ordinary = make_user(Role.practitioner, name="Zoë Ünal")
    with signed_in(app, trainer) as client:
        cohort = create_cohort(client, name="\uff1dCohort")
        for person in [*people, ordinary]:
            add(client, cohort, person)
        assign(client, cohort)
        exported = client.get(f"/reports/completion.csv?cohort_id={cohort}")
    assert exported.status_code == 200
    rows = list(csv.reader(io.StringIO(exported.text)))[1:]
    names = {row[1] for row in rows}
    assert names == {"'" + name for name in FULL_WIDTH_FORMULAS} | {"Zoë Ünal"}
    assert {row[0] for row in rows} == {"'\uff1dCohort"}

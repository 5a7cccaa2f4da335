"""The completion dashboard, its CSV, its chart, and who may see them."""

from __future__ import annotations

import csv
import io
import re
from datetime import timedelta
from html.parser import HTMLParser

import time_machine
from sqlmodel import select

from app.models.audit import AuditEvent
from app.models.users import Role
from tests.joining import accepts
from tests.reports.conftest import complete_module, create_cohort, signed_in


def add(client, cohort_id, account):
    """The trainer asks and the practitioner accepts, so the trainer sees their progress."""
    response = client.post(f"/api/v1/cohorts/{cohort_id}/members", json={"email": account.email})
    assert response.status_code == 201
    accepts(client.app, cohort_id, account.email)


def assign(client, cohort_id, slug="asking-basics", due="2030-01-31", recur=None):
    body = {"module_slug": slug, "due_date": due}
    if recur:
        body["recur_days"] = recur
    response = client.post(f"/api/v1/cohorts/{cohort_id}/assignments", json=body)
    assert response.status_code == 201, response.text


def statuses(client, cohort_id):
    rows = client.get(f"/api/v1/reports/completion?cohort_id={cohort_id}").json()
    return {(row["display_name"], row["module_slug"]): row["status"] for row in rows}


def test_each_status_a_trainer_can_see(app, make_user, trainer):
    with time_machine.travel("2027-01-10 10:00:00Z", tick=False) as clock:
        done = make_user(Role.practitioner, name="Dana Done")
        started = make_user(Role.practitioner, name="Sam Started")
        idle = make_user(Role.practitioner, name="Ira Idle")
        with signed_in(app, trainer) as trainer_client:
            cohort_id = create_cohort(trainer_client)
            for person in (done, started, idle):
                add(trainer_client, cohort_id, person)
            assign(trainer_client, cohort_id, due="2027-02-01")
            assign(trainer_client, cohort_id, slug="second-module", due="2027-02-01", recur=90)
        with signed_in(app, done) as client:
            complete_module(client)
        with signed_in(app, started) as client:
            client.post("/api/v1/modules/asking-basics/sections/why-ask/complete")

        with signed_in(app, trainer) as trainer_client:
            now = statuses(trainer_client, cohort_id)
        assert now[("Dana Done", "asking-basics")] == "completed"
        assert now[("Sam Started", "asking-basics")] == "in_progress"
        assert now[("Ira Idle", "asking-basics")] == "not_started"

        clock.shift(timedelta(days=23))  # 2 February: the due date has passed
        with signed_in(app, trainer) as trainer_client:
            later = statuses(trainer_client, cohort_id)
        assert later[("Dana Done", "asking-basics")] == "completed"
        assert later[("Sam Started", "asking-basics")] == "overdue"
        assert later[("Ira Idle", "asking-basics")] == "overdue"
        assert later[("Dana Done", "second-module")] == "overdue"


def test_recurring_assignments_roll_forward_after_each_completion(app, make_user, trainer):
    with time_machine.travel("2027-01-10 10:00:00Z", tick=False) as clock:
        person = make_user(Role.practitioner, name="Rae Recurring")
        with signed_in(app, trainer) as trainer_client:
            cohort_id = create_cohort(trainer_client)
            add(trainer_client, cohort_id, person)
            assign(trainer_client, cohort_id, due="2027-01-31", recur=60)
        with signed_in(app, person) as client:
            complete_module(client)

        def status_and_due():
            with signed_in(app, trainer) as trainer_client:
                row = trainer_client.get(
                    f"/api/v1/reports/completion?cohort_id={cohort_id}"
                ).json()[0]
            return row["status"], row["due_date"]

        assert status_and_due() == ("completed", "2027-03-11")  # 60 days after completing
        clock.shift(timedelta(days=46))  # 14 days before it falls due again
        assert status_and_due() == ("due_for_refresh", "2027-03-11")
        clock.shift(timedelta(days=15))  # the day after
        assert status_and_due() == ("overdue", "2027-03-11")


def test_non_recurring_completions_become_due_for_refresh_not_overdue(app, make_user, trainer):
    with time_machine.travel("2026-01-10 10:00:00Z", tick=False) as clock:
        person = make_user(Role.practitioner, name="Nat")
        with signed_in(app, trainer) as trainer_client:
            cohort_id = create_cohort(trainer_client)
            add(trainer_client, cohort_id, person)
            assign(trainer_client, cohort_id, due="2026-02-01")
        with signed_in(app, person) as client:
            complete_module(client)
        clock.shift(timedelta(days=365))  # the module's refresh_after_days
        with signed_in(app, trainer) as trainer_client:
            assert statuses(trainer_client, cohort_id)[("Nat", "asking-basics")] == (
                "due_for_refresh"
            )


class _TableReader(HTMLParser):
    """The completion table as a person reads it: cell text, with dates as their ISO value."""

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[list[str]] = []
        self._in_table = self._in_cell = False
        self._cell: list[str] = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "table" and attributes.get("id") == "completion-table":
            self._in_table = True
        elif self._in_table and tag == "tr":
            self.rows.append([])
        elif self._in_table and tag in ("td", "th"):
            self._in_cell, self._cell = True, []
        elif self._in_cell and tag == "time":
            self._cell.append(attributes["datetime"])
            self._skip_text = True
            return
        self._skip_text = False

    def handle_endtag(self, tag):
        if tag == "table":
            self._in_table = False
        elif self._in_cell and tag in ("td", "th"):
            self.rows[-1].append(" ".join("".join(self._cell).split()))
            self._in_cell = False
        self._skip_text = False

    def handle_data(self, data):
        if self._in_cell and not getattr(self, "_skip_text", False):
            self._cell.append(data)


def page_rows(html):
    reader = _TableReader()
    reader.feed(html)
    return reader.rows


def test_the_csv_has_exactly_the_rows_and_columns_the_page_shows(app, make_user, trainer):
    people = [make_user(Role.practitioner, name=f"Person {n}") for n in range(4)]
    hostile = make_user(Role.practitioner, name='=HYPERLINK("http://evil")')
    with signed_in(app, trainer) as trainer_client:
        cohort_id = create_cohort(trainer_client)
        for person in [*people, hostile]:
            add(trainer_client, cohort_id, person)
        assign(trainer_client, cohort_id)
        assign(trainer_client, cohort_id, slug="second-module", due="2020-01-01")
    for person in people[:2]:
        with signed_in(app, person) as client:
            complete_module(client)

    with signed_in(app, trainer) as trainer_client:
        for query in [
            f"cohort_id={cohort_id}",
            f"cohort_id={cohort_id}&status=overdue&sort=name&order=desc",
            f"cohort_id={cohort_id}&module=asking-basics&q=person&sort=completed",
        ]:
            page = trainer_client.get(f"/reports/completion?{query}")
            assert page.status_code == 200
            shown = page_rows(page.text)
            exported = trainer_client.get(f"/reports/completion.csv?{query}")
            assert exported.status_code == 200
            assert exported.headers["content-type"].startswith("text/csv")
            table = list(csv.reader(io.StringIO(exported.text)))
            header, body = table[0], table[1:]
            assert [h.replace(" (%)", "") for h in header] == [
                h.replace(" (%)", "") for h in shown[0]
            ]
            page_body = [[cell.removeprefix("'") for cell in row] for row in shown[1:]]
            csv_body = [[cell.removeprefix("'") for cell in row] for row in body]
            assert csv_body == page_body, query
            assert body, query
    # A name that looks like a formula is neutralised in the CSV.
    with signed_in(app, trainer) as trainer_client:
        everything = trainer_client.get(f"/reports/completion.csv?cohort_id={cohort_id}").text
    assert "'=HYPERLINK" in everything
    assert "\n=HYPERLINK" not in everything and ",=HYPERLINK" not in everything


def test_every_export_is_written_to_the_audit_log(trainer_client, rows):
    cohort_id = create_cohort(trainer_client)
    trainer_client.get(f"/reports/completion.csv?cohort_id={cohort_id}&status=overdue")
    events = [e for e in rows(select(AuditEvent)) if e.action == "report.export"]
    assert len(events) == 1
    assert events[0].target_id == str(cohort_id) and "status=overdue" in events[0].detail


def test_trainers_see_only_their_own_cohorts_reports(app, make_user, trainer):
    mine_only = make_user(Role.practitioner, name="Mine Only")
    theirs_only = make_user(Role.practitioner, name="Theirs Only")
    other = make_user(Role.trainer)
    with signed_in(app, trainer) as trainer_client:
        mine = create_cohort(trainer_client, "A")
        add(trainer_client, mine, mine_only)
        assign(trainer_client, mine)
    with signed_in(app, other) as other_client:
        theirs = create_cohort(other_client, "B")
        add(other_client, theirs, theirs_only)
        assign(other_client, theirs)

    with signed_in(app, trainer) as trainer_client:
        everything = trainer_client.get("/api/v1/reports/completion").json()
        assert {row["display_name"] for row in everything} == {"Mine Only"}
        assert trainer_client.get(f"/reports/completion?cohort_id={theirs}").status_code == 404
        assert trainer_client.get(f"/reports/completion.csv?cohort_id={theirs}").status_code == 404
        assert (
            trainer_client.get(f"/api/v1/reports/completion?cohort_id={theirs}").status_code == 404
        )
        # A practitioner only in cohort B is "not found" for the trainer of cohort A.
        assert trainer_client.get(f"/reports/practitioners/{theirs_only.id}").status_code == 404
        assert trainer_client.get(f"/reports/practitioners/{mine_only.id}").status_code == 200
        all_csv = trainer_client.get("/reports/completion.csv").text
        assert "Mine Only" in all_csv and "Theirs Only" not in all_csv


def test_practitioners_and_codesigners_cannot_see_reports(app, make_user):
    for role in (Role.practitioner, Role.codesigner):
        with signed_in(app, make_user(role)) as client:
            assert client.get("/api/v1/reports/completion").status_code == 403
            assert client.get("/reports/completion").status_code == 403
            assert client.get("/reports/completion.csv").status_code == 403
            assert client.get("/reports/modules").status_code == 403


def test_viewing_a_practitioners_record_is_audited(app, make_user, trainer, rows):
    person = make_user(Role.practitioner, name="Pat Person")
    with signed_in(app, trainer) as trainer_client:
        cohort_id = create_cohort(trainer_client)
        add(trainer_client, cohort_id, person)
        assign(trainer_client, cohort_id)
    with signed_in(app, person) as client:
        complete_module(client)
    with signed_in(app, trainer) as trainer_client:
        page = trainer_client.get(f"/reports/practitioners/{person.id}")
    assert page.status_code == 200
    assert "Pat Person" in page.text and "Asking basics" in page.text
    assert re.search(r">\s*1\s*</td>", page.text)  # one quiz attempt
    viewed = [e for e in rows(select(AuditEvent)) if e.action == "report.view_person"]
    assert [(e.target_type, e.target_id) for e in viewed] == [("user", str(person.id))]


def test_filters_are_validated_with_a_clear_message(trainer_client):
    response = trainer_client.get("/api/v1/reports/completion?status=sleeping")
    assert response.status_code == 422 and "Status must be one of" in response.json()["detail"]
    page = trainer_client.get("/reports/completion?sort=shoe-size")
    assert page.status_code == 422 and "Sort by one of" in page.text


def test_counts_per_status_and_the_chart_with_its_table(app, make_user, trainer):
    people = [make_user(Role.practitioner, name=f"P{n}") for n in range(3)]
    with signed_in(app, trainer) as trainer_client:
        cohort_id = create_cohort(trainer_client)
        for person in people:
            add(trainer_client, cohort_id, person)
        assign(trainer_client, cohort_id)
    with signed_in(app, people[0]) as client:
        complete_module(client)
    with signed_in(app, trainer) as trainer_client:
        page = trainer_client.get(f"/reports/completion?cohort_id={cohort_id}").text
        assert re.search(r"Completed</strong>\s*<span[^>]*>1</span>", page)
        assert re.search(r"Not started</strong>\s*<span[^>]*>2</span>", page)
        assert "33% (1)" in page  # the chart's data table: this week, one of three
        chart_src = re.search(r'<img class="askwell-chart" src="([^"]+)"', page).group(1)
        chart = trainer_client.get(chart_src.replace("&amp;", "&"))
    assert chart.status_code == 200
    assert chart.headers["content-type"] == "image/svg+xml"
    assert b"<script" not in chart.content
    assert (
        chart.headers["content-security-policy"] == "default-src 'none'; style-src 'unsafe-inline'"
    )


def test_the_csv_quotes_and_neutralises_exactly_as_a_spreadsheet_expects(app, make_user, trainer):
    """Names people type arrive intact: commas, quotes, line breaks, other scripts, formulas."""
    names = [
        'Jo "JJ" Bloggs',
        "Smith, Sam",
        "Line break",
        "@mention",
        "-1 minus",
        "Zoë Ünal 李",
        "+44 plus",
    ]
    people = [make_user(Role.practitioner, name=name) for name in names]
    with signed_in(app, trainer) as trainer_client:
        cohort_id = create_cohort(trainer_client, name='=Cohort, with "quotes"')
        for person in people:
            add(trainer_client, cohort_id, person)
        assign(trainer_client, cohort_id, due="2030-01-31")
    with signed_in(app, people[0]) as client:
        complete_module(client)
    with signed_in(app, trainer) as trainer_client:
        exported = trainer_client.get(
            f"/reports/completion.csv?cohort_id={cohort_id}&sort=name"
        ).text

    rows = list(csv.reader(io.StringIO(exported)))[1:]
    by_name = {row[1]: row for row in rows}
    for name in names:
        shown = "'" + name if name[0] in "=+-@" else name
        assert shown in by_name, (name, sorted(by_name))
    done = by_name['Jo "JJ" Bloggs']
    assert done[0] == '\'=Cohort, with "quotes"'
    assert done[4] == "Completed" and done[5] == "2030-01-31" and done[7] == "100"
    assert len(done[6]) == 10 and done[6][4] == "-"  # YYYY-MM-DD

    # Byte for byte what Python's csv module writes for the same cells.
    expected = io.StringIO()
    writer = csv.writer(expected, lineterminator="\n")
    writer.writerows(list(csv.reader(io.StringIO(exported))))
    assert exported == expected.getvalue()


def _people_cohort(app, make_user, trainer):
    """Four people in two modules: two finished the first, nobody the second (long overdue)."""
    people = [make_user(Role.practitioner, name=f"Person {n}") for n in range(4)]
    hostile = make_user(Role.practitioner, name="=cmd|' /C calc'!A0")
    with signed_in(app, trainer) as trainer_client:
        cohort_id = create_cohort(trainer_client)
        for person in [*people, hostile]:
            add(trainer_client, cohort_id, person)
        assign(trainer_client, cohort_id)
        assign(trainer_client, cohort_id, slug="second-module", due="2020-01-01")
    for person in people[:2]:
        with signed_in(app, person) as client:
            complete_module(client)
    return cohort_id, people


def test_one_row_per_practitioner_and_its_csv_show_the_same_grid(app, make_user, trainer):
    cohort_id, _ = _people_cohort(app, make_user, trainer)
    with signed_in(app, trainer) as trainer_client:
        for query, expected_people in [
            (f"cohort_id={cohort_id}&view=people", 5),
            (f"cohort_id={cohort_id}&view=people&sort=email&order=desc", 5),
            (f"cohort_id={cohort_id}&view=people&status=completed", 2),
            (f"cohort_id={cohort_id}&view=people&module=asking-basics&q=person", 4),
        ]:
            page = trainer_client.get(f"/reports/completion?{query}")
            assert page.status_code == 200, query
            shown = page_rows(page.text)
            exported = trainer_client.get(f"/reports/completion.csv?{query}")
            assert exported.status_code == 200
            table = list(csv.reader(io.StringIO(exported.text)))
            assert table[0] == shown[0], query
            page_body = [[cell.removeprefix("'") for cell in row] for row in shown[1:]]
            csv_body = [[cell.removeprefix("'") for cell in row] for row in table[1:]]
            assert csv_body == page_body, query
            assert len(csv_body) == expected_people, query

        grid = list(
            csv.reader(
                io.StringIO(
                    trainer_client.get(
                        f"/reports/completion.csv?cohort_id={cohort_id}&view=people"
                    ).text
                )
            )
        )
    assert grid[0] == ["Practitioner", "Email", "Asking basics", "Second module"]
    first = next(row for row in grid if row[0] == "Person 0")
    assert first[2].startswith("Completed, due ") and first[3] == "Overdue, due 2020-01-01"
    idle = next(row for row in grid if row[0] == "Person 3")
    assert idle[2] == "Not started, due 2030-01-31"
    assert any(row[0].startswith("'=cmd") for row in grid)


def test_one_row_per_practitioner_needs_a_cohort_the_trainer_manages(app, make_user, trainer, rows):
    cohort_id, _ = _people_cohort(app, make_user, trainer)
    other = make_user(Role.trainer)
    with signed_in(app, trainer) as trainer_client:
        everyone = trainer_client.get("/reports/completion?view=people")
        assert everyone.status_code == 422 and "Choose a cohort" in everyone.text
        listed = trainer_client.get(f"/reports/completion?cohort_id={cohort_id}")
        assert "view=people" in listed.text
        api = trainer_client.get(f"/api/v1/reports/completion/people?cohort_id={cohort_id}")
        assert api.status_code == 200
        body = api.json()
        assert [column["slug"] for column in body["modules"]] == [
            "asking-basics",
            "second-module",
        ]
        assert body["total"] == 5 and len(body["people"]) == 5
        person = next(p for p in body["people"] if p["display_name"] == "Person 3")
        assert person["modules"]["second-module"] == {
            "status": "overdue",
            "due_date": "2020-01-01",
            "last_activity_at": None,
        }
    with signed_in(app, other) as other_client:
        for path in (
            f"/reports/completion?cohort_id={cohort_id}&view=people",
            f"/reports/completion.csv?cohort_id={cohort_id}&view=people",
            f"/api/v1/reports/completion/people?cohort_id={cohort_id}",
        ):
            assert other_client.get(path).status_code == 404, path
    exports = [e for e in rows(select(AuditEvent)) if e.action == "report.export"]
    assert exports == []
    with signed_in(app, trainer) as trainer_client:
        trainer_client.get(f"/reports/completion.csv?cohort_id={cohort_id}&view=people")
    exports = [e for e in rows(select(AuditEvent)) if e.action == "report.export"]
    assert [(e.target_id, "by practitioner" in e.detail) for e in exports] == [
        (str(cohort_id), True)
    ]

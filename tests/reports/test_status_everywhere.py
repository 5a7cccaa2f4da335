"""Every view of a practitioner's status, due date and last activity agrees, whatever happened.

Random histories (completions, short refreshes passed and failed, a major content change,
one-off and recurring assignments in one or two cohorts, clocks moved by hours or years)
are played through the app. Then every page, export and API route that shows a person's
standing in a module is read, and each must say the same. The generator is seeded: a
failure names its seed, and ``ASKWELL_STATUS_SEED=<seed>`` replays exactly that run
(``ASKWELL_STATUS_HISTORIES`` plays more histories).
"""

from __future__ import annotations

import csv
import io
import os
import random
import re
from collections.abc import Iterator
from contextlib import ExitStack
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
import time_machine
from fastapi import FastAPI
from fastapi.testclient import TestClient

from app.main import create_app
from app.models.users import Role
from app.progress.status import urgency
from tests.conftest import Account, api_login, make_settings
from tests.joining import accepts
from tests.refresh.conftest import ModuleFolder

HISTORIES = int(os.environ.get("ASKWELL_STATUS_HISTORIES", "8"))
SEED = int(os.environ.get("ASKWELL_STATUS_SEED") or random.SystemRandom().randrange(2**31))

SLUGS = ("asking-basics", "second-module")
LABELS = {
    "Overdue": "overdue",
    "Due for refresh": "due_for_refresh",
    "In progress": "in_progress",
    "Not started": "not_started",
    "Completed": "completed",
}
#: How far the clock moves before each step: mostly days, sometimes weeks, now and then a year
#: (the edges of the rules: 14 days' notice, 30-day recurrences, 365-day refresh periods),
#: and once in a while back a day or two.
STEPS_IN_DAYS = (
    ((-2, -1), 0.05),  # a clock put back, as after a wrong setting is corrected
    ((0, 0, 1, 2, 3, 7, 13, 14, 15, 16), 0.65),
    ((29, 30, 31, 45, 60), 0.2),
    ((100, 200, 364, 365, 366, 400), 0.1),
)


# --- Reading pages ---------------------------------------------------------------------------


@dataclass
class Cell:
    text: str = ""
    times: list[str] = field(default_factory=list)
    tag: str = ""


@dataclass
class Table:
    caption: str = ""
    rows: list[list[Cell]] = field(default_factory=list)

    def records(self) -> list[dict[str, Cell]]:
        """Rows as {header text: cell}, the header being the first row."""
        header = [" ".join(cell.text.split()) for cell in self.rows[0]]
        return [dict(zip(header, row, strict=False)) for row in self.rows[1:]]


class Tables(HTMLParser):
    """Every table of a page: each cell's words, its <time> days and its status tag."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.tables: list[Table] = []
        self._cell: Cell | None = None
        self._in_caption = False
        self._in_tag = False
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if tag == "table":
            self.tables.append(Table())
        elif tag == "caption":
            self._in_caption = True
        elif tag == "tr" and self.tables:
            self.tables[-1].rows.append([])
        elif tag in ("td", "th") and self.tables:
            self._cell = Cell()
            self.tables[-1].rows[-1].append(self._cell)
        elif tag == "time" and self._cell is not None:
            self._cell.times.append(attributes["datetime"] or "")
        elif tag == "strong" and self._cell is not None and not self._cell.tag:
            self._in_tag = "nhsuk-tag" in (attributes.get("class") or "")

    def handle_endtag(self, tag: str) -> None:
        if tag == "caption":
            self._in_caption = False
        elif tag in ("td", "th"):
            self._cell = None
        elif tag == "strong":
            self._in_tag = False

    def handle_data(self, data: str) -> None:
        if self._in_caption:
            self.tables[-1].caption += data
        if self._cell is not None:
            self._cell.text += data
            if self._in_tag:
                self._cell.tag += data.strip()

    def captioned(self, words: str) -> list[dict[str, Cell]]:
        found = [table for table in self.tables if words in table.caption]
        return found[0].records() if found else []


def html_day(text: str) -> str:
    return datetime.strptime(text.strip(), "%d %B %Y").date().isoformat()  # noqa: DTZ007


def day_of(moment: str | None) -> str | None:
    return moment[:10] if moment else None


# --- Playing a history -----------------------------------------------------------------------


@dataclass(frozen=True)
class View:
    """What one view says about one person in one module (and, for a trainer, one cohort)."""

    status: str | None
    due_date: str | None
    last_active: str | None


@dataclass
class History:
    rng: random.Random
    number: int
    apps: tuple[FastAPI, FastAPI]
    clock: Any
    trainer: Account
    people: list[Account]
    cohorts: list[int] = field(default_factory=list)
    members: set[tuple[int, int]] = field(default_factory=set)
    assigned: set[tuple[int, str]] = field(default_factory=set)
    deployed: int = 0
    last_active: dict[tuple[int, str], date] = field(default_factory=dict)
    clients: dict[tuple[int, int], TestClient] = field(default_factory=dict)
    log: list[str] = field(default_factory=list)

    @property
    def app(self) -> FastAPI:
        return self.apps[self.deployed]

    @property
    def today(self) -> date:
        return datetime.now(UTC).date()

    def client(self, account: Account) -> TestClient:
        key = (account.id, self.deployed)
        if key not in self.clients:
            self.clients[key] = TestClient(self.app, base_url="http://testserver")
            api_login(self.clients[key], account)
        return self.clients[key]

    def note(self, words: str) -> None:
        self.log.append(f"{datetime.now(UTC):%Y-%m-%d %H:%M} {words}")

    def touched(self, person: Account, slug: str) -> None:
        self.last_active[(person.id, slug)] = self.today

    def module(self, slug: str) -> Any:
        return self.app.state.content.get(slug)


def join(history: History, cohort: int | None = None, person: Account | None = None) -> None:
    cohort = cohort or history.rng.choice(history.cohorts)
    person = person or history.rng.choice(history.people)
    if (cohort, person.id) in history.members:
        return
    added = history.client(history.trainer).post(
        f"/api/v1/cohorts/{cohort}/members", json={"email": person.email}
    )
    assert added.status_code in (200, 201), added.text
    accepts(history.client(history.trainer).app, cohort, person.email)
    history.members.add((cohort, person.id))
    history.note(f"{person.email} joins cohort {cohort}")


def assign(history: History, cohort: int | None = None, slug: str | None = None) -> None:
    """Assign a module (again: a new due date and recurrence), due soon, later or already past."""
    cohort = cohort or history.rng.choice(history.cohorts)
    slug = slug or history.rng.choice(SLUGS)
    due = history.today + timedelta(days=history.rng.randint(-60, 120))
    recur = history.rng.choice((None, None, 30, 45, 90, 365, 500))
    assigned = history.client(history.trainer).post(
        f"/api/v1/cohorts/{cohort}/assignments",
        json={"module_slug": slug, "due_date": due.isoformat(), "recur_days": recur},
    )
    assert assigned.status_code in (200, 201), assigned.text
    history.assigned.add((cohort, slug))
    history.note(f"cohort {cohort} assigns {slug} due {due}, every {recur} days")


def read_a_section(history: History) -> None:
    person, slug = history.rng.choice(history.people), history.rng.choice(SLUGS)
    section = history.rng.choice(history.module(slug).sections).id
    read = history.client(person).post(f"/api/v1/modules/{slug}/sections/{section}/complete")
    assert read.status_code == 200, read.text
    history.touched(person, slug)
    history.note(f"{person.email} reads {slug}/{section}")


def answers(module: Any, *, right: bool, questions: list[str] | None = None) -> dict:
    chosen = {}
    for question in module.quiz.questions:
        if questions is not None and question.id not in questions:
            continue
        correct = sorted(question.correct_ids)
        wrong = [option.id for option in question.options if option.id not in correct]
        chosen[question.id] = correct if right or not wrong else wrong[:1]
    return chosen


def complete(history: History) -> None:
    person, slug = history.rng.choice(history.people), history.rng.choice(SLUGS)
    client, module = history.client(person), history.module(slug)
    for section in module.sections:
        assert client.post(f"/api/v1/modules/{slug}/sections/{section.id}/complete").is_success
    right = history.rng.random() < 0.8
    taken = client.post(
        f"/api/v1/modules/{slug}/attempts", json={"answers": answers(module, right=right)}
    )
    assert taken.status_code == 201, taken.text
    history.touched(person, slug)
    history.note(f"{person.email} reads all of {slug} and {'passes' if right else 'fails'}")


def refresh(history: History) -> None:
    person, slug = history.rng.choice(history.people), history.rng.choice(SLUGS)
    client = history.client(person)
    offer = client.get(f"/api/v1/modules/{slug}/refresh")
    if offer.status_code == 409:
        return
    assert offer.status_code == 200, offer.text
    asked = [question["id"] for question in offer.json()["questions"]]
    right = history.rng.random() < 0.7
    chosen = answers(history.module(slug), right=right, questions=asked)
    done = client.post(f"/api/v1/modules/{slug}/refresh", json={"answers": chosen})
    assert done.status_code in (200, 201), done.text
    history.touched(person, slug)
    history.note(f"{person.email} {'passes' if right else 'fails'} a short refresh of {slug}")


def read_changes(history: History) -> None:
    person, slug = history.rng.choice(history.people), history.rng.choice(SLUGS)
    confirmed = history.client(person).post(f"/api/v1/modules/{slug}/changes/read")
    assert confirmed.status_code in (200, 409), confirmed.text
    if confirmed.status_code == 200:
        history.note(f"{person.email} confirms reading what changed in {slug}")


def deploy_a_major_change(history: History) -> None:
    if not history.deployed:
        history.deployed = 1
        history.note("a major change to asking-basics is published")


ACTIONS = (
    (join, 1),
    (assign, 2),
    (read_a_section, 2),
    (complete, 5),
    (refresh, 3),
    (read_changes, 1),
    (deploy_a_major_change, 1),
)


def play(history: History) -> None:
    """Cohorts, members and assignments first (mostly), then random steps at moving times."""
    for cohort_name in range(history.rng.randint(1, 2)):
        made = history.client(history.trainer).post(
            "/api/v1/cohorts", json={"name": f"History {history.number} cohort {cohort_name}"}
        )
        assert made.status_code == 201, made.text
        history.cohorts.append(made.json()["id"])
    for cohort in history.cohorts:
        for person in history.people:
            if history.rng.random() < 0.7:
                join(history, cohort, person)
        for slug in SLUGS:
            if history.rng.random() < 0.6:
                assign(history, cohort, slug)
    actions, weights = zip(*ACTIONS, strict=True)
    for _ in range(history.rng.randint(4, 10)):
        move_clock(history)
        history.rng.choices(actions, weights)[0](history)
    move_clock(history)


def move_clock(history: History) -> None:
    choices, weights = zip(*STEPS_IN_DAYS, strict=True)
    days = history.rng.choice(history.rng.choices(choices, weights)[0])
    hours = history.rng.randint(0, 23)
    history.clock.shift(timedelta(days=days, hours=hours))


# --- Reading every view ------------------------------------------------------------------------


def trainer_views(history: History) -> dict[tuple[int, int, str], dict[str, View]]:
    """Per (cohort, person, module): what each of the trainer's views says."""
    trainer = history.client(history.trainer)
    views: dict[tuple[int, int, str], dict[str, View]] = {}

    def put(key: tuple[int, int, str], name: str, view: View) -> None:
        views.setdefault(key, {})[name] = view

    emails = {person.email: person.id for person in history.people}
    titles = {history.module(slug).title: slug for slug in SLUGS}
    names = {
        cohort: f"History {history.number} cohort {n}" for n, cohort in enumerate(history.cohorts)
    }
    cohort_by_name = {name: cohort for cohort, name in names.items()}

    for row in trainer.get("/api/v1/reports/completion").json():
        key = (row["cohort_id"], row["user_id"], row["module_slug"])
        put(key, "JSON rows", View(row["status"], row["due_date"], day_of(row["last_activity_at"])))

    exported = csv.DictReader(io.StringIO(trainer.get("/reports/completion.csv").text))
    for row in exported:
        key = (cohort_by_name[row["Cohort"]], emails[row["Email"]], titles[row["Module"]])
        put(
            key,
            "CSV",
            View(LABELS[row["Status"]], row["Due date"], row["Last activity"] or None),
        )

    page = Tables(trainer.get("/reports/completion").text)
    for row in page.captioned("Each practitioner's status in each assigned module"):
        key = (
            cohort_by_name[row["Cohort"].text.strip()],
            emails[row["Email"].text.strip()],
            titles[row["Module"].text.strip()],
        )
        activity = row["Last activity"].times
        put(
            key,
            "dashboard",
            View(
                LABELS[row["Status"].tag],
                row["Due date"].times[0],
                activity[0] if activity else None,
            ),
        )

    for cohort in history.cohorts:
        grid = trainer.get(f"/api/v1/reports/completion/people?cohort_id={cohort}").json()
        for person in grid["people"]:
            for slug, cell in person["modules"].items():
                put(
                    (cohort, person["user_id"], slug),
                    "JSON grid",
                    View(cell["status"], cell["due_date"], day_of(cell["last_activity_at"])),
                )
        grid_csv = trainer.get(f"/reports/completion.csv?cohort_id={cohort}&view=people").text
        for row in csv.DictReader(io.StringIO(grid_csv)):
            for title, slug in titles.items():
                if not row.get(title):
                    continue
                match = re.fullmatch(r"(.+), due (\S+?)(?:, last active (\S+))?", row[title])
                assert match, row[title]
                put(
                    (cohort, emails[row["Email"]], slug),
                    "grid CSV",
                    View(LABELS[match[1]], match[2], match[3]),
                )
        grid_page = Tables(trainer.get(f"/reports/completion?cohort_id={cohort}&view=people").text)
        for row in grid_page.captioned("Each practitioner's status and due date"):
            for title, slug in titles.items():
                cell = row.get(title)
                if cell is None or not cell.tag:
                    continue
                put(
                    (cohort, emails[row["Email"].text.strip()], slug),
                    "grid page",
                    View(
                        LABELS[cell.tag],
                        cell.times[0],
                        cell.times[1] if len(cell.times) > 1 else None,
                    ),
                )
    return views


def record_views(history: History, person: Account) -> dict[str, View]:
    """The trainer's page about one practitioner, per module."""
    page = Tables(history.client(history.trainer).get(f"/reports/practitioners/{person.id}").text)
    titles = {history.module(slug).title: slug for slug in SLUGS}
    found = {}
    for row in page.captioned("Modules, attempts, scores and dates"):
        due, activity = row["Due"].times, row["Last activity"].times
        found[titles[row["Module"].text.strip()]] = View(
            LABELS[row["Status"].text.strip()],
            due[0] if due else None,
            activity[0] if activity else None,
        )
    return found


def own_views(history: History, person: Account) -> dict[str, dict[str, Any]]:
    """What the practitioner sees: /api/v1/me/progress, the home page and each module page."""
    client = history.client(person)
    mine = {item["slug"]: item for item in client.get("/api/v1/me/progress").json()}
    home = Tables(client.get("/").text)
    titles = {history.module(slug).title: slug for slug in SLUGS}
    for row in home.captioned("Modules your trainers have assigned to you"):
        title = next(title for title in titles if row["Module"].text.strip().startswith(title))
        mine[titles[title]]["home assigned"] = View(
            LABELS[row["Status"].tag], html_day(row["Due"].text), None
        )
    for row in home.captioned("Your progress in each module"):
        slug = titles.get(row["Module"].text.strip())
        if slug:
            mine[slug]["home status"] = LABELS[row["Status"].tag]
    for slug in SLUGS:
        page = client.get(f"/modules/{slug}").text
        line = re.search(r'<p class="nhsuk-u-margin-top-2">(.*?)</p>', page, re.S)
        assert line, f"the page of {slug} shows no status"
        words = " ".join(re.sub(r"<[^>]+>", " ", line[1]).split())
        mine[slug]["module page"] = words
    return mine


def check(history: History, seed: int) -> None:
    where = f"seed {seed}, history {history.number}:\n  " + "\n  ".join(history.log)
    trainer = trainer_views(history)
    expected_sources = {"JSON rows", "CSV", "dashboard", "JSON grid", "grid CSV", "grid page"}
    for (cohort, user_id, slug), seen in trainer.items():
        assert set(seen) == expected_sources, f"{where}\n{cohort, user_id, slug}: {seen}"
        assert len(set(seen.values())) == 1, f"{where}\n{cohort, user_id, slug}: {seen}"
        last_active = history.last_active.get((user_id, slug))
        assert seen["CSV"].last_active == (last_active and last_active.isoformat()), (
            f"{where}\n{cohort, user_id, slug}: last active {last_active}, views {seen}"
        )
    assignments = {
        (cohort, person, slug)
        for cohort, person in history.members
        for assigned_cohort, slug in history.assigned
        if assigned_cohort == cohort
    }
    assert set(trainer) == assignments, where
    today = history.today.isoformat()
    for person in history.people:
        mine = own_views(history, person)
        record = record_views(history, person)
        for slug in SLUGS:
            own = mine[slug]
            context = f"{where}\n{person.email} {slug} on {today}: {own}, trainer {trainer}"
            rows = [
                seen["JSON rows"] for key, seen in trainer.items() if key[1:] == (person.id, slug)
            ]
            last_active = history.last_active.get((person.id, slug))
            assert day_of(own["last_activity_at"]) == (last_active and last_active.isoformat()), (
                context
            )
            assert own["home status"] == own["status"], context
            assert own["status"] != "overdue", context  # their own status has four values
            if not rows:
                assert own["assignment_status"] is None and own["due_date"] is None, context
                assert "home assigned" not in own, context
                assert slug not in record or record[slug].due_date is None, context
            else:
                counts = min(
                    rows, key=lambda view: urgency(view.status, date.fromisoformat(view.due_date))
                )
                assert (own["assignment_status"], own["due_date"]) == (
                    counts.status,
                    counts.due_date,
                ), context
                assert own["home assigned"] == View(counts.status, counts.due_date, None), context
                assert record[slug] == counts, context
                if counts.status == "overdue":
                    folded = (
                        "due_for_refresh"
                        if own["completed_at"]
                        else ("in_progress" if last_active else "not_started")
                    )
                    assert own["status"] == folded, context
                else:
                    assert own["status"] == counts.status, context
            label = next(label for label, value in LABELS.items() if value == own["status"])
            assert own["module page"].startswith(label), context
            words = own["module page"]
            if own["completed_at"] is None:
                shown = own["due_date"]
                assert (shown is None) == (" Due " not in f" {words}"), context
            else:
                shown = own["due_date"] if " due again " in words else own["refresh_due"]
            if shown:
                day = date.fromisoformat(shown)
                assert f"{day.day} {day:%B %Y}" in words, context


# --- The test ----------------------------------------------------------------------------------


@pytest.fixture
def two_versions(tmp_path: Path, database_url: str) -> Iterator[tuple[FastAPI, FastAPI]]:
    """Askwell before and after a major change to asking-basics, on one database."""
    before = ModuleFolder(tmp_path / "before")
    after = ModuleFolder(tmp_path / "after")
    after.publish(3, major=True, replace={"Come back to it": "Always come back to it"})
    settings = {
        "session_idle_minutes": 10**7,
        "session_absolute_hours": 10**6,
        "login_attempts_per_minute": 10**6,
    }
    apps = tuple(
        create_app(make_settings(database_url, modules_dir=folder.root, **settings))
        for folder in (before, after)
    )
    with ExitStack() as running:
        for app in apps:
            running.enter_context(TestClient(app))
        yield apps  # type: ignore[misc]
    for app in apps:
        app.state.engine.dispose()


def test_every_view_agrees_on_status_due_date_and_last_activity(two_versions, make_user):
    print(f"Replay with ASKWELL_STATUS_SEED={SEED}")  # pytest shows it when the test fails
    rng = random.Random(SEED)
    for number in range(HISTORIES):
        start = datetime(2026, 1, 1, 8, tzinfo=UTC) + timedelta(days=rng.randint(0, 700))
        with time_machine.travel(start, tick=False) as clock:
            history = History(
                rng=rng,
                number=number,
                apps=two_versions,
                clock=clock,
                trainer=make_user(Role.trainer, Role.practitioner),
                people=[make_user(Role.practitioner) for _ in range(rng.randint(1, 3))],
            )
            try:
                play(history)
                check(history, SEED)
            except Exception as error:
                error.add_note(f"Replay with ASKWELL_STATUS_SEED={SEED} (history {number})")
                raise

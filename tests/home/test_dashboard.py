"""The home page: what a practitioner sees of their own progress there."""

from __future__ import annotations


def test_dashboard_offers_to_continue_where_you_left_off(practitioner_client):
    practitioner_client.post("/api/v1/modules/asking-basics/sections/why-ask/complete")
    page = practitioner_client.get("/").text
    assert "Continue where you left off" in page
    assert 'href="/modules/asking-basics/sections/opening-questions"' in page


def test_the_dashboard_says_each_modules_status_once(practitioner_client):
    """A percentage shows only while it adds something: never "0%" beside "Not started"."""
    practitioner_client.post("/api/v1/modules/asking-basics/sections/why-ask/complete")
    page = practitioner_client.get("/").text
    rows = {
        row.split("</a>")[0].rsplit(">", 1)[-1]: row
        for row in page.split('<tr class="nhsuk-table__row">')[1:]
        if 'href="/modules/' in row
    }
    started = next(row for title, row in rows.items() if "In progress" in row)
    assert "%</td>" in started
    untouched = [row for row in rows.values() if "Not started" in row]
    assert untouched
    assert all("0%" not in row for row in untouched)

"""Young people rate the "how to ask" examples; practitioners and trainers read the result."""

from __future__ import annotations

import re

from sqlmodel import select

from app.models.ratings import AskRating
from app.models.users import Role

RATING = "/api/v1/modules/asking-basics/asks/curiosity/rating"
ENDORSEMENT = re.compile(r"(\d+) of (\d+) young people said this would work on them")


def rate_as_many(signed_in, make_user, verdicts):
    for verdict in verdicts:
        client = signed_in(make_user(Role.codesigner))
        assert client.put(RATING, json={"verdict": verdict}).status_code == 200


def test_a_codesigner_rates_an_example_once_and_can_change_it(young, codesigner, rows):
    first = young.put(RATING, json={"verdict": "no", "comment": "Sounds like a form."})
    assert first.status_code == 200 and first.json()["verdict"] == "no"
    changed = young.put(RATING, json={"verdict": "yes"})
    assert changed.status_code == 200
    stored = rows(select(AskRating).where(AskRating.user_id == codesigner.id))
    assert [(r.ask_id, r.verdict, r.comment) for r in stored] == [("curiosity", "yes", "")]


def test_ratings_are_checked(young, signed_in, make_user):
    assert young.put(RATING, json={"verdict": "maybe"}).status_code == 422
    too_long = young.put(RATING, json={"verdict": "yes", "comment": "x" * 501})
    assert too_long.status_code == 422 and "500 characters" in too_long.json()["detail"]
    missing = young.put("/api/v1/modules/asking-basics/asks/nope/rating", json={"verdict": "yes"})
    assert missing.status_code == 404
    practitioner = signed_in(make_user(Role.practitioner))
    assert practitioner.put(RATING, json={"verdict": "yes"}).status_code == 403


def test_practitioners_see_endorsements_only_from_five_ratings(
    signed_in, make_user, practitioner_client
):
    rate_as_many(signed_in, make_user, ["yes", "yes", "no", "not_sure"])
    section = "/modules/asking-basics/sections/opening-questions"
    assert not ENDORSEMENT.search(practitioner_client.get(section).text)
    rate_as_many(signed_in, make_user, ["yes"])
    match = ENDORSEMENT.search(practitioner_client.get(section).text)
    assert match and match.groups() == ("3", "5")


def test_codesigners_see_their_own_rating_form_on_the_module(young):
    young.put(RATING, json={"verdict": "not_sure", "comment": "Depends who asks"})
    page = young.get("/modules/asking-basics/sections/opening-questions").text
    assert "Would this work on you?" in page
    assert re.search(r'value="not_sure"\s+checked', page)
    assert "Depends who asks" in page


def test_a_rating_form_works_without_javascript(young):
    page = young.get("/modules/asking-basics/all").text
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    response = young.post(
        "/modules/asking-basics/asks/curiosity/rating",
        data={"csrf_token": token, "verdict": "yes", "next": "/modules/asking-basics/all"},
        follow_redirects=False,
    )
    assert response.status_code == 303
    assert (
        response.headers["location"] == "/modules/asking-basics/all?rated=curiosity#ask-curiosity"
    )
    assert "Your rating is saved" in young.get(response.headers["location"]).text
    no_choice = young.post(
        "/modules/asking-basics/asks/curiosity/rating",
        data={"csrf_token": token, "comment": "keep me", "next": "https://evil.example/"},
    )
    assert no_choice.status_code == 400
    assert "Choose yes, not sure or no" in no_choice.text and "keep me" in no_choice.text
    assert "evil.example" not in no_choice.text
    assert 'href="#rating-curiosity-yes"' in no_choice.text


def test_a_rating_that_is_not_saved_comes_back_as_typed_with_the_error_beside_it(young, rows):
    page = young.get("/modules/asking-basics/all").text
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    long_comment = "It depends who is asking and why. " * 20
    refused = young.post(
        "/modules/asking-basics/asks/curiosity/rating",
        data={
            "csrf_token": token,
            "verdict": "not_sure",
            "comment": long_comment,
            "next": "/modules/asking-basics/all",
        },
    )
    assert refused.status_code == 400
    form = refused.text
    assert 'href="#rating-curiosity-comment"' in form
    assert "must be 500 characters or fewer (it is 679)" in form
    assert re.search(r'value="not_sure" checked', form)
    assert long_comment.strip() in form
    assert 'name="next" value="/modules/asking-basics/all"' in form
    assert rows(select(AskRating)) == []

    saved = young.post(
        "/modules/asking-basics/asks/curiosity/rating",
        data={
            "csrf_token": re.search(r'name="csrf_token" value="([^"]+)"', form).group(1),
            "verdict": "not_sure",
            "comment": "It depends who is asking and why.",
            "next": re.search(r'name="next" value="([^"]+)"', form).group(1),
        },
        follow_redirects=False,
    )
    assert saved.status_code == 303
    assert [(r.verdict, r.comment) for r in rows(select(AskRating))] == [
        ("not_sure", "It depends who is asking and why.")
    ]


def test_trainers_see_every_example_and_which_young_people_reject(reviewer, signed_in, make_user):
    rate_as_many(signed_in, make_user, ["no", "no", "no", "yes"])
    before = reviewer.get("/api/v1/review/asks").json()
    assert before[0]["total"] == 4 and before[0]["needs_revision"] is False
    commenter = signed_in(make_user(Role.codesigner))
    commenter.put(RATING, json={"verdict": "no", "comment": "<b>Too blunt</b>"})
    summary = reviewer.get("/api/v1/review/asks").json()[0]
    assert (summary["yes"], summary["no"], summary["total"]) == (1, 4, 5)
    assert summary["needs_revision"] is True
    assert summary["comments"][0]["comment"] == "<b>Too blunt</b>"
    page = reviewer.get("/review/asks").text
    assert "Needs revision" in page and "&lt;b&gt;Too blunt&lt;/b&gt;" in page


def test_only_trainers_read_the_ratings(signed_in, make_user):
    for role in (Role.practitioner, Role.codesigner):
        client = signed_in(make_user(role))
        assert client.get("/api/v1/review/asks").status_code == 403
        assert client.get("/review/asks").status_code == 403

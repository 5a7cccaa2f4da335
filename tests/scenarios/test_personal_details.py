"""Each kind of personal detail is found in the layouts young people write it in, and everyday
words, platform names and helplines are not mistaken for one."""

from __future__ import annotations

import pytest

from app.scenarios.personal_details import find_personal_details


def found(text: str) -> list[tuple[str, str]]:
    return [(finding.kind, finding.text) for finding in find_personal_details(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("email me at jo.bloggs+yp@example.co.uk please", "jo.bloggs+yp@example.co.uk"),
        ("it's SAM_99@Gmail.com", "SAM_99@Gmail.com"),
        ("sam (at) gmail (dot) com", "sam (at) gmail (dot) com"),
        ("sam [at] hotmail.co.uk", "sam [at] hotmail.co.uk"),
    ],
)
def test_email_addresses(text, expected):
    assert ("email", expected) in found(text)


@pytest.mark.parametrize(
    "number",
    [
        "07700 900123",
        "07700900123",
        "07700-900-123",
        "0770 090 0123",
        "+44 7700 900123",
        "+447700900123",
        "+44 (0)7700 900 123",
        "0044 7700 900123",
        "020 7946 0958",
        "0161-496-0000",
        "(0113) 496 0000",
        "01632 960001",
        "０７７００ ９００１２３",
    ],
)
def test_uk_phone_numbers_in_every_common_layout(number):
    kinds = [kind for kind, _ in found(f"text me on {number} tonight")]
    assert kinds == ["phone"]


def test_a_zero_width_space_cannot_hide_a_phone_number():
    assert [kind for kind, _ in found("call 07700\u200b900123")] == ["phone"]


@pytest.mark.parametrize(
    "text",
    [
        "I rang Samaritans on 116 123 and Childline on 0800 1111",
        "text SHOUT to 85258 or call 999 or 111",
        "I had 12345678 views in 2024 when I was 16-17",
        "between 10:30 and 11:45 on 12/05/2024, about 3.5 hours",
    ],
)
def test_helplines_years_ages_and_counts_are_not_phone_numbers(text):
    assert found(text) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("follow @sam_x on insta", "@sam_x"),
        ("my account is @the.real.sam", "@the.real.sam"),
        ("posted as u/throwaway_99 on reddit", "u/throwaway_99"),
    ],
)
def test_handles(text, expected):
    assert ("handle", expected) in found(text)


def test_the_middle_of_an_email_is_not_a_handle():
    assert found("me@home.com") == [("email", "me@home.com")]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("see https://example.com/a?b=1.", "https://example.com/a?b=1"),
        ("go to www.foo.org, it's good", "www.foo.org"),
        ("my blog is example.co.uk/path", "example.co.uk/path"),
        ("at sam-x.gg or tiktok.com/@sam", "sam-x.gg"),
        ("HTTP://EXAMPLE.NET", "HTTP://EXAMPLE.NET"),
    ],
)
def test_urls_including_bare_domains(text, expected):
    assert ("url", expected) in found(text)


def test_abbreviations_and_decimals_are_not_urls():
    assert found("e.g. this, i.e. that, 9 a.m. and 3.5 hours") == []


@pytest.mark.parametrize("postcode", ["SW1A 1AA", "sw1a1aa", "M1 1AE", "B33 8TH", "CR2 6XH"])
def test_uk_postcodes_with_or_without_the_space(postcode):
    assert found(f"I live near {postcode} now") == [("postcode", postcode)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Sarah told me it was fine.", "Sarah"),
        ("I told Tom about it.", "Tom"),
        ("Priya Shah was there.", "Priya Shah"),
        ("my friend amy said so", "amy"),
        ("I saw Mr Patel and Dr. Okafor", "Patel"),
        ("Then Hope Smith came in.", "Hope Smith"),
        ("Sarah's mum found out", "Sarah"),
    ],
)
def test_peoples_names(text, expected):
    assert ("name", expected) in found(text)


@pytest.mark.parametrize(
    "text",
    [
        "Will you ask me about it? May I say something?",
        "Hope it helps. Summer was hard. Grace under pressure.",
        "Mad at myself. Sad times. Job done. Man, it was bad.",
        "Instagram and TikTok and Alexa and Siri and Discord.",
        "On Monday in April my Mum and Dad found out.",
        "I told my nurse at CAMHS and my GP.",
    ],
)
def test_everyday_words_platforms_and_sentence_starts_are_not_names(text):
    assert found(text) == []


def test_words_the_curriculum_uses_can_be_ignored():
    assert found("I play Roblox with Kai") == [("name", "Kai")]
    kai = find_personal_details("I play Roblox with Kai", ignore_words=["Kai"])
    assert kai == []


def test_findings_come_in_reading_order_with_their_exact_text():
    text = "Sarah: 07700 900123, @sarah, sarah@example.com, SW1A 1AA, example.com"
    assert [kind for kind, _ in found(text)] == [
        "name",
        "phone",
        "handle",
        "email",
        "postcode",
        "url",
    ]

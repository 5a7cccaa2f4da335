"""Words about risk now are recognised; experiences in the past are not treated as a crisis."""

from __future__ import annotations

import pytest

from app.safeguarding.risk_words import check_risk


@pytest.mark.parametrize(
    ("text", "category"),
    [
        ("I want to die", "suicide"),
        ("Im going to kill myself tonight", "suicide"),
        ("i dont want to be here anymore", "suicide"),
        ("I feel suicidal", "suicide"),
        ("I still want to die sometimes", "suicide"),
        ("there is no point living", "suicide"),
        ("everyone would be better off without me", "suicide"),
        ("I was going to kill myself last night", "suicide"),
        ("I’ve started self-harming again", "self-harm"),
        ("I want to hurt myself", "self-harm"),
        ("i cant cope anymore", "crisis"),
    ],
)
def test_present_risk_is_recognised(text, category):
    assert category in check_risk(text).categories


@pytest.mark.parametrize(
    "text",
    [
        "When I was 15 I felt suicidal and my nurse asked about my phone",
        "Back then I was self-harming and she told me to delete Instagram",
        "I'm going to die of embarrassment if she sees my feed",
        "I want to end it with my boyfriend",
        "my friend said she was suicidal",
        "Nobody asked me about TikTok",
    ],
)
def test_past_experiences_and_figures_of_speech_are_not_flagged(text):
    assert check_risk(text).at_risk is False


def test_the_flag_names_kinds_of_words_never_the_words():
    check = check_risk("I want to die", "I want to hurt myself")
    assert check.categories == ("suicide", "self-harm")
    assert "die" not in check.reasons and "hurt" not in check.reasons


def test_the_sentences_that_matched_are_returned_as_written():
    check = check_risk(
        "My nurse asked about TikTok. I can't cope any more and I want to die! It was fine.",
        "Last year I wanted to die. Nothing else.",
    )
    assert check.sentences == ("I can't cope any more and I want to die",)

"""Finds details in a young person's words that could identify them or someone else.

The author sees every finding before they send, and may still send (a warning,
not a block); a reviewer may publish only text in which nothing is found, or
after confirming each remaining finding is not personal.

Kinds found:

- ``email``: ``name@example.com``, and ``name (at) example (dot) com`` written out
- ``phone``: UK numbers in any common layout (mobile, landline, ``+44``, ``0044``,
  ``(0)``, spaces, dashes, brackets), found with Google's libphonenumber
  (the ``phonenumbers`` package) and kept when they hold at least nine national
  digits; well-known helplines (116 123, 0800 1111, 85258, 999, 111) are not
  personal and are never flagged
- ``handle``: ``@name`` (but not the middle of an email address) and ``u/name``
- ``url``: ``http(s)://`` and ``www.`` links, and bare domains such as
  ``example.co.uk`` or ``insta.gg/name`` with a known top-level domain
- ``postcode``: full UK postcodes, with or without the space, in any case
- ``name``: people's first names from the person-name lists Faker ships for
  British, Irish, US, Indian, Pakistani, Nigerian, Kenyan and New Zealand
  English (about 3,000 first names; nothing is downloaded), plus a surname from
  the same lists after a first name, and any capitalised word after a title
  such as ``Mr`` or ``Dr``

Keeping false positives tolerable matters as much as finding things: a warning
that cries wolf teaches people to ignore it. So a first name that is also an
everyday word (Hope, Will, May, Summer, Grace…) counts only when a surname or a
title goes with it; a lower-case name counts only after words like "my friend"
or "called"; and platform names (Instagram, Alexa…) and curriculum words are
never names. Text is read after Unicode NFKC normalisation with invisible
characters removed, so full-width digits or zero-width spaces cannot hide a
phone number.
"""

from __future__ import annotations

import importlib
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache

import phonenumbers

from app.content import ContentIndex
from app.models.contributions import Credit
from app.scenarios.schemas import WarningOut

KINDS: tuple[str, ...] = ("email", "phone", "handle", "url", "postcode", "name")

KIND_LABELS = {
    "email": "Email address",
    "phone": "Phone number",
    "handle": "Username or @handle",
    "url": "Web address",
    "postcode": "Postcode",
    "name": "Name of a person",
}

NAME_LIST_LOCALES = ("en_GB", "en_IE", "en_US", "en_IN", "en_PK", "en_NG", "en_KE", "en_NZ")

# Helplines young people may mention; naming them identifies nobody.
HELPLINE_DIGITS = frozenset({"116123", "08001111", "85258", "999", "111", "116111", "08457909090"})
MINIMUM_PHONE_DIGITS = 9

_EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}")
_EMAIL_SPELT_OUT = re.compile(
    r"\b[A-Za-z0-9._%+-]+\s*[\[(]\s*at\s*[\])]\s*[A-Za-z0-9-]+"
    r"(?:\s*(?:[\[(]\s*dot\s*[\])]|\.)\s*[A-Za-z]{2,})+",
    re.IGNORECASE,
)
_TOP_LEVEL_DOMAINS = (
    "com|net|org|info|biz|io|co|me|tv|gg|app|dev|ly|ai|xyz|online|site|live|link|"
    "blog|shop|store|uk|ie|us|ca|au|nz|de|fr|es|it|nl|be|eu|in|pk|ng|ke|za|to|fm|cc|ws|vip|club"
)
_URL = re.compile(
    r"(?:https?://|www\.)[^\s<>\"']+"
    r"|(?<![@\w.-])(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+"
    rf"(?:{_TOP_LEVEL_DOMAINS})\b(?:/[^\s<>\"']*)?",
    re.IGNORECASE,
)
_HANDLE = re.compile(
    r"(?<![\w@.])@[A-Za-z0-9_](?:[A-Za-z0-9_.]{0,28}[A-Za-z0-9_])?|(?<![\w/])u/[A-Za-z0-9_-]{3,20}"
)
_POSTCODE = re.compile(
    r"\b(?:GIR\s?0AA|[A-PR-UWYZ][A-HK-Y]?[0-9][A-HJKPSTUW0-9]?\s?[0-9][ABD-HJLNP-UW-Z]{2})\b",
    re.IGNORECASE,
)
_WORD = re.compile(r"[^\W\d_][\w'’-]*")
_TRAILING_PUNCTUATION = ".,;:!?)]}'\"’”"


def _word_set(words: str) -> frozenset[str]:
    """A set from a block of words, so long lists stay readable in the source."""
    return frozenset(words.split())


TITLES = frozenset({"mr", "mrs", "ms", "miss", "mx", "dr", "sir", "prof", "professor"})
NAME_CUES = frozenset(
    {
        "called",
        "named",
        "friend",
        "mate",
        "bestie",
        "bf",
        "gf",
        "boyfriend",
        "girlfriend",
        "partner",
        "ex",
        "sister",
        "brother",
        "cousin",
        "mum",
        "dad",
        "nan",
        "teacher",
        "nurse",
        "doctor",
        "worker",
        "counsellor",
        "therapist",
    }
)

# First names that are also everyday words (checked against a British English
# word list); they count as names only with a surname or a title beside them.
EVERYDAY_WORD_NAMES = _word_set(
    """
    abbey amber angel april archer aria august autumn basil beau beryl bill billy blessing
    bob bonnie brandy brook brooke cal carol chad charity chase clement comfort cooper
    crystal daisy dale dawn dean destiny diamond don drew duke earl ebony eta eve faith
    fancy flora forum frank gene glen grace grant guy harmony harsh hazel heather holly hope
    hunter immaculate innocent ivy jack jade jasmine jay job joy june justice lance lavender
    lily loot lucky mad man mark mason max may meg melody mercy misty nadir nail noel olive
    patience peace penny phoenix pierce piper poppy precious prudence purity raid raven ray
    rich robin rose rosemary ruby sad said sandy sky star storm summer sunny tanner trinity
    valentine veer viola violet wadi warren will willow winter young
    """
)

# Never names here: platforms and services young people talk about, and words of
# the curriculum that a person's name list happens to contain.
NOT_NAMES = _word_set(
    """
    alexa siri cortana bard claude instagram insta tiktok snapchat snap discord youtube
    whatsapp facebook messenger twitter reddit twitch roblox fortnite minecraft tumblr
    pinterest bereal telegram kik omegle yubo threads steam xbox playstation nintendo
    spotify netflix google apple samsung iphone android tinder hinge bumble grindr
    onlyfans kooth childline samaritans shout nhs camhs gp ucas fifa bet365 paypal
    monday tuesday wednesday thursday friday saturday sunday january february march
    april may june july august september october november december christmas easter
    eid diwali ramadan god allah jesus mum dad nan gran grandma grandad auntie uncle
    miss sir ok okay hi hey lol omg
    """
)


@dataclass(frozen=True, slots=True)
class Finding:
    """One detail that looks personal: what kind, and the exact text to look for."""

    kind: str
    text: str
    start: int
    end: int

    @property
    def label(self) -> str:
        return KIND_LABELS[self.kind]


@cache
def _names() -> tuple[frozenset[str], frozenset[str]]:
    """First names and surnames from Faker's person providers, read once."""
    first: set[str] = set()
    last: set[str] = set()
    for locale in NAME_LIST_LOCALES:
        provider = importlib.import_module(f"faker.providers.person.{locale}").Provider
        for attribute in ("first_names", "first_names_male", "first_names_female"):
            first.update(_as_names(getattr(provider, attribute, ())))
        last.update(_as_names(getattr(provider, "last_names", ())))
    return frozenset(first), frozenset(last)


def _as_names(values: Iterable[str] | dict[str, float]) -> set[str]:
    return {value.casefold() for value in values if value.isalpha() and len(value) >= 2}


def readable_text(text: str) -> str:
    """The text as a reader sees it: NFKC-normalised, invisible format characters removed."""
    normalised = unicodedata.normalize("NFKC", text)
    return "".join(ch for ch in normalised if unicodedata.category(ch) != "Cf")


def find_personal_details(text: str, ignore_words: Iterable[str] = ()) -> list[Finding]:
    """Every detail that looks personal, in reading order, each span found once."""
    text = readable_text(text)
    ignored = NOT_NAMES | {word.casefold() for word in ignore_words}
    taken: list[tuple[int, int]] = []
    findings: list[Finding] = []

    def add(kind: str, start: int, end: int) -> None:
        while end > start and text[end - 1] in _TRAILING_PUNCTUATION:
            end -= 1
        if end <= start or any(
            start < other_end and other_start < end for other_start, other_end in taken
        ):
            return
        taken.append((start, end))
        findings.append(Finding(kind, text[start:end], start, end))

    for pattern in (_EMAIL, _EMAIL_SPELT_OUT):
        for match in pattern.finditer(text):
            add("email", *match.span())
    for match in _URL.finditer(text):
        add("url", *match.span())
    for match in _HANDLE.finditer(text):
        add("handle", *match.span())
    for match in _POSTCODE.finditer(text):
        add("postcode", *match.span())
    for start, end in _phone_spans(text):
        add("phone", start, end)
    for start, end in _name_spans(text, ignored):
        add("name", start, end)
    return sorted(findings, key=lambda finding: finding.start)


def _phone_spans(text: str) -> list[tuple[int, int]]:
    spans = []
    for match in phonenumbers.PhoneNumberMatcher(
        text, "GB", leniency=phonenumbers.Leniency.POSSIBLE
    ):
        digits = re.sub(r"\D", "", match.raw_string)
        national = str(match.number.national_number)
        if digits in HELPLINE_DIGITS or national in HELPLINE_DIGITS:
            continue
        if len(national) >= MINIMUM_PHONE_DIGITS:
            spans.append((match.start, match.end))
    return spans


def _strip_possessive(word: str) -> str:
    for suffix in ("'s", "’s"):
        if word.endswith(suffix):
            return word[: -len(suffix)]
    return word.rstrip("'’-")


def _is_capitalised(word: str) -> bool:
    return word[:1].isupper()


def _name_spans(text: str, ignored: frozenset[str]) -> list[tuple[int, int]]:
    first_names, last_names = _names()
    words = [
        (
            match.start(),
            match.start() + len(_strip_possessive(match.group())),
            _strip_possessive(match.group()),
        )
        for match in _WORD.finditer(text)
    ]
    spans: list[tuple[int, int]] = []
    for index, (start, end, word) in enumerate(words):
        key = word.casefold()
        if key in ignored or len(key) < 2:
            continue
        previous = words[index - 1][2].casefold().rstrip(".") if index else ""
        following = words[index + 1] if index + 1 < len(words) else None
        capitalised = _is_capitalised(word)
        has_surname = (
            following is not None
            and _is_capitalised(following[2])
            and following[2].casefold() in last_names
            and following[2].casefold() not in ignored
            and text[end : following[0]].strip() == ""
        )
        after_title = (
            previous in TITLES
            and capitalised
            and text[words[index - 1][1] : start].strip(". ") == ""
        )
        if after_title:
            spans.append((start, end))
            continue
        if key not in first_names:
            continue
        if has_surname and capitalised and following is not None:
            spans.append((start, following[1]))
        elif key in EVERYDAY_WORD_NAMES:
            continue
        elif capitalised or previous in NAME_CUES:
            spans.append((start, end))
    return spans


# --- In Askwell's words -------------------------------------------------------------------


_ignored_words: dict[int, frozenset[str]] = {}


def ignored_words(content: ContentIndex) -> frozenset[str]:
    """Words of the curriculum that are never people's names (app names, topics), read once."""
    key = id(content)
    words = _ignored_words.get(key)
    if words is None:
        collected: set[str] = set()
        for module in content.all():
            if module.kind == "app":
                collected.update(re.findall(r"[^\W\d_]+", module.title))
                for alias in module.also_known_as:
                    collected.update(re.findall(r"[^\W\d_]+", alias))
            for topic in module.topics:
                collected.update(topic.split("-"))
        words = _ignored_words.setdefault(key, frozenset(word.casefold() for word in collected))
    return words


def findings_in(content: ContentIndex, text: str) -> list[Finding]:
    return find_personal_details(text, ignored_words(content))


def personal_details_in(
    content: ContentIndex, fields: Iterable[tuple[str, str]]
) -> list[WarningOut]:
    """Every finding in the named texts, each a warning under the field it is in."""
    ignore = ignored_words(content)
    return [
        WarningOut.of(name, finding)
        for name, text in fields
        for finding in find_personal_details(text, ignore)
    ]


def credit_name_findings(content: ContentIndex, credit: str, credit_name: str) -> list[Finding]:
    """What looks personal in the name a young person is credited by, checked like every field.

    The credit is printed beside their story in every module, so an email, a handle or a
    real-looking full name there would identify them. A first name they chose to be credited
    by is the one detail they agreed to share, so only that is not flagged."""
    if credit == Credit.none.value or not credit_name:
        return []
    return [
        finding
        for finding in findings_in(content, credit_name)
        if not (credit == Credit.first_name.value and finding.kind == "name")
    ]

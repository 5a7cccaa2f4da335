"""Words that suggest a young person may be at risk now: the one curated list.

A match does two things at once: the next page the young person sees shows support
first (Samaritans, Shout, Childline, 999), and a safeguarding record is raised that
only trainers see, holding the sentences that matched. The young person is told both
will happen before they start writing.

The list looks for present-tense intent about suicide and self-harm ("I want to
die", "I'm going to hurt myself", "I don't want to be here any more"), not for the
topics themselves: a scenario about a past experience ("when I was self-harming,
my nurse said…") is exactly what co-design asks for and must not be treated as a
crisis. A phrase found in a sentence that is clearly about the past ("I used to
want to die", "last year I felt suicidal") does not count, unless the same
sentence also says "now", "still", "tonight" or "again". When in doubt, the list
errs towards showing support: showing a helpline to someone who did not need it
costs little.

Change the list here, with a test for each new phrase (tests/safeguarding).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

I_AM = r"(?:i'?m|i am|im)"
DO_NOT = r"(?:don'?t|do not|dont)"
CANNOT = r"(?:can'?t|cannot|cant)"
WANT = r"(?:want|wanna|going|gonna|planning|plan|about|trying|need)"
ANY_MORE = r"(?:any ?more)"

DIE = r"die\b(?! (?:of|from|laughing|for))"
RISK_PATTERNS: tuple[tuple[str, str], ...] = (
    (
        "suicide",
        rf"\b(?:i|{I_AM}) (?:\w+ )?{WANT} (?:to )?"
        rf"(?:kill myself|{DIE}|end (?:it all|my life)|take my (?:own )?life)",
    ),
    ("suicide", r"\b(?:kill|killing) myself\b"),
    ("suicide", rf"\b(?:{I_AM}|i feel|i'?m feeling|feeling) (?:\w+ )?suicidal\b"),
    ("suicide", r"\b(?:end|ending) (?:it all|my life)\b"),
    ("suicide", r"\btake my (?:own )?life\b"),
    ("suicide", rf"\b{DO_NOT} want to (?:be alive|live|exist|be here {ANY_MORE}|wake up)\b"),
    ("suicide", r"\bno (?:point|reason) (?:in )?(?:living|to live|being alive|going on)\b"),
    ("suicide", r"\bbetter off (?:dead|without me)\b"),
    ("suicide", r"\b(?:writing|written|wrote) (?:a |my )?(?:suicide|goodbye) (?:note|letter)\b"),
    ("suicide", r"\b(?:i'?ve|i have) (?:just )?taken (?:an overdose|too many (?:pills|tablets))\b"),
    ("suicide", rf"\b{WANT} (?:to )?(?:take an )?overdose\b"),
    (
        "crisis",
        rf"\b{CANNOT} (?:go on|cope {ANY_MORE}|do this {ANY_MORE}|keep going|keep myself safe)\b",
    ),
    ("self-harm", rf"\b(?:i|{I_AM}) (?:\w+ )?{WANT} (?:to )?(?:hurt|harm|cut|burn) myself\b"),
    (
        "self-harm",
        rf"\b(?:{I_AM}|i keep|i'?ve been|i have been|i'?ve started|i started) (?:\w+ )?"
        r"(?:self[- ]?harming|cutting myself|hurting myself|harming myself)\b",
    ),
    ("self-harm", r"\b(?:self[- ]?harm(?:ing)?|cutting|hurting myself|harming myself) again\b"),
)

_COMPILED = tuple((category, re.compile(pattern)) for category, pattern in RISK_PATTERNS)
_PAST = re.compile(
    r"\b(?:used to|had been|last (?:year|month|summer)|years ago|back then|at the time|"
    r"when i was|in year \d+|a few years|a while ago)\b"
)
_PRESENT = re.compile(r"\b(?:now|still|tonight|today|again|at the moment|anymore|any more)\b")
_SENTENCE = re.compile(r"[^.!?\n]+")

CATEGORY_LABELS = {
    "suicide": "Words about wanting to end their life now",
    "self-harm": "Words about harming themselves now",
    "crisis": "Words about not being able to cope now",
}


@dataclass(frozen=True, slots=True)
class RiskCheck:
    categories: tuple[str, ...]
    sentences: tuple[str, ...] = ()
    """Each sentence that matched, as the young person wrote it, so a safeguarding lead reads
    exactly what was said."""

    @property
    def at_risk(self) -> bool:
        return bool(self.categories)

    @property
    def reasons(self) -> str:
        """What trainers read on the flag: the kinds of words, never the words."""
        return "; ".join(CATEGORY_LABELS[category] for category in self.categories)


def _readable(text: str) -> str:
    """The text as a reader sees it: NFKC-normalised, invisible format characters removed."""
    normalised = unicodedata.normalize("NFKC", text)
    return "".join(ch for ch in normalised if unicodedata.category(ch) != "Cf")


def _normalise(sentence: str) -> str:
    sentence = sentence.lower().replace("’", "'").replace("‘", "'")
    return re.sub(r"[ \t]+", " ", sentence)


def check_risk(*texts: str) -> RiskCheck:
    """The kinds of present risk the texts suggest, if any, and the sentences that say so."""
    found: list[str] = []
    sentences: list[str] = []
    for text in texts:
        for written in _SENTENCE.findall(_readable(text)):
            sentence = _normalise(written)
            is_past = bool(_PAST.search(sentence)) and not _PRESENT.search(sentence)
            if is_past:
                continue
            matched = False
            for category, pattern in _COMPILED:
                if pattern.search(sentence):
                    matched = True
                    if category not in found:
                        found.append(category)
            quoted = re.sub(r"\s+", " ", written).strip()
            if matched and quoted not in sentences:
                sentences.append(quoted)
    return RiskCheck(tuple(found), tuple(sentences))


SUPPORT_SERVICES: tuple[tuple[str, str, str], ...] = (
    ("Samaritans", "Call 116 123, free, any time, day or night", "tel:116123"),
    ("Shout", "Text SHOUT to 85258, free, any time", "sms:85258"),
    ("Childline", "Call 0800 1111 if you are under 19", "tel:08001111"),
    ("Emergency", "Call 999 if you are in danger now or have hurt yourself", "tel:999"),
)

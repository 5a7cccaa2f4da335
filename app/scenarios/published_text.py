"""The version practitioners read: suggested from the author's answers with every detail that
looks personal replaced by a label, and checked again before it is stored or published.

The checks change nothing, so a refusal loses nothing the trainer typed.
"""

from __future__ import annotations

from collections.abc import Sequence

from app.content import ContentIndex
from app.core.errors import InvalidInput
from app.core.text import clean_multiline
from app.models.contributions import Scenario
from app.scenarios.errors import StillPersonal
from app.scenarios.personal_details import Finding, findings_in, readable_text

MAXIMUM_PUBLISHED_LENGTH = 8000
MAXIMUM_TITLE_LENGTH = 120
MAXIMUM_WARNING_LENGTH = 200
REDACTION_LABELS = {
    "email": "[email address]",
    "phone": "[phone number]",
    "handle": "[username]",
    "url": "[web address]",
    "postcode": "[postcode]",
    "name": "[name]",
}
# Each part of a published version: its field, its longest length, and its name in a message.
_PARTS = (
    ("published_title", MAXIMUM_TITLE_LENGTH, "The published title"),
    ("published_text", MAXIMUM_PUBLISHED_LENGTH, "The published text"),
    ("content_warning", MAXIMUM_WARNING_LENGTH, "The content warning"),
)
WRITE_THE_TEXT = "Write the anonymised text practitioners will read."
GIVE_A_TITLE = "Give the published scenario a title."


def suggested_text(content: ContentIndex, scenario: Scenario) -> str:
    """A starting point for the published text: the author's answers with every detail that
    looks personal replaced by a label such as [phone number]."""
    parts = [
        ("What happened online", scenario.what_happened),
        ("What the practitioner said or did", scenario.what_was_said),
        ("How it felt", scenario.how_it_felt),
        ("What would have helped", scenario.what_would_help),
    ]
    return "\n\n".join(f"{label}: {redact(content, text)}" for label, text in parts if text)


def redact(content: ContentIndex, text: str) -> str:
    text = readable_text(text)
    for finding in sorted(findings_in(content, text), key=lambda f: -f.start):
        text = text[: finding.start] + REDACTION_LABELS[finding.kind] + text[finding.end :]
    return text


def clean_limited(value: str | None, limit: int, name: str, *, field: str) -> str:
    """The value cleaned; refused, under ``field``, when longer than ``limit``."""
    cleaned = clean_multiline(value or "")
    if len(cleaned) > limit:
        raise InvalidInput(
            f"{name} must be {limit:,} characters or fewer.", field=field, code="too_long"
        )
    return cleaned


def checked_version(
    content: ContentIndex,
    *,
    title: str | None,
    text: str | None,
    warning: str | None,
    confirmed_not_personal: list[str],
    credit_findings: Sequence[Finding] = (),
) -> tuple[str, str, str]:
    """The title, text and warning practitioners will read, cleaned; refused while anything in
    them (or in the name they are credited by) looks personal and was not confirmed.
    Changes nothing, so a refusal loses nothing."""
    title, text, warning = (
        clean_limited(value, limit, name, field=field)
        for value, (field, limit, name) in zip((title, text, warning), _PARTS, strict=True)
    )
    if not text:
        raise InvalidInput(WRITE_THE_TEXT, field="published_text", code="missing")
    if not title:
        raise InvalidInput(GIVE_A_TITLE, field="published_title", code="missing")
    confirmed = {clean_multiline(item) for item in confirmed_not_personal}
    remaining = [
        finding
        for part in (title, text, warning)
        for finding in findings_in(content, part)
        if finding.text not in confirmed
    ]
    remaining.extend(finding for finding in credit_findings if finding.text not in confirmed)
    if remaining:
        raise StillPersonal(remaining)
    return title, text, warning


def version_problems(*, title: str | None, text: str | None, warning: str | None) -> dict[str, str]:
    """What is missing or too long in a published version, by field, all at once."""
    problems: dict[str, str] = {}
    for value, (field, limit, name) in zip((title, text, warning), _PARTS, strict=True):
        if len(clean_multiline(value or "")) > limit:
            problems[field] = f"{name} must be {limit:,} characters or fewer."
    if "published_text" not in problems and not clean_multiline(text or ""):
        problems["published_text"] = WRITE_THE_TEXT
    if "published_title" not in problems and not clean_multiline(title or ""):
        problems["published_title"] = GIVE_A_TITLE
    return problems


def store_version(scenario: Scenario, version: tuple[str, str, str]) -> None:
    scenario.published_title, scenario.published_text, scenario.published_content_warning = version


def placeholders_in(*texts: str | None) -> list[str]:
    """Labels such as [name] left from the pre-filled text, each once, in the order found."""
    found: dict[str, int] = {}
    for text in texts:
        for label in REDACTION_LABELS.values():
            at = (text or "").find(label)
            if at >= 0 and label not in found:
                found[label] = len(found)
    return list(found)

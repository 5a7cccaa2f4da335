"""What a co-designer types, and the rules it meets: cleaned, checked field by field, and
read for personal details, the same whether it comes from the question pages or the API."""

from __future__ import annotations

import re

from app.content import ContentIndex
from app.content.schemas import TOPICS
from app.core.text import clean_multiline
from app.models.contributions import Credit, Scenario
from app.scenarios.personal_details import credit_name_findings, personal_details_in
from app.scenarios.schemas import ScenarioForm, WarningOut

LIMITS = {
    "title": 120,
    "what_happened": 3000,
    "what_was_said": 3000,
    "how_it_felt": 2000,
    "what_would_help": 2000,
    "content_warning": 200,
    "credit_name": 40,
}
FIELD_NAMES = {
    "title": "The title",
    "what_happened": "What happened online",
    "what_was_said": "What the practitioner said or did",
    "how_it_felt": "How it felt",
    "what_would_help": "What would have helped",
    "content_warning": "The content warning",
    "credit_name": "The name to credit",
}
REQUIRED_TO_SEND = {
    "title": "Give your scenario a short title",
    "what_happened": "Tell us what happened online",
    "what_was_said": "Tell us what the practitioner said or did",
    "how_it_felt": "Tell us how it felt",
    "what_would_help": "Tell us what would have helped",
}
TEXT_FIELDS = (
    "title",
    "what_happened",
    "what_was_said",
    "how_it_felt",
    "what_would_help",
    "content_warning",
)
MAXIMUM_TOPICS = 6
MAXIMUM_PLATFORMS = 8
MAXIMUM_PLATFORM_LENGTH = 40
_CREDIT_NAME = re.compile(r"^[^\W\d_]+(?:[ '’-][^\W\d_]+)*$")


def clean_form(form: ScenarioForm) -> ScenarioForm:
    platforms = [clean_multiline(item) for item in form.platforms]
    credit_name = clean_multiline(form.credit_name) if form.credit != Credit.none.value else ""
    return ScenarioForm(
        title=clean_multiline(form.title),
        what_happened=clean_multiline(form.what_happened),
        what_was_said=clean_multiline(form.what_was_said),
        how_it_felt=clean_multiline(form.how_it_felt),
        what_would_help=clean_multiline(form.what_would_help),
        platforms=[item for item in platforms if item],
        topics=list(
            dict.fromkeys(clean_multiline(topic) for topic in form.topics if topic.strip())
        ),
        content_warning=clean_multiline(form.content_warning),
        credit=form.credit,
        credit_name=credit_name,
        consent_to_quote=bool(form.consent_to_quote),
    )


def split_platforms(text: str) -> list[str]:
    return [part.strip() for part in re.split(r"[,\n;]", text) if part.strip()]


def credit_errors(credit: str, credit_name: str) -> dict[str, str]:
    """Problems with a (cleaned) choice of credit; the same rules when sending or changing it."""
    if credit not in {choice.value for choice in Credit}:
        return {"credit": "Choose how you want to be credited"}
    if credit == Credit.none.value:
        return {}
    kind = "pseudonym" if credit == Credit.pseudonym.value else "first name"
    if not credit_name:
        return {"credit_name": f"Enter the {kind} you want to be credited as"}
    if len(credit_name) > LIMITS["credit_name"]:
        return {"credit_name": f"The {kind} must be {LIMITS['credit_name']} characters or fewer"}
    if credit == Credit.first_name.value and not _CREDIT_NAME.fullmatch(credit_name):
        return {"credit_name": "Enter your first name only, in letters"}
    if credit == Credit.first_name.value and " " in credit_name:
        return {"credit_name": "Enter your first name only, without a surname"}
    return {}


def form_errors(form: ScenarioForm, *, sending: bool) -> dict[str, str]:
    """Every problem with a (cleaned) form, keyed by field, in the order the form asks."""
    errors: dict[str, str] = {}
    for name in ("title", "what_happened", "what_was_said", "how_it_felt", "what_would_help"):
        value = getattr(form, name)
        if sending and not value:
            errors[name] = REQUIRED_TO_SEND[name]
        elif len(value) > LIMITS[name]:
            errors[name] = (
                f"{FIELD_NAMES[name]} must be {LIMITS[name]:,} characters or fewer "
                f"(it is {len(value):,})"
            )
    if len(form.platforms) > MAXIMUM_PLATFORMS:
        errors["platforms"] = f"Name at most {MAXIMUM_PLATFORMS} apps, games or sites"
    elif any(len(item) > MAXIMUM_PLATFORM_LENGTH for item in form.platforms):
        errors["platforms"] = (
            f"Each app, game or site must be {MAXIMUM_PLATFORM_LENGTH} characters or fewer"
        )
    unknown = [topic for topic in form.topics if topic not in TOPICS]
    if unknown:
        errors["topics"] = "Choose topics from the list"
    elif len(form.topics) > MAXIMUM_TOPICS:
        errors["topics"] = f"Choose at most {MAXIMUM_TOPICS} topics"
    elif sending and not form.topics:
        errors["topics"] = "Choose at least one topic"
    if len(form.content_warning) > LIMITS["content_warning"]:
        errors["content_warning"] = (
            f"The content warning must be {LIMITS['content_warning']} characters or fewer"
        )
    errors.update(credit_errors(form.credit, form.credit_name))
    return errors


def form_warnings(content: ContentIndex, form: ScenarioForm) -> list[WarningOut]:
    """Every detail that looks personal in a form, under its field; shown, never blocking."""
    fields = [(name, getattr(form, name)) for name in TEXT_FIELDS]
    fields.append(("platforms", "\n".join(form.platforms)))
    warnings = personal_details_in(content, fields)
    warnings.extend(
        WarningOut.of("credit_name", finding)
        for finding in credit_name_findings(content, form.credit, form.credit_name)
    )
    return warnings


def form_of(scenario: Scenario, topics: list[str]) -> ScenarioForm:
    return ScenarioForm(
        title=scenario.title,
        what_happened=scenario.what_happened,
        what_was_said=scenario.what_was_said,
        how_it_felt=scenario.how_it_felt,
        what_would_help=scenario.what_would_help,
        platforms=list(scenario.platforms or []),
        topics=topics,
        content_warning=scenario.content_warning,
        credit=scenario.credit,
        credit_name=scenario.credit_name,
        consent_to_quote=scenario.consent_to_quote,
    )


def credit_choices() -> list[tuple[str, str, str]]:
    return [
        (
            Credit.none.value,
            "Do not credit me",
            "Practitioners see “Shared by a young co-designer”.",
        ),
        (Credit.pseudonym.value, "Credit me with a made-up name", "A name that is not yours."),
        (Credit.first_name.value, "Credit me with my first name only", "Never your surname."),
    ]


def topic_label(topic: str) -> str:
    """A topic as people read it: "self-harm" is "Self harm"."""
    return topic.replace("-", " ").capitalize()


def topic_names() -> dict[str, str]:
    """Every curriculum topic's label, for showing stored topics (even unused ones) in words."""
    return {topic: topic_label(topic) for topic in TOPICS}


def topic_choices(content: ContentIndex) -> list[tuple[str, str]]:
    used = set(content.topics())
    return [
        (topic, topic_label(topic))
        for topic in TOPICS
        if topic in used and topic not in {"refresher", "evidence"}
    ]

"""Co-designers' scenarios: write, send, revise, withdraw, and the state machine they move through.

Every query and rule about scenarios lives here or in the review service, which
moves scenarios only through :func:`move`. A young person's words are shown to
nobody but them and the reviewing trainers; practitioners see only the
reviewer's published text, and only while the author consents.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from sqlalchemy import delete, func, or_
from sqlmodel import Session, col, select

from app.auth.schemas import Viewer
from app.auth.service import require_role
from app.content import ContentIndex, Module
from app.content.schemas import SENSITIVE_TOPICS, TOPICS
from app.contributions.personal_details import KIND_LABELS, Finding, find_personal_details
from app.contributions.schemas import (
    STATUS_LABELS,
    HistoryOut,
    MyData,
    PlacementOut,
    PublishedScenario,
    RatingOut,
    ScenarioForm,
    ScenarioOut,
    TimelineEvent,
    WarningOut,
)
from app.core.config import Settings
from app.core.errors import Conflict, InvalidInput, NotFound, RateLimited
from app.core.text import clean_multiline
from app.models.base import utcnow
from app.models.cache import PUBLISHED_SCENARIOS, CacheGeneration
from app.models.contributions import (
    Credit,
    Scenario,
    ScenarioModule,
    ScenarioStatus,
    ScenarioTopic,
    ScenarioTransition,
)
from app.models.ratings import AskRating
from app.models.users import Role, User
from app.safeguarding import service as safeguarding
from app.safeguarding.service import SupportOut, TypedIn
from app.search import service as search

S = ScenarioStatus
AUTHOR = "author"
TRAINER = "trainer"

# The one table of allowed transitions: (from, to) -> who may make it.
TRANSITIONS: dict[tuple[ScenarioStatus, ScenarioStatus], str] = {
    (S.draft, S.submitted): AUTHOR,
    (S.draft, S.withdrawn): AUTHOR,
    (S.submitted, S.in_review): TRAINER,  # claim
    (S.submitted, S.withdrawn): AUTHOR,
    (S.in_review, S.submitted): TRAINER,  # release the claim
    (S.in_review, S.changes_requested): TRAINER,
    (S.in_review, S.accepted): TRAINER,
    (S.in_review, S.rejected): TRAINER,
    (S.in_review, S.withdrawn): AUTHOR,
    (S.changes_requested, S.submitted): AUTHOR,  # revise
    (S.changes_requested, S.withdrawn): AUTHOR,
    (S.accepted, S.published): TRAINER,
    (S.accepted, S.withdrawn): AUTHOR,
    (S.published, S.accepted): AUTHOR,  # quoting turned off: out of the modules, still informs
    (S.published, S.in_review): TRAINER,  # taken down, e.g. the text identifies someone
    (S.published, S.withdrawn): AUTHOR,
    (S.rejected, S.withdrawn): AUTHOR,
}

ACTIONS = {
    S.submitted: "sent for review",
    S.in_review: "claimed for review",
    S.changes_requested: "sent back for changes",
    S.accepted: "accepted",
    S.published: "published",
    S.rejected: "turned down",
    S.withdrawn: "withdrawn",
}

STEP_ACTIONS = {
    (S.published, S.accepted): "taken out of the modules (quoting turned off)",
    (S.published, S.in_review): "taken back into review",
}
"""Where a step needs other words than its target state's, as when the author unpublishes."""

EDITABLE = frozenset({S.draft, S.changes_requested})
HIDDEN_FROM_TRAINERS = frozenset({S.draft, S.withdrawn})

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
CREATION_WINDOW = timedelta(hours=1)
_CREDIT_NAME = re.compile(r"^[^\W\d_]+(?:[ '’-][^\W\d_]+)*$")


class ScenarioInvalid(InvalidInput):
    """Field-by-field problems, so a form can show each beside its field."""

    def __init__(self, errors: dict[str, str]) -> None:
        self.errors = errors
        super().__init__(" ".join(f"{message}." for message in errors.values()))


@dataclass(frozen=True)
class Saved:
    """A scenario just saved or sent, with what its author must see at once."""

    scenario: Scenario
    warnings: list[WarningOut]
    at_risk: bool

    @property
    def support(self) -> list[SupportOut]:
        return support_services() if self.at_risk else []


def support_services() -> list[SupportOut]:
    return safeguarding.support_services()


RISK_FIELDS = ("title", "what_happened", "what_was_said", "how_it_felt", "what_would_help")


def _note_words(
    session: Session, viewer: Viewer, scenario: Scenario, form: ScenarioForm, typed_in: TypedIn
) -> bool:
    """Wherever a young person types, words about risk now raise (or add to) a record."""
    assert scenario.id is not None
    check = safeguarding.note_words(
        session,
        author_id=viewer.id,
        typed_in=typed_in,
        texts=[getattr(form, name) for name in RISK_FIELDS],
        scenario_id=scenario.id,
    )
    return check.at_risk


# --- Text hygiene and checks --------------------------------------------------------------


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


def personal_details_in(
    content: ContentIndex, fields: Iterable[tuple[str, str]]
) -> list[WarningOut]:
    ignore = ignored_words(content)
    return [
        WarningOut.of(name, finding)
        for name, text in fields
        for finding in find_personal_details(text, ignore)
    ]


def form_warnings(content: ContentIndex, form: ScenarioForm) -> list[WarningOut]:
    fields = [(name, getattr(form, name)) for name in TEXT_FIELDS]
    fields.append(("platforms", "\n".join(form.platforms)))
    warnings = personal_details_in(content, fields)
    warnings.extend(
        WarningOut.of("credit_name", finding)
        for finding in credit_name_findings(content, form.credit, form.credit_name)
    )
    return warnings


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


CREDIT_NAME_LOOKS_PERSONAL = (
    "Your scenario is already accepted, so a new name is shown to practitioners straight "
    "away. This one looks like it has personal details in it ({details}): choose another "
    "name, or choose not to be credited"
)


def findings_in(content: ContentIndex, text: str) -> list[Finding]:
    return find_personal_details(text, ignored_words(content))


# --- The state machine --------------------------------------------------------------------


def allowed_next(status: ScenarioStatus, actor: str | None = None) -> list[ScenarioStatus]:
    return [
        to for (start, to), who in TRANSITIONS.items() if start is status and actor in (None, who)
    ]


def move(
    session: Session,
    scenario: Scenario,
    to: ScenarioStatus,
    *,
    actor: Viewer,
    as_role: str,
    note: str = "",
) -> ScenarioTransition:
    """Change state if the table allows it, recording who, when and why; 409 if not."""
    current = ScenarioStatus(scenario.status)
    if TRANSITIONS.get((current, to)) != as_role:
        raise Conflict(refusal(current, to, as_role))
    scenario.status = to.value
    scenario.updated_at = utcnow()
    assert scenario.id is not None
    step = ScenarioTransition(
        scenario_id=scenario.id,
        actor_id=actor.id,
        from_status=current.value,
        to_status=to.value,
        note=note,
        at=scenario.updated_at,
    )
    session.add(step)
    return step


def refusal(current: ScenarioStatus, to: ScenarioStatus, as_role: str) -> str:
    """Says what state the scenario is in and what can be done from there."""
    possible = allowed_next(current)
    if possible:
        who = {AUTHOR: "its author", TRAINER: "a trainer"}
        options = "; ".join(
            f"{STEP_ACTIONS.get((current, option), ACTIONS[option])} by "
            f"{who[TRANSITIONS[(current, option)]]}"
            for option in possible
        )
        what_next = f"From here it can be {options}."
    else:
        what_next = "Nothing more can be done with it."
    return (
        f"This scenario cannot be {ACTIONS.get(to, to.value)} now: it is "
        f"{STATUS_LABELS[current].lower()} ({current.value}). {what_next}"
    )


# --- The author's side --------------------------------------------------------------------


def _own(session: Session, viewer: Viewer, scenario_id: int, *, lock: bool = False) -> Scenario:
    """The viewer's own scenario; anyone else's is "not found", so its existence is not revealed.

    ``lock`` holds the row until the request commits (PostgreSQL), so two racing
    requests cannot both move it from the same state.
    """
    scenario = session.get(Scenario, scenario_id, with_for_update=lock or None)
    if scenario is None or scenario.author_id != viewer.id:
        raise NotFound("We could not find that scenario.")
    return scenario


def is_author(session: Session, viewer: Viewer, scenario_id: int) -> bool:
    scenario = session.get(Scenario, scenario_id)
    return scenario is not None and scenario.author_id == viewer.id


def _enforce_submission_limit(
    session: Session, settings: Settings, viewer: Viewer, *, creating: bool, sending: bool
) -> None:
    since = utcnow() - CREATION_WINDOW
    limit = settings.scenario_submissions_per_hour
    message = (
        f"You have sent {limit} scenarios in the last hour, which is as many as Askwell takes "
        "in an hour. Nothing you typed has been lost: please try again later."
    )
    if sending:
        sent = session.exec(
            select(func.count())
            .select_from(ScenarioTransition)
            .where(
                ScenarioTransition.actor_id == viewer.id,
                ScenarioTransition.to_status == S.submitted.value,
                ScenarioTransition.from_status != S.in_review.value,
                ScenarioTransition.at >= since,
            )
        ).one()
        if sent >= limit:
            raise RateLimited(message)
    if creating:
        created = session.exec(
            select(func.count())
            .select_from(Scenario)
            .where(Scenario.author_id == viewer.id, Scenario.created_at >= since)
        ).one()
        if created >= limit * 2:
            raise RateLimited(message)


def _apply(session: Session, scenario: Scenario, form: ScenarioForm) -> None:
    scenario.title = form.title
    scenario.what_happened = form.what_happened
    scenario.what_was_said = form.what_was_said
    scenario.how_it_felt = form.how_it_felt
    scenario.what_would_help = form.what_would_help
    scenario.platforms = list(form.platforms)
    scenario.content_warning = form.content_warning
    scenario.credit = form.credit
    scenario.credit_name = form.credit_name
    scenario.consent_to_quote = form.consent_to_quote
    scenario.updated_at = utcnow()
    session.add(scenario)
    session.flush()
    session.exec(delete(ScenarioTopic).where(col(ScenarioTopic.scenario_id) == scenario.id))
    assert scenario.id is not None
    session.add_all(ScenarioTopic(scenario_id=scenario.id, topic=topic) for topic in form.topics)


def _send(session: Session, viewer: Viewer, scenario: Scenario, form: ScenarioForm) -> bool:
    """Moves a draft or a revised scenario to submitted; raises a record on words about risk."""
    revising = scenario.status == S.changes_requested.value
    note = "Revised and sent again" if revising else ""
    move(session, scenario, S.submitted, actor=viewer, as_role=AUTHOR, note=note)
    scenario.submitted_at = scenario.updated_at
    typed_in = TypedIn.scenario_edit if revising else TypedIn.scenario_sent
    return _note_words(session, viewer, scenario, form, typed_in)


def save_scenario(
    session: Session,
    settings: Settings,
    content: ContentIndex,
    viewer: Viewer,
    form: ScenarioForm,
    *,
    send: bool,
    scenario_id: int | None = None,
) -> Saved:
    """Create or update the viewer's scenario, as a draft or sent for review.

    Personal details are returned as warnings and never block; a scenario can be
    changed only while it is a draft or has changes requested.
    """
    existing = _own(session, viewer, scenario_id, lock=True) if scenario_id is not None else None
    require_role(viewer, Role.codesigner)
    form = clean_form(form)
    errors = form_errors(form, sending=send)
    if errors:
        raise ScenarioInvalid(errors)
    if existing is None:
        _enforce_submission_limit(session, settings, viewer, creating=True, sending=send)
        scenario = Scenario(author_id=viewer.id)
    else:
        scenario = existing
        status = ScenarioStatus(scenario.status)
        if status not in EDITABLE:
            raise Conflict(
                f"This scenario is {STATUS_LABELS[status].lower()}, so it cannot be changed now. "
                "You can change a draft, or a scenario a trainer has sent back for changes."
            )
        # A scenario sent back for changes is saved question by question like a draft; it
        # goes back to the trainer only when its author sends it again.
        if send:
            _enforce_submission_limit(session, settings, viewer, creating=False, sending=True)
    _apply(session, scenario, form)
    if send:
        at_risk = _send(session, viewer, scenario, form)
    else:
        at_risk = _note_words(session, viewer, scenario, form, TypedIn.scenario_draft)
    return Saved(scenario=scenario, warnings=form_warnings(content, form), at_risk=at_risk)


def risk_in(form: ScenarioForm) -> bool:
    """Whether answers that could not be saved (a problem to fix) still need support shown."""
    form = clean_form(form)
    return safeguarding.check_risk(*(getattr(form, name) for name in RISK_FIELDS)).at_risk


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


def topics_of(session: Session, scenario_ids: list[int]) -> dict[int, list[str]]:
    result: dict[int, list[str]] = {scenario_id: [] for scenario_id in scenario_ids}
    if not scenario_ids:
        return result
    rows = session.exec(
        select(ScenarioTopic.scenario_id, ScenarioTopic.topic)
        .where(col(ScenarioTopic.scenario_id).in_(scenario_ids))
        .order_by(col(ScenarioTopic.topic))
    ).all()
    for scenario_id, topic in rows:
        result[scenario_id].append(topic)
    return result


def editable_form(
    session: Session, viewer: Viewer, scenario_id: int
) -> tuple[Scenario, ScenarioForm]:
    scenario = _own(session, viewer, scenario_id)
    status = ScenarioStatus(scenario.status)
    if status not in EDITABLE:
        raise Conflict(
            f"This scenario is {STATUS_LABELS[status].lower()}, so it cannot be changed now."
        )
    assert scenario.id is not None
    return scenario, form_of(scenario, topics_of(session, [scenario.id])[scenario.id])


def modules_for_topics(content: ContentIndex, topics: Iterable[str]) -> list[Module]:
    wanted = set(topics)
    return [module for module in content.all("module") if wanted & set(module.topics)]


UNSUGGESTIVE_TOPICS = frozenset({"refresher", "evidence"})


@dataclass(frozen=True)
class ModuleChoice:
    """A module a scenario could be published in, and whether Askwell suggests it."""

    module: Module
    shared_topics: tuple[str, ...]
    suggested: bool


def module_choices(content: ContentIndex, topics: Iterable[str]) -> list[ModuleChoice]:
    """Every module, the suggested ones first: those sharing a topic with the scenario.

    A module about a sensitive topic (self-harm, suicide, grooming…) is suggested only
    when the scenario is about that topic too, so a story that merely shares "asking"
    with it is never put beside self-harm content unless a trainer chooses so.
    """
    wanted = set(topics) - UNSUGGESTIVE_TOPICS
    choices = []
    for module in content.all("module"):
        shared = tuple(topic for topic in module.topics if topic in wanted)
        sensitive = SENSITIVE_TOPICS.intersection(module.topics)
        suggested = bool(shared) and (not sensitive or bool(sensitive & wanted))
        choices.append(ModuleChoice(module=module, shared_topics=shared, suggested=suggested))
    return sorted(choices, key=lambda choice: (not choice.suggested, -len(choice.shared_topics)))


def suggested_modules(content: ContentIndex, topics: Iterable[str]) -> list[Module]:
    return [choice.module for choice in module_choices(content, topics) if choice.suggested]


def chosen_module_slugs(session: Session, scenario_id: int) -> set[str]:
    return set(
        session.exec(
            select(ScenarioModule.module_slug).where(ScenarioModule.scenario_id == scenario_id)
        ).all()
    )


def modules_shown_in(
    session: Session, content: ContentIndex, scenario_id: int, topics: Iterable[str]
) -> list[Module]:
    """The modules a published scenario appears in, in the curriculum's order.

    Those a trainer chose; a scenario published before modules were chosen has no choice
    stored and keeps appearing in the modules of its topics, as it did then.
    """
    chosen = chosen_module_slugs(session, scenario_id)
    if not chosen:
        return modules_for_topics(content, topics)
    return [module for module in content.all("module") if module.slug in chosen]


class NoModulesChosen(InvalidInput):
    """A scenario cannot be published into no module, or into one that does not exist."""


def modules_by_slug(content: ContentIndex, slugs: Iterable[str]) -> list[Module]:
    """The modules named, in the curriculum's order; refused if any is not a module."""
    wanted = set(slugs)
    modules = [module for module in content.all("module") if module.slug in wanted]
    if len(modules) != len(wanted):
        raise NoModulesChosen("Choose modules from the list.")
    if not modules:
        raise NoModulesChosen("Choose at least one module to show it in.")
    return modules


def place_in_modules(session: Session, scenario: Scenario, modules: list[Module]) -> None:
    """Store the modules a trainer chose for a scenario, replacing any earlier choice."""
    assert scenario.id is not None
    session.exec(delete(ScenarioModule).where(col(ScenarioModule.scenario_id) == scenario.id))
    session.add_all(
        ScenarioModule(scenario_id=scenario.id, module_slug=module.slug) for module in modules
    )
    session.flush()


def history_of(session: Session, scenario: Scenario) -> list[ScenarioTransition]:
    return list(
        session.exec(
            select(ScenarioTransition)
            .where(ScenarioTransition.scenario_id == scenario.id)
            .order_by(col(ScenarioTransition.at), col(ScenarioTransition.id))
        ).all()
    )


def describe(
    session: Session,
    content: ContentIndex,
    scenario: Scenario,
    *,
    author_id: int,
    history: list[ScenarioTransition] | None = None,
) -> ScenarioOut:
    """One scenario with its history and where it is published, as its author reads it."""
    assert scenario.id is not None
    topics = topics_of(session, [scenario.id])[scenario.id]
    steps = history if history is not None else history_of(session, scenario)
    published = scenario.status == S.published.value
    form = form_of(scenario, topics)
    return ScenarioOut(
        id=scenario.id,
        status=ScenarioStatus(scenario.status),
        title=scenario.title,
        what_happened=scenario.what_happened,
        what_was_said=scenario.what_was_said,
        how_it_felt=scenario.how_it_felt,
        what_would_help=scenario.what_would_help,
        platforms=list(scenario.platforms or []),
        topics=topics,
        content_warning=scenario.content_warning,
        credit=Credit(scenario.credit),
        credit_name=scenario.credit_name,
        consent_to_quote=scenario.consent_to_quote,
        created_at=scenario.created_at,
        submitted_at=scenario.submitted_at,
        published_at=scenario.published_at,
        withdrawn_at=scenario.withdrawn_at,
        published_title=scenario.published_title,
        published_text=scenario.published_text,
        published_in=[
            PlacementOut(slug=module.slug, title=module.title)
            for module in modules_shown_in(session, content, scenario.id, topics)
        ]
        if published
        else [],
        reviewer_notes=[
            HistoryOut(
                from_status=ScenarioStatus(step.from_status) if step.from_status else None,
                to_status=ScenarioStatus(step.to_status),
                at=step.at,
                by="you" if step.actor_id == author_id else "a trainer",
                note=step.note,
            )
            for step in steps
        ],
        warnings=form_warnings(content, form) if scenario.status != S.withdrawn.value else [],
    )


@dataclass(frozen=True)
class AtAGlance:
    """What a young person sees first on their home page: where their scenarios are, and
    which ones wait on them."""

    counts: dict[ScenarioStatus, int]
    needing_changes: list[tuple[int, str]]


def at_a_glance(session: Session, viewer: Viewer) -> AtAGlance:
    require_role(viewer, Role.codesigner)
    rows = session.exec(
        select(Scenario.id, Scenario.title, Scenario.status)
        .where(Scenario.author_id == viewer.id, Scenario.status != S.withdrawn.value)
        .order_by(col(Scenario.updated_at).desc())
    ).all()
    counts: dict[ScenarioStatus, int] = {}
    for _, _, status in rows:
        counts[ScenarioStatus(status)] = counts.get(ScenarioStatus(status), 0) + 1
    needing = [
        (scenario_id or 0, title or "Untitled")
        for scenario_id, title, status in rows
        if status == S.changes_requested.value
    ]
    ordered = {status: counts[status] for status in ScenarioStatus if status in counts}
    return AtAGlance(counts=ordered, needing_changes=needing)


def my_scenarios(session: Session, content: ContentIndex, viewer: Viewer) -> list[ScenarioOut]:
    """The viewer's own scenarios, newest first, withdrawn ones as bare markers."""
    scenarios = session.exec(
        select(Scenario)
        .where(Scenario.author_id == viewer.id)
        .order_by(col(Scenario.created_at).desc(), col(Scenario.id).desc())
    ).all()
    return [describe(session, content, scenario, author_id=viewer.id) for scenario in scenarios]


def my_scenario(
    session: Session, content: ContentIndex, viewer: Viewer, scenario_id: int
) -> ScenarioOut:
    return describe(session, content, _own(session, viewer, scenario_id), author_id=viewer.id)


def needs_support(session: Session, viewer: Viewer, scenario_id: int) -> list[SupportOut]:
    """Support to show first on the author's page of a scenario whose words suggest risk now."""
    scenario = _own(session, viewer, scenario_id)
    texts = [getattr(scenario, name) for name in RISK_FIELDS]
    return support_services() if safeguarding.check_risk(*texts).at_risk else []


def _erase(session: Session, scenario: Scenario) -> None:
    """Removes every word and all history, keeping the row only as a marker of when."""
    remove_from_search(session, scenario)
    for table in (ScenarioTopic, ScenarioModule, ScenarioTransition):
        session.exec(delete(table).where(col(table.scenario_id) == scenario.id))  # type: ignore[attr-defined]
    assert scenario.id is not None
    safeguarding.note_withdrawal(session, scenario.id)
    now = utcnow()
    scenario.status = S.withdrawn.value
    for name in TEXT_FIELDS + ("credit_name",):
        setattr(scenario, name, "")
    scenario.platforms = []
    scenario.credit = Credit.none.value
    scenario.consent_to_quote = False
    scenario.published_title = None
    scenario.published_text = None
    scenario.published_content_warning = None
    scenario.claimed_by_id = None
    scenario.claimed_at = None
    scenario.submitted_at = None
    scenario.published_at = None
    scenario.withdrawn_at = now
    scenario.updated_at = now
    session.add(scenario)


SEARCH_KIND = "scenario"


def index_for_search(session: Session, content: ContentIndex, scenario: Scenario) -> None:
    """Make a newly published scenario findable, linked to the first module it appears in."""
    assert scenario.id is not None
    topics = topics_of(session, [scenario.id]).get(scenario.id, [])
    module = next(iter(modules_shown_in(session, content, scenario.id, topics)), None)
    url = f"/modules/{module.slug}#young-scenario-{scenario.id}" if module else "/modules"
    search.index_document(
        session,
        kind=SEARCH_KIND,
        key=str(scenario.id),
        title=scenario.published_title or "A scenario from a young person",
        heading="Scenario from a young person",
        body=scenario.published_text or "",
        url=url,
    )


def remove_from_search(session: Session, scenario: Scenario) -> None:
    assert scenario.id is not None
    search.remove_document(session, SEARCH_KIND, str(scenario.id))


def withdraw(session: Session, viewer: Viewer, scenario_id: int) -> Scenario:
    """The author takes their words back: unpublished and erased in this same transaction."""
    scenario = _own(session, viewer, scenario_id, lock=True)
    current = ScenarioStatus(scenario.status)
    if TRANSITIONS.get((current, S.withdrawn)) != AUTHOR:
        raise Conflict(refusal(current, S.withdrawn, AUTHOR))
    _erase(session, scenario)
    session.flush()
    return scenario


def delete_draft(session: Session, viewer: Viewer, scenario_id: int) -> None:
    """The author throws away a draft nobody else has seen; its number is never reused.

    A draft leaves nothing behind (no marker, unlike withdrawal), since it was never sent.
    """
    scenario = _own(session, viewer, scenario_id, lock=True)
    status = ScenarioStatus(scenario.status)
    if status is not S.draft:
        raise Conflict(
            f"This scenario is {STATUS_LABELS[status].lower()}, so it is no longer a draft "
            "to delete. You can withdraw it instead, which deletes what you wrote."
        )
    # Topics and history go with it (foreign keys cascade).
    session.exec(delete(Scenario).where(col(Scenario.id) == scenario.id))
    session.flush()


TIMELINE_WORDS: dict[tuple[ScenarioStatus | None, ScenarioStatus], str] = {
    (S.draft, S.submitted): "You sent it for review",
    (S.submitted, S.in_review): "A trainer started reviewing it",
    (S.in_review, S.submitted): "A trainer put it back in the queue for another trainer",
    (S.in_review, S.changes_requested): "A trainer asked you for some changes",
    (S.changes_requested, S.submitted): "You sent your changes",
    (S.in_review, S.accepted): "A trainer accepted it",
    (S.in_review, S.rejected): "A trainer decided not to use it",
    (S.accepted, S.published): "It was published in the training",
    (S.published, S.accepted): "You turned quoting off, so it was taken out of the training",
    (S.published, S.in_review): "A trainer took it out of the training to check it again",
}
"""What each step means to the young person, in their words rather than the state names."""


def timeline(scenario: ScenarioOut) -> list[TimelineEvent]:
    """What has happened to a scenario, oldest first, from its recorded steps."""
    events = [TimelineEvent(at=scenario.created_at, text="You started it")]
    for step in scenario.reviewer_notes:
        words = TIMELINE_WORDS.get((step.from_status, step.to_status))
        if words is None:
            words = f"It was {ACTIONS.get(step.to_status, step.to_status.value)}"
        events.append(TimelineEvent(at=step.at, text=words, note=step.note, by=step.by))
    if scenario.status is S.withdrawn and scenario.withdrawn_at is not None:
        events.append(
            TimelineEvent(
                at=scenario.withdrawn_at,
                text="You withdrew it, and everything you wrote was deleted",
            )
        )
    return events


def change_choices(
    session: Session,
    content: ContentIndex,
    viewer: Viewer,
    scenario_id: int,
    credit: str,
    credit_name: str,
    quote: bool,
) -> Scenario:
    """The author changes how they are credited, or whether they may be quoted, at any time.

    Turning quoting off takes a published scenario out of every module and out of search
    in this same transaction; it stays accepted, so it still informs the training, and a
    trainer may publish it again only if the author turns quoting back on.
    """
    scenario = _own(session, viewer, scenario_id, lock=True)
    if scenario.status == S.withdrawn.value:
        raise Conflict("You have withdrawn this scenario, so there is nothing left to change.")
    credit_name = clean_multiline(credit_name) if credit != Credit.none.value else ""
    problems = credit_errors(credit, credit_name)
    if not problems and scenario.status in (S.accepted.value, S.published.value):
        # A reviewer has already checked this scenario, and its credit goes out at once
        # without another review: only a name with nothing that looks personal is taken.
        findings = credit_name_findings(content, credit, credit_name)
        if findings and credit_name != scenario.credit_name:
            details = ", ".join(dict.fromkeys(KIND_LABELS[f.kind].lower() for f in findings))
            problems = {"credit_name": CREDIT_NAME_LOOKS_PERSONAL.format(details=details)}
    if problems:
        raise ScenarioInvalid(problems)
    scenario.credit = credit
    scenario.credit_name = credit_name
    scenario.consent_to_quote = quote
    scenario.updated_at = utcnow()
    if not quote and scenario.status == S.published.value:
        move(
            session,
            scenario,
            S.accepted,
            actor=viewer,
            as_role=AUTHOR,
            note="The young person turned quoting off, so it is no longer shown to practitioners.",
        )
        scenario.published_at = None
        remove_from_search(session, scenario)
    session.add(scenario)
    session.flush()
    return scenario


# --- Published scenarios ------------------------------------------------------------------


def credit_line(scenario: Scenario) -> str:
    if scenario.credit != Credit.none.value and scenario.credit_name:
        return f"Shared by {scenario.credit_name}, a young co-designer"
    return "Shared by a young co-designer"


def _published(session: Session, module: Module | None) -> list[PublishedScenario]:
    statement = select(Scenario).where(
        Scenario.status == S.published.value,
        col(Scenario.consent_to_quote).is_(True),
        col(Scenario.published_text).is_not(None),
    )
    if module is not None:
        chosen_here = select(ScenarioModule.scenario_id).where(
            ScenarioModule.module_slug == module.slug
        )
        # Published before modules were chosen: still shown by topic, as it was then.
        no_choice_stored = col(Scenario.id).not_in(select(ScenarioModule.scenario_id))
        matching_topic = col(Scenario.id).in_(
            select(ScenarioTopic.scenario_id).where(col(ScenarioTopic.topic).in_(module.topics))
        )
        statement = statement.where(
            or_(col(Scenario.id).in_(chosen_here), no_choice_stored & matching_topic)
        )
    scenarios = session.exec(
        statement.order_by(col(Scenario.published_at).desc(), col(Scenario.id).desc())
    ).all()
    topic_map = topics_of(session, [scenario.id for scenario in scenarios if scenario.id])
    return [
        PublishedScenario(
            id=scenario.id or 0,
            title=scenario.published_title or "",
            published_text=scenario.published_text or "",
            content_warning=scenario.published_content_warning or "",
            credit_line=credit_line(scenario),
            topics=tuple(topic_map.get(scenario.id or 0, [])),
            published_at=scenario.published_at,
        )
        for scenario in scenarios
    ]


def published_for_module(session: Session, module: Module) -> list[PublishedScenario]:
    """Scenarios from young people for a module's "Scenarios from young people" part.

    Kept in memory under the database's generation for published scenarios, which triggers
    replace on every change (``app/models/cache.py``): the generation is read first, so
    what is kept is never older than its key, and a withdrawal leaves every page of every
    worker at the next request.
    """
    if module.kind != "module":
        return []
    generation = session.exec(_PUBLISHED_GENERATION).first()
    if generation is None:
        return _published(session, module)
    key = (module.slug, module.topics, generation)
    cached = _PUBLISHED_BY_MODULE.get(key)
    if cached is None:
        cached = tuple(_published(session, module))
        if len(_PUBLISHED_BY_MODULE) >= _PUBLISHED_CACHE_SIZE:
            _PUBLISHED_BY_MODULE.clear()
        _PUBLISHED_BY_MODULE[key] = cached
    return list(cached)


_PUBLISHED_GENERATION = select(CacheGeneration.generation).where(
    CacheGeneration.name == PUBLISHED_SCENARIOS
)
_PUBLISHED_BY_MODULE: dict[tuple[str, tuple[str, ...], int], tuple[PublishedScenario, ...]] = {}
_PUBLISHED_CACHE_SIZE = 256


def list_published(session: Session) -> list[PublishedScenario]:
    """Every published scenario (id, title, published text, topics), e.g. for a search index."""
    return _published(session, None)


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


# --- The young person's own data ----------------------------------------------------------


RATING_WORDS = {"yes": "Yes", "not_sure": "Not sure", "no": "No"}


def my_data(
    session: Session, content: ContentIndex, viewer: Viewer, contact_email: str | None = None
) -> MyData:
    """Everything Askwell holds about a co-designer, read once for every form of the export
    (JSON, a page anyone can read, and a PDF), so the three always agree."""
    require_role(viewer, Role.codesigner)
    user = session.get(User, viewer.id)
    if user is None:
        raise NotFound()
    ratings = session.exec(
        select(AskRating)
        .where(AskRating.user_id == viewer.id)
        .order_by(col(AskRating.module_slug), col(AskRating.ask_id))
    ).all()
    rated: list[RatingOut] = []
    for rating in ratings:
        module = content.get(rating.module_slug)
        ask = next((a for a in module.asks if a.id == rating.ask_id), None) if module else None
        rated.append(
            RatingOut(
                module_slug=rating.module_slug,
                module_title=module.title if module else rating.module_slug,
                ask_id=rating.ask_id,
                example=ask.do if ask else "",
                verdict=rating.verdict,
                verdict_words=RATING_WORDS.get(rating.verdict, rating.verdict),
                comment=rating.comment,
                rated_at=rating.rated_at,
            )
        )
    scenarios = my_scenarios(session, content, viewer)
    return MyData(
        exported_at=utcnow(),
        user_id=viewer.id,
        email=user.email,
        display_name=user.display_name,
        roles=sorted(role.value for role in viewer.roles),
        age_band=user.age_band,
        created_at=user.created_at,
        scenarios=[(scenario, timeline(scenario)) for scenario in scenarios],
        ratings=rated,
        safeguarding_records=safeguarding.export_statement(contact_email),
    )


def export_my_data(
    session: Session, content: ContentIndex, viewer: Viewer, contact_email: str | None = None
) -> dict[str, Any]:
    """Everything Askwell holds about a co-designer, as they can download it (JSON)."""
    data = my_data(session, content, viewer, contact_email)
    return {
        "exported_at": data.exported_at.isoformat(),
        "account": {
            "id": data.user_id,
            "email": data.email,
            "display_name": data.display_name,
            "roles": data.roles,
            "age_band": data.age_band,
            "created_at": data.created_at.isoformat(),
        },
        "scenarios": [
            scenario.model_dump(mode="json", exclude={"warnings"}) for scenario, _ in data.scenarios
        ],
        "ratings": [
            {
                "module_slug": rating.module_slug,
                "ask_id": rating.ask_id,
                "verdict": rating.verdict,
                "comment": rating.comment,
                "rated_at": rating.rated_at.isoformat(),
            }
            for rating in data.ratings
        ],
        "safeguarding_records": data.safeguarding_records,
    }


def delete_my_account(session: Session, viewer: Viewer) -> None:
    """Removes the account and everything they wrote (published scenarios vanish with it) and
    ends every session; trainers and admins ask an admin instead, so no team loses its admin."""
    require_role(viewer, Role.codesigner)
    if viewer.has(Role.admin, Role.trainer):
        raise Conflict(
            "Accounts with trainer or admin roles are closed by an admin, so nothing they "
            "manage is left without an owner."
        )
    # Scenarios, their history, ratings and sessions go with the account (foreign keys
    # cascade); trainers' notes on other people's records keep no link to it. Safeguarding
    # records are the organisation's: they stay, saying when the account was deleted.
    safeguarding.note_account_deletion(session, viewer.id)
    for scenario_id in session.exec(select(Scenario.id).where(Scenario.author_id == viewer.id)):
        search.remove_document(session, SEARCH_KIND, str(scenario_id))
    session.exec(delete(User).where(col(User.id) == viewer.id))

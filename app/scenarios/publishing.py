"""A trainer puts an accepted scenario into modules and search, previews it as practitioners
will see it, and takes it down again if its text turns out to identify someone.

Only with the author's consent to be quoted, and every action is audited.
"""

from __future__ import annotations

from sqlmodel import Session

from app.audit import service as audit
from app.auth.schemas import Viewer
from app.auth.service import require_role
from app.content import ContentIndex
from app.core.errors import Conflict, InvalidInput
from app.core.text import clean_multiline
from app.models.contributions import Scenario, ScenarioStatus
from app.models.users import Role
from app.scenarios.errors import LeftoverPlaceholders
from app.scenarios.placement import modules_by_slug, place_in_modules, suggested_modules
from app.scenarios.published import credit_line, index_for_search, remove_from_search
from app.scenarios.published_text import (
    checked_version,
    clean_limited,
    placeholders_in,
    store_version,
)
from app.scenarios.records import reviewable, topics_of
from app.scenarios.schemas import STATUS_LABELS, PublishedScenario, PublishIn
from app.scenarios.workflow import MAXIMUM_NOTE_LENGTH, TRAINER, move, refusal

S = ScenarioStatus


def publish(
    session: Session,
    content: ContentIndex,
    viewer: Viewer,
    scenario_id: int,
    body: PublishIn | None = None,
) -> Scenario:
    """Puts an accepted scenario's published text into the modules the trainer chose, and search.

    Without a choice of modules it goes into the suggested ones (see
    :func:`app.scenarios.placement.module_choices`). A label such as [name] left from the
    suggested text must be rewritten (the text can be corrected here) or confirmed first.
    """
    require_role(viewer, Role.trainer)
    body = body or PublishIn()
    scenario = reviewable(session, scenario_id, lock=True)
    if scenario.status == S.accepted.value and not scenario.consent_to_quote:
        raise Conflict(
            "The young person has not agreed to their words being quoted, so this scenario "
            "cannot be published. It stays accepted and can still inform the training."
        )
    if scenario.status == S.accepted.value and not scenario.published_text:
        raise Conflict("Accept it with a published text first.")
    if scenario.status != S.accepted.value:
        raise Conflict(refusal(ScenarioStatus(scenario.status), S.published))
    version = (
        scenario.published_title or "",
        scenario.published_text or "",
        scenario.published_content_warning or "",
    )
    typed = (
        version[0] if body.published_title is None else body.published_title,
        version[1] if body.published_text is None else body.published_text,
        version[2] if body.content_warning is None else body.content_warning,
    )
    # Checked again only when corrected, so details confirmed on accepting stay confirmed.
    if tuple(clean_multiline(part) for part in typed) != version:
        version = checked_version(
            content,
            title=typed[0],
            text=typed[1],
            warning=typed[2],
            confirmed_not_personal=body.confirmed_not_personal,
        )
    assert scenario.id is not None
    topics = topics_of(session, [scenario.id])[scenario.id]
    slugs = (
        body.modules
        if body.modules is not None
        else [module.slug for module in suggested_modules(content, topics)]
    )
    modules = modules_by_slug(content, slugs)
    leftover = placeholders_in(*version)
    if leftover and not body.placeholders_confirmed:
        raise LeftoverPlaceholders(leftover)
    # Every check is above: nothing is changed unless all of it can be published.
    store_version(scenario, version)
    place_in_modules(session, scenario, modules)
    move(session, scenario, S.published, actor=viewer, as_role=TRAINER)
    scenario.published_at = scenario.updated_at
    scenario.claimed_by_id = None
    scenario.claimed_at = None
    index_for_search(session, content, scenario)
    audit.record(
        session,
        viewer,
        "scenario.publish",
        "scenario",
        scenario.id,
        "in " + ", ".join(module.title for module in modules),
    )
    return scenario


def preview(
    session: Session,
    viewer: Viewer,
    scenario_id: int,
    *,
    title: str | None = None,
    text: str | None = None,
    warning: str | None = None,
) -> PublishedScenario:
    """The scenario as practitioners will see it in a module, from the stored published text or
    from text the trainer has typed but not saved; nothing is changed."""
    require_role(viewer, Role.trainer)
    scenario = reviewable(session, scenario_id)
    return PublishedScenario(
        id=scenario.id or 0,
        title=clean_multiline(title if title is not None else scenario.published_title or ""),
        published_text=clean_multiline(text if text is not None else scenario.published_text or ""),
        content_warning=clean_multiline(
            warning if warning is not None else scenario.published_content_warning or ""
        ),
        credit_line=credit_line(scenario),
        topics=tuple(topics_of(session, [scenario_id]).get(scenario_id, [])),
        published_at=scenario.published_at,
    )


def unpublish(session: Session, viewer: Viewer, scenario_id: int, note: str) -> Scenario:
    """Takes a published scenario out of every module and search at once, back into review.

    For when a published text turns out to identify someone: the trainer who takes it down
    holds the claim, so they can accept it again with a corrected text, and the young
    person reads why in their history.
    """
    require_role(viewer, Role.trainer)
    scenario = reviewable(session, scenario_id, lock=True)
    if scenario.status != S.published.value:
        status = ScenarioStatus(scenario.status)
        raise Conflict(
            f"Only a published scenario can be taken down; this one is "
            f"{STATUS_LABELS[status].lower()} ({status.value})."
        )
    note = clean_limited(note, MAXIMUM_NOTE_LENGTH, "The note", field="note")
    if not note:
        raise InvalidInput(
            "Say why it is coming out of the modules. The young person reads this.",
            field="note",
            code="missing",
        )
    move(session, scenario, S.in_review, actor=viewer, as_role=TRAINER, note=note)
    scenario.published_at = None
    scenario.claimed_by_id = viewer.id
    scenario.claimed_at = scenario.updated_at
    remove_from_search(session, scenario)
    audit.record(session, viewer, "scenario.unpublish", "scenario", scenario.id)
    session.flush()
    return scenario

"""Finding and reading modules and app knowledge cards."""

from __future__ import annotations

import re

from sqlmodel import Session

from app.auth.schemas import Viewer
from app.catalogue.schemas import (
    AllSections,
    CatalogueEntry,
    Completed,
    ModuleView,
    NextStep,
    SectionView,
    TwoMinuteVersion,
)
from app.certificates import service as certificates
from app.cohorts import service as cohorts
from app.content import TOPICS, ContentIndex, Module, Section, Support
from app.core.errors import InvalidInput, NotFound
from app.models.users import Role
from app.progress import service as progress
from app.progress.schemas import ModuleState, ModuleStatus
from app.quizzes import service as quizzes
from app.ratings import service as ratings
from app.scenarios import service as scenarios

KINDS = ("module", "app")
MAXIMUM_QUERY_LENGTH = 200


def _words(text: str) -> list[str]:
    return re.findall(r"[\w'-]+", text.lower())


def _matches(module: Module, words: list[str]) -> bool:
    haystack = " ".join(
        [module.title, module.summary, " ".join(module.topics), " ".join(module.also_known_as)]
        + [section.title + " " + section.text for section in module.sections]
    ).lower()
    return all(word in haystack for word in words)


def find_modules(
    content: ContentIndex, *, kind: str | None = None, query: str = "", topic: str | None = None
) -> list[Module]:
    if kind is not None and kind not in KINDS:
        raise InvalidInput("kind must be module or app.")
    if len(query) > MAXIMUM_QUERY_LENGTH:
        raise InvalidInput(f"Search for at most {MAXIMUM_QUERY_LENGTH} characters.")
    words = _words(query)
    return [
        module
        for module in content.all(kind)
        if (not topic or topic in module.topics) and (not words or _matches(module, words))
    ]


def catalogue(
    session: Session,
    content: ContentIndex,
    viewer: Viewer,
    *,
    kind: str | None = None,
    query: str = "",
    topic: str | None = None,
) -> list[CatalogueEntry]:
    """Modules with the viewer's own status beside each, when they are a practitioner."""
    modules = find_modules(content, kind=kind, query=query, topic=topic)
    states = (
        progress.states_for(session, content, viewer.id, [m.slug for m in modules])
        if viewer.has(Role.practitioner) and modules
        else {}
    )
    return [CatalogueEntry(module=module, state=states.get(module.slug)) for module in modules]


def topics(content: ContentIndex) -> list[str]:
    """The topics the catalogue can be filtered by: those of the curriculum that modules use."""
    return [topic for topic in content.topics() if topic in TOPICS]


# --- Reading a module -----------------------------------------------------------------------


def module_view(session: Session, content: ContentIndex, viewer: Viewer, slug: str) -> ModuleView:
    """What a module's page and ``GET /api/v1/modules/{slug}`` both show."""
    module = progress.get_module(content, slug)
    state = progress.state_if_practitioner(session, content, viewer, slug)
    next_section = progress.next_step(module, state) if state else None
    return ModuleView(
        module=module,
        state=state,
        quiz=quizzes.quiz_for(session, content, viewer, slug)[1] if module.quiz else None,
        scenarios=scenarios.published_for_module(session, module),
        next_section=next_section or (module.sections[0].id if module.sections else None),
    )


def all_sections(session: Session, content: ContentIndex, viewer: Viewer, slug: str) -> AllSections:
    """A module on one page, for reading it again or printing it."""
    module = progress.get_module(content, slug)
    return AllSections(
        module=module,
        state=progress.state_if_practitioner(session, content, viewer, slug),
        ratings_panel=ratings.panel_for(session, viewer, module),
        scenarios=scenarios.published_for_module(session, module),
    )


def section_view(
    session: Session, content: ContentIndex, viewer: Viewer, slug: str, section_id: str
) -> SectionView:
    """One section, with the way on worked out here so the page's "Next" and the redirect
    after marking it read (``read_section``) agree."""
    module = progress.get_module(content, slug)
    section = module.section(section_id)
    if section is None:
        raise NotFound("That module has no such section.")
    state = progress.state_if_practitioner(session, content, viewer, slug)
    sections = module.sections
    position = [s.id for s in sections].index(section_id)
    return SectionView(
        module=module,
        section=section,
        state=state,
        position=position + 1,
        previous_section=sections[position - 1] if position > 0 else None,
        next_section=sections[position + 1] if position + 1 < len(sections) else None,
        next_step=step_after(module, state, section_id) if state else None,
        ratings_panel=ratings.panel_for(session, viewer, module),
    )


# --- The two-minute version -----------------------------------------------------------------


def two_minute_version(content: ContentIndex, slug: str) -> TwoMinuteVersion:
    """A module's key points and "try saying" lines, in the module's order, on one screen.

    Built from the parsed content alone (the same for everyone), so it costs no query.
    """
    module = progress.get_module(content, slug)
    support = next((block for block in module.blocks if isinstance(block, Support)), None)
    return TwoMinuteVersion(
        module=module,
        key_points=module.key_points,
        try_saying=module.asks,
        support=support if module.is_sensitive else None,
    )


# --- Finishing a module ---------------------------------------------------------------------


def step_after(module: Module, state: ModuleState, section_id: str) -> NextStep:
    """Where "Next" on a section leads, from the state before that section is marked read.

    First any section still unread (the next one after this, so skipping ahead and coming
    back both work); the completion page when this section is the last thing left; the quiz
    once everything is read on a first pass; otherwise on through the sections (reading a
    module again), then the quiz if it must be passed again. The page names the button and
    the redirect goes there from the same answer, so the two never disagree.
    """
    ids = [section.id for section in module.sections]
    position = ids.index(section_id) if section_id in ids else -1
    after_this = module.sections[position + 1 :] + module.sections[: max(position, 0)]
    unread = [s for s in after_this if s.id not in state.sections_done]
    if unread:
        return _to_section(module, unread[0])
    quiz_to_pass = module.quiz is not None and not state.quiz_passed
    if state.status is not ModuleStatus.completed and not quiz_to_pass:
        return NextStep("Finish the module", progress.completion_url(module))
    if state.completed_at is None and quiz_to_pass:
        return _to_quiz(module)
    following = module.next_section_id(section_id)
    if following is not None:
        section = module.section(following)
        assert section is not None
        return _to_section(module, section)
    if quiz_to_pass and state.status is not ModuleStatus.completed:
        return _to_quiz(module)
    return NextStep("Finish the module", progress.completion_url(module))


def read_section(
    session: Session, content: ContentIndex, viewer: Viewer, slug: str, section_id: str
) -> NextStep:
    """Mark a section read, and say where its "Next" button leads (from the state before)."""
    module = progress.get_module(content, slug)
    before = progress.state_for(session, content, viewer.id, slug)
    progress.complete_section(session, content, viewer, slug, section_id)
    return step_after(module, before, section_id)


def _to_section(module: Module, section: Section) -> NextStep:
    return NextStep(section.title, f"/modules/{module.slug}/sections/{section.id}")


def _to_quiz(module: Module) -> NextStep:
    return NextStep("Check your understanding (quiz)", f"/modules/{module.slug}/quiz")


def completed(
    session: Session, content: ContentIndex, viewer: Viewer, slug: str
) -> Completed | None:
    """What the completion page shows, or None when the viewer has not completed the module.

    What is next comes from the cohorts' assignments and the person's own progress, so the
    page says the same as the home page about what is assigned, due and overdue.
    """
    state = progress.state_if_practitioner(session, content, viewer, slug)
    if state is None or state.completed_at is None:
        return None
    module = progress.get_module(content, slug)
    assigned = [
        item
        for item in cohorts.my_assignments(session, content, viewer)
        if item.module.slug != slug and item.status is not cohorts.AssignmentStatus.completed
    ]
    modules = [m for m in content.all("module") if m.slug != slug]
    states = progress.states_for(session, content, viewer.id, [m.slug for m in modules])
    spoken_for = {item.module.slug for item in assigned}
    due = [
        m
        for m in modules
        if states[m.slug].status is ModuleStatus.due_for_refresh and m.slug not in spoken_for
    ]
    unfinished = [
        m
        for m in modules
        if states[m.slug].status in (ModuleStatus.not_started, ModuleStatus.in_progress)
        and m.slug not in spoken_for
    ]
    return Completed(
        module=module,
        state=state,
        certificate=certificates.latest_for_module(session, viewer, slug),
        assigned=assigned,
        due_for_refresh=due,
        next_in_curriculum=unfinished[0] if unfinished else None,
    )

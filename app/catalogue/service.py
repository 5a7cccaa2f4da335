"""Finding and reading modules and app knowledge cards."""

from __future__ import annotations

import re

from sqlmodel import Session

from app.auth.schemas import Viewer
from app.catalogue.schemas import CatalogueEntry
from app.content import ContentIndex, Module
from app.core.errors import InvalidInput
from app.models.users import Role
from app.progress import service as progress

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

"""Recent changes across modules and app cards, read from their changelogs (no database)."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from xml.etree import ElementTree

from app.auth.schemas import Viewer
from app.content import ContentIndex, Module
from app.models.users import Role
from app.whatsnew.schemas import ContentChange, WhatsNew

MAXIMUM_CHANGES = 100
FEED_ENTRIES = 50
ATOM_NAMESPACE = "http://www.w3.org/2005/Atom"
FEED_ID = "urn:askwell:whats-new"


def recent_changes(
    content: ContentIndex, limit: int = MAXIMUM_CHANGES
) -> tuple[ContentChange, ...]:
    """Every changelog entry, newest first; on one day, modules before app cards, then by title."""
    changes = [
        ContentChange(module=module, entry=entry)
        for module in content.all()
        for entry in module.changelog
    ]
    changes.sort(
        key=lambda change: (
            -change.entry.date.toordinal(),
            change.module.kind != "module",
            change.module.title.casefold(),
            -change.entry.version,
        )
    )
    return tuple(changes[:limit])


def cards_needing_review(content: ContentIndex, today: date) -> tuple[Module, ...]:
    cards = [card for card in content.all("app") if card.needs_review(today)]
    return tuple(sorted(cards, key=lambda card: (card.review_by or today, card.title.casefold())))


def whats_new(content: ContentIndex, viewer: Viewer | None, today: date) -> WhatsNew:
    """Anyone may read what changed; only trainers are shown which cards need review."""
    is_trainer = viewer is not None and viewer.has(Role.trainer)
    return WhatsNew(
        changes=recent_changes(content),
        needs_review=cards_needing_review(content, today) if is_trainer else (),
    )


def _timestamp(day: date) -> str:
    return datetime.combine(day, time(0, 0), tzinfo=UTC).isoformat()


def change_title(change: ContentChange) -> str:
    kind = "App card" if change.module.kind == "app" else "Module"
    return f"{kind}: {change.module.title}, version {change.entry.version}: {change.entry.summary}"


def atom_feed(content: ContentIndex, base_url: str) -> bytes:
    """An Atom 1.0 feed of content changes: titles and dates only.

    Built with ElementTree, which escapes every text node and attribute, so a title
    can never break out of the XML.
    """
    base = base_url.rstrip("/")
    changes = recent_changes(content, FEED_ENTRIES)
    ElementTree.register_namespace("", ATOM_NAMESPACE)

    def element(parent: ElementTree.Element, tag: str, text: str | None = None, **attrs: str):  # noqa: ANN202
        node = ElementTree.SubElement(parent, f"{{{ATOM_NAMESPACE}}}{tag}", attrs)
        if text is not None:
            node.text = text
        return node

    feed = ElementTree.Element(f"{{{ATOM_NAMESPACE}}}feed")
    element(feed, "title", "What's new in Askwell")
    element(feed, "subtitle", "Changes to Askwell's training modules and app knowledge cards.")
    element(feed, "id", FEED_ID)
    element(feed, "link", rel="self", href=f"{base}/whats-new.atom")
    element(feed, "link", rel="alternate", type="text/html", href=f"{base}/whats-new")
    newest = changes[0].entry.date if changes else date(2026, 1, 1)
    element(feed, "updated", _timestamp(newest))
    author = element(feed, "author")
    element(author, "name", "Askwell")
    for change in changes:
        entry = element(feed, "entry")
        element(entry, "title", change_title(change))
        element(
            entry,
            "id",
            f"urn:askwell:{change.module.kind}:{change.module.slug}:v{change.entry.version}",
        )
        element(
            entry,
            "link",
            rel="alternate",
            type="text/html",
            href=f"{base}/modules/{change.module.slug}",
        )
        element(entry, "updated", _timestamp(change.entry.date))
    return ElementTree.tostring(feed, encoding="utf-8", xml_declaration=True)

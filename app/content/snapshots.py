"""The text of every module version practitioners have seen, kept so "what changed" can
compare it with the version on disk.

Recording is idempotent and safe with several workers starting at once: each row is
inserted ignoring duplicates, keyed by (module, version, section). It belongs to the
content store, below the rooms: progress records a snapshot whenever someone completes a
version, and refresh reads them back to say what changed since.
"""

from __future__ import annotations

import hashlib
import logging

from sqlalchemy import Engine, func
from sqlalchemy.exc import DBAPIError
from sqlmodel import Session, col, select

from app.content import ContentIndex, Module
from app.core.db import insert_ignoring_duplicates, session_scope
from app.models.base import utcnow
from app.models.refresh import SectionSnapshot

log = logging.getLogger("askwell")


def text_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def record_module_version(session: Session, module: Module) -> None:
    """Keep this version's sections unless they are already kept."""
    now = utcnow()
    for position, section in enumerate(module.sections):
        insert_ignoring_duplicates(
            session,
            SectionSnapshot,
            {
                "module_slug": module.slug,
                "version": module.version,
                "position": position,
                "section_id": section.id,
                "title": section.title[:200],
                "text_hash": text_hash(section.text),
                "text": section.text,
                "recorded_at": now,
            },
            ["module_slug", "version", "section_id"],
        )


def record_content_versions(session: Session, content: ContentIndex) -> int:
    """Snapshot every module version not yet kept, in one read and only the inserts needed."""
    rows = session.exec(
        select(SectionSnapshot.module_slug, SectionSnapshot.version, func.count()).group_by(
            SectionSnapshot.module_slug, SectionSnapshot.version
        )
    ).all()
    counts = {(slug, version): count for slug, version, count in rows}
    recorded = 0
    for module in content.all():
        if counts.get((module.slug, module.version), 0) < len(module.sections):
            record_module_version(session, module)
            recorded += 1
    return recorded


def record_content_versions_at_start(engine: Engine, content: ContentIndex) -> None:
    """Called as Askwell starts; a database not yet migrated is reported, not fatal."""
    try:
        with session_scope(engine) as session:
            recorded = record_content_versions(session, content)
    except DBAPIError as error:
        log.warning("Module versions were not recorded (run `askwell db upgrade`): %s", error.orig)
        return
    if recorded:
        log.info("Recorded the text of %d new module versions", recorded)


def sections_of_version(session: Session, slug: str, version: int) -> list[SectionSnapshot]:
    return list(
        session.exec(
            select(SectionSnapshot)
            .where(SectionSnapshot.module_slug == slug, SectionSnapshot.version == version)
            .order_by(col(SectionSnapshot.position))
        ).all()
    )

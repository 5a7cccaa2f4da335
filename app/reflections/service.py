"""Private reflections and the learning record.

Every function here reads and writes the viewer's own rows and nobody else's: there is
no way to ask for another person's reflections, so trainers and admins never see them.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from typing import Any

from sqlalchemy import delete, update
from sqlmodel import Session, col, select

from app.auth.schemas import Viewer
from app.auth.service import require_role
from app.content import ContentIndex, Module
from app.core.db import insert_ignoring_duplicates
from app.core.errors import InvalidInput, NotFound
from app.core.text import clean_multiline
from app.models.base import utcnow
from app.models.progress import Completion
from app.models.reflections import Reflection
from app.models.users import Role
from app.progress.service import get_module
from app.reflections.schemas import (
    LearningRecord,
    ModuleReflections,
    RecordCompletion,
    RecordReflectionGroup,
    ReflectionItem,
)

MAXIMUM_ANSWER_LENGTH = 5000


def prompt_key(prompt: str) -> str:
    """Prompts have no ids, so an answer is kept against a hash of the prompt's words."""
    return hashlib.sha256(prompt.encode("utf-8")).hexdigest()[:16]


def _module_with_prompts(content: ContentIndex, slug: str) -> Module:
    module = get_module(content, slug)
    if not module.reflect_prompts:
        raise NotFound("This module has no reflection prompts.")
    return module


def _own_rows(session: Session, viewer: Viewer, slug: str | None = None) -> list[Reflection]:
    statement = select(Reflection).where(Reflection.user_id == viewer.id)
    if slug is not None:
        statement = statement.where(Reflection.module_slug == slug)
    return list(session.exec(statement.order_by(col(Reflection.id))).all())


def reflections_for(
    session: Session, content: ContentIndex, viewer: Viewer, slug: str
) -> ModuleReflections:
    """The module's prompts with the viewer's own answers beside them."""
    require_role(viewer, Role.practitioner)
    module = _module_with_prompts(content, slug)
    rows = {row.prompt_key: row for row in _own_rows(session, viewer, slug)}
    items = tuple(
        ReflectionItem(
            key=prompt_key(prompt),
            prompt=prompt,
            answer=rows[prompt_key(prompt)].answer if prompt_key(prompt) in rows else "",
            updated_at=rows[prompt_key(prompt)].updated_at if prompt_key(prompt) in rows else None,
        )
        for prompt in module.reflect_prompts
    )
    return ModuleReflections(module=module, items=items)


def save_reflections(
    session: Session,
    content: ContentIndex,
    viewer: Viewer,
    slug: str,
    answers: Mapping[str, str],
) -> ModuleReflections:
    """Save, change or (with an empty answer) remove the viewer's answers to these prompts."""
    require_role(viewer, Role.practitioner)
    module = _module_with_prompts(content, slug)
    prompts = {prompt_key(prompt): prompt for prompt in module.reflect_prompts}
    unknown = [key for key in answers if key not in prompts]
    if unknown:
        raise InvalidInput("Answer the prompts this module asks.")
    cleaned = {key: clean_multiline(answer) for key, answer in answers.items()}
    too_long = [
        number
        for number, key in enumerate(prompts, start=1)
        if len(cleaned.get(key, "")) > MAXIMUM_ANSWER_LENGTH
    ]
    if too_long:
        raise InvalidInput(
            f"Keep each reflection to {MAXIMUM_ANSWER_LENGTH:,} characters "
            f"(prompt {', '.join(map(str, too_long))} is longer)."
        )
    now = utcnow()
    for key, answer in cleaned.items():
        if not answer:
            session.exec(
                delete(Reflection).where(
                    col(Reflection.user_id) == viewer.id,
                    col(Reflection.module_slug) == slug,
                    col(Reflection.prompt_key) == key,
                )
            )
            continue
        values: dict[str, Any] = {
            "prompt": prompts[key][:1000],
            "answer": answer,
            "updated_at": now,
        }
        insert_ignoring_duplicates(
            session,
            Reflection,
            {
                "user_id": viewer.id,
                "module_slug": slug,
                "prompt_key": key,
                "created_at": now,
                **values,
            },
            ["user_id", "module_slug", "prompt_key"],
        )
        session.exec(
            update(Reflection)
            .where(
                col(Reflection.user_id) == viewer.id,
                col(Reflection.module_slug) == slug,
                col(Reflection.prompt_key) == key,
            )
            .values(**values)
        )
    return reflections_for(session, content, viewer, slug)


def learning_record(session: Session, content: ContentIndex, viewer: Viewer) -> LearningRecord:
    """Every completion (with version, date and minutes) and every reflection of the viewer."""
    require_role(viewer, Role.practitioner)
    completions = session.exec(
        select(Completion)
        .where(Completion.user_id == viewer.id)
        .order_by(col(Completion.completed_at).desc(), col(Completion.id).desc())
    ).all()
    groups: dict[str, list[ReflectionItem]] = {}
    for row in _own_rows(session, viewer):
        groups.setdefault(row.module_slug, []).append(
            ReflectionItem(row.prompt_key, row.prompt, row.answer, row.updated_at)
        )

    def title_of(slug: str) -> str:
        module = content.get(slug)
        return module.title if module else slug

    order = {module.slug: position for position, module in enumerate(content.all())}
    return LearningRecord(
        display_name=viewer.display_name,
        email=viewer.email,
        generated_at=utcnow(),
        completions=tuple(
            RecordCompletion(
                module_slug=c.module_slug,
                module_title=c.module_title,
                version=c.content_version,
                completed_at=c.completed_at,
                minutes=c.minutes,
                verification_code=c.verification_code,
            )
            for c in completions
        ),
        reflections=tuple(
            RecordReflectionGroup(slug, title_of(slug), tuple(items))
            for slug, items in sorted(groups.items(), key=lambda pair: order.get(pair[0], 10_000))
        ),
    )


def record_as_json(record: LearningRecord) -> dict[str, Any]:
    return {
        "record": "Askwell learning record",
        "name": record.display_name,
        "email": record.email,
        "generated_at": record.generated_at.isoformat(),
        "total_minutes": record.total_minutes,
        "completed": [
            {
                "module_slug": c.module_slug,
                "module_title": c.module_title,
                "version": c.version,
                "completed_at": c.completed_at.isoformat(),
                "minutes": c.minutes,
                "verification_code": c.verification_code,
            }
            for c in record.completions
        ],
        "reflections": [
            {
                "module_slug": group.module_slug,
                "module_title": group.module_title,
                "answers": [
                    {
                        "prompt": item.prompt,
                        "answer": item.answer,
                        "updated_at": item.updated_at.isoformat() if item.updated_at else None,
                    }
                    for item in group.items
                ],
            }
            for group in record.reflections
        ],
    }

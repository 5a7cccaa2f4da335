"""Reflections and the learning record, for pages, the API and the exports."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from pydantic import BaseModel, Field

from app.content import Module


@dataclass(frozen=True)
class ReflectionItem:
    key: str
    prompt: str
    answer: str
    updated_at: datetime | None


@dataclass(frozen=True)
class ModuleReflections:
    module: Module
    items: tuple[ReflectionItem, ...]


@dataclass(frozen=True)
class RecordCompletion:
    module_slug: str
    module_title: str
    version: int
    completed_at: datetime
    minutes: int
    verification_code: str


@dataclass(frozen=True)
class RecordReflectionGroup:
    module_slug: str
    module_title: str
    items: tuple[ReflectionItem, ...]


@dataclass(frozen=True)
class LearningRecord:
    display_name: str
    email: str
    generated_at: datetime
    completions: tuple[RecordCompletion, ...]
    reflections: tuple[RecordReflectionGroup, ...]

    @property
    def total_minutes(self) -> int:
        return sum(completion.minutes for completion in self.completions)


class ReflectionsIn(BaseModel):
    answers: dict[str, str] = Field(
        description="Prompt key to your answer; an empty answer removes it", max_length=50
    )


class ReflectionOut(BaseModel):
    key: str
    prompt: str
    answer: str
    updated_at: datetime | None


class ModuleReflectionsOut(BaseModel):
    slug: str
    title: str
    reflections: list[ReflectionOut]

    @classmethod
    def of(cls, reflections: ModuleReflections) -> ModuleReflectionsOut:
        return cls(
            slug=reflections.module.slug,
            title=reflections.module.title,
            reflections=[
                ReflectionOut(
                    key=item.key, prompt=item.prompt, answer=item.answer, updated_at=item.updated_at
                )
                for item in reflections.items
            ],
        )

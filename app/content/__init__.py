"""Askwell's training content: Markdown modules and app cards, parsed once into a frozen index."""

from app.content.checker import check_content
from app.content.loader import compile_content, content_files, load_content
from app.content.problems import ContentError, Problem
from app.content.schemas import (
    APP_CATEGORIES,
    SENSITIVE_TOPICS,
    TOPICS,
    Ask,
    Block,
    ChangelogEntry,
    ContentIndex,
    KeyPoints,
    Module,
    Option,
    Prose,
    Question,
    Quiz,
    Quote,
    Reflect,
    Scenario,
    Section,
    Source,
    Support,
)

__all__ = [
    "APP_CATEGORIES",
    "SENSITIVE_TOPICS",
    "TOPICS",
    "Ask",
    "Block",
    "ChangelogEntry",
    "ContentError",
    "ContentIndex",
    "KeyPoints",
    "Module",
    "Option",
    "Problem",
    "Prose",
    "Question",
    "Quiz",
    "Quote",
    "Reflect",
    "Scenario",
    "Section",
    "Source",
    "Support",
    "check_content",
    "compile_content",
    "content_files",
    "load_content",
]

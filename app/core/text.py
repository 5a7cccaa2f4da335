"""What people type, made safe to keep and show: one set of rules for every feature.

Right-to-left overrides, zero-width characters and control characters can make text
read differently on screen, in a CSV or on a certificate than what was stored, so
they never survive. Long text is cleaned; a name is refused with a message instead,
because silently changing someone's name is worse than asking them to type it again.
"""

from __future__ import annotations

import unicodedata

from app.core.errors import InvalidInput

# The zero-width joiner builds emoji and some scripts' letters; it cannot reorder text.
KEPT_FORMAT_CHARACTERS = frozenset({"\u200d"})


def clean_multiline(value: str) -> str:
    """NFC, Unix line breaks, tabs kept; control and invisible format characters removed."""
    value = unicodedata.normalize("NFC", value).replace("\r\n", "\n").replace("\r", "\n")
    kept = []
    for character in value:
        category = unicodedata.category(character)
        if category == "Cf" and character not in KEPT_FORMAT_CHARACTERS:
            continue
        if category == "Cc" and character not in "\n\t":
            continue
        kept.append(character)
    return "".join(kept).strip()


def single_line(value: str, field: str, maximum: int) -> str:
    """Trimmed text with no control or invisible characters, or a message saying why not.

    ``field`` names the thing in a sentence ("a name", "the cohort name").
    """
    cleaned = unicodedata.normalize("NFC", value).strip()
    label = field[0].upper() + field[1:]
    if not cleaned:
        raise InvalidInput(f"Enter {field}.")
    if len(cleaned) > maximum:
        raise InvalidInput(f"{label} must be at most {maximum} characters.")
    if any(
        unicodedata.category(char) in ("Cc", "Cf") and char not in KEPT_FORMAT_CHARACTERS
        for char in cleaned
    ):
        raise InvalidInput(
            f"{label} contains line breaks, invisible or control characters; "
            "type it again without them."
        )
    return cleaned

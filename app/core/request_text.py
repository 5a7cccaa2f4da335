"""One check on every text a person sends: no NUL or other control characters.

PostgreSQL cannot store a NUL in text at all (the driver refuses it mid-query), and no
other control character belongs in a name, an email, a search or a scenario. Refusing
them here, before any route runs, answers with a clear 400 instead of a 500 — or a CSV
export that stops half way — and keeps every stored text printable. Tab, line feed and
carriage return are ordinary typing and pass.
"""

from __future__ import annotations

import json
import re
from typing import Any

from fastapi import Request
from starlette.datastructures import UploadFile

from app.core.errors import AppError

CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
# A JSON body can spell a control character as an escape: \u0000 … \u001f.
JSON_CONTROL_ESCAPE = re.compile(rb"\\u00[01][0-9a-fA-F]")
FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


class ControlCharacters(AppError):
    status_code = 400
    default_message = (
        "Some of what was sent contains control characters (such as a NUL byte) that "
        "Askwell cannot store. Remove them and try again."
    )


def has_control_characters(value: Any) -> bool:
    """True when a text, or any text inside a JSON value, holds a refused character."""
    if isinstance(value, str):
        return CONTROL_CHARACTERS.search(value) is not None
    if isinstance(value, dict):
        return any(has_control_characters(k) or has_control_characters(v) for k, v in value.items())
    if isinstance(value, list):
        return any(has_control_characters(item) for item in value)
    return False


async def refuse_control_characters(request: Request) -> None:
    """A dependency of every route: path, query, form fields and JSON strings are checked."""
    texts = [*request.path_params.values(), *request.query_params.keys()]
    texts.extend(request.query_params.values())
    if any(has_control_characters(text) for text in texts):
        raise ControlCharacters()
    if request.method in ("GET", "HEAD", "OPTIONS"):
        return
    content_type = request.headers.get("content-type", "")
    if content_type.startswith(FORM_TYPES):
        form = await request.form()
        for name, value in form.multi_items():
            if has_control_characters(name) or (
                not isinstance(value, UploadFile) and has_control_characters(value)
            ):
                raise ControlCharacters()
        return
    body = await request.body()
    if not body:
        return
    if CONTROL_CHARACTERS.search(body.decode("utf-8", "replace")):
        raise ControlCharacters()
    if "json" in content_type and JSON_CONTROL_ESCAPE.search(body):
        # Escapes are rare: only then is the body parsed to tell a real control
        # character from text that merely shows a backslash and "u0000".
        try:
            parsed = json.loads(body)
        except ValueError:
            return  # the route's own validation answers malformed JSON
        if has_control_characters(parsed):
            raise ControlCharacters()

"""The published API schema says what Askwell's errors really look like.

Every error, a validation failure included, answers ``{"detail": "<one readable sentence>"}``
(see ``app.core.errors``), but FastAPI documents 422 as its own list of error objects. A client
generated from the schema would then fail to read Askwell's answer, so the schema is corrected.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi import FastAPI

ERROR_SCHEMA: dict[str, Any] = {
    "title": "HTTPValidationError",
    "type": "object",
    "properties": {"detail": {"title": "Detail", "type": "string"}},
    "required": ["detail"],
}


def document_errors_as_sentences(app: FastAPI) -> Callable[[], dict[str, Any]]:
    """An ``app.openapi`` that describes 422 answers as the sentence they carry."""
    generate = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema:
            return app.openapi_schema
        schema = generate()
        components = schema.get("components", {}).get("schemas", {})
        if "HTTPValidationError" in components:
            components["HTTPValidationError"] = ERROR_SCHEMA
            components.pop("ValidationError", None)
        return schema

    return openapi

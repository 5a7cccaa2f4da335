"""The README's JSON API table and the routes Askwell serves never drift apart."""

from __future__ import annotations

import re
from pathlib import Path

from fastapi.testclient import TestClient

README = Path(__file__).resolve().parents[2] / "README.md"
ROUTE = re.compile(r"^\| `(GET|POST|PUT|DELETE|PATCH) (/api/v1/[^`]*)` \|", re.MULTILINE)


def normalise(path: str) -> str:
    """Parameter names are the docs' to choose; their places must match."""
    return re.sub(r"\{[^}]+\}", "{}", path)


def test_every_api_route_is_in_the_readme_and_every_listed_route_is_served(app):
    section = README.read_text(encoding="utf-8").split("## JSON API", 1)[1].split("\n## ", 1)[0]
    documented = {(method, normalise(path)) for method, path in ROUTE.findall(section)}
    with TestClient(app) as client:
        paths = client.get("/api/openapi.json").json()["paths"]
    served = {
        (method.upper(), normalise(path))
        for path, item in paths.items()
        if path.startswith("/api/v1/")
        for method in item
    }
    assert len(documented) > 40
    assert served - documented == set(), "served but not in the README's JSON API table"
    assert documented - served == set(), "in the README's JSON API table but not served"

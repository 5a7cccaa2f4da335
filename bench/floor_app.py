"""The floor: the plainest FastAPI page that does what a page of Askwell does at least.

    uvicorn bench.floor_app:app --workers 2

One route, written the way a FastAPI app is ordinarily written: a sync ``def`` (so it runs in
the thread pool), a SQLAlchemy session from a dependency, one read by an indexed column of a
100,000-row SQLite table, and a Jinja template rendered through ``Jinja2Templates``. No cache,
no shortcut: ``bench.load`` compares Askwell's pages with it, so a ratio near 1 means a page
costs little more than the framework, the database driver and the template engine themselves.

``FLOOR_DATABASE`` names the SQLite file (made by ``create_database``) and
``FLOOR_TEMPLATES`` the folder holding ``item.html`` (``bench.load`` writes one the size of
Askwell's module page).
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Annotated

from fastapi import Depends, FastAPI, HTTPException, Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates
from sqlalchemy import String, Text, create_engine, select
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column

ROWS = 100_000
DATABASE = Path(os.environ.get("FLOOR_DATABASE", "floor.db"))
TEMPLATES = Path(os.environ.get("FLOOR_TEMPLATES", Path(__file__).parent))


class Base(DeclarativeBase):
    pass


class Item(Base):
    __tablename__ = "items"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(100), unique=True, index=True)
    title: Mapped[str] = mapped_column(String(200))
    summary: Mapped[str] = mapped_column(Text)


engine = create_engine(f"sqlite:///{DATABASE}", connect_args={"check_same_thread": False})
templates = Jinja2Templates(directory=TEMPLATES)
app = FastAPI()


def get_session() -> Iterator[Session]:
    with Session(engine) as session:
        yield session


@app.get("/items/{slug}", response_class=HTMLResponse)
def item_page(
    slug: str, request: Request, session: Annotated[Session, Depends(get_session)]
) -> HTMLResponse:
    item = session.scalars(select(Item).where(Item.slug == slug)).one_or_none()
    if item is None:
        raise HTTPException(status_code=404)
    return templates.TemplateResponse(request, "item.html", {"item": item})


def item_slug(number: int) -> str:
    return f"item-{number:06d}"


def create_database(path: Path, rows: int = ROWS) -> None:
    """The 100,000-row table with its unique index on ``slug`` (made once, in bulk)."""
    path.unlink(missing_ok=True)
    schema_engine = create_engine(f"sqlite:///{path}")
    Base.metadata.create_all(schema_engine)
    schema_engine.dispose()
    connection = sqlite3.connect(path)
    with connection:
        connection.executemany(
            "INSERT INTO items (id, slug, title, summary) VALUES (?, ?, ?, ?)",
            (
                (
                    number,
                    item_slug(number),
                    f"Item {number}: talking about life online",
                    "A short summary of what this page is about & why it matters. " * 3,
                )
                for number in range(1, rows + 1)
            ),
        )
    connection.close()


TEMPLATE_TOP = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ item.title }} – Floor</title>
<link rel="stylesheet" href="/static/site.css">
</head>
<body>
<header><nav><a href="/">Home</a> <a href="/items">Items</a></nav></header>
<main id="main-content">
<h1>{{ item.title }}</h1>
<p class="lead">{{ item.summary }}</p>
<ol class="contents">
{% for number in range(1, 6) %}
<li><a href="/items/{{ item.slug }}/parts/{{ number }}">Part {{ number }}: {{ item.title }}</a>
</li>
{% endfor %}
</ol>
"""
TEMPLATE_FILLER = (
    "<p>Plain static text standing in for the rest of a page: headings, paragraphs, "
    "links and the footer that a real page carries around its content.</p>\n"
)
TEMPLATE_BOTTOM = """</main>
<footer><p>Floor page for {{ item.slug }}</p></footer>
</body>
</html>
"""


def write_template(directory: Path, size: int) -> int:
    """Write ``item.html`` so the page it renders is ``size`` bytes (give or take a line of
    filler); return the rendered size."""
    from jinja2 import Environment, select_autoescape

    environment = Environment(autoescape=select_autoescape(default=True))
    sample = Item(
        id=ROWS // 2,
        slug=item_slug(ROWS // 2),
        title=f"Item {ROWS // 2}: talking about life online",
        summary="A short summary of what this page is about & why it matters. " * 3,
    )

    def rendered(filler_lines: int) -> str:
        source = TEMPLATE_TOP + TEMPLATE_FILLER * filler_lines + TEMPLATE_BOTTOM
        return environment.from_string(source).render(item=sample)

    frame = len(rendered(0).encode())
    lines = max(0, round((size - frame) / len(TEMPLATE_FILLER)))
    directory.mkdir(parents=True, exist_ok=True)
    (directory / "item.html").write_text(
        TEMPLATE_TOP + TEMPLATE_FILLER * lines + TEMPLATE_BOTTOM, encoding="utf-8"
    )
    return len(rendered(lines).encode())

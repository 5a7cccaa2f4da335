"""One search over modules, app cards and published scenarios, whichever database runs.

Documents live in ``search_documents`` (one per module section, one per app card
section, one overview per module and card, one per published scenario). SQLite searches
them through an FTS5 table kept in step by triggers; PostgreSQL through a GIN index on a
weighted tsvector. Both are made by migration 0002. Words from the query are reduced to
letters and digits and matched as prefixes (so "snap" finds Snapchat), all of them
required; nothing a person types reaches the SQL except as a bound parameter.

Content is indexed when Askwell starts (only versions not yet indexed). Scenarios are
indexed by whoever publishes them: call ``index_document`` on publish and
``remove_document`` on withdrawal, so drafts and withdrawn words are never found.
"""

from __future__ import annotations

import bisect
import difflib
import logging
import re
import sqlite3
from collections.abc import Sequence
from typing import Any

from sqlalchemy import Engine, delete, func, text, update
from sqlalchemy.exc import DBAPIError
from sqlmodel import Session, col, select

from app.content import ContentIndex, Module
from app.core.db import insert_ignoring_duplicates, session_scope
from app.core.errors import InvalidInput
from app.models.base import utcnow
from app.models.search import SearchDocument
from app.search.schemas import SearchHit, SearchResults, SnippetPart

log = logging.getLogger("askwell")

CONTENT_KINDS = ("module", "app")
DOCUMENT_KINDS = (*CONTENT_KINDS, "scenario")
MAXIMUM_QUERY_LENGTH = 200
MAXIMUM_WORDS = 12
MAXIMUM_WORD_LENGTH = 40
MAXIMUM_RESULTS = 30
SNIPPET_WORDS = 30

# FTS5's own secure-delete arrived in SQLite 3.44.0; before it, ``optimize`` does the job.
FTS5_HAS_SECURE_DELETE = sqlite3.sqlite_version_info >= (3, 44, 0)
_FTS_SECURE_DELETE_ON = (
    "INSERT INTO search_documents_fts(search_documents_fts, rank) VALUES ('secure-delete', 1)"
)
_FTS_OPTIMIZE = "INSERT INTO search_documents_fts(search_documents_fts) VALUES ('optimize')"

_WORD = re.compile(r"\w+")
_TOKEN = re.compile(r"\w+|\W+")

# Must match migration 0002 character for character, or PostgreSQL will not use its index.
POSTGRES_VECTOR = (
    "(setweight(to_tsvector('english'::regconfig, title), 'A') || "
    "setweight(to_tsvector('english'::regconfig, heading), 'B') || "
    "setweight(to_tsvector('english'::regconfig, body), 'C'))"
)
_COLUMNS = "d.id, d.kind, d.key, d.parent, d.title, d.heading, d.url, d.body"
# Every matching document, ranked lower-is-better on both databases: `rank` over title,
# heading and body, `own_rank` over heading and body alone. Every section carries its
# module's title, so without `own_rank` a short section that merely sits in a matching
# module would outrank the section that is actually about the word.
_SQLITE_MATCHES = (
    f"SELECT {_COLUMNS}, bm25(search_documents_fts, 10.0, 4.0, 1.0) AS rank, "  # noqa: S608 # nosec B608
    "bm25(search_documents_fts, 0.0, 4.0, 1.0) AS own_rank "
    "FROM search_documents_fts "
    "JOIN search_documents AS d ON d.id = search_documents_fts.rowid "
    "WHERE search_documents_fts MATCH :query"
)
_POSTGRES_MATCHES = (
    f"SELECT {_COLUMNS}, -ts_rank({POSTGRES_VECTOR}, query) AS rank, "  # noqa: S608 # nosec B608
    f"-ts_rank('{{0.1, 0.2, 0.4, 0}}', {POSTGRES_VECTOR}, query) AS own_rank "
    "FROM search_documents AS d, to_tsquery('english'::regconfig, :query) AS query "
    f"WHERE {POSTGRES_VECTOR} @@ query"
)
# ...then one row per module, card or scenario: the document whose own words match best,
# ranked by the item's best document, with how many of its documents matched. Window
# functions do the grouping in the database on both.
_BEST_PER_ITEM = (
    "SELECT kind, key, title, heading, url, body, matches FROM ("  # noqa: S608 - constants only
    "SELECT ranked.*, "
    "row_number() OVER (PARTITION BY kind, parent ORDER BY own_rank, rank, id) AS place, "
    "min(rank) OVER (PARTITION BY kind, parent) AS item_rank, "
    "count(*) OVER (PARTITION BY kind, parent) AS matches "
    "FROM ({matches}) AS ranked"
    ") AS best WHERE place = 1 ORDER BY item_rank, id LIMIT :limit"
)
_SQLITE_SEARCH = text(_BEST_PER_ITEM.format(matches=_SQLITE_MATCHES))
_POSTGRES_SEARCH = text(_BEST_PER_ITEM.format(matches=_POSTGRES_MATCHES))


# --- Indexing -----------------------------------------------------------------------------


def index_document(
    session: Session,
    *,
    kind: str,
    key: str,
    title: str,
    body: str,
    url: str,
    heading: str = "",
    parent: str = "",
    version: int = 0,
) -> None:
    """Add or replace one searchable document, keyed by (kind, key)."""
    if kind not in DOCUMENT_KINDS:
        raise InvalidInput(f"kind must be one of {', '.join(DOCUMENT_KINDS)}.")
    if not url.startswith("/") or url.startswith("//"):
        raise InvalidInput("A search result links only to a page of Askwell itself.")
    values = {
        "parent": (parent or key)[:120],
        "title": title[:300],
        "heading": heading[:300],
        "url": url[:400],
        "body": body,
        "version": version,
        "indexed_at": utcnow(),
    }
    insert_ignoring_duplicates(
        session, SearchDocument, {"kind": kind, "key": key[:240], **values}, ["kind", "key"]
    )
    session.exec(
        update(SearchDocument)
        .where(col(SearchDocument.kind) == kind, col(SearchDocument.key) == key[:240])
        .values(**values)
    )


def remove_document(session: Session, kind: str, key: str) -> None:
    """Take a document out of search at once (a withdrawn or unpublished scenario), and out
    of the database file too: a withdrawn young person's words must not linger anywhere."""
    if session.get_bind().dialect.name == "sqlite" and FTS5_HAS_SECURE_DELETE:
        # From SQLite 3.44, FTS5 can erase a row's entries from its segments as it goes.
        session.execute(text(_FTS_SECURE_DELETE_ON))
    removed = session.exec(
        delete(SearchDocument).where(
            col(SearchDocument.kind) == kind, col(SearchDocument.key) == key[:240]
        )
    )
    on_sqlite = session.get_bind().dialect.name == "sqlite"
    if removed.rowcount and on_sqlite and not FTS5_HAS_SECURE_DELETE:
        # Older FTS5 only marks a deletion in a new segment, leaving the words in the old
        # one: merging every segment into one drops them. The index is modules and
        # published scenarios, small enough to merge whenever someone withdraws.
        session.execute(text(_FTS_OPTIMIZE))
    # Pages freed on the way are overwritten by PRAGMA secure_delete (see app.core.db).


def _module_documents(module: Module) -> list[dict[str, object]]:
    is_card = module.kind == "app"
    overview_body = "\n".join([module.summary, " ".join(module.topics).replace("-", " ")])
    documents: list[dict[str, object]] = [
        {
            "key": module.slug,
            "title": module.title,
            "heading": ("Also known as " + ", ".join(module.also_known_as))
            if module.also_known_as
            else "",
            "body": overview_body,
            "url": f"/modules/{module.slug}",
        }
    ]
    for section in module.sections:
        documents.append(
            {
                "key": f"{module.slug}#{section.id}",
                "title": module.title,
                "heading": section.title,
                "body": section.text,
                "url": f"/modules/{module.slug}#{section.id}"
                if is_card
                else f"/modules/{module.slug}/sections/{section.id}",
            }
        )
    return documents


def index_module(session: Session, module: Module) -> None:
    """Replace a module's or card's documents with its current version's."""
    session.exec(
        delete(SearchDocument).where(
            col(SearchDocument.kind).in_(CONTENT_KINDS), col(SearchDocument.parent) == module.slug
        )
    )
    for document in _module_documents(module):
        index_document(
            session,
            kind=module.kind,
            parent=module.slug,
            version=module.version,
            **document,  # type: ignore[arg-type]
        )


def index_content(session: Session, content: ContentIndex) -> int:
    """Index every module and card whose current version is not indexed yet; drop the gone."""
    indexed = dict(
        session.exec(
            select(SearchDocument.parent, func.min(SearchDocument.version))
            .where(col(SearchDocument.kind).in_(CONTENT_KINDS))
            .group_by(SearchDocument.parent)
        ).all()
    )
    changed = 0
    for module in content.all():
        if indexed.get(module.slug) != module.version:
            index_module(session, module)
            changed += 1
    gone = [slug for slug in indexed if content.get(slug) is None]
    if gone:
        session.exec(
            delete(SearchDocument).where(
                col(SearchDocument.kind).in_(CONTENT_KINDS), col(SearchDocument.parent).in_(gone)
            )
        )
    return changed


def index_content_at_start(engine: Engine, content: ContentIndex) -> None:
    try:
        with session_scope(engine) as session:
            changed = index_content(session, content)
    except DBAPIError as error:
        log.warning("Content was not indexed for search (run `askwell db upgrade`): %s", error.orig)
        return
    if changed:
        log.info("Indexed %d modules and app cards for search", changed)


# --- Searching ----------------------------------------------------------------------------


def query_words(query: str) -> tuple[str, ...]:
    """Letters and digits only: FTS and tsquery syntax can never come from a person."""
    words = [word[:MAXIMUM_WORD_LENGTH] for word in _WORD.findall(query.casefold())]
    return tuple(dict.fromkeys(words))[:MAXIMUM_WORDS]


def snippet(body: str, words: Sequence[str]) -> tuple[SnippetPart, ...]:
    """About thirty words around the first match, with the matching words marked."""
    tokens = _TOKEN.findall(body)
    word_positions = [index for index, token in enumerate(tokens) if _WORD.fullmatch(token)]

    def matches(token: str) -> bool:
        folded = token.casefold()
        return any(folded.startswith(word) for word in words)

    first = next((i for i, index in enumerate(word_positions) if matches(tokens[index])), 0)
    start_word = max(0, first - SNIPPET_WORDS // 3)
    end_word = min(len(word_positions), start_word + SNIPPET_WORDS)
    if not word_positions:
        return ()
    start = word_positions[start_word]
    end = word_positions[end_word - 1] + 1
    parts: list[SnippetPart] = []
    if start_word > 0:
        parts.append(SnippetPart("… ", False))
    for token in tokens[start:end]:
        matched = bool(_WORD.fullmatch(token)) and matches(token)
        text_part = " " if token.isspace() else token
        if parts and parts[-1].matched == matched and not matched:
            parts[-1] = SnippetPart(parts[-1].text + text_part, False)
        else:
            parts.append(SnippetPart(text_part, matched))
    if end_word < len(word_positions):
        parts.append(SnippetPart(" …", False))
    return tuple(parts)


_vocabularies: dict[int, tuple[str, ...]] = {}


def vocabulary(content: ContentIndex) -> tuple[str, ...]:
    """Every word of three letters or more in the modules and app cards, sorted, read once."""
    key = id(content)
    if key not in _vocabularies:
        words: set[str] = set()
        for module in content.all():
            for document in _module_documents(module):
                for field in ("title", "heading", "body"):
                    found = _WORD.findall(str(document[field]).casefold())
                    words.update(word for word in found if len(word) >= 3 and word.isalpha())
        _vocabularies[key] = tuple(sorted(words))
    return _vocabularies[key]


def _is_known(word: str, words: tuple[str, ...]) -> bool:
    """Whether some word of the curriculum starts with it, as search matches prefixes."""
    position = bisect.bisect_left(words, word)
    return position < len(words) and words[position].startswith(word)


def spelling_suggestion(content: ContentIndex, words: Sequence[str]) -> str | None:
    """The query with each word the curriculum lacks replaced by its closest spelling there
    ("snapchta" becomes "snapchat"), or None when there is nothing better to offer."""
    known = vocabulary(content)
    corrected = []
    for word in words:
        if _is_known(word, known) or len(word) < 4 or not word.isalpha():
            corrected.append(word)
            continue
        similar = [candidate for candidate in known if abs(len(candidate) - len(word)) <= 2]
        closest = difflib.get_close_matches(word, similar, n=1, cutoff=0.75)
        corrected.append(closest[0] if closest else word)
    return " ".join(corrected) if list(words) != corrected else None


def _matching(session: Session, words: Sequence[str]) -> list[Any]:
    if session.get_bind().dialect.name == "postgresql":
        statement = _POSTGRES_SEARCH
        match = " & ".join(f"{word}:*" for word in words)
    else:
        statement = _SQLITE_SEARCH
        match = " ".join(f'"{word}"*' for word in words)
    return list(session.execute(statement, {"query": match, "limit": MAXIMUM_RESULTS}).all())


def search(session: Session, content: ContentIndex, query: str) -> SearchResults:
    """Modules, cards and scenarios holding every word of the query (as a prefix), best first.

    One result for each, showing its best-matching document (a module's section, say), so
    a card whose five sections all mention a word is one result rather than five. When
    nothing matches, a spelling from the curriculum that does match is suggested. Everyone
    signed in finds the same: only published text is indexed.
    """
    if len(query) > MAXIMUM_QUERY_LENGTH:
        raise InvalidInput(f"Search for at most {MAXIMUM_QUERY_LENGTH} characters.")
    words = query_words(query)
    if not words:
        return SearchResults(query=query, words=(), hits=())
    rows = _matching(session, words)
    suggestion = None
    if not rows:
        suggestion = spelling_suggestion(content, words)
        if suggestion is not None and not _matching(session, suggestion.split()):
            suggestion = None
    hits = tuple(
        SearchHit(
            kind=row.kind,
            key=row.key,
            title=row.title,
            heading=row.heading,
            url=row.url,
            snippet=snippet(row.body, words),
            matches=row.matches,
        )
        for row in rows
    )
    return SearchResults(query=query, words=words, hits=hits, suggestion=suggestion)

"""Young co-designers rate each "how to ask" example: would this work on you?

One rating per co-designer per example (module slug + ask id), which they can
change. Practitioners see the endorsement count once five young people have
rated an example; trainers see every count and comment, and a list of the
examples young people reject (at least five ratings, more than half "no").
"""

from __future__ import annotations

from collections import defaultdict

from sqlalchemy import func, update
from sqlmodel import Session, col, select

from app.auth.schemas import Viewer
from app.auth.service import require_role
from app.content import Ask, ContentIndex, Module
from app.core.db import insert_ignoring_duplicates
from app.core.errors import InvalidInput, NotFound
from app.core.text import clean_multiline
from app.models.base import utcnow
from app.models.ratings import AskRating, Verdict
from app.models.users import Role
from app.progress.service import get_module
from app.ratings.schemas import (
    AskPanel,
    AskSummaryOut,
    CommentOut,
    MyRating,
    RatingOut,
    Tally,
)
from app.safeguarding import service as safeguarding

MAXIMUM_COMMENT_LENGTH = 500


class RatingNotValid(InvalidInput):
    """Names the field at fault, so the form can be shown again with the error beside it."""

    def __init__(self, field: str, message: str) -> None:
        self.field = field
        super().__init__(message)


def example(content: ContentIndex, slug: str, ask_id: str) -> tuple[Module, Ask]:
    """The module and the "how to ask" example a rating is about; 404 if either is gone."""
    module = get_module(content, slug)
    ask = next((block for block in module.asks if block.id == ask_id), None)
    if ask is None:
        raise NotFound("That module has no such example.")
    return module, ask


def rate(
    session: Session,
    content: ContentIndex,
    viewer: Viewer,
    slug: str,
    ask_id: str,
    verdict: Verdict | str,
    comment: str = "",
) -> RatingOut:
    """Record (or change) the viewer's verdict on one example.

    A comment with words about risk now raises a safeguarding record of its own, and the
    answer carries the support to show first.
    """
    require_role(viewer, Role.codesigner)
    example(content, slug, ask_id)
    try:
        verdict = Verdict(verdict)
    except ValueError as error:
        raise RatingNotValid("verdict", "Choose yes, not sure or no.") from error
    comment = clean_multiline(comment)
    if len(comment) > MAXIMUM_COMMENT_LENGTH:
        raise RatingNotValid(
            "comment",
            f"Your comment must be {MAXIMUM_COMMENT_LENGTH} characters or fewer "
            f"(it is {len(comment):,}).",
        )
    now = utcnow()
    values = {"verdict": verdict.value, "comment": comment, "rated_at": now}
    insert_ignoring_duplicates(
        session,
        AskRating,
        {"user_id": viewer.id, "module_slug": slug, "ask_id": ask_id, **values},
        ["user_id", "module_slug", "ask_id"],
    )
    session.exec(
        update(AskRating)
        .where(
            col(AskRating.user_id) == viewer.id,
            col(AskRating.module_slug) == slug,
            col(AskRating.ask_id) == ask_id,
        )
        .values(**values)
    )
    risk = safeguarding.note_words(
        session,
        author_id=viewer.id,
        typed_in=safeguarding.TypedIn.rating_comment,
        texts=[comment],
        module_slug=slug,
        ask_id=ask_id,
    )
    return RatingOut(
        module_slug=slug,
        ask_id=ask_id,
        verdict=verdict,
        comment=comment,
        rated_at=now,
        support=safeguarding.support_services() if risk.at_risk else [],
    )


def tallies(session: Session, slug: str | None = None) -> dict[tuple[str, str], Tally]:
    statement = select(
        AskRating.module_slug, AskRating.ask_id, AskRating.verdict, func.count()
    ).group_by(col(AskRating.module_slug), col(AskRating.ask_id), col(AskRating.verdict))
    if slug is not None:
        statement = statement.where(AskRating.module_slug == slug)
    counts: dict[tuple[str, str], dict[str, int]] = defaultdict(dict)
    for module_slug, ask_id, verdict, count in session.exec(statement).all():
        counts[(module_slug, ask_id)][verdict] = count
    return {
        key: Tally(
            yes=value.get(Verdict.yes.value, 0),
            not_sure=value.get(Verdict.not_sure.value, 0),
            no=value.get(Verdict.no.value, 0),
        )
        for key, value in counts.items()
    }


def panel_for(session: Session, viewer: Viewer, module: Module) -> AskPanel | None:
    """What to show beside a module's examples for this viewer; None when it has none."""
    if not module.asks:
        return None
    can_rate = viewer.has(Role.codesigner)
    mine: dict[str, MyRating] = {}
    if can_rate:
        rows = session.exec(
            select(AskRating).where(
                AskRating.user_id == viewer.id, AskRating.module_slug == module.slug
            )
        ).all()
        mine = {row.ask_id: MyRating(verdict=row.verdict, comment=row.comment) for row in rows}
    counted = tallies(session, module.slug)
    return AskPanel(
        module_slug=module.slug,
        can_rate=can_rate,
        mine=mine,
        tallies={ask_id: tally for (_, ask_id), tally in counted.items()},
    )


def overview(session: Session, content: ContentIndex, viewer: Viewer) -> list[AskSummaryOut]:
    """Every example in every module with its ratings and comments, for trainers."""
    require_role(viewer, Role.trainer)
    counted = tallies(session)
    comments: dict[tuple[str, str], list[CommentOut]] = defaultdict(list)
    rows = session.exec(
        select(AskRating)
        .where(AskRating.comment != "")
        .order_by(col(AskRating.rated_at).desc(), col(AskRating.id).desc())
    ).all()
    for row in rows:
        comments[(row.module_slug, row.ask_id)].append(
            CommentOut(verdict=Verdict(row.verdict), comment=row.comment, rated_at=row.rated_at)
        )
    summaries = []
    for module in content.all("module"):
        for ask in module.asks:
            tally = counted.get((module.slug, ask.id), Tally())
            summaries.append(
                AskSummaryOut(
                    module_slug=module.slug,
                    module_title=module.title,
                    ask_id=ask.id,
                    do=ask.do,
                    yes=tally.yes,
                    not_sure=tally.not_sure,
                    no=tally.no,
                    total=tally.total,
                    needs_revision=tally.rejected,
                    comments=comments.get((module.slug, ask.id), []),
                )
            )
    return summaries

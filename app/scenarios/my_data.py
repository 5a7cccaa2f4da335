"""Everything Askwell holds about a co-designer, for them to read, download or delete.

Read once (:func:`my_data`) for every form of the export: JSON, a page anyone can read,
and a PDF (:mod:`app.scenarios.export`), so the three always agree.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import delete
from sqlmodel import Session, col, select

from app.auth.schemas import Viewer
from app.auth.service import require_role
from app.content import ContentIndex
from app.core.errors import Conflict, NotFound
from app.models.base import utcnow
from app.models.contributions import Scenario
from app.models.ratings import AskRating
from app.models.users import Role, User
from app.safeguarding import service as safeguarding
from app.scenarios.published import remove_from_search_by_id
from app.scenarios.records import my_scenarios
from app.scenarios.schemas import MyData, RatingOut
from app.scenarios.workflow import timeline

RATING_WORDS = {"yes": "Yes", "not_sure": "Not sure", "no": "No"}


def my_data(
    session: Session, content: ContentIndex, viewer: Viewer, contact_email: str | None = None
) -> MyData:
    """Everything Askwell holds about a co-designer, read once for every form of the export
    (JSON, a page anyone can read, and a PDF), so the three always agree."""
    require_role(viewer, Role.codesigner)
    user = session.get(User, viewer.id)
    if user is None:
        raise NotFound()
    ratings = session.exec(
        select(AskRating)
        .where(AskRating.user_id == viewer.id)
        .order_by(col(AskRating.module_slug), col(AskRating.ask_id))
    ).all()
    rated: list[RatingOut] = []
    for rating in ratings:
        module = content.get(rating.module_slug)
        ask = next((a for a in module.asks if a.id == rating.ask_id), None) if module else None
        rated.append(
            RatingOut(
                module_slug=rating.module_slug,
                module_title=module.title if module else rating.module_slug,
                ask_id=rating.ask_id,
                example=ask.do if ask else "",
                verdict=rating.verdict,
                verdict_words=RATING_WORDS.get(rating.verdict, rating.verdict),
                comment=rating.comment,
                rated_at=rating.rated_at,
            )
        )
    scenarios = my_scenarios(session, content, viewer)
    return MyData(
        exported_at=utcnow(),
        user_id=viewer.id,
        email=user.email,
        display_name=user.display_name,
        roles=sorted(role.value for role in viewer.roles),
        age_band=user.age_band,
        created_at=user.created_at,
        scenarios=[(scenario, timeline(scenario)) for scenario in scenarios],
        ratings=rated,
        safeguarding_records=safeguarding.export_statement(contact_email),
    )


def export_my_data(
    session: Session, content: ContentIndex, viewer: Viewer, contact_email: str | None = None
) -> dict[str, Any]:
    """Everything Askwell holds about a co-designer, as they can download it (JSON)."""
    data = my_data(session, content, viewer, contact_email)
    return {
        "exported_at": data.exported_at.isoformat(),
        "account": {
            "id": data.user_id,
            "email": data.email,
            "display_name": data.display_name,
            "roles": data.roles,
            "age_band": data.age_band,
            "created_at": data.created_at.isoformat(),
        },
        "scenarios": [
            scenario.model_dump(mode="json", exclude={"warnings"}) for scenario, _ in data.scenarios
        ],
        "ratings": [
            {
                "module_slug": rating.module_slug,
                "ask_id": rating.ask_id,
                "verdict": rating.verdict,
                "comment": rating.comment,
                "rated_at": rating.rated_at.isoformat(),
            }
            for rating in data.ratings
        ],
        "safeguarding_records": data.safeguarding_records,
    }


def delete_my_account(session: Session, viewer: Viewer) -> None:
    """Removes the account and everything they wrote (published scenarios vanish with it) and
    ends every session; trainers and admins ask an admin instead, so no team loses its admin."""
    require_role(viewer, Role.codesigner)
    if viewer.has(Role.admin, Role.trainer):
        raise Conflict(
            "Accounts with trainer or admin roles are closed by an admin, so nothing they "
            "manage is left without an owner."
        )
    # Scenarios, their history, ratings and sessions go with the account (foreign keys
    # cascade); trainers' notes on other people's records keep no link to it. Safeguarding
    # records are the organisation's: they stay, saying when the account was deleted.
    safeguarding.note_account_deletion(session, viewer.id)
    for scenario_id in session.exec(select(Scenario.id).where(Scenario.author_id == viewer.id)):
        if scenario_id is not None:
            remove_from_search_by_id(session, scenario_id)
    session.exec(delete(User).where(col(User.id) == viewer.id))

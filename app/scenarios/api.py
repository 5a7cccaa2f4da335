"""The scenarios JSON API (DESIGN §4): the co-designer's scenarios and own data, and the
trainers' review queue, claims, decisions and publishing.

``router`` is the room's one JSON router for ``app.main``; the co-designer's routes and the
review routes keep their own tags in the API documentation.
"""

from __future__ import annotations

from fastapi import APIRouter, Query
from fastapi.responses import Response

from app.auth.cookies import clear_session_cookie
from app.scenarios import choices, my_data, publishing, records, review, submission, withdrawal
from app.scenarios.schemas import (
    ChoicesIn,
    DecisionIn,
    FlagNoteIn,
    PublishIn,
    QueueItemOut,
    ReviewScenarioOut,
    ScenarioIn,
    ScenarioOut,
    StatusOut,
    SubmissionOut,
    UnpublishIn,
)
from app.web.deps import ContentDep, CsrfProtected, CurrentUser, SessionDep, SettingsDep

router = APIRouter(prefix="/api/v1")
authors = APIRouter(tags=["scenarios"])
reviewers = APIRouter(prefix="/review", tags=["review"])


def _answer(saved: submission.Saved) -> SubmissionOut:
    assert saved.scenario.id is not None
    return SubmissionOut(
        id=saved.scenario.id,
        status=saved.scenario.status,
        warnings=saved.warnings,
        support=saved.support,
    )


@authors.post(
    "/scenarios", response_model=SubmissionOut, status_code=201, dependencies=[CsrfProtected]
)
def create_scenario(
    body: ScenarioIn,
    viewer: CurrentUser,
    session: SessionDep,
    settings: SettingsDep,
    content: ContentDep,
) -> SubmissionOut:
    """Sends a scenario for review (or saves a draft with ``draft: true``); personal details
    come back as ``warnings`` and never block."""
    saved = submission.save_scenario(
        session, settings, content, viewer, body.to_form(), send=not body.draft
    )
    return _answer(saved)


@authors.get("/scenarios/mine", response_model=list[ScenarioOut])
def my_scenarios(
    viewer: CurrentUser, session: SessionDep, content: ContentDep
) -> list[ScenarioOut]:
    return records.my_scenarios(session, content, viewer)


@authors.get("/scenarios/{scenario_id}", response_model=ScenarioOut)
def get_scenario(
    scenario_id: int, viewer: CurrentUser, session: SessionDep, content: ContentDep
) -> ScenarioOut:
    """Its author or a trainer; anyone else gets 404, so its existence is not revealed."""
    return review.read_scenario(session, content, viewer, scenario_id)


@authors.put("/scenarios/{scenario_id}", response_model=SubmissionOut, dependencies=[CsrfProtected])
def revise_scenario(
    scenario_id: int,
    body: ScenarioIn,
    viewer: CurrentUser,
    session: SessionDep,
    settings: SettingsDep,
    content: ContentDep,
) -> SubmissionOut:
    saved = submission.save_scenario(
        session,
        settings,
        content,
        viewer,
        body.to_form(),
        send=not body.draft,
        scenario_id=scenario_id,
    )
    return _answer(saved)


@authors.delete("/scenarios/{scenario_id}", status_code=204, dependencies=[CsrfProtected])
def delete_draft(scenario_id: int, viewer: CurrentUser, session: SessionDep) -> Response:
    """Deletes a draft that was never sent; anything sent is withdrawn instead (409)."""
    withdrawal.delete_draft(session, viewer, scenario_id)
    return Response(status_code=204)


@authors.put(
    "/scenarios/{scenario_id}/choices", response_model=ScenarioOut, dependencies=[CsrfProtected]
)
def change_choices(
    scenario_id: int,
    body: ChoicesIn,
    viewer: CurrentUser,
    session: SessionDep,
    content: ContentDep,
) -> ScenarioOut:
    """Change credit or quoting at any time; turning quoting off unpublishes at once."""
    scenario = choices.change_choices(
        session,
        content,
        viewer,
        scenario_id,
        body.credit.value,
        body.credit_name or "",
        body.consent_to_quote,
    )
    return records.describe(session, content, scenario, author_id=viewer.id)


@authors.post(
    "/scenarios/{scenario_id}/withdraw", response_model=ScenarioOut, dependencies=[CsrfProtected]
)
def withdraw_scenario(
    scenario_id: int, viewer: CurrentUser, session: SessionDep, content: ContentDep
) -> ScenarioOut:
    scenario = withdrawal.withdraw(session, viewer, scenario_id)
    return records.describe(session, content, scenario, author_id=viewer.id)


@authors.get("/me/data")
def export_my_data(
    viewer: CurrentUser, session: SessionDep, content: ContentDep, settings: SettingsDep
) -> dict:
    """Everything Askwell holds about the signed-in co-designer, and how to ask the
    organisation for its safeguarding records, which the export cannot hold."""
    return my_data.export_my_data(session, content, viewer, settings.contact_email)


@authors.delete("/me", status_code=204, dependencies=[CsrfProtected])
def delete_my_account(viewer: CurrentUser, session: SessionDep, settings: SettingsDep) -> Response:
    my_data.delete_my_account(session, viewer)
    response = Response(status_code=204)
    clear_session_cookie(response, settings)
    return response


# --- Review ------------------------------------------------------------------------------


@reviewers.get("/scenarios", response_model=list[QueueItemOut])
def review_queue(
    viewer: CurrentUser,
    session: SessionDep,
    status: str | None = Query(None, max_length=40),
    topic: str | None = Query(None, max_length=40),
    flagged: bool = False,
) -> list[QueueItemOut]:
    """Submissions to review; ``status`` is one state, ``active`` (the default) or ``all``."""
    return review.queue(session, viewer, status=status, topic=topic, flagged_only=flagged)


@reviewers.get("/scenarios/{scenario_id}", response_model=ReviewScenarioOut)
def review_scenario(
    scenario_id: int, viewer: CurrentUser, session: SessionDep, content: ContentDep
) -> ReviewScenarioOut:
    return review.review_view(session, content, viewer, scenario_id)


@reviewers.post(
    "/scenarios/{scenario_id}/claim", response_model=StatusOut, dependencies=[CsrfProtected]
)
def claim(scenario_id: int, viewer: CurrentUser, session: SessionDep) -> StatusOut:
    return StatusOut.of(review.claim(session, viewer, scenario_id))


@reviewers.post(
    "/scenarios/{scenario_id}/release", response_model=StatusOut, dependencies=[CsrfProtected]
)
def release(scenario_id: int, viewer: CurrentUser, session: SessionDep) -> StatusOut:
    return StatusOut.of(review.release(session, viewer, scenario_id))


@reviewers.post(
    "/scenarios/{scenario_id}/decision", response_model=StatusOut, dependencies=[CsrfProtected]
)
def decide(
    scenario_id: int,
    body: DecisionIn,
    viewer: CurrentUser,
    session: SessionDep,
    content: ContentDep,
) -> StatusOut:
    return StatusOut.of(review.decide(session, content, viewer, scenario_id, body))


@reviewers.post(
    "/scenarios/{scenario_id}/publish", response_model=StatusOut, dependencies=[CsrfProtected]
)
def publish(
    scenario_id: int,
    viewer: CurrentUser,
    session: SessionDep,
    content: ContentDep,
    body: PublishIn | None = None,
) -> StatusOut:
    """Into the chosen ``modules``, or the suggested ones when the body leaves them out."""
    return StatusOut.of(publishing.publish(session, content, viewer, scenario_id, body))


@reviewers.post(
    "/scenarios/{scenario_id}/unpublish", response_model=StatusOut, dependencies=[CsrfProtected]
)
def unpublish(
    scenario_id: int, body: UnpublishIn, viewer: CurrentUser, session: SessionDep
) -> StatusOut:
    return StatusOut.of(publishing.unpublish(session, viewer, scenario_id, body.note))


@reviewers.post(
    "/scenarios/{scenario_id}/flag/resolve", status_code=204, dependencies=[CsrfProtected]
)
def resolve_flag(
    scenario_id: int, body: FlagNoteIn, viewer: CurrentUser, session: SessionDep
) -> None:
    review.resolve_flag(session, viewer, scenario_id, body.note)


router.include_router(authors)
router.include_router(reviewers)

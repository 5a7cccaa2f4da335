"""The co-designer's JSON API: scenarios (DESIGN §4) and their own data."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from app.auth.cookies import clear_session_cookie
from app.contributions import service
from app.contributions.schemas import ChoicesIn, ScenarioIn, ScenarioOut, SubmissionOut
from app.core.deps import ContentDep, CsrfProtected, CurrentUser, SessionDep, SettingsDep
from app.review.service import read_scenario

router = APIRouter(prefix="/api/v1", tags=["scenarios"])


def _answer(saved: service.Saved) -> SubmissionOut:
    assert saved.scenario.id is not None
    return SubmissionOut(
        id=saved.scenario.id,
        status=saved.scenario.status,
        warnings=saved.warnings,
        support=saved.support,
    )


@router.post(
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
    saved = service.save_scenario(
        session, settings, content, viewer, body.to_form(), send=not body.draft
    )
    return _answer(saved)


@router.get("/scenarios/mine", response_model=list[ScenarioOut])
def my_scenarios(
    viewer: CurrentUser, session: SessionDep, content: ContentDep
) -> list[ScenarioOut]:
    return service.my_scenarios(session, content, viewer)


@router.get("/scenarios/{scenario_id}", response_model=ScenarioOut)
def get_scenario(
    scenario_id: int, viewer: CurrentUser, session: SessionDep, content: ContentDep
) -> ScenarioOut:
    """Its author or a trainer; anyone else gets 404, so its existence is not revealed."""
    return read_scenario(session, content, viewer, scenario_id)


@router.put("/scenarios/{scenario_id}", response_model=SubmissionOut, dependencies=[CsrfProtected])
def revise_scenario(
    scenario_id: int,
    body: ScenarioIn,
    viewer: CurrentUser,
    session: SessionDep,
    settings: SettingsDep,
    content: ContentDep,
) -> SubmissionOut:
    saved = service.save_scenario(
        session,
        settings,
        content,
        viewer,
        body.to_form(),
        send=not body.draft,
        scenario_id=scenario_id,
    )
    return _answer(saved)


@router.delete("/scenarios/{scenario_id}", status_code=204, dependencies=[CsrfProtected])
def delete_draft(scenario_id: int, viewer: CurrentUser, session: SessionDep) -> Response:
    """Deletes a draft that was never sent; anything sent is withdrawn instead (409)."""
    service.delete_draft(session, viewer, scenario_id)
    return Response(status_code=204)


@router.put(
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
    scenario = service.change_choices(
        session,
        content,
        viewer,
        scenario_id,
        body.credit.value,
        body.credit_name or "",
        body.consent_to_quote,
    )
    return service.describe(session, content, scenario, author_id=viewer.id)


@router.post(
    "/scenarios/{scenario_id}/withdraw", response_model=ScenarioOut, dependencies=[CsrfProtected]
)
def withdraw_scenario(
    scenario_id: int, viewer: CurrentUser, session: SessionDep, content: ContentDep
) -> ScenarioOut:
    scenario = service.withdraw(session, viewer, scenario_id)
    return service.describe(session, content, scenario, author_id=viewer.id)


@router.get("/me/data")
def export_my_data(
    viewer: CurrentUser, session: SessionDep, content: ContentDep, settings: SettingsDep
) -> dict:
    """Everything Askwell holds about the signed-in co-designer, and how to ask the
    organisation for its safeguarding records, which the export cannot hold."""
    return service.export_my_data(session, content, viewer, settings.contact_email)


@router.delete("/me", status_code=204, dependencies=[CsrfProtected])
def delete_my_account(
    request: Request, viewer: CurrentUser, session: SessionDep, settings: SettingsDep
) -> Response:
    service.delete_my_account(session, viewer)
    response = Response(status_code=204)
    clear_session_cookie(response, settings)
    return response

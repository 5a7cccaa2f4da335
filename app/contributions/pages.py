"""The co-designer's pages: share a scenario, follow it, revise or withdraw it, and own data."""

from __future__ import annotations

import hashlib
import json
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, RedirectResponse, Response
from starlette.datastructures import FormData

from app.auth.cookies import clear_session_cookie
from app.auth.schemas import Viewer
from app.auth.service import require_role
from app.contributions import service
from app.contributions.personal_details import KIND_LABELS
from app.contributions.schemas import (
    STATUS_COLOURS,
    STATUS_LABELS,
    ScenarioForm,
    ScenarioOut,
    SupportOut,
    WarningOut,
)
from app.core.deps import (
    ContentDep,
    CsrfProtected,
    CurrentUser,
    SessionDep,
    SettingsDep,
    TemplatesDep,
)
from app.core.errors import Conflict, RateLimited
from app.models.contributions import Credit, ScenarioStatus
from app.models.users import Role

router = APIRouter(tags=["pages"])

MAXIMUM_FIELD_CHARACTERS = 20_000
FORM_FIELDS = (
    "title",
    "what_happened",
    "what_was_said",
    "how_it_felt",
    "what_would_help",
    "content_warning",
    "credit",
    "credit_name",
)


def _text(form: FormData, name: str) -> str:
    value = form.get(name)
    return value[:MAXIMUM_FIELD_CHARACTERS] if isinstance(value, str) else ""


def _read_form(form: FormData) -> ScenarioForm:
    values = {name: _text(form, name) for name in FORM_FIELDS}
    values["credit"] = values["credit"] or Credit.none.value  # the high-privacy default
    return ScenarioForm(
        **values,
        platforms=service.split_platforms(_text(form, "platforms")),
        topics=[str(topic)[:40] for topic in form.getlist("topics")][:30],
        consent_to_quote=_text(form, "consent_to_quote") == "yes",
    )


def warnings_signature(warnings: list[WarningOut]) -> str:
    """Identifies the warnings the author has seen, so sending again means "send it anyway"."""
    listed = sorted(f"{warning.field}:{warning.kind}:{warning.text}" for warning in warnings)
    return hashlib.sha256("\n".join(listed).encode()).hexdigest()[:24]


def _form_page(
    request: Request,
    templates: TemplatesDep,
    content: ContentDep,
    *,
    form: ScenarioForm,
    action: str,
    revising: bool = False,
    errors: dict[str, str] | None = None,
    warnings: list[WarningOut] | None = None,
    notice: str | None = None,
    support: list[SupportOut] | None = None,
    status_code: int = 200,
) -> Response:
    warnings = warnings or []
    return templates.render(
        request,
        "contributions/form.html",
        {
            "title": "Change your scenario" if revising else "Share a scenario",
            "form": form,
            "action": action,
            "revising": revising,
            "errors": errors or {},
            "warnings": warnings,
            "warnings_signature": warnings_signature(warnings) if warnings else "",
            "kind_labels": KIND_LABELS,
            "topic_choices": service.topic_choices(content),
            "credit_choices": service.credit_choices(),
            "limits": service.LIMITS,
            "notice": notice,
            "support": support or [],
        },
        status_code=status_code,
    )


async def _save(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    content: ContentDep,
    templates: TemplatesDep,
    viewer: Viewer,
    scenario_id: int | None,
) -> Response:
    posted = await request.form()
    form = _read_form(posted)
    sending = _text(posted, "action") == "send"
    revising = False
    if scenario_id is not None:
        current, _ = service.editable_form(session, viewer, scenario_id)
        revising = current.status == ScenarioStatus.changes_requested.value
        sending = sending or revising
    action = f"/scenarios/{scenario_id}/edit" if scenario_id else "/scenarios/new"
    cleaned = service.clean_form(form)
    errors = service.form_errors(cleaned, sending=sending)
    if errors:
        return _form_page(
            request,
            templates,
            content,
            form=form,
            action=action,
            revising=revising,
            errors=errors,
            support=service.support_services() if service.risk_in(cleaned) else [],
            status_code=400,
        )
    warnings = service.form_warnings(content, cleaned)
    # Sending with warnings the author has not yet seen shows them first; sending again
    # with the same warnings means "send it anyway" (warnings never block).
    hold_back = (
        sending
        and bool(warnings)
        and _text(posted, "warnings_seen") != (warnings_signature(warnings))
    )
    if revising and hold_back:
        assert scenario_id is not None
        checked = service.check_answers(session, content, viewer, scenario_id, form)
        return _form_page(
            request,
            templates,
            content,
            form=cleaned,
            action=action,
            revising=True,
            warnings=checked.warnings,
            support=checked.support,
        )
    try:
        saved = service.save_scenario(
            session,
            settings,
            content,
            viewer,
            form,
            send=sending and not hold_back,
            scenario_id=scenario_id,
            checking=hold_back,
        )
    except (RateLimited, service.ScenarioInvalid) as problem:
        errors = (
            problem.errors
            if isinstance(problem, service.ScenarioInvalid)
            else {"title": problem.message}
        )
        return _form_page(
            request,
            templates,
            content,
            form=form,
            action=action,
            revising=revising,
            errors=errors,
            support=service.support_services() if service.risk_in(cleaned) else [],
            status_code=problem.status_code,
        )
    assert saved.scenario.id is not None
    if hold_back:
        return _form_page(
            request,
            templates,
            content,
            form=cleaned,
            action=f"/scenarios/{saved.scenario.id}/edit",
            warnings=warnings,
            notice="We have saved this as a draft that only you can see.",
            support=saved.support,
        )
    if saved.scenario.status == ScenarioStatus.draft.value:
        return RedirectResponse(f"/scenarios/{saved.scenario.id}?saved=true", status_code=303)
    return RedirectResponse(f"/scenarios/{saved.scenario.id}/sent", status_code=303)


@router.get("/scenarios/new")
def new_scenario(
    request: Request, viewer: CurrentUser, templates: TemplatesDep, content: ContentDep
) -> Response:
    require_role(viewer, Role.codesigner)
    return _form_page(request, templates, content, form=ScenarioForm(), action="/scenarios/new")


@router.post("/scenarios/new", dependencies=[CsrfProtected])
async def create_scenario(
    request: Request,
    viewer: CurrentUser,
    session: SessionDep,
    settings: SettingsDep,
    content: ContentDep,
    templates: TemplatesDep,
) -> Response:
    require_role(viewer, Role.codesigner)
    return await _save(request, session, settings, content, templates, viewer, None)


@router.get("/scenarios/mine")
def my_contributions(
    request: Request,
    viewer: CurrentUser,
    session: SessionDep,
    content: ContentDep,
    templates: TemplatesDep,
    withdrawn: bool = False,
) -> Response:
    return templates.render(
        request,
        "contributions/mine.html",
        {
            "title": "My contributions",
            "scenarios": service.my_scenarios(session, content, viewer),
            "labels": STATUS_LABELS,
            "colours": STATUS_COLOURS,
            "withdrawn": withdrawn,
            "is_codesigner": viewer.has(Role.codesigner),
        },
    )


@router.get("/scenarios/{scenario_id}")
def scenario_page(
    scenario_id: int,
    request: Request,
    viewer: CurrentUser,
    session: SessionDep,
    content: ContentDep,
    templates: TemplatesDep,
    saved: bool = False,
    choices_saved: bool = False,
) -> Response:
    if viewer.has(Role.trainer) and not service.is_author(session, viewer, scenario_id):
        return RedirectResponse(f"/review/scenarios/{scenario_id}", status_code=303)
    scenario = service.my_scenario(session, content, viewer, scenario_id)
    return templates.render(
        request,
        "contributions/detail.html",
        {
            "title": scenario.title or "Untitled draft",
            "scenario": scenario,
            "labels": STATUS_LABELS,
            "colours": STATUS_COLOURS,
            "kind_labels": KIND_LABELS,
            "saved": saved,
            "choices_saved": choices_saved,
            "support": service.needs_support(session, viewer, scenario_id),
            "topic_names": dict(service.topic_choices(content)),
        },
    )


@router.get("/scenarios/{scenario_id}/edit")
def edit_scenario(
    scenario_id: int,
    request: Request,
    viewer: CurrentUser,
    session: SessionDep,
    content: ContentDep,
    templates: TemplatesDep,
) -> Response:
    scenario, form = service.editable_form(session, viewer, scenario_id)
    return _form_page(
        request,
        templates,
        content,
        form=form,
        action=f"/scenarios/{scenario_id}/edit",
        revising=scenario.status == ScenarioStatus.changes_requested.value,
    )


@router.post("/scenarios/{scenario_id}/edit", dependencies=[CsrfProtected])
async def save_scenario(
    scenario_id: int,
    request: Request,
    viewer: CurrentUser,
    session: SessionDep,
    settings: SettingsDep,
    content: ContentDep,
    templates: TemplatesDep,
) -> Response:
    return await _save(request, session, settings, content, templates, viewer, scenario_id)


@router.get("/scenarios/{scenario_id}/sent")
def sent_page(
    scenario_id: int,
    request: Request,
    viewer: CurrentUser,
    session: SessionDep,
    content: ContentDep,
    templates: TemplatesDep,
) -> Response:
    scenario = service.my_scenario(session, content, viewer, scenario_id)
    return templates.render(
        request,
        "contributions/sent.html",
        {
            "title": "Your scenario has been sent",
            "scenario": scenario,
            "support": service.needs_support(session, viewer, scenario_id),
        },
    )


def _choices_page(
    request: Request,
    templates: TemplatesDep,
    scenario: ScenarioOut,
    form: ScenarioForm,
    errors: dict[str, str] | None = None,
) -> Response:
    return templates.render(
        request,
        "contributions/choices.html",
        {
            "title": "Credit and quoting",
            "scenario": scenario,
            "form": form,
            "errors": errors or {},
            "credit_choices": service.credit_choices(),
            "limits": service.LIMITS,
        },
        status_code=422 if errors else 200,
    )


@router.get("/scenarios/{scenario_id}/choices")
def choices_page(
    scenario_id: int,
    request: Request,
    viewer: CurrentUser,
    session: SessionDep,
    content: ContentDep,
    templates: TemplatesDep,
) -> Response:
    scenario = service.my_scenario(session, content, viewer, scenario_id)
    if scenario.status is ScenarioStatus.withdrawn:
        raise Conflict("You have withdrawn this scenario, so there is nothing left to change.")
    form = ScenarioForm(
        credit=scenario.credit.value,
        credit_name=scenario.credit_name,
        consent_to_quote=scenario.consent_to_quote,
    )
    return _choices_page(request, templates, scenario, form)


@router.post("/scenarios/{scenario_id}/choices", dependencies=[CsrfProtected])
async def change_choices(
    scenario_id: int,
    request: Request,
    viewer: CurrentUser,
    session: SessionDep,
    content: ContentDep,
    templates: TemplatesDep,
) -> Response:
    posted = await request.form()
    form = ScenarioForm(
        credit=_text(posted, "credit") or Credit.none.value,
        credit_name=_text(posted, "credit_name"),
        consent_to_quote=_text(posted, "consent_to_quote") == "yes",
    )
    try:
        service.change_choices(
            session, viewer, scenario_id, form.credit, form.credit_name, form.consent_to_quote
        )
    except service.ScenarioInvalid as invalid:
        scenario = service.my_scenario(session, content, viewer, scenario_id)
        return _choices_page(request, templates, scenario, form, invalid.errors)
    return RedirectResponse(f"/scenarios/{scenario_id}?choices_saved=true", status_code=303)


@router.get("/scenarios/{scenario_id}/withdraw")
def withdraw_page(
    scenario_id: int,
    request: Request,
    viewer: CurrentUser,
    session: SessionDep,
    content: ContentDep,
    templates: TemplatesDep,
) -> Response:
    scenario = service.my_scenario(session, content, viewer, scenario_id)
    if scenario.status is ScenarioStatus.withdrawn:
        raise Conflict("You have already withdrawn this scenario.")
    return templates.render(
        request,
        "contributions/withdraw.html",
        {"title": "Withdraw your scenario", "scenario": scenario},
    )


@router.post("/scenarios/{scenario_id}/withdraw", dependencies=[CsrfProtected])
def withdraw(scenario_id: int, viewer: CurrentUser, session: SessionDep) -> Response:
    service.withdraw(session, viewer, scenario_id)
    return RedirectResponse("/scenarios/mine?withdrawn=true", status_code=303)


@router.get("/my-data")
def my_data_page(
    request: Request, viewer: CurrentUser, templates: TemplatesDep, settings: SettingsDep
) -> Response:
    require_role(viewer, Role.codesigner)
    return templates.render(
        request,
        "contributions/my_data.html",
        {
            "title": "Your data",
            "can_delete": not viewer.has(Role.admin, Role.trainer),
            "contact_email": settings.contact_email,
        },
    )


@router.get("/my-data/askwell-data.json")
def export_my_data(
    viewer: CurrentUser, session: SessionDep, content: ContentDep, settings: SettingsDep
) -> Response:
    data: dict[str, Any] = service.export_my_data(session, content, viewer, settings.contact_email)
    return JSONResponse(
        json.loads(json.dumps(data, default=str)),
        headers={"Content-Disposition": 'attachment; filename="askwell-my-data.json"'},
    )


@router.get("/my-data/delete")
def delete_account_page(request: Request, viewer: CurrentUser, templates: TemplatesDep) -> Response:
    require_role(viewer, Role.codesigner)
    if viewer.has(Role.admin, Role.trainer):
        raise Conflict(
            "Accounts with trainer or admin roles are closed by an admin, so nothing they "
            "manage is left without an owner."
        )
    return templates.render(
        request, "contributions/delete.html", {"title": "Delete your account", "errors": {}}
    )


@router.post("/my-data/delete", dependencies=[CsrfProtected])
async def delete_account(
    request: Request,
    viewer: CurrentUser,
    session: SessionDep,
    settings: SettingsDep,
    templates: TemplatesDep,
) -> Response:
    posted = await request.form()
    if _text(posted, "confirm") != "yes":
        return templates.render(
            request,
            "contributions/delete.html",
            {
                "title": "Delete your account",
                "errors": {"confirm": "Tick the box to confirm you want to delete your account"},
            },
            status_code=400,
        )
    service.delete_my_account(session, viewer)
    response = RedirectResponse("/account-deleted", status_code=303)
    clear_session_cookie(response, settings)
    return response


@router.get("/account-deleted")
def account_deleted(request: Request, templates: TemplatesDep) -> Response:
    return templates.render(request, "contributions/deleted.html", {"title": "Account deleted"})

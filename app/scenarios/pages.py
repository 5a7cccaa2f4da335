"""The co-designer's pages: share a scenario, follow it, revise or withdraw it.

Its ``router`` is the room's one page router for ``app.main``: it also carries the
co-designer's data pages (``data_pages``) and the trainers' review pages (``review_pages``).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, replace

from fastapi import APIRouter
from fastapi.responses import RedirectResponse, Response
from starlette.datastructures import FormData

from app.auth.schemas import Viewer
from app.auth.service import require_role
from app.core.errors import Conflict, NotFound, RateLimited
from app.core.templating import PageRenderer, Render
from app.models.contributions import Credit, ScenarioStatus
from app.models.users import Role
from app.scenarios import (
    choices,
    data_pages,
    records,
    review_pages,
    safeguarding,
    submission,
    withdrawal,
    workflow,
)
from app.scenarios.errors import ScenarioInvalid
from app.scenarios.form import (
    LIMITS,
    clean_form,
    credit_choices,
    form_errors,
    form_warnings,
    split_platforms,
    topic_choices,
)
from app.scenarios.personal_details import KIND_LABELS
from app.scenarios.schemas import (
    STATUS_COLOURS,
    STATUS_LABELS,
    ScenarioForm,
    ScenarioOut,
    SupportOut,
    WarningOut,
)
from app.web.deps import (
    ContentDep,
    CsrfProtected,
    CurrentUser,
    FormDep,
    SessionDep,
    SettingsDep,
)

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
        platforms=split_platforms(_text(form, "platforms")),
        topics=[str(topic)[:40] for topic in form.getlist("topics")][:30],
        consent_to_quote=_text(form, "consent_to_quote") == "yes",
    )


def warnings_signature(warnings: list[WarningOut]) -> str:
    """Identifies the warnings the author has seen, so sending again means "send it anyway"."""
    listed = sorted(f"{warning.field}:{warning.kind}:{warning.text}" for warning in warnings)
    return hashlib.sha256("\n".join(listed).encode()).hexdigest()[:24]


# --- The question pages (GOV.UK "question pages" with check your answers) -----------------


@dataclass(frozen=True)
class Question:
    """One page of the scenario form: a topic, the fields it asks, and how the check page
    names each answer."""

    slug: str
    heading: str
    fields: tuple[str, ...]


QUESTIONS: tuple[Question, ...] = (
    Question("title", "Give your scenario a short title", ("title",)),
    Question("online", "What happened online", ("platforms", "what_happened")),
    Question("practitioner", "What did a practitioner say or do?", ("what_was_said",)),
    Question("feelings", "How it felt", ("how_it_felt", "what_would_help")),
    Question("topics", "Topics and content warning", ("topics", "content_warning")),
    Question("credit", "Credit and quoting", ("credit", "credit_name", "consent_to_quote")),
)
QUESTION_OF_FIELD = {name: question for question in QUESTIONS for name in question.fields}
ANSWER_NAMES = {
    "title": "Title",
    "platforms": "Apps, games or sites",
    "what_happened": "What happened",
    "what_was_said": "What a practitioner said or did",
    "how_it_felt": "How it felt",
    "what_would_help": "What would have helped",
    "topics": "Topics",
    "content_warning": "Content warning",
    "credit": "How you are credited",
    "consent_to_quote": "May be quoted",
}


def _question(slug: str) -> Question:
    for question in QUESTIONS:
        if question.slug == slug:
            return question
    raise NotFound("We could not find that question.")


def _after(question: Question) -> Question | None:
    position = QUESTIONS.index(question)
    return QUESTIONS[position + 1] if position + 1 < len(QUESTIONS) else None


def _before(question: Question) -> Question | None:
    position = QUESTIONS.index(question)
    return QUESTIONS[position - 1] if position > 0 else None


def _question_url(scenario_id: int, question: Question, *, changing: bool = False) -> str:
    return f"/scenarios/{scenario_id}/questions/{question.slug}" + (
        "?change=yes" if changing else ""
    )


def _merge(current: ScenarioForm, posted: ScenarioForm, question: Question) -> ScenarioForm:
    """The saved answers with this page's answers put in, so one page never touches another's."""
    return replace(current, **{name: getattr(posted, name) for name in question.fields})


def _question_page(
    render: PageRenderer,
    content: ContentDep,
    *,
    question: Question,
    form: ScenarioForm,
    scenario_id: int | None,
    revising: bool = False,
    changing: bool = False,
    errors: dict[str, str] | None = None,
    support: list[SupportOut] | None = None,
    status_code: int = 200,
) -> Response:
    """One question page. Support shown first (when someone's words suggest risk) goes in
    the template's ``support_first`` block, above everything else on the page."""
    if scenario_id is None:
        action, back = "/scenarios/new", "/scenarios/mine"
    else:
        action = _question_url(scenario_id, question, changing=changing)
        earlier = _before(question)
        if changing:
            back = f"/scenarios/{scenario_id}/check"
        elif earlier is not None:
            back = _question_url(scenario_id, earlier)
        else:
            back = f"/scenarios/{scenario_id}"
    return render(
        "scenarios/question.html",
        {
            "title": question.heading,
            "question": question,
            "number": QUESTIONS.index(question) + 1,
            "count": len(QUESTIONS),
            "form": form,
            "action": action,
            "back": back,
            "revising": revising,
            "changing": changing,
            "errors": errors or {},
            "support": support or [],
            "topic_choices": topic_choices(content),
            "credit_choices": credit_choices(),
            "limits": LIMITS,
        },
        status_code=status_code,
    )


def _answer_question(
    render: PageRenderer,
    posted: FormDep,
    session: SessionDep,
    settings: SettingsDep,
    content: ContentDep,
    viewer: Viewer,
    question: Question,
    scenario_id: int | None,
    changing: bool,
) -> Response:
    """Saves one page's answers as a draft and moves on: the next question, or the check page.

    "Continue" asks for what sending needs from this page; "Save and come back later"
    keeps whatever was typed (within the limits) and goes back to the scenario.
    """
    require_role(viewer, Role.codesigner)
    revising = False
    current = ScenarioForm()
    if scenario_id is not None:
        scenario, current = submission.editable_form(session, viewer, scenario_id)
        revising = scenario.status == ScenarioStatus.changes_requested.value
    form = _merge(current, _read_form(posted), question)
    later = _text(posted, "action") == "later"
    problems = form_errors(clean_form(form), sending=not later)
    errors = {name: message for name, message in problems.items() if name in question.fields}

    def again(errors: dict[str, str], status_code: int) -> Response:
        return _question_page(
            render,
            content,
            question=question,
            form=form,
            scenario_id=scenario_id,
            revising=revising,
            changing=changing,
            errors=errors,
            support=safeguarding.support_services() if safeguarding.risk_in(form) else [],
            status_code=status_code,
        )

    if errors:
        return again(errors, 400)
    try:
        saved = submission.save_scenario(
            session, settings, content, viewer, form, send=False, scenario_id=scenario_id
        )
    except RateLimited as problem:
        return again({question.fields[0]: problem.message}, problem.status_code)
    except ScenarioInvalid as invalid:
        return again(invalid.errors, invalid.status_code)
    saved_id = saved.scenario.id
    assert saved_id is not None
    if later:
        return RedirectResponse(f"/scenarios/{saved_id}?saved=true", status_code=303)
    following = _after(question)
    if changing or following is None:
        return RedirectResponse(f"/scenarios/{saved_id}/check", status_code=303)
    return RedirectResponse(_question_url(saved_id, following), status_code=303)


@router.get("/scenarios/new")
def new_scenario(render: Render, viewer: CurrentUser, content: ContentDep) -> Response:
    require_role(viewer, Role.codesigner)
    return _question_page(
        render, content, question=QUESTIONS[0], form=ScenarioForm(), scenario_id=None
    )


@router.post("/scenarios/new", dependencies=[CsrfProtected])
def start_scenario(
    render: Render,
    posted: FormDep,
    viewer: CurrentUser,
    session: SessionDep,
    settings: SettingsDep,
    content: ContentDep,
) -> Response:
    """The first answer starts a draft, so nothing typed from here on can be lost."""
    return _answer_question(
        render, posted, session, settings, content, viewer, QUESTIONS[0], None, False
    )


@router.get("/scenarios/{scenario_id}/questions/{slug}")
def question_page(
    scenario_id: int,
    slug: str,
    render: Render,
    viewer: CurrentUser,
    session: SessionDep,
    content: ContentDep,
    change: str = "",
) -> Response:
    question = _question(slug)
    scenario, form = submission.editable_form(session, viewer, scenario_id)
    return _question_page(
        render,
        content,
        question=question,
        form=form,
        scenario_id=scenario_id,
        revising=scenario.status == ScenarioStatus.changes_requested.value,
        changing=change == "yes",
        support=safeguarding.needs_support(session, viewer, scenario_id),
    )


@router.post("/scenarios/{scenario_id}/questions/{slug}", dependencies=[CsrfProtected])
def answer_question(
    scenario_id: int,
    slug: str,
    render: Render,
    posted: FormDep,
    viewer: CurrentUser,
    session: SessionDep,
    settings: SettingsDep,
    content: ContentDep,
    change: str = "",
) -> Response:
    return _answer_question(
        render,
        posted,
        session,
        settings,
        content,
        viewer,
        _question(slug),
        scenario_id,
        change == "yes",
    )


@router.get("/scenarios/{scenario_id}/edit")
def edit_scenario(scenario_id: int, viewer: CurrentUser, session: SessionDep) -> Response:
    """Carries on where the author left off: the first question still to answer, or, when
    every answer is there (as when a trainer asked for changes), the check page."""
    _, form = submission.editable_form(session, viewer, scenario_id)
    missing = form_errors(clean_form(form), sending=True)
    for name in missing:
        if name in QUESTION_OF_FIELD:
            return RedirectResponse(
                _question_url(scenario_id, QUESTION_OF_FIELD[name]), status_code=303
            )
    return RedirectResponse(f"/scenarios/{scenario_id}/check", status_code=303)


def _check_page(
    render: PageRenderer,
    content: ContentDep,
    *,
    scenario_id: int,
    form: ScenarioForm,
    revising: bool,
    support: list[SupportOut],
    errors: dict[str, str] | None = None,
    status_code: int = 200,
) -> Response:
    """Every answer with a Change link to its question, the personal details found (shown
    here once, before sending), and the notice. Support shown first goes in the template's
    ``support_first`` block."""
    warnings = form_warnings(content, form)
    return render(
        "scenarios/check.html",
        {
            "title": "Check your answers before sending",
            "scenario_id": scenario_id,
            "form": form,
            "revising": revising,
            "support": support,
            "errors": errors or {},
            "error_links": {
                name: _question_url(scenario_id, QUESTION_OF_FIELD[name], changing=True)
                for name in (errors or {})
                if name in QUESTION_OF_FIELD
            },
            "warnings": warnings,
            "warnings_signature": warnings_signature(warnings) if warnings else "",
            "kind_labels": KIND_LABELS,
            "questions": QUESTIONS,
            "answer_names": ANSWER_NAMES,
            "topic_names": dict(topic_choices(content)),
            "back": _question_url(scenario_id, QUESTIONS[-1]),
            "field_questions": {name: q.slug for name, q in QUESTION_OF_FIELD.items()},
            "change_links": {
                question.slug: _question_url(scenario_id, question, changing=True)
                for question in QUESTIONS
            },
        },
        status_code=status_code,
    )


@router.get("/scenarios/{scenario_id}/check")
def check_answers(
    scenario_id: int,
    render: Render,
    viewer: CurrentUser,
    session: SessionDep,
    content: ContentDep,
) -> Response:
    scenario, form = submission.editable_form(session, viewer, scenario_id)
    return _check_page(
        render,
        content,
        scenario_id=scenario_id,
        form=form,
        revising=scenario.status == ScenarioStatus.changes_requested.value,
        support=safeguarding.needs_support(session, viewer, scenario_id),
    )


@router.post("/scenarios/{scenario_id}/check", dependencies=[CsrfProtected])
def send_scenario(
    scenario_id: int,
    render: Render,
    posted: FormDep,
    viewer: CurrentUser,
    session: SessionDep,
    settings: SettingsDep,
    content: ContentDep,
) -> Response:
    """Sends the saved answers. The personal details were on the page the author sent from,
    so they are not shown again, unless the answers changed since (another tab)."""
    scenario, form = submission.editable_form(session, viewer, scenario_id)
    revising = scenario.status == ScenarioStatus.changes_requested.value

    def again(errors: dict[str, str] | None, status_code: int) -> Response:
        return _check_page(
            render,
            content,
            scenario_id=scenario_id,
            form=form,
            revising=revising,
            support=safeguarding.needs_support(session, viewer, scenario_id),
            errors=errors,
            status_code=status_code,
        )

    errors = form_errors(clean_form(form), sending=True)
    if errors:
        return again(errors, 400)
    warnings = form_warnings(content, form)
    if warnings and _text(posted, "warnings_seen") != warnings_signature(warnings):
        return again(None, 200)
    try:
        submission.save_scenario(
            session, settings, content, viewer, form, send=True, scenario_id=scenario_id
        )
    except RateLimited as problem:
        return again({"send": problem.message}, problem.status_code)
    except ScenarioInvalid as invalid:
        return again(invalid.errors, invalid.status_code)
    return RedirectResponse(f"/scenarios/{scenario_id}/sent", status_code=303)


def scenario_title(scenario: ScenarioOut) -> str:
    """What a scenario is called on its page: a withdrawn one has no words left, not a draft."""
    if scenario.status is ScenarioStatus.withdrawn:
        return "Withdrawn scenario"
    if scenario.title:
        return scenario.title
    return "Untitled draft" if scenario.status is ScenarioStatus.draft else "Untitled scenario"


@router.get("/scenarios/mine")
def my_contributions(
    render: Render,
    viewer: CurrentUser,
    session: SessionDep,
    content: ContentDep,
    withdrawn: bool = False,
    deleted: bool = False,
) -> Response:
    return render(
        "scenarios/mine.html",
        {
            "title": "My contributions",
            "scenarios": records.my_scenarios(session, content, viewer),
            "labels": STATUS_LABELS,
            "colours": STATUS_COLOURS,
            "withdrawn": withdrawn,
            "deleted": deleted,
            "is_codesigner": viewer.has(Role.codesigner),
        },
    )


@router.get("/scenarios/{scenario_id}")
def scenario_page(
    scenario_id: int,
    render: Render,
    viewer: CurrentUser,
    session: SessionDep,
    content: ContentDep,
    saved: bool = False,
    choices_saved: bool = False,
) -> Response:
    if viewer.has(Role.trainer) and not records.is_author(session, viewer, scenario_id):
        return RedirectResponse(f"/review/scenarios/{scenario_id}", status_code=303)
    scenario = records.my_scenario(session, content, viewer, scenario_id)
    return render(
        "scenarios/detail.html",
        {
            "title": scenario_title(scenario),
            "scenario": scenario,
            "labels": STATUS_LABELS,
            "colours": STATUS_COLOURS,
            "kind_labels": KIND_LABELS,
            "saved": saved,
            "choices_saved": choices_saved,
            "topic_names": dict(topic_choices(content)),
            "timeline": workflow.timeline(scenario),
            "support": safeguarding.needs_support(session, viewer, scenario_id),
        },
    )


@router.get("/scenarios/{scenario_id}/sent")
def sent_page(
    scenario_id: int,
    render: Render,
    viewer: CurrentUser,
    session: SessionDep,
    content: ContentDep,
) -> Response:
    scenario = records.my_scenario(session, content, viewer, scenario_id)
    return render(
        "scenarios/sent.html",
        {
            "title": "Your scenario has been sent",
            "scenario": scenario,
            "support": safeguarding.needs_support(session, viewer, scenario_id),
        },
    )


def _choices_page(
    render: PageRenderer,
    scenario: ScenarioOut,
    form: ScenarioForm,
    errors: dict[str, str] | None = None,
) -> Response:
    return render(
        "scenarios/choices.html",
        {
            "title": "Credit and quoting",
            "scenario": scenario,
            "form": form,
            "errors": errors or {},
            "credit_choices": credit_choices(),
            "limits": LIMITS,
        },
        status_code=422 if errors else 200,
    )


@router.get("/scenarios/{scenario_id}/choices")
def choices_page(
    scenario_id: int,
    render: Render,
    viewer: CurrentUser,
    session: SessionDep,
    content: ContentDep,
) -> Response:
    scenario = records.my_scenario(session, content, viewer, scenario_id)
    if scenario.status is ScenarioStatus.withdrawn:
        raise Conflict("You have withdrawn this scenario, so there is nothing left to change.")
    form = ScenarioForm(
        credit=scenario.credit.value,
        credit_name=scenario.credit_name,
        consent_to_quote=scenario.consent_to_quote,
    )
    return _choices_page(render, scenario, form)


@router.post("/scenarios/{scenario_id}/choices", dependencies=[CsrfProtected])
def change_choices(
    scenario_id: int,
    render: Render,
    posted: FormDep,
    viewer: CurrentUser,
    session: SessionDep,
    content: ContentDep,
) -> Response:
    form = ScenarioForm(
        credit=_text(posted, "credit") or Credit.none.value,
        credit_name=_text(posted, "credit_name"),
        consent_to_quote=_text(posted, "consent_to_quote") == "yes",
    )
    try:
        choices.change_choices(
            session,
            content,
            viewer,
            scenario_id,
            form.credit,
            form.credit_name,
            form.consent_to_quote,
        )
    except ScenarioInvalid as invalid:
        scenario = records.my_scenario(session, content, viewer, scenario_id)
        return _choices_page(render, scenario, form, invalid.errors)
    return RedirectResponse(f"/scenarios/{scenario_id}?choices_saved=true", status_code=303)


@router.get("/scenarios/{scenario_id}/withdraw")
def withdraw_page(
    scenario_id: int,
    render: Render,
    viewer: CurrentUser,
    session: SessionDep,
    content: ContentDep,
) -> Response:
    scenario = records.my_scenario(session, content, viewer, scenario_id)
    if scenario.status is ScenarioStatus.withdrawn:
        raise Conflict("You have already withdrawn this scenario.")
    return render(
        "scenarios/withdraw.html",
        {"title": "Withdraw your scenario", "scenario": scenario},
    )


@router.post("/scenarios/{scenario_id}/withdraw", dependencies=[CsrfProtected])
def withdraw(scenario_id: int, viewer: CurrentUser, session: SessionDep) -> Response:
    withdrawal.withdraw(session, viewer, scenario_id)
    return RedirectResponse("/scenarios/mine?withdrawn=true", status_code=303)


@router.get("/scenarios/{scenario_id}/delete")
def delete_draft_page(
    scenario_id: int,
    render: Render,
    viewer: CurrentUser,
    session: SessionDep,
    content: ContentDep,
) -> Response:
    scenario = records.my_scenario(session, content, viewer, scenario_id)
    if scenario.status is not ScenarioStatus.draft:
        raise Conflict(
            "Only a draft that was never sent can be deleted. You can withdraw this scenario "
            "instead, which deletes what you wrote."
        )
    return render("scenarios/delete_draft.html", {"title": "Delete draft", "scenario": scenario})


@router.post("/scenarios/{scenario_id}/delete", dependencies=[CsrfProtected])
def delete_draft(scenario_id: int, viewer: CurrentUser, session: SessionDep) -> Response:
    withdrawal.delete_draft(session, viewer, scenario_id)
    return RedirectResponse("/scenarios/mine?deleted=true", status_code=303)


# The co-designer's data and the trainers' review pages, tagged "pages" by this router.
router.include_router(data_pages.router)
router.include_router(review_pages.router)

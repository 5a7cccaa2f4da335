"""GET /api/v1/modules and /api/v1/modules/{slug}."""

from __future__ import annotations

from typing import Literal

from fastapi import APIRouter

from app.catalogue import service
from app.catalogue.schemas import (
    ModuleDetailOut,
    ModuleSummaryOut,
    OptionOut,
    QuestionOut,
    QuizOut,
    SectionOut,
    TwoMinuteVersionOut,
)
from app.progress.service import get_module
from app.quizzes import service as quizzes
from app.scenarios import service as scenarios
from app.web.deps import ContentDep, CurrentUser, SessionDep, TemplatesDep

router = APIRouter(prefix="/api/v1", tags=["modules"])


@router.get("/modules", response_model=list[ModuleSummaryOut])
def list_modules(
    viewer: CurrentUser,
    content: ContentDep,
    kind: Literal["module", "app"] | None = None,
    q: str = "",
    topic: str | None = None,
) -> list[ModuleSummaryOut]:
    modules = service.find_modules(content, kind=kind, query=q, topic=topic)
    return [ModuleSummaryOut.of(module) for module in modules]


@router.get("/modules/{slug}/in-two-minutes", response_model=TwoMinuteVersionOut)
def in_two_minutes(slug: str, viewer: CurrentUser, content: ContentDep) -> TwoMinuteVersionOut:
    """A module's key points and "try saying" lines, for a practitioner short on time."""
    return TwoMinuteVersionOut.of(service.two_minute_version(content, slug))


@router.get("/modules/{slug}", response_model=ModuleDetailOut)
def module_detail(
    slug: str,
    viewer: CurrentUser,
    content: ContentDep,
    templates: TemplatesDep,
    session: SessionDep,
) -> ModuleDetailOut:
    module = get_module(content, slug)
    # Options come in the viewer's own order for their next attempt, as on the quiz page;
    # answers go back by option id, so the order never changes what is graded.
    quiz = quizzes.quiz_for(session, content, viewer, slug)[1] if module.quiz else None
    return ModuleDetailOut(
        slug=module.slug,
        title=module.title,
        version=module.version,
        content_warning=module.content_warning,
        sections=[
            SectionOut(
                id=section.id, title=section.title, html=templates.section_html(module, section)
            )
            for section in module.sections
        ],
        quiz=QuizOut(
            pass_mark=quiz.pass_mark,
            questions=[
                QuestionOut(
                    id=question.id,
                    type=question.type,
                    prompt=question.prompt,
                    options=[
                        OptionOut(id=option.id, text=option.text) for option in question.options
                    ],
                )
                for question in quiz.questions
            ],
        )
        if quiz
        else None,
        scenarios=[
            scenarios.PublishedScenarioOut.of(scenario)
            for scenario in scenarios.published_for_module(session, module)
        ],
    )

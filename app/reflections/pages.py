"""Writing reflections, the learning record page, and its PDF and JSON downloads."""

from __future__ import annotations

import json

from fastapi import APIRouter
from fastapi.responses import RedirectResponse, Response

from app.core.errors import InvalidInput
from app.core.templating import PageRenderer, Render
from app.core.text import clean_multiline
from app.reflections import service
from app.reflections.schemas import ModuleReflections
from app.web.deps import ContentDep, CsrfProtected, CurrentUser, FormDep, SessionDep

router = APIRouter(tags=["pages"])


def _reflect_page(
    render: PageRenderer,
    reflections: ModuleReflections,
    typed: dict[str, str],
    *,
    errors: dict[str, str] | None = None,
    saved: bool = False,
    status_code: int = 200,
) -> Response:
    return render(
        "reflections/reflect.html",
        {
            "title": f"Your reflections – {reflections.module.title}",
            "reflections": reflections,
            "module": reflections.module,
            "typed": typed,
            "errors": errors or {},
            "saved": saved,
            "maximum": service.MAXIMUM_ANSWER_LENGTH,
        },
        status_code=status_code,
    )


@router.get("/modules/{slug}/reflect")
def reflect_page(
    slug: str,
    render: Render,
    viewer: CurrentUser,
    session: SessionDep,
    content: ContentDep,
    saved: bool = False,
) -> Response:
    reflections = service.reflections_for(session, content, viewer, slug)
    typed = {item.key: item.answer for item in reflections.items}
    return _reflect_page(render, reflections, typed, saved=saved)


@router.post("/modules/{slug}/reflect", dependencies=[CsrfProtected])
def save_reflections(
    slug: str,
    render: Render,
    form: FormDep,
    viewer: CurrentUser,
    session: SessionDep,
    content: ContentDep,
) -> Response:
    reflections = service.reflections_for(session, content, viewer, slug)
    typed = {item.key: str(form.get(f"answer-{item.key}", "")) for item in reflections.items}
    try:
        service.save_reflections(session, content, viewer, slug, typed)
    except InvalidInput as invalid:
        errors = {
            f"answer-{item.key}": invalid.message
            for item in reflections.items
            if len(clean_multiline(typed[item.key])) > service.MAXIMUM_ANSWER_LENGTH
        } or {"reflect-form": invalid.message}
        return _reflect_page(render, reflections, typed, errors=errors, status_code=422)
    return RedirectResponse(f"/modules/{slug}/reflect?saved=true", status_code=303)


@router.get("/record")
def record_page(
    render: Render,
    viewer: CurrentUser,
    session: SessionDep,
    content: ContentDep,
) -> Response:
    record = service.learning_record(session, content, viewer)
    modules_with_prompts = [module for module in content.all("module") if module.reflect_prompts]
    return render(
        "reflections/record.html",
        {"title": "Your learning record", "record": record, "prompted": modules_with_prompts},
    )


def _download_name(generated: str, extension: str) -> str:
    return f'attachment; filename="askwell-learning-record-{generated}.{extension}"'


@router.get("/record.pdf")
def record_pdf(viewer: CurrentUser, session: SessionDep, content: ContentDep) -> Response:
    record = service.learning_record(session, content, viewer)
    # The PDF library costs each worker about 20 MB: loaded at the first download.
    from app.reflections import export

    return Response(
        export.record_pdf(record),
        media_type="application/pdf",
        headers={"Content-Disposition": _download_name(f"{record.generated_at:%Y-%m-%d}", "pdf")},
    )


@router.get("/record.json")
def record_json(viewer: CurrentUser, session: SessionDep, content: ContentDep) -> Response:
    record = service.learning_record(session, content, viewer)
    return Response(
        json.dumps(service.record_as_json(record), ensure_ascii=False, indent=2),
        media_type="application/json",
        headers={"Content-Disposition": _download_name(f"{record.generated_at:%Y-%m-%d}", "json")},
    )

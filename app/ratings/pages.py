"""Rating an example from a module page, and the trainers' page of ratings."""

from __future__ import annotations

from urllib.parse import quote

from fastapi import APIRouter
from fastapi.responses import RedirectResponse, Response

from app.core.links import safe_next
from app.core.templating import Render
from app.models.ratings import Verdict
from app.ratings import service
from app.ratings.schemas import ENDORSEMENT_MINIMUM, VERDICT_LABELS
from app.web.deps import ContentDep, CsrfProtected, CurrentUser, FormDep, SessionDep

router = APIRouter(tags=["pages"])


@router.post("/modules/{slug}/asks/{ask_id}/rating", dependencies=[CsrfProtected])
def rate_example(
    slug: str,
    ask_id: str,
    render: Render,
    posted: FormDep,
    viewer: CurrentUser,
    session: SessionDep,
    content: ContentDep,
) -> Response:
    verdict = posted.get("verdict")
    comment = posted.get("comment")
    typed_verdict = verdict if isinstance(verdict, str) else ""
    typed_comment = comment[:5000] if isinstance(comment, str) else ""
    back = safe_next(str(posted.get("next") or f"/modules/{slug}/all"))
    try:
        rated = service.rate(session, content, viewer, slug, ask_id, typed_verdict, typed_comment)
    except service.RatingNotValid as invalid:
        module, block = service.example(content, slug, ask_id)
        anchor = f"rating-{ask_id}-{'yes' if invalid.field == 'verdict' else 'comment'}"
        return render(
            "ratings/retry.html",
            {
                "title": "Your rating was not saved",
                "module": module,
                "block": block,
                "back": back,
                "errors": {anchor: invalid.message},
                "ratings_panel": service.panel_for(session, viewer, module),
                "rating_retry": {
                    "ask_id": ask_id,
                    "field": invalid.field,
                    "message": invalid.message,
                    "verdict": typed_verdict,
                    "comment": typed_comment,
                    "next": back,
                },
            },
            status_code=400,
        )
    page = back.split("#")[0].split("?")[0]
    if rated.support:
        # Support comes first: its own page, then the way back to the example.
        target = quote(f"{page}?rated={ask_id}#ask-{ask_id}", safe="")
        return RedirectResponse(f"/support?after=rating&next={target}", status_code=303)
    return RedirectResponse(f"{page}?rated={ask_id}#ask-{ask_id}", status_code=303)


@router.get("/review/asks")
def ratings_page(
    render: Render,
    viewer: CurrentUser,
    session: SessionDep,
    content: ContentDep,
) -> Response:
    summaries = service.overview(session, content, viewer)
    return render(
        "ratings/overview.html",
        {
            "title": "How young people rate the examples",
            "summaries": summaries,
            "needs_revision": [summary for summary in summaries if summary.needs_revision],
            "verdict_labels": VERDICT_LABELS,
            "minimum": ENDORSEMENT_MINIMUM,
            "verdicts": list(Verdict),
        },
    )

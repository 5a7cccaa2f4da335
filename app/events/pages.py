"""The admin page of learning-event deliveries: what is waiting or failing, and retry."""

from __future__ import annotations

from fastapi import APIRouter, Query, Request
from fastapi.responses import RedirectResponse, Response

from app.core.templating import Render
from app.events import service
from app.events.destinations import Destinations
from app.web.deps import CsrfProtected, CurrentUser, SessionDep

router = APIRouter(tags=["pages"])

STATUS_WORDS = {
    "pending": "Waiting to be sent",
    "failed": "Failed, will be tried again",
    "stopped": "Refused, will not be tried again",
    "delivered": "Delivered",
}
KIND_WORDS = {
    "section_read": "Read a section",
    "quiz_attempted": "Took a quiz",
    "module_completed": "Completed a module",
    "refresher_answered": "Answered a refresher question",
}


def destinations_of(request: Request) -> Destinations:
    return request.app.state.event_destinations


@router.get("/admin/events")
def deliveries_page(
    request: Request,
    render: Render,
    viewer: CurrentUser,
    session: SessionDep,
    status: str = Query("", max_length=20),
    page: int = Query(1, ge=1, le=100_000),
    retried: int | None = Query(None, ge=0, le=1_000_000_000),
) -> Response:
    deliveries = service.deliveries_page(
        session, viewer, destinations_of(request), status=status, page=page
    )
    return render(
        "events/index.html",
        {
            "title": "Learning event deliveries",
            "deliveries": deliveries,
            "status_words": STATUS_WORDS,
            "kind_words": KIND_WORDS,
            "retried": retried,
        },
    )


@router.post("/admin/events/deliveries/{delivery_id}/retry", dependencies=[CsrfProtected])
def retry_delivery(delivery_id: int, viewer: CurrentUser, session: SessionDep) -> Response:
    service.retry(session, viewer, delivery_id)
    return RedirectResponse("/admin/events?retried=1", status_code=303)


@router.post("/admin/events/retry", dependencies=[CsrfProtected])
def retry_every_failed(viewer: CurrentUser, session: SessionDep) -> Response:
    count = service.retry_all(session, viewer)
    return RedirectResponse(f"/admin/events?retried={count}", status_code=303)

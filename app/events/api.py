"""Learning-event deliveries as JSON, for admins: the same service as the admin page."""

from __future__ import annotations

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from app.events import service
from app.events.pages import destinations_of
from app.events.schemas import DeliveryPage
from app.web.deps import CsrfProtected, CurrentUser, SessionDep

router = APIRouter(prefix="/api/v1", tags=["events"])


@router.get("/admin/event-deliveries", response_model=DeliveryPage)
def event_deliveries(
    request: Request,
    viewer: CurrentUser,
    session: SessionDep,
    status: str = Query("", max_length=20),
    page: int = Query(1, ge=1, le=100_000),
) -> DeliveryPage:
    """Counts by destination and status; the deliveries not yet delivered, failing first.
    ``status`` (pending, failed, stopped) narrows the list."""
    return service.deliveries_page(
        session, viewer, destinations_of(request), status=status, page=page
    )


@router.post(
    "/admin/event-deliveries/{delivery_id}/retry",
    status_code=204,
    dependencies=[CsrfProtected],
)
def retry_event_delivery(delivery_id: int, viewer: CurrentUser, session: SessionDep) -> Response:
    """Send it at the next run, whatever its backoff said (409 if already delivered)."""
    service.retry(session, viewer, delivery_id)
    return Response(status_code=204)

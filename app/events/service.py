"""Recording learning events with the change itself, and delivering them to destinations.

``record`` writes an event and one delivery per enabled destination that wants its kind,
in the caller's transaction: if the change is rolled back, so is the event, and no event
exists without its change.

``deliver_due`` sends what is due. It claims a few deliveries at a time under a lease in
a short transaction of its own (on PostgreSQL with ``FOR UPDATE SKIP LOCKED``, on SQLite
under the database's write lock), so two deliverers, in two processes or on two machines,
never take the same delivery; it sends with no transaction open, and records each outcome
only if it still holds the lease. A failure is retried later, each time after twice as
long (up to six hours), and is never dropped.
"""

from __future__ import annotations

import logging
import secrets
import time
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import case, func, insert, literal, or_, update
from sqlmodel import Session, col, select

from app.audit import service as audit
from app.auth.schemas import Viewer
from app.auth.service import require_role
from app.core.db import Bind, hold_write_lock, insert_ignoring_duplicates, session_scope
from app.core.errors import Conflict, NotFound
from app.events.destinations import (
    SEND_TIMEOUT_SECONDS,
    DeliveryFailed,
    Destination,
    Destinations,
)
from app.events.schemas import (
    DeliveryOut,
    DeliveryPage,
    DeliveryReport,
    DestinationCount,
    LearningEventOut,
)
from app.models.base import utcnow
from app.models.events import (
    DeliveryStatus,
    EventDelivery,
    EventDestination,
    EventKind,
    LearningEvent,
)
from app.models.users import Role, User

log = logging.getLogger("askwell.events")

LEASE = timedelta(minutes=5)
"""How long a deliverer holds what it claimed; it never starts a send it could not finish
(``SEND_TIMEOUT_SECONDS``) within it, so a delivery is never sent by two at once."""
CLAIM_BATCH = 20
FIRST_RETRY = timedelta(seconds=30)
LONGEST_WAIT = timedelta(hours=6)
MAXIMUM_ERROR_LENGTH = 500
DUE_STATUSES = (DeliveryStatus.pending.value, DeliveryStatus.failed.value)
ATTENTION_STATUSES = (
    DeliveryStatus.pending.value,
    DeliveryStatus.failed.value,
    DeliveryStatus.stopped.value,
)
PAGE_SIZE = 50


# --- Recording ----------------------------------------------------------------------------


def record(
    session: Session,
    kind: EventKind,
    *,
    user_id: int,
    module_slug: str,
    content_version: int | None,
    payload: dict[str, Any],
    occurred_at: datetime | None = None,
) -> str:
    """Write one event and its deliveries in the caller's transaction; returns its UUID."""
    now = utcnow()
    event = LearningEvent(
        event_id=str(uuid.uuid4()),
        kind=kind.value,
        user_id=user_id,
        module_slug=module_slug,
        content_version=content_version,
        occurred_at=occurred_at or now,
        payload=payload,
    )
    session.add(event)
    session.flush()
    wanted = or_(
        col(EventDestination.kinds) == "",
        (literal(",") + col(EventDestination.kinds) + literal(",")).contains(
            f",{kind.value},", autoescape=True
        ),
    )
    session.execute(
        insert(EventDelivery).from_select(
            ["event_id", "destination", "status", "attempts", "next_attempt_at", "last_error"]
            + ["created_at"],
            select(
                literal(event.id),
                col(EventDestination.name),
                literal(DeliveryStatus.pending.value),
                literal(0),
                literal(now, EventDelivery.__table__.c.next_attempt_at.type),
                literal(""),
                literal(now, EventDelivery.__table__.c.created_at.type),
            ).where(col(EventDestination.enabled).is_(True), wanted),
        )
    )
    return event.event_id


def install_destinations(session: Session, destinations: Destinations) -> None:
    """Make sure each destination has its row, so events from now on are delivered to it."""
    for destination in destinations:
        kinds = ",".join(sorted(kind.value for kind in destination.kinds))
        created = insert_ignoring_duplicates(
            session,
            EventDestination,
            {"name": destination.name, "kinds": kinds, "enabled": True, "created_at": utcnow()},
            ["name"],
        )
        if not created:
            session.exec(
                update(EventDestination)
                .where(
                    col(EventDestination.name) == destination.name,
                    col(EventDestination.kinds) != kinds,
                )
                .values(kinds=kinds)
            )


# --- Delivering ---------------------------------------------------------------------------


@dataclass(frozen=True)
class _Claimed:
    delivery_id: int
    destination: str
    attempts: int
    event: LearningEventOut


def backoff(attempts: int) -> timedelta:
    """The wait after the ``attempts``-th failure: 30 s, 1 min, 2 min, … up to 6 hours."""
    exponent = max(0, min(attempts - 1, 20))
    return min(FIRST_RETRY * (2**exponent), LONGEST_WAIT)


def deliver_due(
    engine: Bind,
    destinations: Destinations,
    *,
    now: datetime | None = None,
    limit: int = 500,
) -> DeliveryReport:
    """Send every delivery that is due, up to ``limit``; safe to run anywhere, any number of
    times at once. ``now`` is the time to deliver as of (the current time by default)."""
    report = DeliveryReport()
    names = destinations.names()
    if not names:
        return report
    holder = secrets.token_hex(8)
    down: set[str] = set()
    while report.tried < limit:
        live = [name for name in names if name not in down]
        if not live:
            break
        claimed = _claim(
            engine, live, now or utcnow(), min(CLAIM_BATCH, limit - report.tried), holder
        )
        if not claimed:
            break
        started = time.monotonic()
        unsent: list[int] = []
        out_of_time = False
        for item in claimed:
            destination = destinations.get(item.destination)
            lease_left = LEASE.total_seconds() - (time.monotonic() - started)
            out_of_time = out_of_time or lease_left < 2 * SEND_TIMEOUT_SECONDS
            if destination is None or item.destination in down or out_of_time:
                unsent.append(item.delivery_id)
                continue
            failure = _send(destination, item)
            _record_outcome(engine, item, failure, holder, now or utcnow())
            if failure is None:
                report.delivered += 1
            elif failure.permanent:
                report.stopped += 1
                report.problems.append(f"{item.destination}: {failure.message} (stopped)")
            else:
                report.failed += 1
                report.problems.append(f"{item.destination}: {failure.message}")
                # It is down: leave the rest of its deliveries for a later run.
                down.add(item.destination)
        if unsent:
            _release(engine, unsent, holder)
            report.left_for_later += len(unsent)
        if out_of_time:
            break
    return report


def _send(destination: Destination, item: _Claimed) -> DeliveryFailed | None:
    try:
        destination.send(item.event)
    except DeliveryFailed as failure:
        return failure
    except Exception as error:
        # A destination's own bug or an unexpected network error: retried like any failure,
        # and kept in the log with its traceback for whoever maintains that destination.
        log.exception("Sending event %s to %s failed", item.event.event_id, item.destination)
        return DeliveryFailed(f"{type(error).__name__}: {error}")
    return None


def _claim(
    engine: Bind, names: list[str], now: datetime, limit: int, holder: str
) -> list[_Claimed]:
    with session_scope(engine) as session:
        # Oldest first, so a destination mostly receives events in the order they happened.
        # SQLite: the write lock, held from here to the commit, keeps every other
        # deliverer (in this process or another) out while these rows are chosen.
        hold_write_lock(session)
        statement = (
            select(EventDelivery.id)
            .where(
                col(EventDelivery.status).in_(DUE_STATUSES),
                col(EventDelivery.next_attempt_at) <= now,
                or_(
                    col(EventDelivery.lease_until).is_(None), col(EventDelivery.lease_until) <= now
                ),
                col(EventDelivery.destination).in_(names),
            )
            .order_by(col(EventDelivery.id))
            .limit(limit)
        )
        if session.get_bind().dialect.name == "postgresql":
            # PostgreSQL: rows another deliverer is claiming this instant are passed over.
            statement = statement.with_for_update(skip_locked=True)
        ids = list(session.exec(statement).all())
        if not ids:
            return []
        session.exec(
            update(EventDelivery)
            .where(col(EventDelivery.id).in_(ids))
            .values(lease_until=now + LEASE, lease_holder=holder)
        )
        rows = session.exec(
            select(EventDelivery, LearningEvent)
            .join(LearningEvent, col(LearningEvent.id) == col(EventDelivery.event_id))
            .where(col(EventDelivery.id).in_(ids))
            .order_by(col(EventDelivery.id))
        ).all()
        return [
            _Claimed(
                delivery_id=delivery.id or 0,
                destination=delivery.destination,
                attempts=delivery.attempts,
                event=_event_out(event),
            )
            for delivery, event in rows
        ]


def _event_out(event: LearningEvent) -> LearningEventOut:
    return LearningEventOut(
        event_id=event.event_id,
        kind=event.kind,
        user_id=event.user_id,
        module_slug=event.module_slug,
        content_version=event.content_version,
        occurred_at=event.occurred_at,
        payload=dict(event.payload),
    )


def _record_outcome(
    engine: Bind, item: _Claimed, failure: DeliveryFailed | None, holder: str, now: datetime
) -> None:
    attempts = item.attempts + 1
    if failure is None:
        values: dict[str, Any] = {
            "status": DeliveryStatus.delivered.value,
            "delivered_at": now,
            "next_attempt_at": None,
            "last_error": "",
        }
    elif failure.permanent:
        values = {
            "status": DeliveryStatus.stopped.value,
            "next_attempt_at": None,
            "last_error": failure.message[:MAXIMUM_ERROR_LENGTH],
        }
    else:
        values = {
            "status": DeliveryStatus.failed.value,
            "next_attempt_at": now + backoff(attempts),
            "last_error": failure.message[:MAXIMUM_ERROR_LENGTH],
        }
    with session_scope(engine) as session:
        session.exec(
            update(EventDelivery)
            .where(
                col(EventDelivery.id) == item.delivery_id,
                col(EventDelivery.lease_holder) == holder,
            )
            .values(attempts=attempts, lease_until=None, lease_holder=None, **values)
        )


def _release(engine: Bind, delivery_ids: list[int], holder: str) -> None:
    """Give back what was claimed but not sent, untouched, for the next run."""
    with session_scope(engine) as session:
        session.exec(
            update(EventDelivery)
            .where(
                col(EventDelivery.id).in_(delivery_ids),
                col(EventDelivery.lease_holder) == holder,
            )
            .values(lease_until=None, lease_holder=None)
        )


# --- What admins see ----------------------------------------------------------------------


def deliveries_page(
    session: Session,
    viewer: Viewer,
    destinations: Destinations,
    *,
    status: str = "",
    page: int = 1,
) -> DeliveryPage:
    """Counts by destination, and the deliveries not yet delivered, those failing first."""
    require_role(viewer, Role.admin)
    page = max(1, page)
    set_up = session.exec(select(EventDestination.name)).all()
    counts: dict[str, DestinationCount] = {
        name: DestinationCount(destination=name, installed=destinations.get(name) is not None)
        for name in set_up
    }
    for name, row_status, number in session.exec(
        select(EventDelivery.destination, EventDelivery.status, func.count())
        .group_by(col(EventDelivery.destination), col(EventDelivery.status))
        .order_by(col(EventDelivery.destination))
    ).all():
        count = counts.setdefault(
            name, DestinationCount(destination=name, installed=destinations.get(name) is not None)
        )
        if row_status in DeliveryStatus.__members__:
            setattr(count, row_status, number)
    wanted = [status] if status in ATTENTION_STATUSES else list(ATTENTION_STATUSES)
    pending_last = case((col(EventDelivery.status) == DeliveryStatus.pending.value, 1), else_=0)
    rows = session.exec(
        select(EventDelivery, LearningEvent, User.display_name)
        .join(LearningEvent, col(LearningEvent.id) == col(EventDelivery.event_id))
        .join(User, col(User.id) == col(LearningEvent.user_id))
        .where(col(EventDelivery.status).in_(wanted))
        .order_by(pending_last, col(EventDelivery.id).desc())
        .offset((page - 1) * PAGE_SIZE)
        .limit(PAGE_SIZE + 1)
    ).all()
    return DeliveryPage(
        destinations=sorted(counts.values(), key=lambda count: count.destination),
        deliveries=[
            DeliveryOut(
                id=delivery.id or 0,
                destination=delivery.destination,
                status=delivery.status,
                attempts=delivery.attempts,
                next_attempt_at=delivery.next_attempt_at,
                last_error=delivery.last_error,
                delivered_at=delivery.delivered_at,
                event_id=event.event_id,
                kind=event.kind,
                module_slug=event.module_slug,
                occurred_at=event.occurred_at,
                person=name,
            )
            for delivery, event, name in rows[:PAGE_SIZE]
        ],
        status=status if status in ATTENTION_STATUSES else "",
        page=page,
        has_more=len(rows) > PAGE_SIZE,
    )


def retry(session: Session, viewer: Viewer, delivery_id: int) -> None:
    """Send a failed or stopped delivery at the next run, whatever its backoff said."""
    require_role(viewer, Role.admin)
    delivery = session.get(EventDelivery, delivery_id)
    if delivery is None:
        raise NotFound("There is no such delivery. It may have gone with a deleted account.")
    if delivery.status == DeliveryStatus.delivered.value:
        raise Conflict("That event has already been delivered; it is never sent twice.")
    session.exec(
        update(EventDelivery)
        .where(
            col(EventDelivery.id) == delivery_id,
            col(EventDelivery.status) != DeliveryStatus.delivered.value,
        )
        .values(status=DeliveryStatus.pending.value, next_attempt_at=utcnow())
    )
    audit.record(
        session, viewer, "events.retry", "event_delivery", delivery_id, delivery.destination
    )


def retry_all(session: Session, viewer: Viewer) -> int:
    """Send every failed or stopped delivery at the next run; returns how many."""
    require_role(viewer, Role.admin)
    result = session.exec(
        update(EventDelivery)
        .where(
            col(EventDelivery.status).in_(
                (DeliveryStatus.failed.value, DeliveryStatus.stopped.value)
            )
        )
        .values(status=DeliveryStatus.pending.value, next_attempt_at=utcnow())
    )
    count = int(result.rowcount or 0)
    audit.record(session, viewer, "events.retry_all", "event_deliveries", "", f"{count} deliveries")
    return count

"""A destination the tests control: it can be down, refuse for good, or be slow."""

from __future__ import annotations

import threading
import time

import pytest

from app.core.db import session_scope
from app.events import service as events
from app.events.destinations import DeliveryFailed, Destinations
from app.events.schemas import LearningEventOut
from app.models.events import EventKind


class Recorder:
    """Keeps every event it is sent, in order, from any number of threads."""

    def __init__(
        self, name: str = "recorder", kinds: frozenset[EventKind] = frozenset(), delay: float = 0
    ) -> None:
        self.name = name
        self.kinds = kinds
        self.delay = delay
        self.down = False
        self.refuse = False
        self.received: list[LearningEventOut] = []
        self.calls = 0
        self._lock = threading.Lock()

    def send(self, event: LearningEventOut) -> None:
        with self._lock:
            self.calls += 1
        if self.delay:
            time.sleep(self.delay)
        if self.down:
            raise DeliveryFailed("Connection refused by lms.example.org")
        if self.refuse:
            raise DeliveryFailed("400: the line item does not exist", permanent=True)
        with self._lock:
            self.received.append(event)

    @property
    def event_ids(self) -> list[str]:
        return [event.event_id for event in self.received]


@pytest.fixture
def recorder(app) -> Recorder:
    """A destination installed in the database, so events from now on are delivered to it."""
    destination = Recorder()
    with session_scope(app.state.engine) as session:
        events.install_destinations(session, Destinations(destination))
    return destination


RIGHT_ANSWERS = {"q1": ["b"], "q2": ["a", "b"], "q3": ["b"]}
ASKING = "asking-basics"
SECTIONS = ["why-ask", "opening-questions", "following-up"]

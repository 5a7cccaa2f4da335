"""Where learning events go: each destination is a small object the deliverer calls.

A destination sends one event at a time and either returns (delivered) or raises
``DeliveryFailed``. It must finish, or give up, within ``SEND_TIMEOUT_SECONDS``: the
deliverer holds each delivery for a lease a good deal longer than that, and nobody else
sends it meanwhile. It gets the event's stable ``event_id`` every time, so a receiver that
remembers it can drop a repeat even if a deliverer died between sending and recording.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Protocol

from app.events.schemas import LearningEventOut
from app.models.events import EventKind

SEND_TIMEOUT_SECONDS = 30.0


class DeliveryFailed(Exception):
    """The destination did not take the event.

    ``permanent`` says trying again cannot help (the receiver refused it as invalid): the
    delivery stops until an admin retries it. Otherwise it is retried later, with backoff.
    """

    def __init__(self, message: str, *, permanent: bool = False) -> None:
        super().__init__(message)
        self.message = message
        self.permanent = permanent


class Destination(Protocol):
    """Anything with a name, the kinds of event it wants, and a way to send one."""

    name: str
    kinds: frozenset[EventKind]
    """Empty: every kind."""

    def send(self, event: LearningEventOut) -> None: ...


class Destinations:
    """The destinations this Askwell delivers to, by name."""

    def __init__(self, *destinations: Destination) -> None:
        self._by_name: dict[str, Destination] = {}
        for destination in destinations:
            self.add(destination)

    def add(self, destination: Destination) -> None:
        if not destination.name or len(destination.name) > 60:
            raise ValueError("A destination needs a name of 1 to 60 characters.")
        self._by_name[destination.name] = destination

    def get(self, name: str) -> Destination | None:
        return self._by_name.get(name)

    def names(self) -> list[str]:
        return sorted(self._by_name)

    def __iter__(self) -> Iterator[Destination]:
        return iter(self._by_name.values())

    def __len__(self) -> int:
        return len(self._by_name)

"""The publisher interface: services hand committed events to it; realtime/ delivers them."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol

from flask import current_app


@dataclass(frozen=True)
class Published:
    """A committed log event plus who it is for.

    scope: `workshop` (every participant), `room` (the room's partners, facilitators, and
    `partner_id`'s members if set), `partner` (that partner's members and facilitators),
    `facilitators`.
    """

    event: dict
    scope: str
    room_id: int | None = None
    partner_id: int | None = None
    partner_ids: tuple[int, ...] = field(default_factory=tuple)


class Publisher(Protocol):
    def publish(self, items: list[Published]) -> None: ...

    def disconnect(self, sids: list[str]) -> None: ...

    def evict(self, moves: list[tuple[str, int]]) -> None:
        """Unsubscribe each (sid, room_id): that socket gets no more of the room's events."""

    def subscribe(self, sid: str, workshop_id: int, *, room_id: int | None = None, facilitator: bool = False) -> None:
        """Let the socket receive the workshop's (and the room's) events from now on."""


class NullPublisher:
    """Used when no real-time layer is attached (CLI commands)."""

    def publish(self, items: list[Published]) -> None:
        pass

    def disconnect(self, sids: list[str]) -> None:
        pass

    def evict(self, moves: list[tuple[str, int]]) -> None:
        pass

    def subscribe(self, sid: str, workshop_id: int, *, room_id: int | None = None, facilitator: bool = False) -> None:
        pass


class RecordingPublisher:
    """Keeps what was published, for tests."""

    def __init__(self) -> None:
        self.items: list[Published] = []
        self.disconnected: list[str] = []
        self.evicted: list[tuple[str, int]] = []
        self.subscribed: list[tuple[str, int, int | None, bool]] = []

    def publish(self, items: list[Published]) -> None:
        self.items.extend(items)

    def disconnect(self, sids: list[str]) -> None:
        self.disconnected.extend(sids)

    def evict(self, moves: list[tuple[str, int]]) -> None:
        self.evicted.extend(moves)

    def subscribe(self, sid: str, workshop_id: int, *, room_id: int | None = None, facilitator: bool = False) -> None:
        self.subscribed.append((sid, workshop_id, room_id, facilitator))

    def types(self) -> list[str]:
        return [item.event["type"] for item in self.items]


def publisher() -> Publisher:
    return current_app.extensions.get("collab.publisher") or NullPublisher()

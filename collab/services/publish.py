"""Who may see an event, and the publisher interface that delivers committed events.

The one rule for visibility lives in `Audience`: live delivery (realtime/publisher.py maps an
audience to Socket.IO channels) and replay (`log.events_after`) both follow it, and the
audience is fixed when the event is stored, so what `resume` replays is what was sent live.
"""
from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field
from typing import Protocol

from flask import current_app


@dataclass(frozen=True)
class Audience:
    """Everyone in the workshop (`partner_ids` None), or its facilitators plus these partners' members."""

    workshop_id: int
    partner_ids: tuple[int, ...] | None = None

    def admits(self, *, facilitator: bool, partner_ids: Collection[int]) -> bool:
        if self.partner_ids is None or facilitator:
            return True
        return any(partner_id in partner_ids for partner_id in self.partner_ids)


@dataclass(frozen=True)
class Published:
    """A stored log event (its public shape) and who it is for."""

    event: dict
    audience: Audience


class Publisher(Protocol):
    def publish(self, items: list[Published]) -> None: ...

    def disconnect(self, sids: list[str]) -> None: ...

    def subscribe(self, sid: str, workshop_id: int, *, facilitator: bool) -> None:
        """Let the socket receive the workshop's events from now on (it already hears its partners')."""


class NullPublisher:
    """Used when no real-time layer is attached (CLI commands)."""

    def publish(self, items: list[Published]) -> None:
        pass

    def disconnect(self, sids: list[str]) -> None:
        pass

    def subscribe(self, sid: str, workshop_id: int, *, facilitator: bool) -> None:
        pass


@dataclass
class RecordingPublisher:
    """Keeps what was published, for tests."""

    items: list[Published] = field(default_factory=list)
    disconnected: list[str] = field(default_factory=list)
    subscribed: list[tuple[str, int, bool]] = field(default_factory=list)

    def publish(self, items: list[Published]) -> None:
        self.items.extend(items)

    def disconnect(self, sids: list[str]) -> None:
        self.disconnected.extend(sids)

    def subscribe(self, sid: str, workshop_id: int, *, facilitator: bool) -> None:
        self.subscribed.append((sid, workshop_id, facilitator))

    def types(self) -> list[str]:
        return [item.event["type"] for item in self.items]


def publisher() -> Publisher:
    return current_app.extensions.get("collab.publisher") or NullPublisher()

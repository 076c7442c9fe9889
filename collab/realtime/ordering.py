"""Each worker hands a workshop's events to its sockets in seq order.

With several workers, every event reaches every worker through the message queue, each worker
publishing its own after its commit. Commits follow seq order (the log's seq is taken under the
workshop's lock), but publishing does not: a worker whose event loop is busy publishes seq 65
after another worker has already published 69. Clients handle each seq once and drop any seq
below the last they saw (PROTOCOL.md, "Delivery"), so an event that came late would be lost
live, and `resume` would not bring it back either.

`InSeqOrder` holds an event that comes ahead of a missing seq until the missing ones arrive,
and at most `HOLD_SECONDS`: a seq can stay missing for good (its worker died between commit and
publish), and then what waited goes out in order after that short delay.
"""
from __future__ import annotations

import threading
import time
from collections.abc import Callable

import socketio

HOLD_SECONDS = 0.25


class InSeqOrder:
    """Orders one worker's deliveries per workshop. `deliver(message)` sends a message to this
    worker's sockets; `later(seconds, fn)` calls `fn` after a delay (a background task)."""

    def __init__(self, deliver: Callable[[object], None], later: Callable[[float, Callable[[], None]], None],
                 hold_seconds: float = HOLD_SECONDS, clock: Callable[[], float] = time.monotonic) -> None:
        self.deliver, self.later, self.hold_seconds, self.clock = deliver, later, hold_seconds, clock
        self.lock = threading.Lock()
        self.delivered: dict[int, int] = {}  # workshop id -> the highest seq handed to the sockets
        self.waiting: dict[int, dict[int, tuple[float, object]]] = {}  # workshop id -> seq -> (since, message)

    def arrive(self, workshop_id: int, seq: int, message: object) -> None:
        with self.lock:
            last = self.delivered.get(workshop_id)
            if last is None or seq <= last + 1:
                # The next one, the first this worker sees, or one whose wait is over: at once.
                self.deliver(message)
                self.delivered[workshop_id] = max(seq, last or seq)
                self._deliver_what_follows(workshop_id)
                return
            waiting = self.waiting.setdefault(workshop_id, {})
            if not waiting:
                self.later(self.hold_seconds, lambda: self.give_up_waiting(workshop_id))
            waiting[seq] = (self.clock(), message)

    def give_up_waiting(self, workshop_id: int) -> None:
        """Deliver, in order, everything up to the latest event that has waited its time, as if
        the seqs still missing below it had come; what arrived since waits on (its own time)."""
        with self.lock:
            waiting = self.waiting.get(workshop_id)
            if not waiting:
                return
            now = self.clock()
            overdue = [seq for seq, (since, _message) in waiting.items() if now - since >= self.hold_seconds]
            if overdue:
                for seq in sorted(s for s in waiting if s <= max(overdue)):
                    self.deliver(waiting.pop(seq)[1])
                    self.delivered[workshop_id] = seq
                self._deliver_what_follows(workshop_id)
            if waiting:
                first_since = min(since for since, _message in waiting.values())
                self.later(max(0.0, first_since + self.hold_seconds - now), lambda: self.give_up_waiting(workshop_id))

    def _deliver_what_follows(self, workshop_id: int) -> None:
        waiting = self.waiting.get(workshop_id)
        last = self.delivered[workshop_id]
        while waiting and last + 1 in waiting:
            last += 1
            self.deliver(waiting.pop(last)[1])
        self.delivered[workshop_id] = last
        if waiting is not None and not waiting:
            del self.waiting[workshop_id]


def seq_of(message: dict) -> tuple[int, int] | None:
    """(workshop id, seq) of a message-queue `emit` carrying a log event, else None."""
    data = message.get("data")
    payload = data[0] if isinstance(data, list) and len(data) == 1 else data
    if not isinstance(payload, dict):
        return None
    workshop_id, seq = payload.get("workshop_id"), payload.get("seq")
    if type(workshop_id) is not int or type(seq) is not int:
        return None
    return workshop_id, seq


def ordered(manager_class: type) -> type:
    """`manager_class` (a python-socketio pub/sub manager) delivering log events in seq order.

    Every emit, this worker's own included, reaches the sockets through the manager's
    `_handle_emit`: that is where events are held back."""

    class Ordered(manager_class):
        def __init__(self, *args, **kwargs) -> None:
            super().__init__(*args, **kwargs)
            self.in_order = InSeqOrder(super()._handle_emit, self._later)

        def _later(self, seconds: float, fn: Callable[[], None]) -> None:
            def run() -> None:
                self.server.sleep(seconds)
                fn()

            self.server.start_background_task(run)

        def _handle_emit(self, message):
            found = seq_of(message)
            if found is None:
                return super()._handle_emit(message)
            self.in_order.arrive(*found, message)

    Ordered.__name__ = Ordered.__qualname__ = f"SeqOrdered{manager_class.__name__}"
    return Ordered


def message_queue_manager(url: str) -> object:
    """The manager Flask-SocketIO would choose for this message queue URL (Redis for redis://,
    Kombu otherwise), delivering in seq order."""
    manager_class = socketio.RedisManager if url.startswith(("redis://", "rediss://")) else socketio.KombuManager
    return ordered(manager_class)(url, channel="flask-socketio")

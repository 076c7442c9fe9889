"""Each worker hands a workshop's events to its sockets in seq order, and every one of them.

With several workers, every event reaches every worker through the message queue, each worker
publishing its own after its commit. Commits follow seq order (the log's seq is taken under the
workshop's lock), but publishing does not: a worker whose event loop is busy publishes seq 65
after another worker has already published 69. And a message can be lost on the way (the
queue's connection drops and reconnects). Clients handle each seq once and drop any seq below
the last they saw (PROTOCOL.md, "Delivery"), so an event that came late, or not at all, would
be lost live, and `resume` would not bring it back either: it starts after that last seq.

`InSeqOrder` holds an event that comes ahead of a missing seq until the missing one arrives,
for at most `HOLD_SECONDS`. Then it reads the missing events from the log (stored before they
were published, with their audience) and delivers them in order; if their own copies come
later still, they are dropped.
"""
from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable


HOLD_SECONDS = 0.25
# At most this many missing events are read from the log at once (the latest of a longer gap,
# after a long outage of the queue: older ones reach clients as their pages load), so that a
# worker catching up is never long away from its other sockets.
FILL_MAX = 2_000
# Seqs delivered from the log are remembered (to drop their late copies) about this far back.
FETCHED_KEPT = 10_000

log = logging.getLogger(__name__)

# (seq, event name, payload, channels) of a stored event: what the publisher would have emitted.
Delivery = tuple[int, str, dict, list[str]]


class InSeqOrder:
    """Orders one worker's deliveries per workshop. `deliver(message)` sends a message-queue
    `emit` to this worker's sockets; `later(seconds, fn)` calls `fn` after a delay (a
    background task); `stored(workshop_id, first_seq, last_seq)` reads those events from the
    log (set once the app is known; without it, a missing event is skipped)."""

    def __init__(self, deliver: Callable[[dict], None], later: Callable[[float, Callable[[], None]], None],
                 hold_seconds: float = HOLD_SECONDS, clock: Callable[[], float] = time.monotonic) -> None:
        self.deliver, self.later, self.hold_seconds, self.clock = deliver, later, hold_seconds, clock
        self.stored: Callable[[int, int, int], list[Delivery]] | None = None
        self.lock = threading.Lock()
        self.delivered: dict[int, int] = {}  # workshop id -> the highest seq handed to the sockets
        self.waiting: dict[int, dict[int, tuple[float, dict]]] = {}  # workshop id -> seq -> (since, message)
        self.fetched: dict[int, set[int]] = {}  # workshop id -> seqs delivered from the log

    def arrive(self, workshop_id: int, seq: int, message: dict) -> None:
        with self.lock:
            last = self.delivered.get(workshop_id)
            if last is not None and seq <= last:
                fetched = self.fetched.get(workshop_id, set())
                if seq in fetched:
                    fetched.discard(seq)  # its copy from the log went out already
                else:
                    self._deliver(message)  # older than what this worker first saw of the workshop
                return
            if last is None or seq == last + 1:
                self._deliver(message)
                self.delivered[workshop_id] = seq
                self._deliver_what_follows(workshop_id)
                return
            waiting = self.waiting.setdefault(workshop_id, {})
            if not waiting:
                self.later(self.hold_seconds, lambda: self.give_up_waiting(workshop_id))
            waiting[seq] = (self.clock(), message)

    def give_up_waiting(self, workshop_id: int) -> None:
        """Deliver, in order, everything up to the latest event that has waited its time, the
        missing ones read from the log; what arrived since waits on (its own time)."""
        with self.lock:
            waiting = self.waiting.get(workshop_id)
            if not waiting:
                return
            now = self.clock()
            overdue = [seq for seq, (since, _message) in waiting.items() if now - since >= self.hold_seconds]
            up_to = max(overdue, default=None)
            first_missing = self.delivered[workshop_id] + 1
        found = self._read_stored(workshop_id, max(first_missing, up_to - FILL_MAX + 1), up_to) if up_to is not None else []
        with self.lock:
            waiting = self.waiting.setdefault(workshop_id, {})
            from_log = {seq: stored_emit(event, payload, channels) for seq, event, payload, channels in found if seq not in waiting}
            for seq in sorted(set(waiting) | set(from_log)):
                if up_to is None or seq > up_to:
                    break
                if seq > self.delivered[workshop_id]:
                    self._deliver(from_log[seq] if seq in from_log else waiting[seq][1])
                    self.delivered[workshop_id] = seq
                    if seq in from_log:
                        self._remember_fetched(workshop_id, seq)
                waiting.pop(seq, None)
            if up_to is not None:
                self.delivered[workshop_id] = max(self.delivered[workshop_id], up_to)
            self._deliver_what_follows(workshop_id)
            if self.waiting.get(workshop_id):
                first_since = min(since for since, _message in self.waiting[workshop_id].values())
                self.later(max(0.0, first_since + self.hold_seconds - self.clock()), lambda: self.give_up_waiting(workshop_id))

    def _read_stored(self, workshop_id: int, first_seq: int, last_seq: int) -> list[Delivery]:
        if self.stored is None:
            return []
        try:
            return self.stored(workshop_id, first_seq, last_seq)
        except Exception:  # the database is away: deliver what came, in order, rather than nothing
            log.exception("reading events %s-%s of workshop %s from the log failed", first_seq, last_seq, workshop_id)
            return []

    def _deliver(self, message: dict) -> None:
        try:
            self.deliver(message)
        except Exception:  # one message that fails to go out must not hold back the others
            log.exception("delivering an event failed")

    def _remember_fetched(self, workshop_id: int, seq: int) -> None:
        fetched = self.fetched.setdefault(workshop_id, set())
        fetched.add(seq)
        if len(fetched) > FETCHED_KEPT:  # keep the newer half: each trim frees many places at once
            fetched.difference_update([s for s in fetched if s <= seq - FETCHED_KEPT // 2])

    def _deliver_what_follows(self, workshop_id: int) -> None:
        waiting = self.waiting.get(workshop_id)
        last = self.delivered[workshop_id]
        while waiting and last + 1 in waiting:
            last += 1
            self._deliver(waiting.pop(last)[1])
        self.delivered[workshop_id] = last
        if waiting is not None and not waiting:
            del self.waiting[workshop_id]


def stored_emit(event: str, payload: dict, channels: list[str]) -> dict:
    """A message-queue `emit` of a stored event, as the publisher's emit would have made it."""
    return {"method": "emit", "event": event, "data": [payload], "binary": False, "namespace": "/", "room": channels,
            "skip_sid": None, "callback": None}


def seq_of(message: dict) -> tuple[int, int] | None:
    """(workshop id, seq) of a message-queue `emit` that broadcasts a log event, else None.

    The publisher sends each event to a list of channels (its audience); a `resume` replays
    events to the one socket that asked, outside the live stream, and is not held back."""
    if not isinstance(message.get("room"), list):
        return None
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

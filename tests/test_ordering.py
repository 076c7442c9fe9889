"""Each worker hands a workshop's events to its sockets in seq order (realtime/ordering.py),
whatever order the workers published them in."""
from __future__ import annotations

from collab.realtime.ordering import InSeqOrder, seq_of


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def make() -> tuple[InSeqOrder, list, list, Clock]:
    delivered, timers, clock = [], [], Clock()
    order = InSeqOrder(delivered.append, lambda seconds, fn: timers.append((clock.now + seconds, fn)), hold_seconds=0.25, clock=clock)
    return order, delivered, timers, clock


def run_due(timers: list, clock: Clock) -> None:
    for due, fn in [t for t in timers if t[0] <= clock.now]:
        timers.remove((due, fn))
        fn()


def test_an_event_ahead_of_a_missing_seq_waits_for_it():
    order, delivered, _timers, _clock = make()
    for seq in (10, 11, 13, 14, 12, 15):
        order.arrive(1, seq, f"e{seq}")
    assert delivered == ["e10", "e11", "e12", "e13", "e14", "e15"]
    assert order.waiting == {}


def test_workshops_are_ordered_apart():
    order, delivered, _timers, _clock = make()
    for workshop, seq in ((1, 5), (2, 40), (1, 7), (2, 41), (1, 6)):
        order.arrive(workshop, seq, (workshop, seq))
    assert delivered == [(1, 5), (2, 40), (2, 41), (1, 6), (1, 7)]


def test_a_seq_that_never_comes_holds_the_others_only_for_a_moment():
    order, delivered, timers, clock = make()
    order.arrive(1, 1, "e1")
    order.arrive(1, 3, "e3")
    clock.now = 0.1
    order.arrive(1, 5, "e5")
    assert delivered == ["e1"]
    clock.now = 0.25
    run_due(timers, clock)
    assert delivered == ["e1", "e3"]  # e3 waited its time; e5 has its own
    clock.now = 0.4
    run_due(timers, clock)
    assert delivered == ["e1", "e3", "e5"] and order.waiting == {}
    order.arrive(1, 2, "e2")  # later than its wait allowed: at once rather than never
    order.arrive(1, 6, "e6")
    assert delivered == ["e1", "e3", "e5", "e2", "e6"]


def test_only_broadcasts_of_log_events_are_ordered():
    assert seq_of({"room": ["w1"], "data": [{"seq": 3, "workshop_id": 1, "feedback": {}}]}) == (1, 3)
    assert seq_of({"room": "sid-of-one-socket", "data": [{"seq": 3, "workshop_id": 1}]}) is None  # a resume's replay
    assert seq_of({"room": ["w1"], "data": [{"room_id": 4}]}) is None
    assert seq_of({"room": ["w1"], "data": ["text"]}) is None
    assert seq_of({"room": ["w1"], "data": [{"seq": "3", "workshop_id": 1}]}) is None


def test_a_long_gap_is_filled_with_its_latest_events_only(monkeypatch):
    from collab.realtime import ordering

    monkeypatch.setattr(ordering, "FILL_MAX", 3)
    order, delivered, timers, clock = make()
    asked = []
    order.stored = lambda workshop, first, last: asked.append((first, last)) or [
        (seq, "feedback_added", {"seq": seq}, ["w1"]) for seq in range(first, last + 1)]
    order.arrive(1, 1, "e1")
    order.arrive(1, 10, "e10")
    clock.now = 0.3
    run_due(timers, clock)
    assert asked == [(8, 10)]  # the last three seqs up to the event that waited (its own copy is kept)
    assert delivered[0] == "e1" and [m["data"][0]["seq"] for m in delivered[1:3]] == [8, 9] and delivered[3:] == ["e10"]


def test_a_missing_event_is_read_from_the_log_and_its_late_copy_dropped():
    order, delivered, timers, clock = make()
    order.stored = lambda workshop, first, last: [(seq, "feedback_added", {"seq": seq, "workshop_id": workshop}, ["w1"])
                                                  for seq in range(first, last + 1) if seq in (2, 3)]
    for seq in (1, 3, 4):
        order.arrive(1, seq, f"e{seq}")
    clock.now = 0.3
    run_due(timers, clock)
    from_log = delivered[1]
    assert delivered[0] == "e1" and delivered[2:] == ["e3", "e4"]  # 3 came itself: its own copy is kept
    assert from_log["event"] == "feedback_added" and from_log["data"] == [{"seq": 2, "workshop_id": 1}] and from_log["room"] == ["w1"]
    order.arrive(1, 2, "e2")  # the copy that was lost on the way, or late: delivered already
    order.arrive(1, 5, "e5")
    assert delivered[3:] == ["e4", "e5"] and len(delivered) == 5


def test_a_message_that_fails_to_go_out_does_not_hold_back_the_others():
    delivered, timers, clock = [], [], Clock()

    def deliver(message: str) -> None:
        if message == "e3":
            raise RuntimeError("socket gone")
        delivered.append(message)

    order = InSeqOrder(deliver, lambda seconds, fn: timers.append((clock.now + seconds, fn)), hold_seconds=0.25, clock=clock)
    for seq in (1, 3, 4, 2, 5):
        order.arrive(1, seq, f"e{seq}")
    assert delivered == ["e1", "e2", "e4", "e5"] and order.waiting == {}


def test_the_log_gives_a_whole_gap_in_order_with_each_events_audience(world, monkeypatch):
    from collab.services import log
    from collab.services.publish import Audience
    from collab.services.unit_of_work import write

    monkeypatch.setattr(log, "REPLAY_BATCH", 3)  # read in batches of three
    workshop_id = world.workshop.id
    with write():
        seqs = [log.append(workshop_id, "test_written", {"n": n}, Audience(workshop_id, (n,))).event["seq"] for n in range(7)]
    found = log.stored(workshop_id, seqs[1], seqs[6])
    assert [item.event["seq"] for item in found] == seqs[1:]
    assert [item.audience.partner_ids for item in found] == [(n,) for n in range(1, 7)]

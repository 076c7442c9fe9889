"""`workshop` scenario (BENCHMARK.md): the demo workshop as it runs live. The facilitator opens
the round; in each of the 3 rooms one partner presents its plan and changes section every 2 s
while the other partner's two members post feedback in synchronised bursts.

    python -m bench workshop                  # 30 s
    python -m bench workshop --seconds 10     # a quick look

The demo is loaded with `flask --app wsgi demo`; everyone signs in with the demo password.
Figures: delivery latency of `section_shown` (show_section → each other member of the room
and the facilitator) and of `feedback_added` (submit → the same people), p50/p95/p99/max.
"""
from __future__ import annotations

import argparse
import asyncio
import tempfile
import time
from pathlib import Path

from bench import load
from bench.common import Server, proc_cpu_seconds, report, run_fixture

# Each room's members plus the facilitator, who hears every room from the plenary.
AUDIENCE = 5
FACILITATOR = "facilitator@collab.example"


class Room:
    """One breakout room: its presenter, the presenter's partner-mate, and two reviewers."""

    def __init__(self, spec: dict, clients: list[load.Client]) -> None:
        self.id = spec["id"]
        self.presenting, self.reviewing = spec["partners"]
        self.presenter, self.mate, *self.reviewers = clients
        self.presentation_id: int | None = None
        self.turn = 0


def _member(cookie: str, room_id: int | None, plan_id: int | None = None, section: str | None = None) -> load.Member:
    return load.Member(room_id, cookie, plan_id, section)


def build(target: load.CollabTarget, fixture: dict) -> tuple[load.Client, list[Room]]:
    cookies = fixture["cookies"]
    facilitator = load.Client(target, _member(cookies[FACILITATOR], None), 0, AUDIENCE)
    rooms, index = [], 1
    for spec in fixture["rooms"]:
        presenting, reviewing = spec["partners"]
        members = [_member(cookies[e], spec["id"]) for e in presenting["members"]]
        members += [_member(cookies[e], spec["id"], presenting["plan_id"], presenting["sections"][0]) for e in reviewing["members"]]
        clients = [load.Client(target, m, index + i, AUDIENCE) for i, m in enumerate(members)]
        index += len(clients)
        rooms.append(Room(spec, clients))
    return facilitator, rooms


class SectionWatch:
    """show_section send times, and every `section_shown` heard (tiny work per message)."""

    def __init__(self) -> None:
        # (presentation, section) -> every (send time, presenter) in order: sections come round again
        self.sent: dict[tuple[int, str], list[tuple[float, int]]] = {}
        self.heard: list[tuple[int, str, int, float]] = []
        self.acks: list[tuple[float, bool, str]] = []
        self.count = 0

    def listen(self, client: load.Client) -> None:
        client.sio.on("section_shown", lambda data: self.heard.append(
            (data["presentation_id"], data["section_key"], client.index, time.perf_counter())))

    async def show(self, room: Room) -> None:
        sections = room.presenting["sections"]
        room.turn += 1
        key = sections[room.turn % len(sections)]
        room.reviewers[0].member.section_key = room.reviewers[1].member.section_key = key
        t0 = time.perf_counter()
        self.sent.setdefault((room.presentation_id, key), []).append((t0, room.presenter.index))
        self.count += 1

        def ack(*args) -> None:
            ok, code = load.CollabTarget.ack_ok(args[0] if args else None)
            self.acks.append((time.perf_counter() - t0, ok, code))

        await room.presenter.sio.emit("show_section", {"presentation_id": room.presentation_id, "section_key": key}, callback=ack)

    def _latency(self, pid: int, key: str, who: int, at: float) -> float | None:
        """From the latest send of this section before it was heard (None: the presenter's own copy)."""
        sends = [(t0, presenter) for t0, presenter in self.sent.get((pid, key), []) if t0 <= at]
        if not sends or sends[-1][1] == who:
            return None
        return at - sends[-1][0]

    def figures(self) -> dict:
        latencies = [latency for heard in self.heard if (latency := self._latency(*heard)) is not None]
        errors = [code for _l, ok, code in self.acks if not ok]
        return {"target": "collab", "event": "section_shown", "sent": self.count, "ack_errors": errors,
                "ack_ms": load.latency_ms([a[0] for a in self.acks]), "delivery_ms": load.latency_ms(latencies),
                "deliveries_expected": self.count * (AUDIENCE - 1), "deliveries_received": len(latencies)}


async def setup(facilitator: load.Client, rooms: list[Room], fixture: dict) -> None:
    """Facilitator in the plenary opens the round; members join their rooms; presenters start."""
    await facilitator.connect(join=False)
    for event, payload in (("join_workshop", {"workshop_id": fixture["workshop_id"]}), ("open_round", {"round_id": fixture["round_id"]})):
        ack = await facilitator.sio.call(event, payload, timeout=30)
        if not ack.get("ok"):
            raise RuntimeError(f"{event} refused: {ack}")
    await load.connect_all([c for room in rooms for c in (room.presenter, room.mate, *room.reviewers)])
    for room in rooms:
        ack = await room.presenter.sio.call("start_presentation", {"room_id": room.id, "plan_id": room.presenting["plan_id"]}, timeout=30)
        if not ack.get("ok"):
            raise RuntimeError(f"start_presentation refused: {ack}")
        room.presentation_id = ack["presentation"]["id"]


async def drive(facilitator: load.Client, rooms: list[Room], fixture: dict, args: argparse.Namespace) -> tuple[load.Record, SectionWatch]:
    await setup(facilitator, rooms, fixture)
    everyone = [facilitator] + [c for room in rooms for c in (room.presenter, room.mate, *room.reviewers)]
    watch, record = SectionWatch(), load.Record()
    for client in everyone:
        watch.listen(client)
        client.record = record
    server_cpu0, load_cpu0 = proc_cpu_seconds(facilitator.target.pids[0]), load.own_cpu()
    record.started = start = time.perf_counter()
    tick = 0
    while time.perf_counter() - start < args.seconds:
        for room in rooms:  # every presenter turns the page at the same moment
            await watch.show(room)
        if tick % 2 == 1:  # a feedback burst every other page, between two section changes
            await asyncio.sleep(1.0)
            for room in rooms:
                for reviewer in room.reviewers:
                    for _ in range(args.burst):
                        await reviewer.send("burst")
        tick += 1
        await asyncio.sleep(start + tick * args.section_every - time.perf_counter())
    await asyncio.sleep(2)
    record.server_cpu = proc_cpu_seconds(facilitator.target.pids[0]) - server_cpu0
    record.load_cpu = load.own_cpu() - load_cpu0
    await load.disconnect_all(everyone)
    return record, watch


def run(argv: list[str], save: bool) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench workshop")
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--section-every", type=float, default=2.0, help="seconds between section changes")
    parser.add_argument("--burst", type=int, default=3, help="items each reviewer posts at once in a burst")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="collab-bench-") as tmp:
        server = Server(Path(tmp))
        server.cli("init-db")
        server.cli("demo")
        fixture = run_fixture(server.env, "demo")
        server.start()
        try:
            facilitator, rooms = build(load.CollabTarget("collab", server.url, server.proc.pid), fixture)
            record, watch = asyncio.run(drive(facilitator, rooms, fixture, args))
        finally:
            server.stop()
    feedback = load.summarise("collab", "burst", [record])
    lines = [watch.figures(), {"event": "feedback_added", **{k: feedback[k] for k in (
        "target", "sent", "acked", "ack_errors", "ack_ms", "deliveries_expected", "deliveries_received", "duplicates")},
        "delivery_ms": feedback["fanout_ms"]},
        {"target": "collab", "cpu_seconds": round(record.server_cpu, 2)},
        {"target": "load-generator", "cpu_seconds": round(record.load_cpu, 2)}]
    report("workshop", lines, save)
    print(f"\nworkshop: the demo, 3 rooms, a section every {args.section_every:g} s, bursts of {args.burst} items per reviewer, {args.seconds:g} s")
    for line in lines[:2]:
        d = line["delivery_ms"]
        print(f"  {line['event']:<15} sent {line['sent']:>4}  delivered {line['deliveries_received']}/{line['deliveries_expected']}"
              f"  p50 {d['p50']} ms  p95 {d['p95']} ms  p99 {d['p99']} ms  max {d['max']} ms  (target p99 < 25 ms)")
    print(f"  CPU while driving: server {lines[2]['cpu_seconds']} s, load generator {lines[3]['cpu_seconds']} s")
    return 0

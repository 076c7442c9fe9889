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
from bench.rooms import add_cores_option, add_generator_option, place

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

    def clients(self) -> list[load.Client]:
        return [self.presenter, self.mate, *self.reviewers]


def _member(cookie: str, room_id: int | None, plan_id: int | None = None, section: str | None = None) -> load.Member:
    return load.Member(room_id, cookie, plan_id, section)


def build(engine: load.Engine, target: load.CollabTarget, fixture: dict) -> tuple[load.Client, list[Room]]:
    cookies = fixture["cookies"]
    facilitator = load.Client(engine, target, _member(cookies[FACILITATOR], None), 0, AUDIENCE)
    rooms, index = [], 1
    for spec in fixture["rooms"]:
        presenting, reviewing = spec["partners"]
        members = [_member(cookies[e], spec["id"]) for e in presenting["members"]]
        members += [_member(cookies[e], spec["id"], presenting["plan_id"], presenting["sections"][0]) for e in reviewing["members"]]
        clients = [load.Client(engine, target, m, index + i, AUDIENCE) for i, m in enumerate(members)]
        index += len(clients)
        rooms.append(Room(spec, clients))
    return facilitator, rooms


def show(room: Room) -> load.Send:
    """The presenter turns to the next section (the reviewers comment on it from now on)."""
    sections = room.presenting["sections"]
    room.turn += 1
    key = sections[room.turn % len(sections)]
    room.reviewers[0].member.section_key = room.reviewers[1].member.section_key = key
    return load.Send(room.presenter, "show_section", {"presentation_id": room.presentation_id, "section_key": key},
                     label=f"{room.presentation_id}:{key}")


def section_figures(record: load.Record) -> dict:
    """Delivery of each `section_shown`, from the latest send of that section before it was
    heard (sections come round again); the presenter's own copy is not a delivery."""
    sent: dict[str, list[tuple[float, int]]] = {}
    for label, t0, presenter in record.labelled:
        sent.setdefault(label, []).append((t0, presenter))
    latencies = []
    for _event, label, who, at in record.heard:
        sends = [(t0, presenter) for t0, presenter in sent.get(label, []) if t0 <= at]
        if sends and sends[-1][1] != who:
            latencies.append(at - sends[-1][0])
    acks = [ack for ack in record.acks if ack[3] is not None]
    return {"target": "collab", "event": "section_shown", "sent": len(record.labelled), "ack_errors": [a[2] for a in acks if not a[1]],
            "ack_ms": load.latency_ms([a[0] for a in acks]), "delivery_ms": load.latency_ms(latencies),
            "deliveries_expected": len(record.labelled) * (AUDIENCE - 1), "deliveries_received": len(latencies)}


async def setup(engine: load.Engine, facilitator: load.Client, rooms: list[Room], fixture: dict) -> None:
    """Facilitator in the plenary opens the round; members join their rooms; presenters start."""
    await engine.connect([facilitator], join=False)
    for event, payload in (("join_workshop", {"workshop_id": fixture["workshop_id"]}), ("open_round", {"round_id": fixture["round_id"]})):
        ack = await engine.call(facilitator, event, payload)
        if not ack.get("ok"):
            raise RuntimeError(f"{event} refused: {ack}")
    await engine.connect([c for room in rooms for c in room.clients()])
    for room in rooms:
        ack = await engine.call(room.presenter, "start_presentation", {"room_id": room.id, "plan_id": room.presenting["plan_id"]})
        if not ack.get("ok"):
            raise RuntimeError(f"start_presentation refused: {ack}")
        room.presentation_id = ack["presentation"]["id"]


async def drive(engine: load.Engine, facilitator: load.Client, rooms: list[Room], fixture: dict, args: argparse.Namespace) -> load.Record:
    everyone = [facilitator] + [c for room in rooms for c in room.clients()]
    try:
        await setup(engine, facilitator, rooms, fixture)
        await engine.listen(everyone, "section_shown", [("presentation_id",), ("section_key",)])
        await engine.begin()
        server_cpu0, load_cpu0 = proc_cpu_seconds(facilitator.target.pids[0]), await engine.cpu()
        start = time.perf_counter()
        tick = 0
        while time.perf_counter() - start < args.seconds:
            await engine.send([show(room) for room in rooms])  # every presenter turns the page at the same moment
            if tick % 2 == 1:  # a feedback burst every other page, between two section changes
                await asyncio.sleep(1.0)
                await engine.send([reviewer.item("burst") for room in rooms for reviewer in room.reviewers for _ in range(args.burst)])
            tick += 1
            await asyncio.sleep(start + tick * args.section_every - time.perf_counter())
        record = await engine.collect(drain=5)
        record.started = start
        record.server_cpu = proc_cpu_seconds(facilitator.target.pids[0]) - server_cpu0
        record.load_cpu = await engine.cpu() - load_cpu0
    finally:
        await engine.close(everyone)
    return record


def run(argv: list[str], save: bool) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench workshop")
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--section-every", type=float, default=2.0, help="seconds between section changes")
    parser.add_argument("--burst", type=int, default=3, help="items each reviewer posts at once in a burst")
    add_generator_option(parser)
    add_cores_option(parser)
    args = parser.parse_args(argv)
    place(args)
    with tempfile.TemporaryDirectory(prefix="collab-bench-") as tmp:
        server = Server(Path(tmp))
        server.cli("init-db")
        server.cli("demo")
        fixture = run_fixture(server.env, "demo")
        server.start()
        try:
            engine = load.engine(args.generator)
            facilitator, rooms = build(engine, load.CollabTarget("collab", server.url, server.proc.pid), fixture)
            record = asyncio.run(drive(engine, facilitator, rooms, fixture, args))
        finally:
            server.stop()
    feedback = load.summarise("collab", "burst", [record])
    lines = [section_figures(record), {"event": "feedback_added", **{k: feedback[k] for k in (
        "target", "sent", "acked", "ack_errors", "ack_ms", "deliveries_expected", "deliveries_received", "duplicates")},
        "delivery_ms": feedback["fanout_ms"]},
        {"target": "collab", "cpu_seconds": round(record.server_cpu, 2)},
        {"target": "load-generator", "generator": engine.name, "cpu_seconds": round(record.load_cpu, 2), "cores": args.cores}]
    report("workshop", lines, save)
    print(f"\nworkshop: the demo, 3 rooms, a section every {args.section_every:g} s, bursts of {args.burst} items per reviewer, {args.seconds:g} s")
    for line in lines[:2]:
        d = line["delivery_ms"]
        print(f"  {line['event']:<15} sent {line['sent']:>4}  delivered {line['deliveries_received']}/{line['deliveries_expected']}"
              f"  p50 {d['p50']} ms  p95 {d['p95']} ms  p99 {d['p99']} ms  max {d['max']} ms  (target p99 < 25 ms)")
    print(f"  CPU while driving: server {lines[2]['cpu_seconds']} s, load generator ({engine.name}) {lines[3]['cpu_seconds']} s; {args.cores}")
    return 0

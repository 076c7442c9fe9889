"""`reconnect` scenario (BENCHMARK.md): 500 signed-in clients in rooms of 4; while items are
posted, half of the clients drop their connection; then all of them reconnect, rejoin their
room, send `resume` {workshop_id, after_seq: the last seq they saw}, and re-send any item
whose ack they never got (same client_id, as the protocol asks).

    python -m bench reconnect                      # 500 clients, half dropped for 3 s
    python -m bench reconnect --clients 40         # a quick look

Figures: seconds from the start of the reconnection until every client holds every item of
its room; gaps (items a client still misses at the end), duplicates (an item stored or seen
under two ids; must be 0) and `replayed_again` (copies of events a client already had:
expected, `resume` may re-send what arrived live since the rejoin).
"""
from __future__ import annotations

import argparse
import asyncio
import random
import tempfile
import time
from pathlib import Path

import socketio

from bench import load
from bench.common import count_rows, report
from bench.rooms import ROOM_SIZE, collab_members, start_collab

RECONNECT_CONCURRENCY = 50  # a reconnection storm, not a polite queue


class ResumingClient(load.Client):
    """A client that keeps what it holds by seq and re-sends unacknowledged items."""

    def __init__(self, *args, workshop_id: int, room_seqs: set[int], ids: dict[str, set[int]]) -> None:
        super().__init__(*args)
        self.handle = socketio.AsyncClient(reconnection=False)
        self.handle.on(self.target.fanout_event, self._on_fanout)
        self.workshop_id, self.room_seqs, self.ids = workshop_id, room_seqs, ids
        self.held: set[int] = set()
        self.last_seq = 0  # of any event: what `resume` asks to continue from
        self.copies = 0
        self.pending: dict[str, dict] = {}
        self.up = False
        self.resume_point: int | None = None  # last_seq when the connection dropped
        self.handle.on("*", self._on_other)

    def _on_fanout(self, data) -> None:
        self.copies += 1
        self.held.add(data["seq"])
        self.last_seq = max(self.last_seq, data["seq"])
        self.ids.setdefault(data["feedback"]["client_id"], set()).add(data["feedback"]["id"])

    def _on_other(self, _event, data=None) -> None:
        if isinstance(data, dict) and isinstance(data.get("seq"), int):
            self.last_seq = max(self.last_seq, data["seq"])

    async def post(self, n: int) -> None:
        _event, payload = self.target.submit(self.member)
        payload["body"] = f"bench reconnect {self.index} {n} 0"
        self.pending[payload["client_id"]] = payload
        await self._emit(payload)

    async def _emit(self, payload: dict) -> None:
        def acked(*args) -> None:
            ack = args[0] if args else {}
            if isinstance(ack, dict) and ack.get("ok"):
                self.pending.pop(payload["client_id"], None)
                self.room_seqs.add(ack["feedback"]["seq"])

        await self.handle.emit("submit_feedback", payload, callback=acked)

    async def drop(self) -> None:
        self.up = False
        self.resume_point = self.last_seq
        await self.handle.disconnect()

    async def rejoin(self) -> int:
        """Reconnect, rejoin, resume from the last seq seen before the drop, re-send what was never
        acked; returns events replayed. (Not `last_seq` now: live events after the rejoin raise it.)"""
        await self.engine.connect([self])
        ack = await self.handle.call("resume", {"workshop_id": self.workshop_id, "after_seq": self.resume_point}, timeout=60)
        if not ack.get("ok"):
            raise RuntimeError(f"resume refused: {ack}")
        for payload in list(self.pending.values()):
            await self._emit(payload)
        self.up = True
        return ack.get("replayed", 0)


def build(target: load.CollabTarget, fixture: dict) -> tuple[list[ResumingClient], dict[int, set[int]], dict]:
    room_seqs: dict[int, set[int]] = {room["id"]: set() for room in fixture["rooms"]}
    workshop_of = {room["id"]: room["workshop_id"] for room in fixture["rooms"]}
    ids: dict[str, set[int]] = {}
    engine = load.PythonEngine()
    clients = [ResumingClient(engine, target, m, i, ROOM_SIZE, workshop_id=workshop_of[m.room], room_seqs=room_seqs[m.room], ids=ids)
               for i, m in enumerate(collab_members(fixture))]
    return clients, room_seqs, ids


async def post_while(clients: list[ResumingClient], until: float, rate: float, rng: random.Random) -> int:
    """Poisson posts from random connected clients until `until`; returns how many were sent."""
    sent, at = 0, time.perf_counter()
    while at < until:
        at += rng.expovariate(rate)
        await asyncio.sleep(max(0.0, at - time.perf_counter()))
        up = [c for c in clients if c.up]
        if up:
            sent += 1
            await rng.choice(up).post(sent)
    return sent


def converged(clients: list[ResumingClient]) -> bool:
    return all(not c.pending and c.room_seqs <= c.held for c in clients)


async def scenario(clients: list[ResumingClient], args: argparse.Namespace) -> dict:
    rng = random.Random(3)
    engine = clients[0].engine
    await engine.connect(clients)
    for client in clients:
        client.up = True
    dropped = rng.sample(clients, int(len(clients) * args.drop))
    start = time.perf_counter()
    posting = asyncio.create_task(post_while(clients, start + args.before + args.down, args.rate, rng))
    await asyncio.sleep(args.before)
    await asyncio.gather(*(c.drop() for c in dropped))
    sent = await posting
    gate = asyncio.Semaphore(RECONNECT_CONCURRENCY)

    async def rejoin(client: ResumingClient) -> int:
        async with gate:
            return await client.rejoin()

    reconnect_at = time.perf_counter()
    replayed = sum(await asyncio.gather(*(rejoin(c) for c in dropped)))
    rejoined_s = time.perf_counter() - reconnect_at
    while not converged(clients) and time.perf_counter() - reconnect_at < args.timeout:
        await asyncio.sleep(0.02)
    converge_s = time.perf_counter() - reconnect_at
    await engine.close(clients)
    return {"sent": sent, "dropped": len(dropped), "rejoin_s": round(rejoined_s, 2), "replayed": replayed,
            "converged": converged(clients), "seconds_to_converge": round(converge_s, 2)}


def run(argv: list[str], save: bool) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench reconnect")
    parser.add_argument("--clients", type=int, default=500, help="signed-in clients, in rooms of 4")
    parser.add_argument("--drop", type=float, default=0.5, help="share of clients whose connection drops")
    parser.add_argument("--rate", type=float, default=20, help="items/s posted by the connected clients")
    parser.add_argument("--before", type=float, default=2, help="seconds of posting before the drop")
    parser.add_argument("--down", type=float, default=3, help="seconds the dropped clients stay away (others post)")
    parser.add_argument("--timeout", type=float, default=60)
    args = parser.parse_args(argv)
    rooms = max(1, args.clients // ROOM_SIZE)
    with tempfile.TemporaryDirectory(prefix="collab-bench-") as tmp:
        server, fixture = start_collab(Path(tmp), rooms)
        try:
            clients, room_seqs, ids = build(load.CollabTarget("collab", server.url, server.proc.pid), fixture)
            cpu0 = load.own_cpu()
            figures = asyncio.run(scenario(clients, args))
            load_cpu = load.own_cpu() - cpu0
        finally:
            server.stop()
        rows = count_rows(server.database_url, "SELECT count(*) FROM feedback_items WHERE body LIKE %s", "bench reconnect %")
        distinct = count_rows(server.database_url, "SELECT count(DISTINCT client_id) FROM feedback_items WHERE body LIKE %s", "bench reconnect %")
    missing = [(c, seq) for c in clients for seq in c.room_seqs - c.held]
    line = {"target": "collab", "clients": len(clients), **figures, "items_acked": sum(len(s) for s in room_seqs.values()),
            "rows_stored": rows, "gaps": len(missing),
            # Items older than the seq a client resumed from: emitted live after a newer event
            # had reached it (out of seq order), so neither the live stream nor `resume` brought them.
            "gaps_below_resume_point": sum(1 for c, seq in missing if c.resume_point is not None and seq <= c.resume_point),
            "duplicates": (rows - distinct) + sum(len(v) - 1 for v in ids.values()),
            "replayed_again": sum(c.copies for c in clients) - sum(len(c.held) for c in clients)}
    lines = [line, {"target": "load-generator", "cpu_seconds": round(load_cpu, 2)}]
    report("reconnect", lines, save)
    print(f"\nreconnect: {line['clients']} clients, {line['dropped']} dropped for {args.down:g} s while {line['sent']} items were posted")
    print(f"  every client holds every item after {line['seconds_to_converge']} s (rejoin + resume of all: {line['rejoin_s']} s; "
          f"target 10 s); gaps {line['gaps']}, duplicates {line['duplicates']} (must be 0); rows {rows} = items {line['items_acked']}")
    return 0

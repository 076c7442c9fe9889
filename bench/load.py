"""The one load generator every Socket.IO scenario shares: python-socketio AsyncClients in one
asyncio process, open-loop arrivals (Poisson or synchronised bursts), figures per target.

Per message the clients do as little as possible: the sender's `perf_counter` goes into the
payload as text, a receiver appends `(tag, receiver, now)` to a list, and everything else
(parsing, matching, percentiles) happens after the run. `perf_counter` is CLOCK_MONOTONIC
on Linux, so it is comparable across processes too.
"""
from __future__ import annotations

import asyncio
import logging
import random
import time
import uuid
from dataclasses import dataclass, field
from functools import partial

import socketio

from bench.common import percentile, proc_cpu_seconds, tree_cpu_seconds

CONNECT_CONCURRENCY = 20  # a few at a time: a server is not measured on its login storm here
CONNECT_TIMEOUT = 60.0
# engine.io logs every socket it closes; the figures count disconnects instead.
logging.getLogger("engineio.client").setLevel(logging.CRITICAL)


@dataclass
class Member:
    """One socket: its room, and for Collab its session cookie and the plan it comments on."""

    room: int | str
    cookie: str | None = None
    plan_id: int | None = None
    section_key: str | None = None
    user_id: int | None = None


class Target:
    """A peer of shared/bench/peers: `join` {room}, `fb` {room, tag} broadcast to the room."""

    fanout_event = "fb"

    def __init__(self, name: str, url: str, *pids: int, support: int | None = None) -> None:
        # pids: the server processes; support: the root of what serves beside them (a
        # cluster's PostgreSQL, Redis and nginx), whose CPU is reported by command.
        self.name, self.url, self.pids, self.support = name, url, pids, support

    def support_cpu(self) -> dict[str, float]:
        return tree_cpu_seconds(self.support, exclude=self.pids) if self.support else {}

    def headers(self, member: Member) -> dict:
        return {}

    async def join(self, sio: socketio.AsyncClient, member: Member) -> None:
        await sio.call("join", {"room": member.room}, timeout=60)

    def submit(self, member: Member, tag: str) -> tuple[str, dict]:
        return "fb", {"room": member.room, "tag": tag}

    @staticmethod
    def tag_of(data: dict) -> str:
        return data["tag"]

    @staticmethod
    def ack_ok(ack) -> tuple[bool, str]:
        return ack is True, ""


class CollabTarget(Target):
    """Collab: signed-in sockets, `join_room`, `submit_feedback` → `feedback_added`."""

    fanout_event = "feedback_added"

    def headers(self, member: Member) -> dict:
        return {"Cookie": f"session={member.cookie}", "Origin": self.url}

    async def join(self, sio: socketio.AsyncClient, member: Member) -> None:
        ack = await sio.call("join_room", {"room_id": member.room}, timeout=60)
        if not ack.get("ok"):
            raise RuntimeError(f"join_room {member.room} refused: {ack}")

    def submit(self, member: Member, tag: str) -> tuple[str, dict]:
        return "submit_feedback", {"client_id": str(uuid.uuid4()), "room_id": member.room, "plan_id": member.plan_id,
                                   "section_key": member.section_key, "kind": "suggestion", "body": f"bench {tag}"}

    @staticmethod
    def tag_of(data: dict) -> str:
        return data["feedback"]["body"][6:]

    @staticmethod
    def ack_ok(ack) -> tuple[bool, str]:
        if not isinstance(ack, dict):
            return False, "no-ack"
        return bool(ack.get("ok")), "" if ack.get("ok") else ack.get("error", {}).get("code", "?")


@dataclass
class Record:
    """What one stretch of load produced, raw; `summarise` turns a list of them into figures."""

    sent: dict[str, int] = field(default_factory=dict)  # tag -> sender index
    acks: list[tuple[float, bool, str]] = field(default_factory=list)
    received: list[tuple[str, int, float]] = field(default_factory=list)
    expected: int = 0
    disconnects: int = 0  # sockets the server (or the network) closed while this stretch ran
    unsent: int = 0  # sends skipped because that socket had been closed
    started: float = 0.0
    last_ack: float = 0.0
    wall: float = 0.0
    server_cpu: float = 0.0
    support_cpu: dict[str, float] = field(default_factory=dict)
    load_cpu: float = 0.0


class Client:
    """One socket of the load generator."""

    def __init__(self, target: Target, member: Member, index: int, room_size: int) -> None:
        self.target, self.member, self.index, self.room_size = target, member, index, room_size
        self.sio = socketio.AsyncClient(reconnection=False)
        self.sio.on(target.fanout_event, self._on_fanout)
        self.sio.on("disconnect", self._on_disconnect)
        self.record: Record | None = None
        self.count = 0

    def _on_fanout(self, data) -> None:
        if self.record is not None:
            self.record.received.append((self.target.tag_of(data), self.index, time.perf_counter()))

    def _on_disconnect(self, *_reason) -> None:
        if self.record is not None:
            self.record.disconnects += 1

    async def connect(self, join: bool = True) -> None:
        # A server that accepts the TCP connection but never answers the upgrade would hang
        # the client for ever: give up after a minute.
        await asyncio.wait_for(self.sio.connect(self.target.url, headers=self.target.headers(self.member), transports=["websocket"],
                                                wait_timeout=60), CONNECT_TIMEOUT)
        if join:
            await self.target.join(self.sio, self.member)

    def _on_ack(self, record: Record, t0: float, *args) -> None:
        ok, code = self.target.ack_ok(args[0] if args else None)
        record.last_ack = time.perf_counter()
        record.acks.append((record.last_ack - t0, ok, code))

    async def send(self, phase: str) -> None:
        record, self.count = self.record, self.count + 1
        t0 = time.perf_counter()
        tag = f"{phase} {self.index} {self.count} {t0!r}"
        event, payload = self.target.submit(self.member, tag)
        try:
            await self.sio.emit(event, payload, callback=partial(self._on_ack, record, t0))
        except socketio.exceptions.SocketIOError:  # this socket was closed under load: count it, go on
            record.unsent += 1
            return
        record.sent[tag] = self.index
        record.expected += self.room_size - 1


async def connect_all(clients: list[Client], join: bool = True) -> float:
    """Connect (and join) every client, a few at a time; returns the seconds it took."""
    started = time.perf_counter()
    gate = asyncio.Semaphore(CONNECT_CONCURRENCY)

    async def one(client: Client) -> None:
        async with gate:
            await client.connect(join)

    await asyncio.gather(*(one(c) for c in clients))
    return time.perf_counter() - started


async def disconnect_all(clients: list[Client]) -> None:
    await asyncio.gather(*(c.sio.disconnect() for c in clients), return_exceptions=True)


def make_clients(target: Target, members: list[Member]) -> list[Client]:
    sizes: dict = {}
    for member in members:
        sizes[member.room] = sizes.get(member.room, 0) + 1
    return [Client(target, m, i, sizes[m.room]) for i, m in enumerate(members)]


async def _sleep_until(when: float) -> None:
    delay = when - time.perf_counter()
    if delay > 0:
        await asyncio.sleep(delay)


async def spread(clients: list[Client], phase: str, seconds: float, rate: float, rng: random.Random) -> None:
    """Poisson arrivals at `rate` items/s over all clients, open loop (late sends go at once)."""
    start = time.perf_counter()
    at = start + rng.expovariate(rate)
    while at < start + seconds:
        await _sleep_until(at)
        await rng.choice(clients).send(phase)
        at += rng.expovariate(rate)


async def bursts(clients: list[Client], phase: str, seconds: float, rate: float, rng: random.Random) -> None:
    """Every client at the same instant, as when a round opens; as many bursts as `rate` allows."""
    period = len(clients) / rate
    start = time.perf_counter()
    for k in range(max(1, int(seconds / period))):
        await _sleep_until(start + k * period)
        for client in clients:
            await client.send(phase)


ARRIVALS = {"spread": spread, "burst": bursts}


async def _drain(record: Record, timeout: float) -> None:
    """Wait until every ack and every expected delivery is in (or `timeout`)."""
    deadline = time.perf_counter() + timeout
    while time.perf_counter() < deadline:
        delivered = sum(1 for tag, receiver, _t in record.received if record.sent.get(tag) != receiver)
        if len(record.acks) >= len(record.sent) and delivered >= record.expected:
            return
        await asyncio.sleep(0.05)


async def run_stretch(target: Target, clients: list[Client], mode: str, seconds: float, rate: float,
                      rng: random.Random, drain: float = 15.0) -> Record:
    """Drive one target for `seconds` with `mode` arrivals; returns the raw record."""
    record = Record()
    for client in clients:
        client.record = record
    cpu0, server0, support0 = own_cpu(), _server_cpu(target), target.support_cpu()
    record.started = time.perf_counter()
    await ARRIVALS[mode](clients, mode, seconds, rate, rng)
    await _drain(record, drain)
    record.wall = time.perf_counter() - record.started
    record.server_cpu = _server_cpu(target) - server0
    record.support_cpu = {name: seconds - support0.get(name, 0.0) for name, seconds in target.support_cpu().items()}
    record.load_cpu = own_cpu() - cpu0
    for client in clients:
        client.record = None
    return record


async def alternate(drives: list[tuple[Target, list[Client]]], modes: list[str], seconds: float, slices: int,
                    rate: float, drain: float = 15.0, seed: int = 1) -> dict[tuple[str, str], list[Record]]:
    """Each mode, split into `slices` stretches per target, targets taking turns: a noisy
    neighbour then hurts every target alike instead of one."""
    rng = random.Random(seed)
    records: dict[tuple[str, str], list[Record]] = {}
    for mode in modes:
        for _slice in range(slices):
            for target, clients in drives:
                record = await run_stretch(target, clients, mode, seconds / slices, rate, rng, drain)
                records.setdefault((target.name, mode), []).append(record)
    return records


def _server_cpu(target: Target) -> float:
    return sum(proc_cpu_seconds(pid) for pid in target.pids)


def own_cpu() -> float:
    return time.process_time()


def latency_ms(values: list[float]) -> dict:
    if not values:
        return {"p50": None, "p95": None, "p99": None, "max": None}
    return {name: round(percentile(values, p) * 1000, 2) for name, p in (("p50", 50), ("p95", 95), ("p99", 99))} | {
        "max": round(max(values) * 1000, 2)}


def fanout_latencies(records: list[Record]) -> tuple[list[float], int, int]:
    """(latencies of first deliveries to members other than the sender, deliveries, duplicates)."""
    seen: set[tuple[str, int]] = set()
    latencies, duplicates = [], 0
    for record in records:
        for tag, receiver, at in record.received:
            sender = record.sent.get(tag)
            if sender is None or sender == receiver:
                continue
            if (tag, receiver) in seen:
                duplicates += 1
                continue
            seen.add((tag, receiver))
            latencies.append(at - float(tag.rsplit(" ", 1)[1]))
    return latencies, len(latencies), duplicates


def summarise(target: str, mode: str, records: list[Record]) -> dict:
    """The figure line of one target and mode, over all its stretches."""
    acks = [a for r in records for a in r.acks]
    sent = sum(len(r.sent) for r in records)
    latencies, delivered, duplicates = fanout_latencies(records)
    errors: dict[str, int] = {}
    for _latency, ok, code in acks:
        if not ok:
            errors[code] = errors.get(code, 0) + 1
    # Throughput: acknowledged items over the time from the first send to the last ack.
    busy = sum(r.last_ack - r.started for r in records if r.acks)
    wall, load_cpu = sum(r.wall for r in records), sum(r.load_cpu for r in records)
    acked = len(acks) - sum(errors.values())
    return {
        "target": target, "mode": mode, "sent": sent, "acked": acked, "ack_errors": errors,
        "ack_ms": latency_ms([a[0] for a in acks]), "fanout_ms": latency_ms(latencies),
        "deliveries_expected": sum(r.expected for r in records), "deliveries_received": delivered, "duplicates": duplicates,
        # Not received by the end of the drain (late or never: a longer --drain tells which).
        "lost": sum(r.expected for r in records) - delivered, "disconnects": sum(r.disconnects for r in records),
        "unsent": sum(r.unsent for r in records),
        "items_per_s": round(acked / busy, 1) if busy else None,
        # Per acked item: when acks are lost (rows stored > acked) divide server_cpu_s by the rows instead.
        "server_cpu_s": round(sum(r.server_cpu for r in records), 2),
        "server_cpu_ms_per_item": round(1000 * sum(r.server_cpu for r in records) / acked, 2) if acked else None,
        "load_generator_cpu_s": round(load_cpu, 2),
        # Near 1.0 the generator itself was the bottleneck of this figure.
        "load_generator_busy": round(load_cpu / wall, 2) if wall else None,
    } | _support_figures(records, wall, load_cpu)


def _support_figures(records: list[Record], wall: float, load_cpu: float) -> dict:
    """What served beside the workers (a cluster's PostgreSQL, Redis, nginx), and how many of
    the machine's cores everything measured kept busy on average: near the core count, the
    machine itself was the limit."""
    support: dict[str, float] = {}
    for record in records:
        for name, seconds in record.support_cpu.items():
            support[name] = support.get(name, 0.0) + seconds
    if not support:
        return {}
    busy = sum(r.server_cpu for r in records) + sum(support.values()) + load_cpu
    return {"support_cpu_s": {name: round(seconds, 2) for name, seconds in sorted(support.items()) if seconds >= 0.005},
            "cores_busy": round(busy / wall, 2) if wall else None}


def ratios(lines: list[dict], base: str = "collab") -> list[dict]:
    """Collab's fan-out p99 (and p50) over each peer's, per mode: the figures that survive a noisy machine."""
    out = []
    by_key = {(line["target"], line["mode"]): line for line in lines if "fanout_ms" in line}
    for (name, mode), line in by_key.items():
        mine = by_key.get((base, mode))
        if name == base or mine is None:
            continue
        row = {"ratio": f"{base}/{name}", "mode": mode}
        for p in ("p50", "p99"):
            theirs, ours = line["fanout_ms"][p], mine["fanout_ms"][p]
            row[f"fanout_{p}"] = round(ours / theirs, 1) if theirs and ours is not None else None
        out.append(row)
    return out


def _short(ms: float | None) -> str:
    """Milliseconds for the table: one decimal under 100 ms, whole numbers above."""
    if ms is None:
        return "-"
    return f"{ms:.1f}" if ms < 100 else f"{ms:.0f}"


def table(title: str, lines: list[dict]) -> None:
    """A short human table of the figure lines and ratios."""
    print(f"\n{title}")
    print(f"  {'target':<12}{'mode':<8}{'items/s':>8}{'acked':>7}{'deliv.':>12}  {'ack p50/p99 ms':<18}{'fan-out p50/p95/p99/max ms':<34}{'srv ms/item':>11}")
    for line in lines:
        if "fanout_ms" not in line:
            continue
        f, a = line["fanout_ms"], line["ack_ms"]
        deliveries = f"{line['deliveries_received']}/{line['deliveries_expected']}"
        acks = "/".join(_short(a[p]) for p in ("p50", "p99"))
        fanout = "/".join(_short(f[p]) for p in ("p50", "p95", "p99", "max"))
        print(f"  {line['target']:<12}{line['mode']:<8}{line['items_per_s'] or 0:>8}{line['acked']:>7}{deliveries:>12}  "
              f"{acks:<18}{fanout:<34}{line['server_cpu_ms_per_item'] or 0:>11}")
    for line in lines:
        if line.get("disconnects") or line.get("unsent") or line.get("ack_errors"):
            print(f"  {line['target']} {line['mode']}: {line['disconnects']} sockets closed during the run, "
                  f"{line['unsent']} sends skipped on closed sockets, ack errors {line['ack_errors']}")
    for row in lines:
        if "fanout_p50" in row:
            print(f"  {row['ratio']} ({row['mode']}): fan-out p50 x{row['fanout_p50']}, p99 x{row['fanout_p99']}")

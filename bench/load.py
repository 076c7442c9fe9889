"""The one load generator every Socket.IO scenario shares: open-loop arrivals (Poisson or
synchronised bursts) from this asyncio process, figures per target.

The sockets live in an engine: socket.io-client in one Node.js process (`NodeEngine`, the
default where Node.js is installed), or python-socketio AsyncClients in this process
(`PythonEngine`). Per message the clients do as little as possible: the send time goes into
the payload as text, a receiver notes `(tag, receiver, now)`, and everything else (parsing,
matching, percentiles) happens after the run. Times are CLOCK_MONOTONIC seconds in both
engines (Python's `perf_counter`, Node's `process.hrtime`), so they compare across processes.
"""
from __future__ import annotations

import asyncio
import json
import logging
import os
import random
import shutil
import time
import uuid
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

import socketio

from bench.common import npm_modules, percentile, proc_cpu_seconds, tree_cpu_seconds

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
    # Where an item's tag goes in the payload sent (after `prefix`), and where it comes back.
    stamp: tuple[str, ...] = ("tag",)
    prefix = ""
    heard_at: tuple[str, ...] = ("tag",)

    def __init__(self, name: str, url: str, *pids: int, support: int | None = None) -> None:
        # pids: the server processes; support: the root of what serves beside them (a
        # cluster's PostgreSQL, Redis and nginx), whose CPU is reported by command.
        self.name, self.url, self.pids, self.support = name, url, pids, support

    def support_cpu(self) -> dict[str, float]:
        return tree_cpu_seconds(self.support, exclude=self.pids) if self.support else {}

    def headers(self, member: Member) -> dict:
        return {}

    def join(self, member: Member) -> tuple[str, dict]:
        return "join", {"room": member.room}

    def check_join(self, member: Member, ack) -> None:
        if ack is not True and not (isinstance(ack, dict) and ack.get("ok")):
            raise RuntimeError(f"joining room {member.room} refused: {ack}")

    def submit(self, member: Member) -> tuple[str, dict]:
        """An item's event and payload, its tag still to be written at `stamp`."""
        return "fb", {"room": member.room}

    def tag_of(self, data: dict) -> str:
        return str(at(data, self.heard_at))[len(self.prefix):]

    @staticmethod
    def ack_ok(ack) -> tuple[bool, str]:
        if ack is True:
            return True, ""
        if not isinstance(ack, dict):
            return False, "no-ack"
        return bool(ack.get("ok")), "" if ack.get("ok") else str(ack.get("error", {}).get("code", "?"))


class CollabTarget(Target):
    """Collab: signed-in sockets, `join_room`, `submit_feedback` → `feedback_added`."""

    fanout_event = "feedback_added"
    stamp, prefix, heard_at = ("body",), "bench ", ("feedback", "body")

    def headers(self, member: Member) -> dict:
        return {"Cookie": f"session={member.cookie}", "Origin": self.url}

    def join(self, member: Member) -> tuple[str, dict]:
        return "join_room", {"room_id": member.room}

    def submit(self, member: Member) -> tuple[str, dict]:
        return "submit_feedback", {"client_id": str(uuid.uuid4()), "room_id": member.room, "plan_id": member.plan_id,
                                   "section_key": member.section_key, "kind": "suggestion"}


def at(data, path: tuple[str, ...]):
    for key in path:
        data = data[key]
    return data


@dataclass
class Record:
    """What one stretch of load produced, raw; `summarise` turns a list of them into figures.
    Senders and receivers are client indices; times are perf_counter seconds (CLOCK_MONOTONIC,
    the Node engine's clock too)."""

    sent: dict[str, int] = field(default_factory=dict)  # tag -> sender index
    acks: list[tuple[float, bool, str, str | None]] = field(default_factory=list)  # latency, ok, code, label
    received: list[tuple[str, int, float]] = field(default_factory=list)  # fan-out: tag, receiver, time
    heard: list[tuple[str, str, int, float]] = field(default_factory=list)  # other listened events: event, key, receiver, time
    labelled: list[tuple[str, float, int]] = field(default_factory=list)  # labelled sends: label, time, sender
    expected: int = 0
    disconnects: int = 0  # sockets the server (or the network) closed while this stretch ran
    unsent: int = 0  # sends skipped because that socket had been closed
    started: float = 0.0
    last_ack: float = 0.0
    wall: float = 0.0
    server_cpu: float = 0.0
    support_cpu: dict[str, float] = field(default_factory=dict)
    load_cpu: float = 0.0

    def item_acks(self) -> list[tuple[float, bool, str, str | None]]:
        return [ack for ack in self.acks if ack[3] is None]


@dataclass
class Send:
    """One message to send; with `head`, an item whose tag ("head t0") the engine writes in."""

    client: "Client"
    event: str
    payload: dict
    head: str | None = None
    expect: int = 0  # deliveries the item should make
    label: str | None = None  # noted with its send time, and on its ack

    def wire(self) -> dict:
        target = self.client.target
        return {"socket": self.client.handle, "event": self.event, "payload": self.payload, "head": self.head,
                "stamp": list(target.stamp), "prefix": target.prefix, "expect": self.expect, "label": self.label}


Schedule = list[tuple[float, list[Send]]]  # (seconds after the start, what goes then)


class Client:
    """One socket of the load generator, in whichever engine holds it (`handle` there)."""

    def __init__(self, engine: "Engine", target: Target, member: Member, index: int, room_size: int) -> None:
        self.engine, self.target, self.member, self.index, self.room_size = engine, target, member, index, room_size
        self.handle: object = None
        self.count = 0

    def item(self, phase: str) -> Send:
        self.count += 1
        event, payload = self.target.submit(self.member)
        return Send(self, event, payload, f"{phase} {self.index} {self.count}", self.room_size - 1)


class Engine:
    """Holds the sockets, sends, and notes what is heard into the current `Record`."""

    name = ""

    def clients(self, target: Target, members: list[Member]) -> list[Client]:
        sizes: dict = {}
        for member in members:
            sizes[member.room] = sizes.get(member.room, 0) + 1
        return [Client(self, target, m, i, sizes[m.room]) for i, m in enumerate(members)]


class PythonEngine(Engine):
    """python-socketio AsyncClients in this asyncio process: per message the clients do as
    little as possible (a receiver appends `(tag, receiver, now)` to a list)."""

    name = "python"

    def __init__(self) -> None:
        self.record = Record()
        self.waiting = 0  # acks still to come in the current record

    def _socket(self, client: Client) -> socketio.AsyncClient:
        sio = socketio.AsyncClient(reconnection=False)
        sio.on(client.target.fanout_event, partial(self._on_fanout, client))
        sio.on("disconnect", self._on_disconnect)
        return sio

    def _on_fanout(self, client: Client, data) -> None:
        self.record.received.append((client.target.tag_of(data), client.index, time.perf_counter()))

    def _on_disconnect(self, *_reason) -> None:
        self.record.disconnects += 1

    async def connect(self, clients: list[Client], join: bool = True) -> float:
        """Connect (and join) every client, a few at a time; returns the seconds it took."""
        started = time.perf_counter()
        gate = asyncio.Semaphore(CONNECT_CONCURRENCY)

        async def one(client: Client) -> None:
            async with gate:
                client.handle = client.handle or self._socket(client)
                # A server that accepts the TCP connection but never answers the upgrade
                # would hang the client for ever: give up after a minute.
                await asyncio.wait_for(client.handle.connect(client.target.url, headers=client.target.headers(client.member),
                                                             transports=["websocket"], wait_timeout=60), CONNECT_TIMEOUT)
                if join:
                    client.target.check_join(client.member, await client.handle.call(*client.target.join(client.member), timeout=60))

        await asyncio.gather(*(one(c) for c in clients))
        return time.perf_counter() - started

    async def call(self, client: Client, event: str, payload: dict):
        return await client.handle.call(event, payload, timeout=60)

    async def listen(self, clients: list[Client], event: str, key: list[tuple[str, ...]]) -> None:
        def heard(client: Client, data) -> None:
            self.record.heard.append((event, ":".join(str(at(data, path)) for path in key), client.index, time.perf_counter()))

        for client in clients:
            client.handle.on(event, partial(heard, client))

    async def send(self, sends: list[Send]) -> None:
        record = self.record
        for send in sends:
            t0 = time.perf_counter()
            target = send.client.target
            if send.head:
                tag = f"{send.head} {t0!r}"
                put(send.payload, target.stamp, target.prefix + tag)
            try:
                await send.client.handle.emit(send.event, send.payload, callback=partial(self._on_ack, record, t0, send.label))
            except socketio.exceptions.SocketIOError:  # this socket was closed under load: count it, go on
                record.unsent += 1
                continue
            self.waiting += 1
            if send.head:
                record.sent[tag] = send.client.index
                record.expected += send.expect
            if send.label:
                record.labelled.append((send.label, t0, send.client.index))

    async def play(self, schedule: Schedule) -> None:
        """Each step at its time, open loop (late steps go at once)."""
        start = time.perf_counter()
        for at, sends in schedule:
            await _sleep_until(start + at)
            await self.send(sends)

    def _on_ack(self, record: Record, t0: float, label: str | None, *args) -> None:
        ok, code = Target.ack_ok(args[0] if args else None)
        record.last_ack = time.perf_counter()
        record.acks.append((record.last_ack - t0, ok, code, label))

    async def begin(self) -> None:
        self.record, self.waiting = Record(), 0

    async def collect(self, drain: float) -> Record:
        """Wait until every ack and every expected delivery is in (or `drain` s), then hand over the record."""
        record, deadline = self.record, time.perf_counter() + drain
        while time.perf_counter() < deadline:
            delivered = sum(1 for tag, receiver, _t in record.received if record.sent.get(tag) not in (None, receiver))
            if len(record.acks) >= self.waiting and delivered >= record.expected:
                break
            await asyncio.sleep(0.05)
        await self.begin()
        return record

    async def cpu(self) -> float:
        return own_cpu()

    async def close(self, clients: list[Client]) -> None:
        await asyncio.gather(*(c.handle.disconnect() for c in clients if c.handle is not None), return_exceptions=True)


class NodeEngine(Engine):
    """socket.io-client 4 sockets in one Node.js process (`bench/loadgen.js`), driven from here
    by JSON lines. It costs a fraction of the Python engine's CPU per message, so it takes
    less from the cores the servers need and adds less queueing to their latencies. The
    schedule stays here; Node stamps each item with the moment it really went out."""

    name = "node"

    def __init__(self) -> None:
        self.proc: asyncio.subprocess.Process | None = None
        self.index_of: dict[int, int] = {}  # Node's socket id -> client index

    @staticmethod
    def available() -> bool:
        return bool(shutil.which("node") and shutil.which("npm"))

    async def _ask(self, op: str, **args) -> dict:
        if self.proc is None:
            modules = npm_modules("node-client", "socket.io-client@4")
            self.proc = await asyncio.create_subprocess_exec(
                "node", str(Path(__file__).with_name("loadgen.js")), stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE,
                env={**os.environ, "NODE_PATH": str(modules)}, limit=1 << 30)
        self.proc.stdin.write((json.dumps({"op": op, **args}) + "\n").encode())
        await self.proc.stdin.drain()
        answer = json.loads(await self.proc.stdout.readline() or b'{"ok": false, "error": "the Node load generator ended"}')
        if not answer.pop("ok"):
            raise RuntimeError(f"load generator: {answer['error']}")
        return answer

    async def connect(self, clients: list[Client], join: bool = True) -> float:
        started = time.perf_counter()
        target = clients[0].target
        ids = (await self._ask("connect", url=target.url, sockets=[{"headers": target.headers(c.member)} for c in clients],
                               concurrency=CONNECT_CONCURRENCY, timeout=CONNECT_TIMEOUT))["ids"]
        for client, handle in zip(clients, ids):
            client.handle = handle
            self.index_of[handle] = client.index
        await self._ask("listen", sockets=ids, event=target.fanout_event, key=[list(target.heard_at)], strip=len(target.prefix),
                        fanout=True)
        if join:
            for client, ack in zip(clients, await self._calls([(c, *target.join(c.member)) for c in clients])):
                target.check_join(client.member, ack)
        return time.perf_counter() - started

    async def _calls(self, calls: list[tuple[Client, str, dict]]) -> list:
        wire = [{"socket": client.handle, "event": event, "payload": payload} for client, event, payload in calls]
        return (await self._ask("calls", calls=wire, concurrency=CONNECT_CONCURRENCY, timeout=60))["acks"]

    async def call(self, client: Client, event: str, payload: dict):
        return (await self._calls([(client, event, payload)]))[0]

    async def listen(self, clients: list[Client], event: str, key: list[tuple[str, ...]]) -> None:
        await self._ask("listen", sockets=[c.handle for c in clients], event=event, key=[list(path) for path in key])

    async def send(self, sends: list[Send]) -> None:
        await self._ask("emits", items=[send.wire() for send in sends])

    async def play(self, schedule: Schedule) -> None:
        """The whole schedule in one command: Node keeps the time, and this process stays idle."""
        await self._ask("play", steps=[{"at": at, "items": [send.wire() for send in sends]} for at, sends in schedule])

    async def begin(self) -> None:
        await self._ask("collect", drain=0)

    async def collect(self, drain: float) -> Record:
        raw, index = (await self._ask("collect", drain=drain))["record"], self.index_of
        return Record(sent={tag: index[s] for tag, s in raw["sent"].items()}, acks=[tuple(a) for a in raw["acks"]],
                      received=[(tag, index[s], t) for tag, s, t in raw["received"]],
                      heard=[(event, key, index[s], t) for event, key, s, t in raw["heard"]],
                      labelled=[(label, t0, index[s]) for label, t0, s in raw["labelled"]], expected=raw["expected"],
                      disconnects=raw["disconnects"], unsent=raw["unsent"], last_ack=raw["last_ack"])

    async def cpu(self) -> float:
        """The Node process's CPU and this one's: together they are the load generator."""
        return (await self._ask("cpu"))["seconds"] + own_cpu()

    async def close(self, clients: list[Client]) -> None:
        if self.proc is not None and self.proc.returncode is None:
            await self._ask("close")
            await self.proc.wait()
            self.proc = None


def engine(name: str) -> Engine:
    """`node` (the default where Node.js is installed) or `python`."""
    if name == "auto":
        name = "node" if NodeEngine.available() else "python"
    return NodeEngine() if name == "node" else PythonEngine()


def put(data: dict, path: tuple[str, ...], value: str) -> None:
    for key in path[:-1]:
        data = data[key]
    data[path[-1]] = value


async def _sleep_until(when: float) -> None:
    delay = when - time.perf_counter()
    if delay > 0:
        await asyncio.sleep(delay)


def spread(clients: list[Client], phase: str, seconds: float, rate: float, rng: random.Random) -> Schedule:
    """Poisson arrivals at `rate` items/s over all clients."""
    schedule, at = [], rng.expovariate(rate)
    while at < seconds:
        schedule.append((at, [rng.choice(clients).item(phase)]))
        at += rng.expovariate(rate)
    return schedule


def bursts(clients: list[Client], phase: str, seconds: float, rate: float, rng: random.Random) -> Schedule:
    """Every client at the same instant, as when a round opens; as many bursts as `rate` allows."""
    period = len(clients) / rate
    return [(k * period, [client.item(phase) for client in clients]) for k in range(max(1, int(seconds / period)))]


ARRIVALS = {"spread": spread, "burst": bursts}


async def run_stretch(target: Target, clients: list[Client], mode: str, seconds: float, rate: float,
                      rng: random.Random, drain: float = 15.0) -> Record:
    """Drive one target for `seconds` with `mode` arrivals; returns the raw record."""
    engine, schedule = clients[0].engine, ARRIVALS[mode](clients, mode, seconds, rate, rng)
    await engine.begin()
    cpu0, server0, support0 = await engine.cpu(), _server_cpu(target), target.support_cpu()
    started = time.perf_counter()
    await engine.play(schedule)
    record = await engine.collect(drain)
    record.started, record.wall = started, time.perf_counter() - started
    record.server_cpu = _server_cpu(target) - server0
    record.support_cpu = {name: seconds - support0.get(name, 0.0) for name, seconds in target.support_cpu().items()}
    record.load_cpu = await engine.cpu() - cpu0
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
    acks = [a for r in records for a in r.item_acks()]
    sent = sum(len(r.sent) for r in records)
    latencies, delivered, duplicates = fanout_latencies(records)
    errors: dict[str, int] = {}
    for _latency, ok, code, _label in acks:
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

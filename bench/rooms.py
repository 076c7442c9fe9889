"""`rooms` scenario (BENCHMARK.md): rooms of 4 signed-in members posting feedback, spread out
(Poisson) and in synchronised bursts, on Collab and on the two peers in the same run.

    python -m bench rooms                    # 10 rooms x 4 (40 sockets), 8 items/s, 30 s per mode
    python -m bench rooms --seconds 3        # a quick look (about 20 s in all)
    python -m bench rooms --large            # 250 rooms x 4 (1,000 sockets), 200 items/s

Collab's data (users, partners, plans, workshops of at most 100 rooms, the opened round) is
put in its database by `bench.fixtures` before the server starts; every member signs in
through the real login endpoint. Fan-out latency is submit → `feedback_added` (`fb` on the
peers) at each other member of the room; rows stored are counted in the database afterwards.
"""
from __future__ import annotations

import argparse
import asyncio
import tempfile
from pathlib import Path

from bench import load
from bench.common import Server, count_rows, flask_raw_peer, keep_load_generator_apart, node_peer, report, run_fixture

ROOM_SIZE = 4


def add_load_options(parser: argparse.ArgumentParser, rooms: int = 10) -> None:
    """The options every rooms-shaped scenario shares (rooms, scaleout)."""
    parser.add_argument("--rooms", type=int, default=rooms, help="rooms of 4 members")
    parser.add_argument("--large", action="store_true", help="250 rooms (1,000 sockets) at 200 items/s")
    parser.add_argument("--rate", type=float, help="items/s over all clients (default 0.2 per client)")
    parser.add_argument("--seconds", type=float, default=30, help="seconds of load per target and mode")
    parser.add_argument("--slices", type=int, default=2, help="turns per target and mode (targets alternate)")
    parser.add_argument("--modes", default="spread,burst")
    parser.add_argument("--drain", type=float, default=30, help="seconds to wait for late deliveries after the last send")
    add_generator_option(parser)


def add_generator_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--generator", choices=("auto", "node", "python"), default="auto",
                        help="the load generator's sockets: Node.js socket.io-client (auto: where Node.js is installed) or python-socketio")


def add_cores_option(parser: argparse.ArgumentParser) -> None:
    """For the scenarios of one server process at a time (`rooms`, `workshop`)."""
    parser.add_argument("--share-cores", action="store_true",
                        help="let the load generator run on the servers' cores (by default it keeps the first core to itself)")


def place(args: argparse.Namespace) -> None:
    """Keep the load generator apart from the servers unless --share-cores; notes where on `args.cores`."""
    args.cores = "shared" if args.share_cores else keep_load_generator_apart()


def settle(args: argparse.Namespace) -> None:
    if args.large:
        args.rooms = 250
        args.rate = args.rate or 200.0
    args.rate = round(args.rate or 0.2 * ROOM_SIZE * args.rooms, 2)
    args.modes = args.modes.split(",")


def collab_members(fixture: dict) -> list[load.Member]:
    return [load.Member(room["id"], m["cookie"], m["plan_id"], m["section_key"], m["user_id"])
            for room in fixture["rooms"] for m in room["members"]]


def peer_members(rooms: int) -> list[load.Member]:
    return [load.Member(f"room-{r}") for r in range(rooms) for _m in range(ROOM_SIZE)]


def start_collab(workdir: Path, rooms: int, env: dict | None = None) -> tuple[Server, dict]:
    """Collab as the README starts it (init-db, then `python wsgi.py`) with the rooms fixture loaded."""
    server = Server(workdir, **(env or {}))
    server.cli("init-db")
    fixture = run_fixture(server.env, "rooms", str(rooms))
    return server.start(), fixture


def stored_rows(database_url: str, modes: list[str]) -> dict[str, int]:
    return {mode: count_rows(database_url, "SELECT count(*) FROM feedback_items WHERE body LIKE %s", f"bench {mode} %")
            for mode in modes}


async def drive(targets: list[tuple[load.Target, list[load.Member]]], args: argparse.Namespace,
                after_connect=None) -> tuple[dict, dict]:
    """Connect every target's clients (then await `after_connect()`), alternate the load over them, disconnect.
    Notes on `args` which generator ran (`generator`) and its CPU seconds in all (`generator_cpu_s`)."""
    engine = load.engine(args.generator)
    args.generator = engine.name
    drives = [(target, engine.clients(target, members)) for target, members in targets]
    connect_s = {}
    try:
        for target, clients in drives:
            connect_s[target.name] = round(await engine.connect(clients), 1)
        if after_connect is not None:
            await after_connect()
        records = await load.alternate(drives, args.modes, args.seconds, args.slices, args.rate, args.drain)
        args.generator_cpu_s = round(await engine.cpu(), 1)
    finally:
        for _target, clients in drives:
            await engine.close(clients)
    return records, connect_s


def figures(records: dict, connect_s: dict, rows: dict[str, int], args: argparse.Namespace) -> list[dict]:
    lines = []
    for (name, mode), recs in records.items():
        line = load.summarise(name, mode, recs)
        line.update(rooms=args.rooms, sockets=args.rooms * ROOM_SIZE, rate=args.rate, connect_s=connect_s[name], generator=args.generator)
        if name == "collab":
            line["rows_stored"] = rows[mode]
        lines.append(line)
    return lines + load.ratios(lines)


def run(argv: list[str], save: bool) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench rooms")
    add_load_options(parser)
    parser.add_argument("--targets", default="collab,flask-raw,node")
    parser.add_argument("--async-mode", default="eventlet", help="SOCKETIO_ASYNC_MODE for Collab and the flask-raw peer")
    add_cores_option(parser)
    args = parser.parse_args(argv)
    settle(args)
    place(args)
    wanted = args.targets.split(",")
    with tempfile.TemporaryDirectory(prefix="collab-bench-") as tmp:
        workdir = Path(tmp)
        processes, targets = [], []
        try:
            if "collab" in wanted:
                server, fixture = start_collab(workdir, args.rooms, {"SOCKETIO_ASYNC_MODE": args.async_mode})
                processes.append(server)
                targets.append((load.CollabTarget("collab", server.url, server.proc.pid), collab_members(fixture)))
            peers = [flask_raw_peer(workdir, args.async_mode) if "flask-raw" in wanted else None,
                     node_peer(workdir) if "node" in wanted else None]
            for peer in filter(None, peers):
                processes.append(peer.start())
                targets.append((load.Target(peer.name, peer.url, peer.proc.pid), peer_members(args.rooms)))
            records, connect_s = asyncio.run(drive(targets, args))
        finally:
            for process in processes:
                process.stop()
        rows = stored_rows(server.database_url, args.modes) if "collab" in wanted else {}
    lines = figures(records, connect_s, rows, args)
    lines.append({"target": "load-generator", "generator": args.generator, "cpu_seconds": args.generator_cpu_s, "async_mode": args.async_mode,
                  "cores": args.cores})
    # Variants are saved under their own names so that one run does not overwrite another's file.
    report("rooms" + ("-large" if args.large else "") + ("" if args.async_mode == "eventlet" else f"-{args.async_mode}"), lines, save)
    load.table(f"rooms: {args.rooms} rooms x {ROOM_SIZE}, {args.rate:g} items/s, {args.seconds:g} s per target and mode", lines)
    return 0

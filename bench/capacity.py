"""`capacity` scenario (BENCHMARK.md): idle signed-in sockets (each joined to its room) added in
steps to one Collab process until a probe room's latency or the server's memory breaks, or
the target is reached.

    python -m bench capacity                       # steps of 250 up to 2,000 sockets
    python -m bench capacity --target 200 --step 100   # a quick look

After each step a probe room of 4 posts feedback for a few seconds (Poisson, `--probe-rate`);
its fan-out p99 and the server's RSS are read. Figures: sockets held, RSS per socket (growth
over the server's RSS with only the probe connected), probe latency per step.
"""
from __future__ import annotations

import argparse
import asyncio
import random
import tempfile
from pathlib import Path

import socketio

from bench import load
from bench.common import report, rss_kib
from bench.rooms import ROOM_SIZE, add_generator_option, collab_members, start_collab


async def probe(target: load.Target, clients: list[load.Client], args: argparse.Namespace, rng: random.Random) -> dict:
    record = await load.run_stretch(target, clients, "spread", args.probe_seconds, args.probe_rate, rng)
    return load.summarise(target.name, "probe", [record])


async def climb(engine: load.Engine, target: load.CollabTarget, members: list[load.Member], pid: int,
                args: argparse.Namespace) -> tuple[list[dict], float]:
    """Connect the probe room, then idle sockets step by step, probing after each step.
    Returns the figure lines and the load generator's CPU seconds."""
    clients = engine.clients(target, members)
    probe_clients, idle = clients[:ROOM_SIZE], clients[ROOM_SIZE:]
    rng = random.Random(5)
    await engine.connect(probe_clients)
    base_kib = rss_kib(pid)
    lines, held = [], 0
    try:
        while held < len(idle):
            step = idle[held:held + args.step]
            try:
                seconds = await engine.connect(step)
            except (asyncio.TimeoutError, socketio.exceptions.SocketIOError, RuntimeError) as exc:
                print(f"  connecting the step after {held} sockets failed: {exc!r}", flush=True)
                lines.append({"target": "collab", "measure": "connect_failed", "idle_sockets": held,
                              "error": repr(exc), "rss_mib": round(rss_kib(pid) / 1024, 1)})
                break
            held += len(step)
            figure = await probe(target, probe_clients, args, rng)
            rss = rss_kib(pid)
            line = {"target": "collab", "idle_sockets": held, "connect_s": round(seconds, 1), "rss_mib": round(rss / 1024, 1),
                    "rss_per_socket_kib": round((rss - base_kib) / held, 1), "probe_fanout_ms": figure["fanout_ms"],
                    "probe_lost": figure["lost"], "disconnects": figure["disconnects"]}
            lines.append(line)
            print(f"  {held:>5} idle sockets: RSS {line['rss_mib']} MiB ({line['rss_per_socket_kib']} KiB/socket), "
                  f"probe fan-out p99 {figure['fanout_ms']['p99']} ms, connect {line['connect_s']} s", flush=True)
            if broken(line, args):
                line["broken"] = True
                break
        cpu = await engine.cpu()
    finally:
        await engine.close(clients)
    return [{"target": "collab", "measure": "baseline", "rss_mib": round(base_kib / 1024, 1)}] + lines, cpu


def broken(line: dict, args: argparse.Namespace) -> bool:
    p99 = line["probe_fanout_ms"]["p99"]
    return p99 is None or p99 > args.max_p99_ms or line["rss_mib"] > args.max_rss_mib or line["probe_lost"] > 0


def run(argv: list[str], save: bool) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench capacity")
    parser.add_argument("--target", type=int, default=2000, help="idle sockets to reach")
    parser.add_argument("--step", type=int, default=250)
    parser.add_argument("--probe-seconds", type=float, default=3)
    parser.add_argument("--probe-rate", type=float, default=4, help="items/s in the probe room")
    parser.add_argument("--max-p99-ms", type=float, default=250, help="probe fan-out p99 that counts as broken")
    parser.add_argument("--max-rss-mib", type=float, default=600)
    add_generator_option(parser)
    args = parser.parse_args(argv)
    rooms = 1 + -(-args.target // ROOM_SIZE)
    with tempfile.TemporaryDirectory(prefix="collab-bench-") as tmp:
        server, fixture = start_collab(Path(tmp), rooms)
        try:
            members = collab_members(fixture)[:ROOM_SIZE + args.target]
            target = load.CollabTarget("collab", server.url, server.proc.pid)
            engine = load.engine(args.generator)
            print(f"\ncapacity: idle signed-in sockets in steps of {args.step} up to {args.target} ({engine.name} clients)")
            lines, load_cpu = asyncio.run(climb(engine, target, members, server.proc.pid, args))
        finally:
            server.stop()
    steps = [line for line in lines if "probe_fanout_ms" in line]
    held = max([line["idle_sockets"] for line in steps if not line.get("broken")], default=0)
    failed = [line["idle_sockets"] for line in lines if line.get("measure") == "connect_failed"]
    lines.append({"target": "collab", "measure": "capacity", "sockets_per_process": held, "connect_failed_after": failed[0] if failed else None,
                  "rss_per_socket_kib": steps[-1]["rss_per_socket_kib"] if steps else None, "rss_mib_at_end": lines[-1]["rss_mib"],
                  "target_sockets": args.target})
    lines.append({"target": "load-generator", "generator": engine.name, "cpu_seconds": round(load_cpu, 2)})
    report("capacity", lines, save)
    summary = lines[-2]
    print(f"  one process held {held} idle signed-in sockets within the limits (target {args.target}); "
          f"{summary['rss_per_socket_kib']} KiB RSS per socket, {summary['rss_mib_at_end']} MiB at the end (limit {args.max_rss_mib:g} MiB)")
    if failed:
        print(f"  connecting failed after {failed[0]} sockets (see the JSON line `connect_failed`)")
    return 0

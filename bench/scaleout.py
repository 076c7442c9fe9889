"""`scaleout` scenario (BENCHMARK.md): the `rooms` load through nginx on 1, 2 and 4 workers on
PostgreSQL + Redis, each cluster started with the README's command (scripts/serve-cluster.sh).

    python -m bench scaleout                        # 25 rooms x 4, 90 items/s, 1/2/4 workers
    python -m bench scaleout --seconds 4 --workers 1,2

The offered rate is set above what one worker sustains (about 50 items/s before the hot-path
work), so `items_per_s` (acked items from the first send to the last ack) is each cluster's
throughput; the ratio to one worker is the figure that matters. Not far above, though: once a
worker's backlog nears the 20 s ping timeout, sockets start to close and the figures measure
that instead. Sockets land on workers at random (nginx hashes a fresh route cookie per
connection), so most rooms span workers: `cross_worker` counts deliveries that went from the
sender's worker to another through Redis. The clusters run side by side, each with its own
PostgreSQL, Redis and nginx, and take turns under the load (idle, a cluster costs little), so
a noisy neighbour on the machine hurts them alike.
"""
from __future__ import annotations

import argparse
import asyncio
import os
import tempfile
from pathlib import Path

from bench import load
from bench.common import Cluster, report, run_fixture
from bench.rooms import ROOM_SIZE, add_load_options, collab_members, drive, settle, stored_rows


def worker_of_users(database_url: str, user_ids: list[int]) -> dict[int, str]:
    """Which worker holds each user's socket (Collab records it per connection)."""
    import psycopg

    with psycopg.connect(database_url) as conn:
        rows = conn.execute("SELECT user_id, worker_id FROM connections WHERE user_id = ANY(%s)", (user_ids,)).fetchall()
    return {user_id: str(worker) for user_id, worker in rows}


def cross_worker(records: list[load.Record], workers: list[str]) -> int:
    """First deliveries whose receiver sits on another worker than the sender."""
    seen, cross = set(), 0
    for record in records:
        for tag, receiver, _at in record.received:
            sender = record.sent.get(tag)
            if sender is None or sender == receiver or (tag, receiver) in seen:
                continue
            seen.add((tag, receiver))
            cross += workers[sender] != workers[receiver]
    return cross


def measure(clusters: list[Cluster], args: argparse.Namespace) -> list[dict]:
    """Every cluster's rooms driven by the one load generator, clusters taking turns."""
    members = {c.workers: collab_members(run_fixture(c.env, "rooms", str(args.rooms))) for c in clusters}
    targets = [(load.CollabTarget(f"collab-{c.workers}w", c.url, *c.worker_pids(), support=c.proc.pid), members[c.workers])
               for c in clusters]
    placement: dict[int, list[str]] = {}

    async def locate() -> None:
        for c in clusters:
            where = worker_of_users(c.database_url, [m.user_id for m in members[c.workers]])
            placement[c.workers] = [where.get(m.user_id, "?") for m in members[c.workers]]

    records, connect_s = asyncio.run(drive(targets, args, after_connect=locate))
    rows = {c.workers: stored_rows(c.database_url, args.modes) for c in clusters}
    lines = []
    for (name, mode), recs in records.items():
        workers = int(name.removeprefix("collab-").removesuffix("w"))
        where = placement[workers]
        line = load.summarise(name, mode, recs)
        line.update(workers=workers, rooms=args.rooms, sockets=len(where), rate=args.rate, connect_s=connect_s[name],
                    rows_stored=rows[workers][mode], cross_worker=cross_worker(recs, where),
                    sockets_per_worker=sorted(where.count(w) for w in set(where)))
        lines.append(line)
    return lines


def throughput_ratios(lines: list[dict]) -> list[dict]:
    base = {line["mode"]: line["items_per_s"] for line in lines if line.get("workers") == 1}
    return [{"ratio": f"{line['target']}/collab-1w", "mode": line["mode"], "throughput": round(line["items_per_s"] / base[line["mode"]], 2)}
            for line in lines if line.get("workers", 1) != 1 and base.get(line["mode"]) and line["items_per_s"]]


def run(argv: list[str], save: bool) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench scaleout")
    add_load_options(parser, rooms=25)
    parser.add_argument("--workers", default="1,2,4", help="cluster sizes to measure, side by side, taking turns")
    parser.set_defaults(rate=90.0)
    args = parser.parse_args(argv)
    settle(args)
    with tempfile.TemporaryDirectory(prefix="collab-bench-") as tmp:
        clusters: list[Cluster] = []
        try:
            for workers in map(int, args.workers.split(",")):
                clusters.append(Cluster(workers, Path(tmp)).start())
            lines = measure(clusters, args)
        finally:
            for cluster in clusters:
                cluster.stop()
    lines += throughput_ratios(lines)
    lines.append({"target": "load-generator", "generator": args.generator, "cpu_seconds": args.generator_cpu_s})
    report("scaleout", lines, save)
    load.table(f"scaleout: {args.rooms} rooms x {ROOM_SIZE} through nginx, {args.rate:g} items/s offered, PostgreSQL + Redis", lines)
    for line in lines:
        if "throughput" in line:
            print(f"  {line['ratio']} ({line['mode']}): throughput x{line['throughput']}")
        elif "cross_worker" in line:
            print(f"  {line['target']} ({line['mode']}): {line['cross_worker']} of {line['deliveries_received']} deliveries crossed workers;"
                  f" sockets per worker {line['sockets_per_worker']}; rows {line['rows_stored']} / acks {line['acked']}")
            beside = ", ".join(f"{name} {seconds} s" for name, seconds in line.get("support_cpu_s", {}).items())
            print(f"    CPU: workers {line['server_cpu_s']} s, {beside}, load generator {line['load_generator_cpu_s']} s;"
                  f" {line.get('cores_busy')} of the machine's {os.cpu_count()} cores busy on average")
    return 0

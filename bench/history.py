"""`history` scenario (BENCHMARK.md): one plan with 20,000 items over 5 versions and 10 workshops,
100,000 items in all; p50/p99 of the filtered feedback list API; time and peak server memory of
the CSV export of every item, compared with the export of one plan's items (memory must not grow)."""
from __future__ import annotations

import argparse
import random
import tempfile
import time
import uuid
import warnings
from datetime import datetime, timedelta, timezone
from pathlib import Path

from bench.common import RssSampler, Server, cpu_seconds, percentile, report

PASSWORD = "workshop-demo-2026"
OWNER = "ruta.jankauskiene@klaipeda.collab.example"
FACILITATOR = "facilitator@collab.example"
BODIES = [
    "Klaipėda's summary needs a clearer statement of **who** does what; Łódź did this well.",
    "Could the monitoring say how often the indicators are reported (quarterly? yearly)?",
    "Strong link to the policy instrument — the Győr example shows the same pattern.",
    "The costs of this action are not broken down per year; funders will ask.",
    "Please add the adoption date and the body that approves the plan (Città metropolitana?).",
]
FILTERS = [
    {},
    {"criterion": "readability"},
    {"status": "open", "version": "5"},
    {"workshop_id": "3", "kind": "concern"},
    {"section": "action-1", "status": "declined"},
]


def populate(database_url: str, per_plan: int, total: int, seed: int = 7) -> int:
    """Fill the demo database with feedback; returns the id of the plan with `per_plan` items."""
    warnings.filterwarnings("ignore", message=r"\s*Eventlet is deprecated")
    from sqlalchemy import insert, select

    from collab import create_app
    from collab.extensions import db
    from collab.models import FeedbackItem, Partner, Plan, User, Workshop
    from collab.services import plans
    from collab.services.markdown import render
    from collab.services.workshops import default_rubric
    from config import DevelopmentConfig

    rng = random.Random(seed)
    app = create_app(DevelopmentConfig, SQLALCHEMY_DATABASE_URI=database_url.replace("sqlite:///", "sqlite:///", 1))
    with app.app_context():
        owner = db.session.scalar(select(User).where(User.email == OWNER))
        plan = db.session.scalar(select(Plan).join(Partner).where(Partner.short_name == "KLAIPEDA"))
        for base in range(1, 5):
            _p, version = plans.get_plan(owner, plan.id)
            sections = [{"key": s.key, "title": s.title, "body": s.body + f"\n\nRevised in version {base + 1}."} for s in version.sections]
            plans.add_version(owner, plan.id, {"sections": sections, "base_version": base, "note": f"Revision {base + 1}"})
        partners = list(db.session.scalars(select(Partner)))
        demo = db.session.scalar(select(Workshop))
        workshops = [demo.id]
        for n in range(2, 11):
            extra = Workshop(title=f"Follow-up workshop {n}", rubric=default_rubric(), partners=partners, facilitators=list(demo.facilitators))
            db.session.add(extra)
            db.session.flush()
            workshops.append(extra.id)
        db.session.commit()
        keys_by_plan = {}
        for p in db.session.scalars(select(Plan)):
            keys_by_plan[p.id] = [s.key for s in plans.get_version(p, 1).sections]
        authors = [(u.id, partner.id) for partner in partners for u in partner.members]
        criteria = [c["key"] for c in default_rubric()] + [None]
        start = datetime(2026, 3, 12, 9, tzinfo=timezone.utc)

        def item(plan_id: int, version: int, n: int) -> dict:
            author, partner_id = rng.choice([a for a in authors if a[1] != db_plans[plan_id]])
            status = rng.choices(["open", "accepted", "addressed", "declined", "deferred"], [60, 15, 10, 10, 5])[0]
            if status == "addressed" and version == 5:
                status = "accepted"
            when = start + timedelta(minutes=n)
            return {
                "client_id": str(uuid.UUID(int=rng.getrandbits(128), version=4)), "plan_id": plan_id, "plan_version": version,
                "section_key": rng.choice(keys_by_plan[plan_id]), "kind": rng.choice(["strength", "question", "suggestion", "concern"]),
                "criterion": rng.choice(criteria), "rating": rng.choice([None, 1, 2, 3, 4, 5]), "body": (body := rng.choice(BODIES)),
                "body_html": str(render(body)),
                "author_id": author, "author_partner_id": partner_id, "workshop_id": rng.choice(workshops), "status": status,
                "response": "Out of scope for this phase." if status == "declined" else None,
                "addressed_in_version": version + 1 if status == "addressed" else None, "created_at": when, "updated_at": when,
            }

        db_plans = dict(db.session.execute(select(Plan.id, Plan.partner_id)).all())
        rows = [item(plan.id, 1 + n % 5, n) for n in range(per_plan)]
        others = [pid for pid in db_plans if pid != plan.id]
        rows += [item(others[n % len(others)], 1, n) for n in range(total - per_plan)]
        for chunk in range(0, len(rows), 5000):
            db.session.execute(insert(FeedbackItem), rows[chunk:chunk + 5000])
        db.session.commit()
        parents = list(db.session.scalars(select(FeedbackItem.id).where(FeedbackItem.plan_id == plan.id).limit(per_plan // 10)))
        replies = [{**item(plan.id, 1, n), "parent_id": pid, "kind": "question", "body": "Thanks — we will look at it.",
                    "body_html": "<p>Thanks — we will look at it.</p>\n"} for n, pid in enumerate(parents)]
        for reply in replies:
            reply["author_id"], reply["author_partner_id"] = next((u, p) for u, p in authors if p == plan.partner_id)
        db.session.execute(insert(FeedbackItem), replies)
        db.session.commit()
        db.engine.dispose()
        return plan.id


def run(argv: list[str], save: bool) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench history")
    parser.add_argument("--per-plan", type=int, default=20_000)
    parser.add_argument("--total", type=int, default=100_000)
    parser.add_argument("--requests", type=int, default=100, help="requests per filter")
    parser.add_argument("--keep", metavar="DIR", help="build the database in DIR and keep it (for profiling)")
    args = parser.parse_args(argv)
    cpu0 = cpu_seconds()
    with tempfile.TemporaryDirectory(prefix="collab-bench-") as tmp:
        workdir = Path(args.keep or tmp)
        workdir.mkdir(parents=True, exist_ok=True)
        server = Server(workdir)
        server.cli("init-db")
        server.cli("demo")
        t0 = time.perf_counter()
        plan_id = populate(server.database_url, args.per_plan, args.total)
        populate_s = time.perf_counter() - t0
        server.start()
        try:
            lines = [{"target": "collab", "setup": "populate", "items": args.total, "plan_items": args.per_plan, "seconds": round(populate_s, 1)}]
            owner = server.login(OWNER, PASSWORD)
            url = f"{server.url}/api/v1/plans/{plan_id}/feedback"
            for query in FILTERS:  # warm-up
                owner.get(url, params=query).raise_for_status()
            timings: dict[str, list[float]] = {str(q): [] for q in FILTERS}
            counts = {}
            for _ in range(args.requests):
                for query in FILTERS:  # alternate the filters
                    started = time.perf_counter()
                    response = owner.get(url, params=query)
                    timings[str(query)].append((time.perf_counter() - started) * 1000)
                    response.raise_for_status()
                    counts[str(query)] = len(response.json()["items"])
            every = [ms for values in timings.values() for ms in values]
            lines.append({"target": "collab", "measure": "feedback_list_ms", "requests": len(every),
                          "p50": round(percentile(every, 50), 2), "p99": round(percentile(every, 99), 2), "max": round(max(every), 2),
                          "target_p50_ms": 50})
            for query, values in timings.items():
                lines.append({"target": "collab", "measure": "feedback_list_ms", "filter": query, "items_on_page": counts[query],
                              "p50": round(percentile(values, 50), 2), "p99": round(percentile(values, 99), 2)})
            facilitator = server.login(FACILITATOR, PASSWORD)
            # Warm up the export path (imports, allocator arenas) so both figures start level.
            owner.get(f"{server.url}/api/v1/plans/{plan_id}/feedback.csv", params={"kind": "strength", "status": "declined"}).raise_for_status()
            for label, session, path in (
                ("plan", owner, f"/api/v1/plans/{plan_id}/feedback.csv"),
                ("all", facilitator, "/api/v1/workshops/1/feedback.csv"),
            ):
                with RssSampler(server.proc.pid) as rss:
                    started = time.perf_counter()
                    response = session.get(server.url + path, stream=True)
                    size = rows = 0
                    for chunk in response.iter_content(chunk_size=65536):
                        size += len(chunk)
                        rows += chunk.count(b"\r\n")
                    seconds = time.perf_counter() - started
                lines.append({"target": "collab", "measure": "csv_export", "scope": label, "rows": rows - 1, "bytes": size,
                              "seconds": round(seconds, 2), "rss_start_kib": rss.start, "rss_peak_kib": rss.peak,
                              "rss_growth_kib": rss.peak - rss.start})
        finally:
            server.stop()
    lines.append({"target": "load-generator", "cpu_seconds": round(cpu_seconds() - cpu0, 1)})
    report("history", lines, save)
    _table(lines)
    return 0


def _table(lines: list[dict]) -> None:
    print("\nhistory benchmark")
    for line in lines:
        if line.get("measure") == "feedback_list_ms" and "filter" not in line:
            print(f"  filtered list, {line['requests']} requests: p50 {line['p50']} ms, p99 {line['p99']} ms (target p50 < 50 ms)")
        elif line.get("measure") == "csv_export":
            print(f"  CSV export ({line['scope']}): {line['rows']} rows in {line['seconds']} s, server RSS grew {line['rss_growth_kib']} KiB")

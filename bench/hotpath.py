"""`hotpath` scenario: the server CPU one feedback item and one section change cost, measured
in-process, without sockets or a load generator in the way (so it stays readable on a busy
machine, where latency figures do not).

    python -m bench hotpath                 # 600 items, 600 section changes
    python -m bench hotpath --items 2000

The demo workshop is loaded into a scratch SQLite database as the README does, its round is
opened, and the demo's members join their rooms through Flask-SocketIO's test client, so every
event takes the socket handlers' whole path: fair turns and flood budget, the session check,
payload parsing, the service, the commit, and the fan-out to the room (to test clients, whose
cost is a list append). Figures: CPU milliseconds per event (process time), p50/p99 of each
event's own CPU time.
"""
from __future__ import annotations

import argparse
import tempfile
import time
import uuid
import warnings
from pathlib import Path

from bench.common import report
from bench.fixtures import DEMO_PASSWORD


def _app(database: Path):
    warnings.filterwarnings("ignore", message=r"\s*Eventlet is deprecated")
    from collab import create_app
    from collab.extensions import db
    from collab.services import demo

    app = create_app(SQLALCHEMY_DATABASE_URI=f"sqlite:///{database}", RATELIMIT_ENABLED=False, SOCKET_EVENTS_PER_SECOND=1e9, SOCKET_EVENTS_BURST=1e9)
    with app.app_context():
        db.create_all()
        demo.load_demo()
    return app


def _clients(app) -> tuple[object, list[dict]]:
    """The facilitator in the plenary with the round open; per room, its presenter and reviewers."""
    from sqlalchemy import select

    from collab import demo_content as content
    from collab.extensions import db, socketio
    from collab.models import Partner, Workshop

    def connect(email: str):
        http = app.test_client()
        response = http.post("/api/v1/session", json={"email": email, "password": DEMO_PASSWORD})
        assert response.status_code == 200, response.get_json()
        return socketio.test_client(app, flask_test_client=http)

    with app.app_context():
        workshop = db.session.scalar(select(Workshop).where(Workshop.title == content.WORKSHOP["title"]))
        rnd = workshop.rounds[0]
        layout = [(room.id, [db.session.get(Partner, seat.partner_id) for seat in room.seats]) for room in rnd.rooms]
        layout = [(room_id, [(p.plans[0].id, [s.key for s in p.plans[0].versions[-1].sections], [u.email for u in p.members])
                             for p in partners]) for room_id, partners in layout]
        workshop_id, round_id = workshop.id, rnd.id
    facilitator = connect(content.FACILITATOR["email"])
    _call(facilitator, "join_workshop", {"workshop_id": workshop_id})
    _call(facilitator, "open_round", {"round_id": round_id})
    rooms = []
    for room_id, ((plan_id, sections, presenters), (_other_plan, _s, reviewers)) in layout:
        people = [connect(email) for email in presenters + reviewers]
        for sio in people:
            _call(sio, "join_room", {"room_id": room_id})
        shown = _call(people[0], "start_presentation", {"room_id": room_id, "plan_id": plan_id})
        rooms.append({"id": room_id, "plan_id": plan_id, "sections": sections, "presenter": people[0],
                      "reviewers": people[len(presenters):], "presentation_id": shown["presentation"]["id"], "everyone": people})
    return facilitator, rooms


def _call(sio, event: str, payload: dict) -> dict:
    ack = sio.emit(event, payload, callback=True)
    if not ack.get("ok"):
        raise RuntimeError(f"{event} refused: {ack}")
    return ack


def _cpu_per_event(count: int, send) -> dict:
    costs = []
    for n in range(count):
        t0 = time.process_time()
        send(n)
        costs.append(time.process_time() - t0)
    costs.sort()
    return {"events": count, "cpu_ms_mean": round(1000 * sum(costs) / count, 3),
            "cpu_ms_p50": round(1000 * costs[count // 2], 3), "cpu_ms_p99": round(1000 * costs[int(count * 0.99)], 3)}


def run(argv: list[str], save: bool) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench hotpath")
    parser.add_argument("--items", type=int, default=600, help="feedback items and section changes to time")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="collab-hotpath-") as tmp:
        app = _app(Path(tmp) / "collab.db")
        facilitator, rooms = _clients(app)
        everyone = [facilitator] + [sio for room in rooms for sio in room["everyone"]]

        def feedback(n: int) -> None:
            room = rooms[n % len(rooms)]
            reviewer = room["reviewers"][n % len(room["reviewers"])]
            _call(reviewer, "submit_feedback", {
                "client_id": str(uuid.uuid4()), "room_id": room["id"], "plan_id": room["plan_id"],
                "section_key": room["sections"][0], "kind": "suggestion", "body": f"Item {n}: say **who** adopts it, and when."})

        def section(n: int) -> None:
            room = rooms[n % len(rooms)]
            key = room["sections"][(n // len(rooms) + 1) % len(room["sections"])]
            _call(room["presenter"], "show_section", {"presentation_id": room["presentation_id"], "section_key": key})

        lines = []
        for event, send in (("submit_feedback", feedback), ("show_section", section)):
            _cpu_per_event(20, send)  # warm the statement caches
            lines.append({"event": event, **_cpu_per_event(args.items, send)})
            for sio in everyone:
                sio.get_received()
    report("hotpath", lines, save)
    print("\nhotpath: server CPU per event, in-process (the demo, 3 rooms, test-client sockets; target 2 ms)")
    for line in lines:
        print(f"  {line['event']:<16} {line['events']} events  mean {line['cpu_ms_mean']} ms  p50 {line['cpu_ms_p50']} ms  p99 {line['cpu_ms_p99']} ms")
    return 0

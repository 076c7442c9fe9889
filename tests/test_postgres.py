"""The same service on PostgreSQL: migrations, demo, a live round with feedback (the scale-out database)."""
from __future__ import annotations

import time
import uuid

from tests.support.live_client import LiveClient

PASSWORD = "workshop-demo-2026"


def test_live_round_with_feedback_on_postgres(collab_server, postgres_server):
    server = collab_server(demo=True, DATABASE_URL=postgres_server.new_database())
    assert server.database_url.startswith("postgresql://")
    facilitator = LiveClient(server, server.login("facilitator@collab.example", PASSWORD))
    workshop = facilitator.call("join_workshop", {"workshop_id": 1})
    round_id = workshop["workshop"]["rounds"][0]["id"]
    assert facilitator.call("open_round", {"round_id": round_id})["ok"]
    ruta = LiveClient(server, server.login("ruta.jankauskiene@klaipeda.collab.example", PASSWORD))
    tomasz = LiveClient(server, server.login("tomasz.szczepanski@rrda.collab.example", PASSWORD))
    room = ruta.call("join_workshop", {"workshop_id": 1})["my_room_id"]
    joined = ruta.call("join_room", {"room_id": room})
    assert tomasz.call("join_room", {"room_id": room})["ok"]
    plan = next(p for p in joined["plans"] if p["title"].startswith("Delivering KEDS"))
    payload = {"client_id": str(uuid.uuid4()), "room_id": room, "plan_id": plan["id"], "section_key": "executive-summary",
               "kind": "suggestion", "criterion": "readability", "rating": 4, "body": "Klaipėda: shorter summary, please."}
    first = tomasz.call("submit_feedback", payload)
    assert first["ok"], first
    assert tomasz.call("submit_feedback", payload)["feedback"]["id"] == first["feedback"]["id"]
    added = ruta.wait_for("feedback_added")
    assert added["feedback"]["body"] == "Klaipėda: shorter summary, please."
    owner = server.login("ruta.jankauskiene@klaipeda.collab.example", PASSWORD)
    # This workshop's items: the demo's past session left general feedback on the plan too.
    items = owner.get(f"{server.url}/api/v1/plans/{plan['id']}/feedback?workshop_id=1").json()["items"]
    assert [i["id"] for i in items] == [first["feedback"]["id"]]
    csv = owner.get(f"{server.url}/api/v1/plans/{plan['id']}/feedback.csv").content.decode("utf-8-sig")
    assert "Klaipėda: shorter summary, please." in csv


def test_a_worker_waiting_for_a_postgresql_lock_keeps_serving_everyone_else_and_answers_busy_in_time(collab_server, postgres_server):
    """psycopg 3 waits for PostgreSQL in C unless it sees gevent's monkey-patching (not
    eventlet's): each query stopped the event loop until it ended, and an item waiting for the
    workshop's row (held by another worker's batch, or here by an outside session) froze every
    room of that worker. The server makes psycopg wait through the patched `selectors`, and a
    statement waits for a lock at most DB_LOCK_WAIT_SECONDS: then the item is answered busy
    (it waited for as long as the row was held), and the client's retry goes through."""
    import psycopg
    import requests

    database = postgres_server.new_database()
    server = collab_server(demo=True, DATABASE_URL=database, DB_LOCK_WAIT_SECONDS="1")
    facilitator = LiveClient(server, server.login("facilitator@collab.example", PASSWORD))
    round_id = facilitator.call("join_workshop", {"workshop_id": 1})["workshop"]["rounds"][0]["id"]
    assert facilitator.call("open_round", {"round_id": round_id})["ok"]
    tomasz = LiveClient(server, server.login("tomasz.szczepanski@rrda.collab.example", PASSWORD))
    room = tomasz.call("join_workshop", {"workshop_id": 1})["my_room_id"]
    plan = next(p for p in tomasz.call("join_room", {"room_id": room})["plans"] if p["title"].startswith("Delivering KEDS"))
    item = {"client_id": str(uuid.uuid4()), "room_id": room, "plan_id": plan["id"], "section_key": "executive-summary",
            "kind": "suggestion", "body": "Shorter."}
    acks: list[dict] = []
    with psycopg.connect(database) as outside:
        outside.execute("SELECT last_seq FROM workshops WHERE id = 1 FOR UPDATE")  # held until the block ends
        tomasz.sio.emit("submit_feedback", item, callback=acks.append)
        time.sleep(0.3)  # the item waits for the workshop's row now
        started = time.monotonic()
        try:
            healthy = requests.get(f"{server.url}/healthz", timeout=3).status_code == 200
        except requests.Timeout:
            healthy = False
        waited = time.monotonic() - started
        assert healthy and waited < 0.5, f"the server answered nobody for {waited:.1f} s while one item waited for a lock"
        deadline = time.monotonic() + 5
        while not acks and time.monotonic() < deadline:
            time.sleep(0.05)
        assert acks and acks[0]["error"]["code"] == "busy", acks  # while the row is still held
    retried = tomasz.call("submit_feedback", item)
    assert retried["ok"], retried
    owner = server.login("ruta.jankauskiene@klaipeda.collab.example", PASSWORD)
    stored = owner.get(f"{server.url}/api/v1/plans/{plan['id']}/feedback?workshop_id=1").json()["items"]
    assert [i["id"] for i in stored] == [retried["feedback"]["id"]]

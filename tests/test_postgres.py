"""The same service on PostgreSQL: migrations, demo, a live round with feedback (the scale-out database)."""
from __future__ import annotations

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

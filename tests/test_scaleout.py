"""S12: two worker processes on one PostgreSQL database, joined by Redis: a client on one worker
sees what is done on the other, and a round's timer fires once."""
from __future__ import annotations

import threading
import time
import uuid

import redis

from tests.support.live_client import LiveClient

PASSWORD = "workshop-demo-2026"


def test_two_workers_share_rooms_through_redis(collab_server, postgres_server, redis_server):
    shared = {"DATABASE_URL": postgres_server.new_database(), "SOCKETIO_MESSAGE_QUEUE": redis_server.url,
              "ROUND_GRACE_SECONDS": "1", "TIMER_POLL_SECONDS": "0.2"}
    worker_a = collab_server(demo=True, **shared)
    worker_b = collab_server(init=False, **shared)  # same database, already set up by A
    facilitator = LiveClient(worker_a, worker_a.login("facilitator@collab.example", PASSWORD))
    round_id = facilitator.call("join_workshop", {"workshop_id": 1})["workshop"]["rounds"][0]["id"]
    ruta = LiveClient(worker_a, worker_a.login("ruta.jankauskiene@klaipeda.collab.example", PASSWORD))
    tomasz = LiveClient(worker_b, worker_b.login("tomasz.szczepanski@rrda.collab.example", PASSWORD))
    for client in (ruta, tomasz):
        assert client.call("join_workshop", {"workshop_id": 1})["ok"]
    assert facilitator.call("open_round", {"round_id": round_id})["ok"]
    room = tomasz.wait_for("room_assigned")["room_id"]  # sent on A, received on B
    joined = ruta.call("join_room", {"room_id": room})
    assert tomasz.call("join_room", {"room_id": room})["ok"]
    plan = next(p for p in joined["plans"] if p["title"].startswith("Delivering KEDS"))
    ack = tomasz.call("submit_feedback", {"client_id": str(uuid.uuid4()), "room_id": room, "plan_id": plan["id"],
                                          "section_key": "executive-summary", "kind": "question", "body": "Posted on worker B"})
    assert ack["ok"], ack
    assert ruta.wait_for("feedback_added")["feedback"]["id"] == ack["feedback"]["id"]  # posted on B, seen on A
    presentation = ruta.call("start_presentation", {"room_id": room, "plan_id": plan["id"]})["presentation"]
    assert tomasz.wait_for("presentation_started")["presentation"]["id"] == presentation["id"]
    # A hand raised on B reaches the board on A; lowered on A, it clears on B.
    assert tomasz.call("raise_hand", {"room_id": room})["ok"]
    assert facilitator.wait_for("hand_raised")["room_id"] == room
    assert facilitator.call("lower_hand", {"room_id": room})["ok"]
    assert tomasz.wait_for("hand_lowered")["by"]["name"] == "Gintarė Vaitkutė"
    # Both workers watch the deadline; the round closes once.
    assert facilitator.call("close_round", {"round_id": round_id, "countdown_s": 1})["ok"]
    tomasz.wait_for("round_closed", timeout=15)
    ruta.wait_for("round_closed", timeout=15)
    time.sleep(1)
    assert len(tomasz.named("round_closed")) == 1 and len(ruta.named("round_closed")) == 1


def _room_on_two_workers(collab_server, postgres_server, queue_url: str) -> tuple:
    """Two workers on one database and queue, the round open, and a room of KLAIPEDA's Rūta
    (worker A) and RRDA's Tomasz (worker B), both in it: (ruta, tomasz, room id, KLAIPEDA's plan id)."""
    shared = {"DATABASE_URL": postgres_server.new_database(), "SOCKETIO_MESSAGE_QUEUE": queue_url}
    worker_a = collab_server(demo=True, **shared)
    worker_b = collab_server(init=False, **shared)
    facilitator = LiveClient(worker_a, worker_a.login("facilitator@collab.example", PASSWORD))
    round_id = facilitator.call("join_workshop", {"workshop_id": 1})["workshop"]["rounds"][0]["id"]
    assert facilitator.call("open_round", {"round_id": round_id})["ok"]
    ruta = LiveClient(worker_a, worker_a.login("ruta.jankauskiene@klaipeda.collab.example", PASSWORD))
    tomasz = LiveClient(worker_b, worker_b.login("tomasz.szczepanski@rrda.collab.example", PASSWORD))
    room = ruta.call("join_workshop", {"workshop_id": 1})["my_room_id"]
    plan_id = next(p["id"] for p in ruta.call("join_room", {"room_id": room})["plans"] if p["title"].startswith("Delivering KEDS"))
    assert tomasz.call("join_room", {"room_id": room})["ok"]
    return ruta, tomasz, room, plan_id


def _post(client: LiveClient, room: int, plan_id: int, body: str) -> dict:
    return client.call("submit_feedback", {"client_id": str(uuid.uuid4()), "room_id": room, "plan_id": plan_id,
                                           "section_key": "executive-summary", "kind": "question", "body": body}, timeout=20)


def test_redis_down_for_ten_seconds_loses_nothing(collab_server, postgres_server, redis_factory):
    """S13: while Redis is down, posts are still stored and acked; a resume brings them; the
    workers find each other again once Redis is back."""
    queue = redis_factory()
    ruta, tomasz, room, plan_id = _room_on_two_workers(collab_server, postgres_server, queue.url)
    last_seen = max(data["seq"] for _name, data in ruta.events)
    queue.stop()
    down_at = time.monotonic()
    acks = [_post(tomasz, room, plan_id, f"While Redis is down {n}") for n in range(3)]
    assert all(ack["ok"] for ack in acks), acks
    time.sleep(max(0.0, 10 - (time.monotonic() - down_at)))
    queue.start()
    resumed = ruta.call("resume", {"workshop_id": 1, "after_seq": last_seen})
    assert resumed["ok"]
    caught_up = {data["feedback"]["id"] for data in ruta.named("feedback_added")}
    assert {ack["feedback"]["id"] for ack in acks} <= caught_up
    deadline = time.monotonic() + 60  # the workers' Redis listeners reconnect with backoff
    while time.monotonic() < deadline:
        ack = _post(tomasz, room, plan_id, "After Redis is back")
        try:
            ruta.wait_for("feedback_added", lambda d, i=ack["feedback"]["id"]: d["feedback"]["id"] == i, timeout=2)
            break
        except AssertionError:
            continue
    else:
        raise AssertionError("cross-worker delivery did not come back after Redis returned")


MEMBERS = [f"{name}@{partner}.collab.example" for name, partner in (
    ("katarzyna.zajac", "acep"), ("michal.wroblewski", "acep"), ("begona.ibanez", "sodebur"), ("alejandro.nunez", "sodebur"),
    ("ruta.jankauskiene", "klaipeda"), ("mindaugas.zukauskas", "klaipeda"), ("tomasz.szczepanski", "rrda"),
    ("agnieszka.kolodziej", "rrda"), ("agnes.szoke", "pannon"), ("gergely.varhelyi", "pannon"), ("chiara.colombo", "lomb"),
    ("niccolo.brambilla", "lomb"))]


def _post_on_the_other_plan(client: LiveClient, room: int, plans: list[dict], count: int, acks: list) -> None:
    """Post `count` items one after another on the plan of the other partner in the room."""
    for n in range(count):
        for plan in plans:
            ack = client.call("submit_feedback", {"client_id": str(uuid.uuid4()), "room_id": room, "plan_id": plan["id"],
                                                  "section_key": plan["sections"][0]["key"], "kind": "question", "body": f"Item {n}"})
            if ack["ok"]:
                acks.append(ack)
                plans[:] = [plan]  # the one this member may post on
                break


def test_every_socket_gets_the_workshops_events_in_seq_order_from_both_workers(collab_server, postgres_server, redis_server):
    """Workers publish as they commit, so their events cross in the message queue; clients drop
    a seq below the last one they saw, so each worker must deliver in seq order."""
    shared = {"DATABASE_URL": postgres_server.new_database(), "SOCKETIO_MESSAGE_QUEUE": redis_server.url,
              "SOCKET_EVENTS_PER_SECOND": "1000", "SOCKET_EVENTS_BURST": "1000"}
    workers = [collab_server(demo=True, **shared)]
    workers.append(collab_server(init=False, **shared))
    watchers = [LiveClient(worker, worker.login("facilitator@collab.example", PASSWORD)) for worker in workers]
    round_id = watchers[0].call("join_workshop", {"workshop_id": 1})["workshop"]["rounds"][0]["id"]
    assert watchers[1].call("join_workshop", {"workshop_id": 1})["ok"]
    assert watchers[0].call("open_round", {"round_id": round_id})["ok"]
    members = []
    for n, email in enumerate(MEMBERS):
        worker = workers[n % 2]
        client = LiveClient(worker, worker.login(email, PASSWORD))
        room = client.call("join_workshop", {"workshop_id": 1})["my_room_id"]
        members.append((client, room, client.call("join_room", {"room_id": room})["plans"]))
    acks: list[dict] = []
    threads = [threading.Thread(target=_post_on_the_other_plan, args=(client, room, plans, 8, acks)) for client, room, plans in members]
    # Meanwhile a socket on each worker keeps resuming from just behind the live stream (pages
    # loading): their replays go to them alone and must not disturb anyone's live order.
    resumers = [LiveClient(worker, worker.login("facilitator@collab.example", PASSWORD)) for worker in workers]

    def resume_again_and_again(resumer: LiveClient) -> None:
        for _ in range(80):
            seen = [data["seq"] for _name, data in list(resumer.events) if isinstance(data, dict) and "seq" in data]
            resumer.call("resume", {"workshop_id": 1, "after_seq": max([1, *seen]) - 2})
            time.sleep(0.02)

    resuming = [threading.Thread(target=resume_again_and_again, args=(resumer,)) for resumer in resumers]
    for thread in [*threads, *resuming]:
        thread.start()
    for thread in [*threads, *resuming]:
        thread.join(60)
    assert len(acks) == 8 * len(MEMBERS)
    for watcher in watchers:
        watcher.wait_for("feedback_added", lambda data: data["feedback"]["id"] == max(a["feedback"]["id"] for a in acks), timeout=20)
    time.sleep(1)
    for client in watchers + [member for member, _room, _plans in members]:
        seqs = [data["seq"] for _name, data in list(client.events) if isinstance(data, dict) and data.get("workshop_id") == 1 and "seq" in data]
        assert seqs == sorted(set(seqs)), [(a, b) for a, b in zip(seqs, seqs[1:]) if b <= a][:5]
    for watcher in watchers:
        assert {a["feedback"]["id"] for a in acks} <= {data["feedback"]["id"] for data in watcher.named("feedback_added")}


def test_an_event_lost_on_its_way_to_a_worker_reaches_its_sockets_from_the_log(collab_server, postgres_server, redis_server):
    """The message queue's connection drops (a Redis restart, a network blip): what was published
    meanwhile never reaches that worker. At the next event it sees the gap, and after a short
    wait reads the missing events from the log, in order."""
    ruta, tomasz, room, plan_id = _room_on_two_workers(collab_server, postgres_server, redis_server.url)
    assert redis.Redis.from_url(redis_server.url).client_kill_filter(_type="pubsub") >= 2  # both workers' subscriptions
    lost = _post(tomasz, room, plan_id, "Published while the workers' subscriptions were cut")["feedback"]  # on B: worker A never gets it
    time.sleep(3)  # the workers subscribe again (python-socketio retries after 1 s)
    after = _post(tomasz, room, plan_id, "Published once they were back")["feedback"]
    assert ruta.wait_for("feedback_added", lambda data: data["feedback"]["id"] == after["id"], timeout=10)
    heard = [data["feedback"]["id"] for data in ruta.named("feedback_added")]
    assert heard == [lost["id"], after["id"]]
    seqs = [data["seq"] for _name, data in list(ruta.events) if isinstance(data, dict) and "seq" in data]
    assert seqs == sorted(set(seqs))

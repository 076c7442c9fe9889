"""A bystander room that measures what an attack costs everyone else (bench abuse, and the tests).

Two members of the demo's Room 1 (ACEP and SODEBUR) exchange feedback every 100 ms, and a
third thread polls /healthz every 50 ms. It all runs in a process of its own, so that the
attacker's threads in the test process cannot delay the bystander's own clock.

    with Bystander(server) as bystander:
        attack()
    assert bystander.healthz_p99 < 250 and bystander.feedback_p99 < 250
"""
from __future__ import annotations

import multiprocessing
import threading
import time
import uuid

import requests

PASSWORD = "workshop-demo-2026"
KATARZYNA = "katarzyna.zajac@acep.collab.example"  # ACEP, Room 1
BEGONA = "begona.ibanez@sodebur.collab.example"  # SODEBUR, Room 1


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * p / 100))] if ordered else float("inf")


def _member(url: str, email: str):
    import socketio

    session = requests.Session()
    response = session.post(f"{url}/api/v1/session", json={"email": email, "password": PASSWORD}, timeout=30)
    response.raise_for_status()
    client = socketio.Client(reconnection=False, websocket_extra_options={"suppress_origin": True})
    cookie = "; ".join(f"{c.name}={c.value}" for c in session.cookies)
    client.connect(url, headers={"Origin": url, "Cookie": cookie}, transports=["websocket"], wait_timeout=10)
    partner_id = session.get(f"{url}/api/v1/me", timeout=30).json()["partners"][0]["id"]
    room_id = client.call("join_workshop", {"workshop_id": 1}, timeout=30)["my_room_id"]
    joined = client.call("join_room", {"room_id": room_id}, timeout=30)
    return client, room_id, joined["plans"], partner_id


def _run(url: str, ready, stop, results) -> None:
    healthz: list[float] = []
    fanout: list[float] = []
    sent: dict[str, float] = {}
    sender, room_id, plans, sender_partner = _member(url, KATARZYNA)
    receiver, _room, _plans, _partner = _member(url, BEGONA)
    # Katarzyna (ACEP) writes on SODEBUR's plan; Begoña (SODEBUR) hears it as the plan's owner.
    target = next(p for p in plans if p["partner_id"] != sender_partner)

    def on_added(data):
        started = sent.pop(data["feedback"]["client_id"], None)
        if started is not None:
            fanout.append((time.perf_counter() - started) * 1000)

    receiver.on("feedback_added", on_added)

    def poll_health() -> None:
        with requests.Session() as session:
            session.get(f"{url}/healthz", timeout=30)  # warm up the client
            while not stop.is_set():
                started = time.perf_counter()
                session.get(f"{url}/healthz", timeout=30)
                healthz.append((time.perf_counter() - started) * 1000)
                stop.wait(0.05)

    poller = threading.Thread(target=poll_health)
    poller.start()
    ready.set()
    section = target["sections"][0]["key"]
    while not stop.is_set():
        client_id = str(uuid.uuid4())
        sent[client_id] = time.perf_counter()
        sender.emit("submit_feedback", {"client_id": client_id, "room_id": room_id, "plan_id": target["id"],
                                        "section_key": section, "kind": "question", "body": "Who adopts it?"})
        stop.wait(0.1)
    time.sleep(1)  # the last deliveries
    poller.join()
    lost = len(sent)
    sender.disconnect()
    receiver.disconnect()
    results.put((healthz, fanout, lost))


class Bystander:
    """Needs the demo round open (Room 1 must be live)."""

    def __init__(self, server) -> None:
        spawn = multiprocessing.get_context("spawn")
        self._ready, self._stop, self._results = spawn.Event(), spawn.Event(), spawn.Queue()
        self._process = spawn.Process(target=_run, args=(server.url, self._ready, self._stop, self._results))
        self.healthz_ms: list[float] = []
        self.feedback_ms: list[float] = []
        self.lost = 0

    def __enter__(self) -> "Bystander":
        self._process.start()
        assert self._ready.wait(60), "the bystander room did not start"
        time.sleep(0.5)  # a little quiet time as the baseline
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self.healthz_ms, self.feedback_ms, self.lost = self._results.get(timeout=60)
        self._process.join(10)

    @property
    def healthz_p99(self) -> float:
        return percentile(self.healthz_ms, 99)

    @property
    def feedback_p99(self) -> float:
        return percentile(self.feedback_ms, 99)

    @staticmethod
    def percentiles(values: list[float]) -> dict:
        return {"p50": round(percentile(values, 50), 1), "p99": round(percentile(values, 99), 1), "n": len(values)}

    def summary(self) -> str:
        return (f"bystander /healthz p99 {self.healthz_p99:.0f} ms ({len(self.healthz_ms)} polls), "
                f"feedback fan-out p99 {self.feedback_p99:.0f} ms ({len(self.feedback_ms)} items, {self.lost} not delivered)")

"""Many clients writing at once through every HTTP write endpoint and socket command (S33).

`run_writers(server, seconds)` signs in the demo's facilitator and the members of its six
partners, opens the demo round, then lets 16 clients loop over their writes while a
bystander polls /healthz every 50 ms. It returns what every answer was, for the test (and
for anyone measuring) to judge.
"""
from __future__ import annotations

import itertools
import multiprocessing
import threading
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field

import requests

from tests.support.live_client import LiveClient

PASSWORD = "workshop-demo-2026"
FACILITATOR = "facilitator@collab.example"
MEMBERS = [
    "katarzyna.zajac@acep.collab.example", "michal.wroblewski@acep.collab.example",
    "begona.ibanez@sodebur.collab.example", "alejandro.nunez@sodebur.collab.example",
    "ruta.jankauskiene@klaipeda.collab.example", "mindaugas.zukauskas@klaipeda.collab.example",
    "tomasz.szczepanski@rrda.collab.example", "agnieszka.kolodziej@rrda.collab.example",
    "agnes.szoke@pannon.collab.example", "gergely.varhelyi@pannon.collab.example",
    "chiara.colombo@lomb.collab.example", "niccolo.brambilla@lomb.collab.example",
]
FACILITATOR_CLIENTS = 4
# What a write may answer besides success: documented refusals, never a 5xx but 503 busy.
HTTP_REFUSALS = {400, 403, 404, 409, 422, 429, 503}
ACK_REFUSALS = {"conflict", "validation", "forbidden", "not_found", "rate_limited", "busy"}


@dataclass
class Outcomes:
    http: Counter = field(default_factory=Counter)  # (operation, status)
    acks: Counter = field(default_factory=Counter)  # (event, "ok" or error code)
    unexpected: list = field(default_factory=list)  # what no client should ever see
    healthz_ms: list = field(default_factory=list)
    feedback_acked: set = field(default_factory=set)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def summary(self) -> str:
        ordered = sorted(self.healthz_ms)
        p99 = ordered[int(len(ordered) * 0.99)] if ordered else float("nan")
        writes = sum(self.http.values()) + sum(self.acks.values())
        refused = sum(n for (_op, status), n in self.http.items() if status >= 400) + sum(n for (_e, code), n in self.acks.items() if code != "ok")
        server_errors = sum(n for (_op, status), n in self.http.items() if status >= 500)
        return (f"{writes} writes, {refused} refused (4xx/503 or error acks), {server_errors} 5xx; "
                f"bystander /healthz p50 {ordered[len(ordered) // 2]:.1f} ms, p99 {p99:.1f} ms, max {ordered[-1]:.1f} ms")

    def saw_http(self, operation: str, response: requests.Response) -> None:
        with self.lock:
            self.http[(operation, response.status_code)] += 1
            ok = response.status_code < 300 or response.status_code in HTTP_REFUSALS
            if response.status_code == 503 and "Retry-After" not in response.headers:
                ok = False
            if not ok:
                self.unexpected.append((operation, response.status_code, response.text[:300]))

    def saw_ack(self, event: str, ack: dict) -> None:
        with self.lock:
            code = "ok" if ack.get("ok") else ack.get("error", {}).get("code")
            self.acks[(event, code)] += 1
            if code != "ok" and code not in ACK_REFUSALS:
                self.unexpected.append((event, ack))
            if event == "submit_feedback" and ack.get("ok"):
                self.feedback_acked.add(ack["feedback"]["id"])


class Writer:
    """One signed-in person: an HTTP session and a socket."""

    def __init__(self, server, email: str, outcomes: Outcomes) -> None:
        self.server, self.url, self.outcomes = server, server.url, outcomes
        self.http = server.login(email, PASSWORD)
        self.me = self.http.get(f"{self.url}/api/v1/me", timeout=30).json()
        self.live = LiveClient(server, self.http)
        self.counter = itertools.count()
        self.tag = uuid.uuid4().hex[:8]

    def post(self, operation: str, path: str, body: dict, method: str = "post") -> requests.Response:
        response = getattr(self.http, method)(f"{self.url}{path}", json=body, timeout=60)
        self.outcomes.saw_http(operation, response)
        return response

    def emit(self, event: str, payload: dict) -> dict:
        ack = self.live.call(event, payload, timeout=60)
        self.outcomes.saw_ack(event, ack)
        return ack

    def unique(self) -> str:
        return f"{self.tag}{next(self.counter)}"


class Facilitator(Writer):
    def setup(self, workshop: dict) -> None:
        self.workshop_id = workshop["id"]
        self.emit("join_workshop", {"workshop_id": self.workshop_id})

    def operations(self):
        return [self.create_user, self.create_partner_with_member, self.create_workshop, self.create_round,
                self.general_feedback, self.broadcast, self.extend_and_move]

    def create_user(self) -> None:
        name = self.unique()
        self.post("create user", "/api/v1/users", {"email": f"w{name}@example.org", "name": f"Writer {name}", "password": "a long password 1"})

    def create_partner_with_member(self) -> None:
        name = self.unique()
        partner = self.post("create partner", "/api/v1/partners", {"name": f"Partner {name}", "short_name": f"P{name}", "country": "LT", "organisations": ["Org"]})
        if partner.status_code == 201:
            self.post("add member", f"/api/v1/partners/{partner.json()['id']}/members", {"user_id": self.me["user"]["id"]})

    def create_workshop(self) -> None:
        self.post("create workshop", "/api/v1/workshops", {"title": f"Workshop {self.unique()}", "partner_ids": [1, 2], "facilitator_ids": [self.me["user"]["id"]]})

    def create_round(self) -> None:
        response = self.post("create round", f"/api/v1/workshops/{self.workshop_id}/rounds", {"minutes": 20, "auto": {"size": 2}})
        if response.status_code == 201:
            self.emit("open_round", {"round_id": response.json()["id"]})  # another round runs: conflict

    def general_feedback(self) -> None:
        self.post("general feedback", f"/api/v1/workshops/{self.workshop_id}/general-feedback",
                  {"client_id": str(uuid.uuid4()), "section_key": "monitoring", "kind": "suggestion", "body": "Name the indicators."})

    def broadcast(self) -> None:
        self.emit("broadcast", {"workshop_id": self.workshop_id, "message": f"Note {self.unique()}"})

    def extend_and_move(self) -> None:
        workshop = self.http.get(f"{self.url}/api/v1/workshops/{self.workshop_id}", timeout=60).json()
        live = [r for r in workshop["rounds"] if r["status"] in ("open", "closing")]
        if not live:
            return
        rnd = live[0]
        self.emit("extend_round", {"round_id": rnd["id"], "minutes": 1})
        rooms = rnd["rooms"]
        first, second = rooms[0], rooms[1]
        if first["partner_ids"]:
            self.emit("move_partner", {"round_id": rnd["id"], "partner_id": first["partner_ids"][-1], "to_room_id": second["id"]})


class Member(Writer):
    def setup(self, workshop: dict) -> None:
        self.workshop_id = workshop["id"]
        self.partner_id = self.me["partners"][0]["id"]
        joined = self.emit("join_workshop", {"workshop_id": self.workshop_id})
        self.room_id = joined["my_room_id"]
        room = self.emit("join_room", {"room_id": self.room_id})
        self.room_plans = {p["id"]: p for p in room["plans"]}
        self.own_plan = next(p for p in room["plans"] if p["partner_id"] == self.partner_id)

    def operations(self):
        return [self.save_version, self.save_from_a_stale_base, self.submit_feedback, self.answer_feedback,
                self.present, self.create_plan, self.sign_in_again]

    def save_version(self) -> None:
        plan = self.http.get(f"{self.url}/api/v1/plans/{self.own_plan['id']}", timeout=60).json()
        sections = [{"key": s["key"], "title": s["title"], "body": s["body"] + "\n\nEdited."} for s in plan["sections"]][:8]
        self.post("save version", f"/api/v1/plans/{plan['id']}/versions", {"sections": sections, "base_version": plan["latest_version"]})

    def save_from_a_stale_base(self) -> None:
        sections = [{"key": "summary", "title": "Summary", "body": "Stale."}]
        self.post("save stale version", f"/api/v1/plans/{self.own_plan['id']}/versions", {"sections": sections, "base_version": 1})

    def _peer_plan(self) -> dict | None:
        return next((p for p in self.room_plans.values() if p["partner_id"] != self.partner_id), None)

    def submit_feedback(self) -> None:
        plan = self._peer_plan()
        if plan is None:
            return
        self.emit("submit_feedback", {"client_id": str(uuid.uuid4()), "room_id": self.room_id, "plan_id": plan["id"],
                                      "section_key": plan["sections"][0]["key"], "kind": "question", "body": f"Question {self.unique()}"})

    def answer_feedback(self) -> None:
        items = self.http.get(f"{self.url}/api/v1/plans/{self.own_plan['id']}/feedback?status=open&limit=5", timeout=60).json()["items"]
        for item in items[:2]:
            self.post("answer", f"/api/v1/feedback/{item['id']}", {"status": "accepted"}, method="patch")
        if items:
            self.emit("respond_feedback", {"feedback_id": items[-1]["id"], "status": "deferred"})

    def present(self) -> None:
        ack = self.emit("start_presentation", {"room_id": self.room_id, "plan_id": self.own_plan["id"]})
        if ack.get("ok"):
            for section in self.own_plan["sections"][:3]:
                self.emit("show_section", {"presentation_id": ack["presentation"]["id"], "section_key": section["key"]})

    def create_plan(self) -> None:
        self.post("create plan", "/api/v1/plans", {"partner_id": self.partner_id, "title": f"Draft {self.unique()}",
                                                   "sections": [{"key": "summary", "title": "Summary", "body": "Draft."}]})

    def sign_in_again(self) -> None:
        response = requests.post(f"{self.url}/api/v1/session", json={"email": self.me["user"]["email"], "password": PASSWORD}, timeout=60)
        self.outcomes.saw_http("sign in", response)


def _bystander(url: str, stop, results) -> None:
    """In a process of its own, so that the writers' threads cannot delay its own clock."""
    latencies, failures = [], []
    with requests.Session() as session:
        session.get(f"{url}/healthz", timeout=30)  # warm up: the client's own first-call costs are not the server's
        while not stop.is_set():
            started = time.perf_counter()
            response = session.get(f"{url}/healthz", timeout=30)
            latencies.append((time.perf_counter() - started) * 1000)
            if response.status_code != 200:
                failures.append(("healthz", response.status_code))
            stop.wait(0.05)
    results.put((latencies, failures))


def _loop(writer: Writer, outcomes: Outcomes, stop: threading.Event, offset: int) -> None:
    operations = writer.operations()
    for step in itertools.count(offset):
        if stop.is_set():
            return
        try:
            operations[step % len(operations)]()
        except Exception as exc:  # a timeout or a dropped connection is a finding, not a crash of the driver
            outcomes.unexpected.append((operations[step % len(operations)].__name__, repr(exc)))


def run_writers(server, seconds: float) -> Outcomes:
    outcomes = Outcomes()
    facilitators = [Facilitator(server, FACILITATOR, outcomes) for _ in range(FACILITATOR_CLIENTS)]
    workshop = facilitators[0].http.get(f"{server.url}/api/v1/workshops/1", timeout=30).json()
    if workshop["rounds"][0]["status"] == "pending":  # `bench abuse` opens it first
        assert facilitators[0].emit("open_round", {"round_id": workshop["rounds"][0]["id"]})["ok"]
    workshop = facilitators[0].http.get(f"{server.url}/api/v1/workshops/1", timeout=30).json()
    members = [Member(server, email, outcomes) for email in MEMBERS]
    writers: list[Writer] = [*facilitators, *members]
    for writer in writers:
        writer.setup(workshop)
    spawn = multiprocessing.get_context("spawn")
    bystander_stop, bystander_results = spawn.Event(), spawn.Queue()
    bystander = spawn.Process(target=_bystander, args=(server.url, bystander_stop, bystander_results))
    bystander.start()
    stop = threading.Event()
    threads = [threading.Thread(target=_loop, args=(w, outcomes, stop, i)) for i, w in enumerate(writers)]
    for thread in threads:
        thread.start()
    time.sleep(seconds)
    stop.set()
    bystander_stop.set()
    for thread in threads:
        thread.join(120)
    outcomes.healthz_ms, failures = bystander_results.get(timeout=60)
    outcomes.unexpected.extend(failures)
    bystander.join(10)
    for writer in writers:
        writer.live.close()
    return outcomes

"""`python -m bench abuse`: each attack of issue 9 against the README's server while a bystander
room of two members exchanges feedback; the bystander's figures beside its figures with no
attack. tests/test_bounded_work.py runs the same attacks and asserts on what they return.

Every attack takes a started server whose demo round is open, does its harm, and returns what
the attacker was answered (the figures that show the clear refusals).
"""
from __future__ import annotations

import argparse
import socket
import tempfile
import threading
import time
import uuid
from collections import Counter
from pathlib import Path

import requests
import socketio
import websocket

from bench.bystander import Bystander
from bench.common import report
from bench.writers import run_writers
from tests.support.live_client import LiveClient
from tests.support.servers import CollabServer

PASSWORD = "workshop-demo-2026"
FACILITATOR = "facilitator@collab.example"
RUTA = "ruta.jankauskiene@klaipeda.collab.example"  # KLAIPEDA, Room 2 of the demo


def open_demo_round(server) -> None:
    facilitator = LiveClient(server, server.login(FACILITATOR, PASSWORD))
    round_id = facilitator.call("join_workshop", {"workshop_id": 1})["workshop"]["rounds"][0]["id"]
    assert facilitator.call("open_round", {"round_id": round_id})["ok"]


def own_plan(server, email: str = RUTA) -> tuple[requests.Session, dict]:
    """A member's session and their partner's plan (found through the round's rooms)."""
    session = server.login(email, PASSWORD)
    partner_id = session.get(f"{server.url}/api/v1/me", timeout=30).json()["partners"][0]["id"]
    rooms = session.get(f"{server.url}/api/v1/workshops/1", timeout=30).json()["rounds"][0]["rooms"]
    plan_ids = next(room["plan_ids"] for room in rooms if partner_id in room["partner_ids"])
    plans = [session.get(f"{server.url}/api/v1/plans/{plan_id}", timeout=30).json() for plan_id in plan_ids]
    return session, next(plan for plan in plans if plan["partner_id"] == partner_id)


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def nothing(server) -> dict:
    time.sleep(5)
    return {}


def concurrent_writers(server) -> dict:
    outcomes = run_writers(server, 15)
    return {"writes": sum(outcomes.http.values()) + sum(outcomes.acks.values()), "unexpected": len(outcomes.unexpected),
            "server_errors": sum(n for (_op, status), n in outcomes.http.items() if status >= 500 and status != 503)}


def pathological_markdown(server) -> dict:
    """19 sections of `![` x 50,000 saved (rendered once, in a thread), the page opened 5 times;
    and Markdown nested 200 deep, refused."""
    session, plan = own_plan(server)
    nested = session.post(f"{server.url}/api/v1/plans/{plan['id']}/versions", timeout=60, json={
        "base_version": plan["latest_version"], "sections": [{"key": "deep", "title": "Deep", "body": ">" * 200 + " a"}]})
    sections = [{"key": f"s{i}", "title": f"Section {i}", "body": "![" * 50_000} for i in range(19)]
    saved = session.post(f"{server.url}/api/v1/plans/{plan['id']}/versions", timeout=60,
                         json={"base_version": plan["latest_version"], "sections": sections})
    views = []
    for _ in range(5):
        started = time.perf_counter()
        page = session.get(f"{server.url}/plans/{plan['id']}", timeout=60)
        views.append((page.status_code, round((time.perf_counter() - started) * 1000)))
    return {"nested": nested.status_code, "nested_fields": list(nested.json().get("error", {}).get("fields", {})),
            "saved": saved.status_code, "views": views}


def socket_flood(server, sockets: int = 8, per_socket: int = 100) -> dict:
    """One user fires `per_socket` feedback items from each of `sockets` sockets without waiting."""
    session = server.login(RUTA, PASSWORD)
    clients = [LiveClient(server, session, reconnection=False) for _ in range(sockets)]
    room = clients[0].call("join_workshop", {"workshop_id": 1})["my_room_id"]
    plan = next(p for p in clients[0].call("join_room", {"room_id": room})["plans"] if "Klaip" not in p["title"])
    acks: list[dict] = []
    for client in clients:
        for _ in range(per_socket):
            client.sio.emit("submit_feedback", {"client_id": str(uuid.uuid4()), "room_id": room, "plan_id": plan["id"],
                                                "section_key": plan["sections"][0]["key"], "kind": "question", "body": "Flood"},
                            callback=acks.append)
    deadline = time.monotonic() + 120
    while len(acks) < sockets * per_socket and time.monotonic() < deadline:
        time.sleep(0.2)
    for client in clients:
        client.close()
    return {"sent": sockets * per_socket, "answers": dict(Counter(a.get("error", {}).get("code", "ok") for a in acks))}


def expensive_pages(server, seconds: float = 8) -> dict:
    """8 threads of one user on the dossier, an export, a feedback list and the timeline."""
    session, plan = own_plan(server)
    statuses: Counter = Counter()
    retry_after: set[str | None] = set()
    stop = threading.Event()

    def hammer(path: str) -> None:
        with requests.Session() as own:
            own.cookies.update(session.cookies)
            while not stop.is_set():
                response = own.get(f"{server.url}{path}", timeout=60)
                statuses[response.status_code] += 1
                if response.status_code == 429:
                    retry_after.add(response.headers.get("Retry-After"))

    paths = [f"/plans/{plan['id']}/dossier", "/api/v1/workshops/1/feedback.json", f"/plans/{plan['id']}/feedback", "/workshops/1/timeline"] * 2
    threads = [threading.Thread(target=hammer, args=(path,)) for path in paths]
    for thread in threads:
        thread.start()
    time.sleep(seconds)
    stop.set()
    for thread in threads:
        thread.join(60)
    return {"statuses": dict(statuses), "retry_after": sorted(v or "" for v in retry_after), "plan_id": plan["id"]}


def slow_connections(server, count: int = 1000, wait: float = 6) -> dict:
    """`count` TCP connections that send nothing, or headers that never end."""
    idle = []
    for n in range(count):
        conn = socket.create_connection(("127.0.0.1", server.port), timeout=10)
        if n % 2:
            conn.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n")
        idle.append(conn)
    time.sleep(wait)
    closed = 0
    for conn in idle:
        conn.settimeout(0.5)
        try:
            closed += conn.recv(1024) == b""
        except (ConnectionResetError, socket.timeout):
            pass
        conn.close()
    return {"opened": count, "closed_by_server": closed}


def many_sockets(server, limit: int) -> dict:
    """One user opens sockets up to the limit, then one more."""
    session = server.login(RUTA, PASSWORD)
    clients = [LiveClient(server, session, reconnection=False) for _ in range(limit)]
    refused = socketio.Client(reconnection=False, websocket_extra_options={"suppress_origin": True})
    errors: list = []
    refused.on("connect_error", errors.append)
    try:
        refused.connect(server.url, headers={"Origin": server.url, "Cookie": server.cookie_header(session)},
                        transports=["websocket"], wait_timeout=5)
        one_more = "connected"
    except socketio.exceptions.ConnectionError:
        one_more = errors[0]["message"] if errors and isinstance(errors[0], dict) else "refused"
    clients[0].close()
    time.sleep(0.5)
    after_closing_one = LiveClient(server, session, reconnection=False).call("join_workshop", {"workshop_id": 1})["ok"]
    return {"opened": limit, "one_more": one_more, "after_closing_one": after_closing_one}


def binary_attachments(server, connections: int = 10, frames: int = 100) -> dict:
    """Signed-in sockets announce a binary attachment, then stream 60 KB frames."""
    session = server.login(RUTA, PASSWORD)
    before = rss_mb(server.proc.pid)
    host = server.url.removeprefix("http://")
    closed = 0
    for _ in range(connections):
        ws = websocket.create_connection(f"ws://{host}/socket.io/?EIO=4&transport=websocket", timeout=10,
                                         header=[f"Cookie: {server.cookie_header(session)}"], origin=server.url)
        ws.recv()  # engine.io open
        ws.send("40")
        ws.recv()  # socket.io connected
        ws.send('451-["submit_feedback",{"_placeholder":true,"num":0}]')
        closed += _closed_while_sending(ws, frames)
        ws.close()
    return {"connections": connections, "closed_by_server": closed, "rss_growth_mb": round(rss_mb(server.proc.pid) - before, 1)}


def _closed_while_sending(ws, frames: int) -> bool:
    """Did the server close the connection (a close frame, a reset) instead of buffering?"""
    try:
        for _ in range(frames):
            ws.send_binary(b"x" * 60_000)
        ws.settimeout(5)
        while True:
            opcode, _data = ws.recv_data(control_frame=True)
            if opcode == websocket.ABNF.OPCODE_CLOSE:
                return True
    except (websocket.WebSocketException, OSError):
        return True


# name -> (attack, server settings it needs)
ATTACKS = {
    "none": (nothing, {}),
    "concurrent-writers": (concurrent_writers, {}),
    "pathological-markdown": (pathological_markdown, {}),
    "socket-flood": (socket_flood, {"SOCKET_EVENTS_PER_SECOND": "5", "SOCKET_EVENTS_BURST": "50"}),
    "expensive-pages": (expensive_pages, {}),
    "slow-connections": (slow_connections, {"HTTP_SOCKET_TIMEOUT": "3", "MAX_CONNECTIONS": "3000"}),
    "many-sockets": (lambda server: many_sockets(server, 20), {}),
    "binary-attachments": (binary_attachments, {}),
}


def run(argv: list[str], save: bool) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench abuse")
    parser.add_argument("--only", nargs="*", choices=sorted(ATTACKS), help="run these attacks (default: all)")
    args = parser.parse_args(argv)
    lines = []
    for name in args.only or list(ATTACKS):
        attack, env = ATTACKS[name]
        server = CollabServer(Path(tempfile.mkdtemp(prefix="collab-abuse-")), env, demo=True).setup()
        try:
            open_demo_round(server)
            with Bystander(server) as bystander:
                answers = attack(server)
            lines.append({"attack": name, "bystander_healthz_ms": bystander.percentiles(bystander.healthz_ms),
                          "bystander_fanout_ms": bystander.percentiles(bystander.feedback_ms), "bystander_lost": bystander.lost,
                          "attacker_answers": answers})
        except Exception as exc:  # a server that falls over under an attack is a figure too
            lines.append({"attack": name, "failed": repr(exc)[:300]})
        finally:
            server.close()
    report("abuse", lines, save)
    print("\nattack                  bystander /healthz p50/p99 ms   fan-out p50/p99 ms")
    for line in lines:
        if "failed" in line:
            print(f"  {line['attack']:<22} failed: {line['failed'][:80]}")
            continue
        h, f = line["bystander_healthz_ms"], line["bystander_fanout_ms"]
        print(f"  {line['attack']:<22} {h['p50']:>8.1f} / {h['p99']:<8.1f}        {f['p50']:>7.1f} / {f['p99']:.1f}")
    return 0

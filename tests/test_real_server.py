"""The real server, started as the README says, driven over HTTP and real Socket.IO clients."""
from __future__ import annotations

import shutil
import socket
import sqlite3
import threading
import time
from contextlib import closing
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
import requests
import socketio

from tests.support.live_client import LiveClient

PASSWORD = "workshop-demo-2026"
FACILITATOR = "facilitator@collab.example"
RUTA = "ruta.jankauskiene@klaipeda.collab.example"  # KLAIPEDA, room 2 of the demo round
TOMASZ = "tomasz.szczepanski@rrda.collab.example"  # RRDA, room 2
AGNES = "agnes.szoke@pannon.collab.example"  # PANNON, room 3


@pytest.fixture
def server(collab_server):
    return collab_server(demo=True, ROUND_GRACE_SECONDS="1", TIMER_POLL_SECONDS="0.2")


def _demo_round(server) -> tuple[int, dict]:
    session = server.login(FACILITATOR, PASSWORD)
    workshop = session.get(f"{server.url}/api/v1/workshops/1").json()
    rnd = workshop["rounds"][0]
    return rnd["id"], {room["name"]: room["id"] for room in rnd["rooms"]}


def test_sign_in_over_http_and_see_the_plans(server):
    login_page = requests.get(f"{server.url}/login", timeout=10)
    assert login_page.status_code == 200 and "Sign in" in login_page.text
    assert "script-src 'self'" in login_page.headers["Content-Security-Policy"]
    session = server.login(RUTA, PASSWORD)
    me = session.get(f"{server.url}/api/v1/me").json()
    assert me["user"]["email"] == RUTA and me["partners"][0]["short_name"] == "KLAIPEDA"
    dashboard = session.get(f"{server.url}/")
    assert dashboard.status_code == 200 and "Delivering KEDS" in dashboard.text
    facilitator = server.login(FACILITATOR, PASSWORD)
    assert facilitator.get(f"{server.url}/").text.count("/plans/") >= 6
    assert session.delete(f"{server.url}/api/v1/session").status_code == 204
    assert session.get(f"{server.url}/api/v1/me").status_code == 401


def test_foreign_origin_is_refused_even_with_a_valid_cookie(server):
    session = server.login(RUTA, PASSWORD)
    with pytest.raises(socketio.exceptions.ConnectionError):
        LiveClient(server, session, origin="http://evil.test", reconnection=False)


def test_anonymous_and_tampered_cookies_are_refused(server):
    with pytest.raises(socketio.exceptions.ConnectionError):
        LiveClient(server, None, reconnection=False)
    session = server.login(RUTA, PASSWORD)
    for cookie in session.cookies:
        cookie.value = cookie.value[:-4] + "AAAA"
    with pytest.raises(socketio.exceptions.ConnectionError):
        LiveClient(server, session, reconnection=False)


def test_logout_disconnects_that_sessions_sockets(server):
    session = server.login(RUTA, PASSWORD)
    client = LiveClient(server, session, reconnection=False)
    assert client.call("join_workshop", {"workshop_id": 1})["ok"]
    started = time.monotonic()
    assert session.delete(f"{server.url}/api/v1/session").status_code == 204
    while client.sio.connected and time.monotonic() - started < 1:
        time.sleep(0.02)
    assert not client.sio.connected, "socket still open 1 s after logout"
    with pytest.raises(socketio.exceptions.ConnectionError):
        LiveClient(server, session, reconnection=False)  # the old cookie opens nothing


def test_round_closes_on_time_with_no_facilitator_connected(server):
    round_id, rooms = _demo_round(server)
    facilitator = LiveClient(server, server.login(FACILITATOR, PASSWORD))
    ruta = LiveClient(server, server.login(RUTA, PASSWORD))
    assert ruta.call("join_workshop", {"workshop_id": 1})["ok"]
    assert facilitator.call("open_round", {"round_id": round_id})["ok"]
    ruta.wait_for("room_assigned")
    facilitator.close()  # the facilitator's browser is gone
    # The deadline lives in the database: bring it forward to two seconds from now.
    db_path = server.database_url.removeprefix("sqlite:///")
    ends_at = datetime.now(timezone.utc) + timedelta(seconds=2)
    with sqlite3.connect(db_path) as conn:
        conn.execute("UPDATE rounds SET ends_at = ? WHERE id = ?", (ends_at.strftime("%Y-%m-%d %H:%M:%S.%f"), round_id))
    closing = ruta.wait_for("round_closing", timeout=10)
    assert closing["round_id"] == round_id
    ruta.wait_for("round_closed", timeout=10)
    closed_at = datetime.now(timezone.utc)
    assert ends_at - timedelta(seconds=0.5) <= closed_at <= ends_at + timedelta(seconds=3)
    state = requests.Session()
    state.cookies = server.login(RUTA, PASSWORD).cookies
    assert state.get(f"{server.url}/api/v1/workshops/1/rounds/{round_id}").json()["status"] == "closed"


def test_dropped_client_gets_every_missed_event_once_after_resume(server):
    round_id, rooms = _demo_round(server)
    facilitator = LiveClient(server, server.login(FACILITATOR, PASSWORD))
    assert facilitator.call("open_round", {"round_id": round_id})["ok"]
    ruta_session, tomasz_session = server.login(RUTA, PASSWORD), server.login(TOMASZ, PASSWORD)
    ruta, tomasz = LiveClient(server, ruta_session), LiveClient(server, tomasz_session, reconnection=False)
    room = rooms["Room 2"]
    joined = tomasz.call("join_room", {"room_id": room})
    assert joined["ok"]
    assert ruta.call("join_room", {"room_id": room})["ok"]
    plan_id = next(p["id"] for p in joined["plans"] if p["title"].startswith("Delivering KEDS"))
    keys = [s["key"] for s in next(p for p in joined["plans"] if p["id"] == plan_id)["sections"]]
    presentation = ruta.call("start_presentation", {"room_id": room, "plan_id": plan_id})["presentation"]
    tomasz.wait_for("presentation_started")
    last_seen = max(data["seq"] for _n, data in tomasz.events)
    tomasz.close()  # the connection drops while the presenter goes on
    for key in keys[1:5]:
        assert ruta.call("show_section", {"presentation_id": presentation["id"], "section_key": key})["ok"]
    again = LiveClient(server, tomasz_session, reconnection=False)
    assert again.call("join_room", {"room_id": room})["ok"]
    result = again.call("resume", {"workshop_id": 1, "after_seq": last_seen})
    assert result["ok"]
    # The rejoin's own live events may arrive before the replay and again inside it; as the
    # contract says, the client keeps the first copy of each seq and orders by seq.
    replay = again.events[-result["replayed"]:]
    assert [data["seq"] for _n, data in replay] == sorted({data["seq"] for _n, data in replay})
    kept: dict[int, tuple[str, dict]] = {}
    for name, data in again.events:
        kept.setdefault(data["seq"], (name, data))
    missed = [kept[seq] for seq in sorted(kept) if seq > last_seen]
    assert [data["section_key"] for name, data in missed if name == "section_shown"] == keys[1:5]
    assert max(kept) == result["last_seq"]


def test_clients_reconnect_into_their_rooms_after_kill_9(server):
    round_id, rooms = _demo_round(server)
    facilitator = LiveClient(server, server.login(FACILITATOR, PASSWORD))
    assert facilitator.call("open_round", {"round_id": round_id})["ok"]
    room = rooms["Room 2"]
    clients = [LiveClient(server, server.login(email, PASSWORD)) for email in (RUTA, TOMASZ)]
    rejoined = {client: threading.Event() for client in clients}
    for client in clients:
        assert client.call("join_workshop", {"workshop_id": 1})["my_room_id"] == room

        def rejoin(client=client):
            # What the room page does on reconnect: back to the room the database says.
            ack = client.call("join_workshop", {"workshop_id": 1})
            if client.call("join_room", {"room_id": ack["my_room_id"]})["ok"]:
                rejoined[client].set()

        client.on_reconnect = rejoin
        assert client.call("join_room", {"room_id": room})["ok"]
    server.kill()
    server.start()
    for client in clients:
        assert rejoined[client].wait(30), "client did not get back into its room"
    ruta, tomasz = clients
    presence = ruta.call("join_room", {"room_id": room})
    assert {u["name"] for u in presence["presence"]["users"]} == {"Rūta Jankauskienė", "Tomasz Szczepański"}
    plan_id = presence["plans"][0]["id"]
    ack = ruta.call("start_presentation", {"room_id": room, "plan_id": plan_id})
    assert ack["ok"], ack
    tomasz.wait_for("presentation_started", lambda d: d["presentation"]["id"] == ack["presentation"]["id"])


def _items_in_database_file_alone(database: Path, scratch: Path, wait: float = 5) -> int:
    """Items posted in this test's room that a copy of the database file (not its log) holds,
    once that number stops rising or `wait` seconds have passed."""
    deadline, found = time.monotonic() + wait, -1
    while time.monotonic() < deadline:
        copy = scratch / f"alone-{time.monotonic_ns()}.db"
        shutil.copyfile(database, copy)
        with closing(sqlite3.connect(copy)) as conn:
            found = conn.execute("SELECT count(*) FROM feedback_items WHERE body LIKE 'Point %'").fetchone()[0]
        if found == 200:
            break
        time.sleep(0.2)
    return found


def test_two_hundred_items_fired_without_waiting_are_all_stored_in_seq_order(collab_server, tmp_path):
    import uuid

    # Default ping settings: a busy loop on a loaded CI machine must not look like a dead client.
    server = collab_server(demo=True)
    round_id, rooms = _demo_round(server)
    facilitator = LiveClient(server, server.login(FACILITATOR, PASSWORD))
    assert facilitator.call("open_round", {"round_id": round_id})["ok"]
    room = rooms["Room 2"]
    ruta = LiveClient(server, server.login(RUTA, PASSWORD))
    tomasz_session = server.login(TOMASZ, PASSWORD)
    tomasz = LiveClient(server, tomasz_session)
    plan_id = next(p["id"] for p in ruta.call("join_room", {"room_id": room})["plans"] if p["title"].startswith("Delivering KEDS"))
    assert tomasz.call("join_room", {"room_id": room})["ok"]
    acks: list[dict] = []
    done = threading.Event()

    def acked(ack):
        acks.append(ack)
        if len(acks) == 200:
            done.set()

    database = Path(server.database_url.removeprefix("sqlite:///"))
    for n in range(200):  # no waiting between sends
        tomasz.sio.emit("submit_feedback", {"client_id": str(uuid.uuid4()), "room_id": room, "plan_id": plan_id,
                                            "section_key": "executive-summary", "kind": "suggestion", "body": f"Point {n}"}, callback=acked)
    assert done.wait(60), f"{len(acks)} acks"
    assert all(a["ok"] for a in acks), [a for a in acks if not a["ok"]][:3]
    owner = requests.Session()
    owner.cookies = server.login(RUTA, PASSWORD).cookies
    # This workshop's items: the demo's past session left general feedback on the plan too.
    stored = owner.get(f"{server.url}/api/v1/plans/{plan_id}/feedback?workshop_id=1&limit=500").json()["items"]
    assert len(stored) == 200
    assert sorted(item["body"] for item in stored) == sorted(f"Point {n}" for n in range(200))
    # Stored in the order of the log: ids and seqs rise together, no gaps in what was acked.
    assert [item["id"] for item in sorted(stored, key=lambda item: item["seq"])] == sorted(item["id"] for item in stored)
    assert sorted(a["feedback"]["seq"] for a in acks) == sorted(item["seq"] for item in stored)
    deadline = time.monotonic() + 10
    while len(ruta.named("feedback_added")) < 200 and time.monotonic() < deadline:
        time.sleep(0.05)
    # Every acked item reached the room once. (Not their order as seen here: python-socketio's
    # threaded client hands each incoming message to a thread of its own, so two messages that
    # arrived in order can be recorded the other way round on a busy machine.)
    seqs = [data["seq"] for data in ruta.named("feedback_added")]
    assert sorted(seqs) == sorted(a["feedback"]["seq"] for a in acks) and len(set(seqs)) == 200
    # All of them reach the database file itself (a copy of it alone, without the write-ahead
    # log, holds them) within a second or two: the server's checkpoint runs in a thread every
    # second. SQLite's own ran in a commit on the event loop, each time the log passed 1,000 pages.
    assert _items_in_database_file_alone(database, tmp_path) == 200


def test_a_socket_whose_sign_in_session_expires_is_disconnected_by_the_servers_sweep(collab_server):
    server = collab_server(demo=True, SESSION_RECHECK_SECONDS="0.5", TIMER_POLL_SECONDS="0.2")
    expiring, staying = LiveClient(server, server.login(RUTA, PASSWORD), reconnection=False), \
        LiveClient(server, server.login(TOMASZ, PASSWORD), reconnection=False)
    long_ago = (datetime.now(timezone.utc) - timedelta(days=400)).strftime("%Y-%m-%d %H:%M:%S.%f")
    with sqlite3.connect(server.database_url.removeprefix("sqlite:///")) as conn:
        conn.execute("UPDATE auth_sessions SET created_at = ? WHERE user_id = (SELECT id FROM users WHERE email = ?)", (long_ago, RUTA))
    deadline = time.monotonic() + 10
    while expiring.sio.connected and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not expiring.sio.connected
    assert staying.sio.connected and staying.call("join_workshop", {"workshop_id": 1})["ok"] is True


def test_a_websocket_is_opened_without_compression_though_the_browser_offers_it(server):
    """Every browser offers permessage-deflate. Accepted, each socket kept 274 KiB of server
    memory instead of 103, and every frame was compressed on the one event loop (the feedback
    p99 of `bench workshop` at 37 ms instead of 25)."""
    with socket.create_connection(("127.0.0.1", server.port), timeout=10) as conn:
        conn.sendall((f"GET /socket.io/?EIO=4&transport=websocket HTTP/1.1\r\nHost: 127.0.0.1:{server.port}\r\n"
                      f"Origin: {server.url}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\n"
                      "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                      "Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits\r\n\r\n").encode())
        reply = b""
        while b"\r\n\r\n" not in reply:
            chunk = conn.recv(4096)
            assert chunk, f"connection closed during the handshake: {reply!r}"
            reply += chunk
    head = reply.split(b"\r\n\r\n")[0].decode().lower()
    assert head.startswith("http/1.1 101"), head
    assert "sec-websocket-extensions" not in head, head

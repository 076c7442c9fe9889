"""Security findings of issue 10 against the real server, started as the README says."""
from __future__ import annotations

import json
import os
import socket
import sqlite3
import subprocess
import sys
import uuid

import pytest
import requests
import urllib3
import websocket

from tests.support.live_client import LiveClient
from tests.support.raw_socket import RawSocket
from tests.support.servers import REPO_ROOT, CollabServer, CollabServerError, free_port

PASSWORD = "workshop-demo-2026"
FACILITATOR = "facilitator@collab.example"
RUTA = "ruta.jankauskiene@klaipeda.collab.example"


@pytest.fixture
def server(collab_server):
    # A small flood-guard budget that does not refill during the test, to see it survive.
    return collab_server(demo=True, SOCKET_EVENTS_BURST="4", SOCKET_EVENTS_PER_SECOND="0.01")


def test_client_sent_disconnect_event_changes_nothing(server):
    session = server.login(RUTA, PASSWORD)
    raw = RawSocket(server, session)
    for _ in range(4):
        assert raw.call("join_workshop", {"workshop_id": 1})["ok"]
    assert raw.call("join_workshop", {"workshop_id": 1})["error"]["code"] == "rate_limited"

    for reserved in ("disconnect", "connect"):
        assert raw.call(reserved).get("error", {}).get("code") == "bad_request", f"{reserved} reached the app"
    assert raw.call("join_workshop", {"workshop_id": 1})["error"]["code"] == "rate_limited", "budget was reset"

    assert session.delete(f"{server.url}/api/v1/session").status_code == 204
    raw.frames_until_closed(timeout=3)  # sign-out still finds and evicts this socket
    facilitator = LiveClient(server, server.login(FACILITATOR, PASSWORD))
    assert facilitator.call("broadcast", {"workshop_id": 1, "message": "after sign-out"})["ok"]
    facilitator.wait_for("announcement")
    assert not any("announcement" in frame for frame in raw.frames_for(0.5))


def _seed_feedback(server, body: str = "Clear **targets**.") -> None:
    """Feedback from the facilitator on every plan, each answered by the plan's owner (Rūta's here)."""
    reader = server.login(FACILITATOR, PASSWORD)
    facilitator = LiveClient(server, reader)
    session = server.login(RUTA, PASSWORD)
    mine = session.get(f"{server.url}/api/v1/me").json()["partners"][0]["id"]
    owner = LiveClient(server, session)
    plan_id = 1
    while (plan := reader.get(f"{server.url}/api/v1/plans/{plan_id}").json()).get("id"):
        ack = facilitator.call("submit_feedback", {"client_id": str(uuid.uuid4()), "plan_id": plan_id, "kind": "concern",
                                                   "section_key": plan["sections"][0]["key"], "body": body})
        assert ack["ok"], ack
        if plan["partner_id"] == mine:
            answer = {"feedback_id": ack["feedback"]["id"], "status": "declined", "response": "Not in *scope*."}
            assert owner.call("respond_feedback", answer)["ok"]
        plan_id += 1


def test_exports_download_whole_on_the_real_server(collab_server):
    server = collab_server(demo=True)
    _seed_feedback(server)
    for email in (FACILITATOR, RUTA):
        session = server.login(email, PASSWORD)
        partner_id = session.get(f"{server.url}/api/v1/me").json()["partners"][0]["id"] if email == RUTA else 1
        plan_id = next(i for i in range(1, 20) if session.get(f"{server.url}/api/v1/plans/{i}").json().get("partner_id") == partner_id)
        for base in (f"/api/v1/plans/{plan_id}/feedback", "/api/v1/workshops/1/feedback"):
            items = session.get(f"{server.url}{base}.json", timeout=30)
            assert items.status_code == 200, items.text[:2000]
            count = len(items.json()["items"])
            csv_file = session.get(f"{server.url}{base}.csv", timeout=30)
            markdown = session.get(f"{server.url}{base}.md", timeout=30)
            for response in (csv_file, markdown):
                assert response.status_code == 200
                assert "Traceback" not in response.text and "File \"" not in response.text, response.text[-2000:]
            assert markdown.text.startswith("# ") and markdown.text.count("\n- **") == count
            assert csv_file.text.count("\r\n") >= count + 1


def test_a_failure_while_streaming_sends_no_traceback(collab_server):
    server = collab_server(demo=True)
    _seed_feedback(server)
    session = server.login(FACILITATOR, PASSWORD)
    database = server.database_url.removeprefix("sqlite:///")
    with sqlite3.connect(database) as conn:  # a row the export cannot read, found after the headers went out
        conn.execute("UPDATE feedback_items SET created_at = 'not a time' WHERE id = (SELECT max(id) FROM feedback_items)")
    received = b""
    try:
        with session.get(f"{server.url}/api/v1/workshops/1/feedback.md", stream=True, timeout=30) as response:
            for chunk in response.raw.stream(1024, decode_content=True):
                received += chunk
    except (requests.RequestException, urllib3.exceptions.HTTPError):
        pass  # the connection is cut: the client sees a broken download, never our internals
    assert b"Traceback" not in received and b".py" not in received, received[-1500:]


def test_a_second_server_started_elsewhere_on_a_relative_database_url_refuses_to_start(collab_server, tmp_path):
    """A relative SQLite path in DATABASE_URL is the instance folder's (Flask-SQLAlchemy); the
    lock was taken in the working directory, so two servers started from two folders both
    served the one file."""
    first = collab_server(COLLAB_INSTANCE=str(tmp_path / "instance"), DATABASE_URL="sqlite:///relative.db")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    second = subprocess.run([sys.executable, str(REPO_ROOT / "wsgi.py")], cwd=elsewhere, env={**first.env, "PORT": str(free_port())},
                            stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=60)
    assert second.returncode == os.EX_TEMPFAIL, second.stdout + second.stderr
    assert "already serving" in second.stderr
    assert (tmp_path / "instance" / "relative.db.server.lock").exists()
    assert requests.get(f"{first.url}/healthz", timeout=5).status_code == 200


def test_second_server_on_the_same_database_refuses_to_start(collab_server, tmp_path):
    first = collab_server(demo=True)
    client = LiveClient(first, first.login(RUTA, PASSWORD))
    assert client.call("join_workshop", {"workshop_id": 1})["ok"]
    second = CollabServer(first.workdir, {}, init=False)
    try:
        with pytest.raises(CollabServerError) as refused:
            second.start()
    finally:
        second.stop()  # had it started, it must not outlive the test
    assert f"exited with {os.EX_TEMPFAIL}" in str(refused.value)
    assert "already serving" in str(refused.value)
    # The first server's clients did not notice: their connection is still known.
    assert client.call("join_workshop", {"workshop_id": 1})["ok"]
    assert requests.get(f"{first.url}/healthz", timeout=5).status_code == 200
    # The command line works next to the running server.
    first.run_cli("init-db")
    first.run_cli("demo")
    first.run_cli("backup", str(tmp_path / "copy.db"))
    assert sqlite3.connect(tmp_path / "copy.db").execute("PRAGMA integrity_check").fetchone() == ("ok",)
    assert client.call("join_workshop", {"workshop_id": 1})["ok"]


@pytest.mark.parametrize("body", [b"", b"9", b"x", b"\xff", b"\x1e".join([b"6"] * 17)],
                         ids=["over the size limit, body never sent", "unknown packet type", "not a packet", "not UTF-8",
                              "more packets than engine.io takes"])
def test_a_bad_polling_post_is_answered_and_frees_its_connection(collab_server, body):
    """A Socket.IO session over long-polling, then a POST that engine.io refuses (over the
    message size, or a packet type it does not know). engine.io then closed the session and
    waited for a polling GET to collect its CLOSE packet: the request was never answered and
    its connection was held for good, so that a few thousand of them (or MAX_CONNECTIONS)
    left the worker answering nobody (found by an outside tester). A payload engine.io could
    not decode at all was answered 200, logged with a traceback, and its session read on."""
    server = collab_server(demo=True, MAX_CONNECTIONS="12")
    session = server.login(RUTA, PASSWORD)
    session.headers["Origin"] = server.url
    cookie = "; ".join(f"{c.name}={c.value}" for c in session.cookies)
    length = 65_537 if not body else len(body)
    for _ in range(15):  # more than MAX_CONNECTIONS: each must have been freed
        opened = session.get(f"{server.url}/socket.io/?EIO=4&transport=polling", timeout=10)
        sid = json.loads(opened.text[1:])["sid"]
        polling = f"/socket.io/?EIO=4&transport=polling&sid={sid}"
        assert session.post(f"{server.url}{polling}", data=b"40", timeout=10).status_code == 200
        with socket.create_connection(("127.0.0.1", server.port), timeout=10) as conn:
            conn.sendall((f"POST {polling} HTTP/1.1\r\nHost: 127.0.0.1:{server.port}\r\nOrigin: {server.url}\r\nCookie: {cookie}\r\n"
                          f"Content-Type: text/plain\r\nContent-Length: {length}\r\n\r\n").encode() + body)
            conn.settimeout(5)
            assert conn.recv(100).startswith(b"HTTP/1.1 400"), "the refused POST was never answered"
        assert session.post(f"{server.url}{polling}", data=b"42", timeout=10).status_code == 400  # the session is closed
    assert requests.get(f"{server.url}/healthz", timeout=5).status_code == 200
    assert "Traceback" not in server.log_path.read_text()


@pytest.mark.parametrize("packet", ["4" + "9" * 200, "44", "42" + "[" * 60_000, '4\uff159999999999-["x"]', "4{}", "4-1"],
                         ids=["a 200-digit ack id", "a CONNECT_ERROR from the client", "JSON nested 60,000 deep",
                              "a binary packet typed with a full-width five", "a JSON object", "a number"])
def test_a_malformed_packet_closes_its_socket_with_one_log_line(server, packet):
    """engine.io logged a full traceback for every packet Socket.IO could not decode, and kept
    the socket open: one connection wrote about 1 MB of log per thousand frames (found by
    outside testers)."""
    raw = RawSocket(server, server.login(RUTA, PASSWORD))
    for _ in range(50):
        try:
            raw.ws.send(packet)
        except (OSError, websocket.WebSocketException):  # closed (or no longer read) by the server
            break
    raw.frames_until_closed(timeout=5)
    log = server.log_path.read_text()
    assert "Traceback" not in log
    assert log.count("malformed Socket.IO packet") == 1
    assert requests.get(f"{server.url}/healthz", timeout=5).status_code == 200


def test_closing_a_polling_socket_leaves_the_connection_its_handshake_came_on(server):
    """A polling session's handshake connection may carry someone else's requests later (a
    browser or a proxy keeps it alive). Closing a session for a bad packet shut that connection
    down, cutting another session's long-poll in flight (found by an outside tester)."""
    shared = socket.create_connection(("127.0.0.1", server.port), timeout=10)
    head = f"Host: 127.0.0.1:{server.port}\r\nOrigin: {server.url}\r\n"

    def handshake(conn) -> str:
        conn.sendall(f"GET /socket.io/?EIO=4&transport=polling HTTP/1.1\r\n{head}\r\n".encode())
        reply = conn.recv(4096).decode()
        return json.loads(reply[reply.index("{"):reply.rindex("}") + 1])["sid"]

    def post(sid: str, body: str) -> bytes:
        with socket.create_connection(("127.0.0.1", server.port), timeout=10) as conn:
            conn.sendall((f"POST /socket.io/?EIO=4&transport=polling&sid={sid} HTTP/1.1\r\n{head}"
                          f"Content-Length: {len(body)}\r\n\r\n{body}").encode())
            return conn.recv(100)

    bad = handshake(shared)  # the bad session's handshake came on `shared`
    with socket.create_connection(("127.0.0.1", server.port), timeout=10) as conn:
        other = handshake(conn)
    shared.sendall(f"GET /socket.io/?EIO=4&transport=polling&sid={other} HTTP/1.1\r\n{head}\r\n".encode())
    post(bad, "4" + "9" * 200)  # closes the bad session (an ack id 200 digits long)
    assert post(other, "40").startswith(b"HTTP/1.1 200")  # answered on the other's pending GET
    shared.settimeout(5)
    assert shared.recv(4096).startswith(b"HTTP/1.1 200"), "the other session's long-poll was cut"
    shared.close()

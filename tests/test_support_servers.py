"""The real-server and browser fixtures work on their own, without the app."""

import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from tests.support.browser import sign_in
from tests.support.servers import free_port, require_or_skip


def test_free_port_is_bindable_and_not_repeated():
    ports = {free_port() for _ in range(20)}
    assert len(ports) == 20
    port = ports.pop()
    with socket.socket() as s:
        s.bind(("127.0.0.1", port))


def test_require_or_skip_fails_when_services_required(monkeypatch):
    monkeypatch.setenv("COLLAB_REQUIRE_SERVICES", "1")
    with pytest.raises(pytest.fail.Exception):
        require_or_skip("x")
    monkeypatch.delenv("COLLAB_REQUIRE_SERVICES")
    with pytest.raises(pytest.skip.Exception):
        require_or_skip("x")


def test_redis_answers_and_survives_stop_start(redis_server):
    assert redis_server.url == f"redis://127.0.0.1:{redis_server.port}/0"
    with redis_server.client() as r:
        assert r.ping()
        r.set("k", "v")
        assert r.get("k") == b"v"

    redis_server.stop()
    assert not redis_server.ping()

    redis_server.start()
    with redis_server.client() as r:
        assert r.ping()
        assert r.get("k") is None  # no persistence: a restart comes back empty


def test_redis_factory_gives_private_servers(redis_factory, redis_server):
    own = redis_factory()
    assert own.port != redis_server.port
    own.kill()
    assert not own.ping()
    assert redis_server.ping()  # the shared one is unaffected
    own.start()
    assert own.ping()


def test_postgres_create_insert_select(postgres_server):
    import psycopg

    with psycopg.connect(postgres_server.url) as conn:
        conn.execute("CREATE TABLE notes (id serial PRIMARY KEY, body text NOT NULL)")
        conn.execute("INSERT INTO notes (body) VALUES (%s), (%s)", ("hello", "wörld"))
        rows = conn.execute("SELECT body FROM notes ORDER BY id").fetchall()
    assert rows == [("hello",), ("wörld",)]


def test_postgres_new_database_is_empty_and_separate(postgres_server):
    import psycopg

    url = postgres_server.new_database()
    assert url.startswith(f"postgresql://postgres@127.0.0.1:{postgres_server.port}/")
    with psycopg.connect(url) as conn:
        conn.execute("CREATE TABLE t (x int)")
    # Same name again: dropped and made anew, empty.
    name = url.rsplit("/", 1)[1]
    assert postgres_server.new_database(name) == url
    with psycopg.connect(url) as conn:
        count = conn.execute(
            "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public'"
        ).fetchone()[0]
    assert count == 0


# --- browser: a tiny local login page stands in for the app ------------------------------

LOGIN_PAGE = b"""<!doctype html><title>login</title>
<form method="post" action="/login">
  <input name="email"><input name="password" type="password">
  <button type="submit">Sign in</button>
</form>"""


class _FakeApp(BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def _send(self, status, body=b"", headers=()):
        self.send_response(status)
        for k, v in headers:
            self.send_header(k, v)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):
        if self.path == "/login":
            return self._send(200, LOGIN_PAGE)
        if self.path == "/":
            cookie = self.headers.get("Cookie", "")
            who = cookie.split("user=", 1)[1] if "user=" in cookie else "nobody"
            return self._send(200, f"<h1 id=who>{who}</h1>".encode())
        self._send(404, b"not found")

    def do_POST(self):
        from urllib.parse import parse_qs

        length = int(self.headers.get("Content-Length", 0))
        form = parse_qs(self.rfile.read(length).decode())
        user = form["email"][0].split("@")[0]
        self._send(303, headers=[("Location", "/"), ("Set-Cookie", f"user={user}; Path=/")])


@pytest.fixture
def fake_app():
    server = ThreadingHTTPServer(("127.0.0.1", free_port()), _FakeApp)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_browser_two_users_signed_in_at_once(browser_page, fake_app):
    alice = browser_page(fake_app)
    bob = browser_page(fake_app)
    sign_in(alice, fake_app, "alice@example.test", "pw")
    sign_in(bob, fake_app, "bob@example.test", "pw")
    assert alice.viewport_size == {"width": 1280, "height": 800}
    alice.reload()
    assert alice.text_content("#who") == "alice"
    assert bob.text_content("#who") == "bob"

"""Fixtures that start real servers on loopback: redis-server, PostgreSQL and the Collab app.

Loaded by the main conftest with
``pytest_plugins = ["tests.support.servers", "tests.support.browser"]``.

Every server gets a free port and a private temp dir, so each test run (and each
test that asks for its own server) is isolated. When ``COLLAB_REQUIRE_SERVICES=1``
(set by scripts/test.sh in CI) a missing binary fails the test instead of skipping it.
"""

from __future__ import annotations

import glob
import os
import pwd
import re
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Callable, Iterator, Optional

import pytest
import requests

REPO_ROOT = Path(__file__).resolve().parents[2]
TEST_SECRET_KEY = "collab-tests-not-a-real-secret-key-0123456789abcdef"

# Variables that must come from the fixture, never from the developer's shell.
_SCRUBBED_ENV = (
    "DATABASE_URL",
    "SOCKETIO_MESSAGE_QUEUE",
    "HOST",
    "PORT",
    "COLLAB_CONFIG",
    "SECRET_KEY",
    "FLASK_APP",
    "FLASK_DEBUG",
)


# --------------------------------------------------------------------------- helpers

_handed_out_ports: set[int] = set()


def free_port() -> int:
    """Return a TCP port on 127.0.0.1 that is free now and not handed out before in this run."""
    for _ in range(100):
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        if port not in _handed_out_ports:
            _handed_out_ports.add(port)
            return port
    raise RuntimeError("could not find a free port")


def require_or_skip(reason: str) -> None:
    """Skip the test, or fail it when COLLAB_REQUIRE_SERVICES=1 (CI must not skip)."""
    if os.environ.get("COLLAB_REQUIRE_SERVICES") == "1":
        pytest.fail(f"required service unavailable: {reason}", pytrace=False)
    pytest.skip(reason)


def wait_until(predicate: Callable[[], bool], timeout: float, what: str, interval: float = 0.05) -> None:
    """Poll ``predicate`` until it returns true; raise TimeoutError after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        if predicate():
            return
        if time.monotonic() >= deadline:
            raise TimeoutError(f"timed out after {timeout:.0f}s waiting for {what}")
        time.sleep(interval)


def _tail(path: Path, lines: int = 60) -> str:
    try:
        text = path.read_text(errors="replace")
    except OSError:
        return "(no log)"
    return "\n".join(text.splitlines()[-lines:])


def _signal_group(proc: subprocess.Popen, sig: int) -> None:
    # Every server runs in its own session, so the whole tree (reloader children,
    # runuser + postgres, ...) goes together.
    try:
        os.killpg(proc.pid, sig)
    except (ProcessLookupError, PermissionError):
        pass


def _terminate(proc: Optional[subprocess.Popen], timeout: float = 10.0) -> None:
    """SIGTERM the process group, then SIGKILL it if it has not exited within ``timeout``."""
    if proc is None:
        return
    if proc.poll() is None:
        _signal_group(proc, signal.SIGTERM)
        try:
            proc.wait(timeout)
        except subprocess.TimeoutExpired:
            pass
    _kill(proc)


def _kill(proc: Optional[subprocess.Popen]) -> None:
    """SIGKILL the process group (also any children left behind) and reap the leader."""
    if proc is None:
        return
    _signal_group(proc, signal.SIGKILL)
    try:
        proc.wait(10)
    except subprocess.TimeoutExpired:
        pass


# --------------------------------------------------------------------------- redis


class RedisServer:
    """A private ``redis-server`` on 127.0.0.1 (no persistence). Same port across stop()/start()."""

    def __init__(self, port: Optional[int] = None, workdir: Optional[Path] = None):
        self.binary = shutil.which("redis-server")
        self.port = port or free_port()
        self._own_workdir = workdir is None
        self.workdir = Path(workdir or tempfile.mkdtemp(prefix="collab-redis-"))
        self.log_path = self.workdir / "redis.log"
        self.proc: Optional[subprocess.Popen] = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def client(self, **kwargs):
        import redis

        kwargs.setdefault("socket_timeout", 2)
        kwargs.setdefault("socket_connect_timeout", 2)
        return redis.Redis(host="127.0.0.1", port=self.port, **kwargs)

    def ping(self) -> bool:
        import redis

        try:
            with self.client(socket_timeout=0.5, socket_connect_timeout=0.5) as r:
                return bool(r.ping())
        except redis.RedisError:
            return False

    def is_running(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def start(self, timeout: float = 10.0) -> "RedisServer":
        """Start (or restart after stop()) on the same port; returns when it answers PING."""
        if self.is_running():
            return self
        if not self.binary:
            raise FileNotFoundError("redis-server not found on PATH")
        cmd = [
            self.binary,
            "--port", str(self.port),
            "--bind", "127.0.0.1",
            "--save", "",
            "--appendonly", "no",
            "--dir", str(self.workdir),
            "--daemonize", "no",
        ]
        log = open(self.log_path, "ab")
        try:
            self.proc = subprocess.Popen(
                cmd, cwd=self.workdir, stdout=log, stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL, start_new_session=True,
            )
        finally:
            log.close()
        try:
            wait_until(lambda: self.proc.poll() is not None or self.ping(), timeout, "redis PING")
        except TimeoutError:
            self.kill()
            raise RuntimeError(f"redis-server did not answer PING\n{_tail(self.log_path)}") from None
        if self.proc.poll() is not None:
            raise RuntimeError(
                f"redis-server exited with {self.proc.returncode}\n{_tail(self.log_path)}"
            )
        return self

    def stop(self, timeout: float = 10.0) -> None:
        """Shut it down (SIGTERM, then SIGKILL). start() brings it back on the same port, empty."""
        _terminate(self.proc, timeout)
        self.proc = None

    def kill(self) -> None:
        """SIGKILL it, as a crash would."""
        _kill(self.proc)
        self.proc = None

    def close(self) -> None:
        self.kill()
        if self._own_workdir:
            shutil.rmtree(self.workdir, ignore_errors=True)


def _start_redis_or_skip() -> RedisServer:
    if not shutil.which("redis-server"):
        require_or_skip("redis-server is not installed (Debian package redis-server)")
    try:
        import redis  # noqa: F401
    except ImportError:
        require_or_skip("python package 'redis' is not installed")
    server = RedisServer()
    try:
        return server.start()
    except Exception:
        server.close()
        raise


@pytest.fixture(scope="session")
def redis_session_server() -> Iterator[RedisServer]:
    """One redis-server for the whole run (for session/module-scoped fixtures)."""
    server = _start_redis_or_skip()
    yield server
    server.close()


@pytest.fixture
def redis_server(redis_session_server: RedisServer) -> RedisServer:
    """The shared redis-server, running and flushed for this test.

    Has ``.url`` (``redis://127.0.0.1:P/0``), ``.port``, ``.stop()``, ``.start()``,
    ``.kill()``, ``.ping()``, ``.client()``. If a test stops it, the next test gets it
    started again; for tests that take Redis down, ``redis_factory`` gives a private one.
    """
    server = redis_session_server
    server.start()
    with server.client() as r:
        r.flushall()
    return server


@pytest.fixture
def redis_factory() -> Iterator[Callable[[], RedisServer]]:
    """``redis_factory() -> RedisServer``: a private, started redis-server, killed after the test."""
    servers: list[RedisServer] = []

    def make() -> RedisServer:
        if not servers and not shutil.which("redis-server"):
            require_or_skip("redis-server is not installed (Debian package redis-server)")
        server = RedisServer()
        servers.append(server)
        return server.start()

    yield make
    for server in servers:
        server.close()


# --------------------------------------------------------------------------- postgres


def _version_key(path: str) -> tuple:
    version = Path(path).parent.name  # /usr/lib/postgresql/<version>/bin
    return tuple(int(p) if p.isdigit() else 0 for p in re.split(r"[.]", version))


def find_postgres_bindir() -> Optional[Path]:
    """Directory holding initdb and postgres: highest /usr/lib/postgresql/*/bin, else PATH."""
    candidates = [
        d for d in glob.glob("/usr/lib/postgresql/*/bin")
        if os.access(os.path.join(d, "initdb"), os.X_OK) and os.access(os.path.join(d, "postgres"), os.X_OK)
    ]
    if candidates:
        return Path(max(candidates, key=_version_key))
    initdb, postgres = shutil.which("initdb"), shutil.which("postgres")
    if initdb and postgres:
        return Path(os.path.realpath(initdb)).parent
    return None


class PostgresServer:
    """A throwaway PostgreSQL cluster on 127.0.0.1 (trust auth, fsync off).

    ``.url`` is a database made for the tests; ``.new_database(name=None)`` makes another,
    empty one and returns its URL. URLs are ``postgresql://postgres@127.0.0.1:P/<db>``.
    """

    DEFAULT_DB = "collab_test"

    def __init__(self, bindir: Path, port: Optional[int] = None):
        self.bindir = Path(bindir)
        self.port = port or free_port()
        self.workdir = Path(tempfile.mkdtemp(prefix="collab-pg-"))
        self.datadir = self.workdir / "data"
        self.log_path = self.workdir / "postgres.log"
        self.proc: Optional[subprocess.Popen] = None
        self.url = ""
        self._counter = 0
        # initdb and postgres refuse to run as root: run them as the Debian 'postgres' user.
        self._as_user: list[str] = []
        if os.geteuid() == 0:
            pw = pwd.getpwnam("postgres")  # KeyError if the user is missing
            os.chown(self.workdir, pw.pw_uid, pw.pw_gid)
            self._as_user = ["runuser", "-u", "postgres", "--"]

    def _cmd(self, name: str, *args: str) -> list[str]:
        return [*self._as_user, str(self.bindir / name), *args]

    def _env(self) -> dict:
        env = {k: v for k, v in os.environ.items() if not k.startswith("PG")}
        env["LC_ALL"] = "C"
        return env

    def admin_url(self, dbname: str = "postgres") -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/{dbname}"

    def connect(self, dbname: Optional[str] = None, **kwargs):
        """A psycopg (v3) connection to ``dbname`` (default: the tests' database)."""
        import psycopg

        kwargs.setdefault("connect_timeout", 5)
        return psycopg.connect(self.admin_url(dbname or self.DEFAULT_DB), **kwargs)

    def _ready(self) -> bool:
        import psycopg

        if self.proc is not None and self.proc.poll() is not None:
            return True  # exited: stop waiting, start() reports it
        try:
            with psycopg.connect(self.admin_url(), connect_timeout=1):
                return True
        except psycopg.Error:
            return False

    def start(self, timeout: float = 30.0) -> "PostgresServer":
        if not self.datadir.exists():
            result = subprocess.run(
                self._cmd("initdb", "-D", str(self.datadir), "-U", "postgres", "--auth=trust",
                          "-E", "UTF8", "--no-locale", "--no-sync"),
                cwd=self.workdir, env=self._env(), stdin=subprocess.DEVNULL,
                stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=120,
            )
            if result.returncode != 0:
                raise RuntimeError(f"initdb failed ({result.returncode}):\n{result.stdout.decode(errors='replace')}")
        log = open(self.log_path, "ab")
        try:
            self.proc = subprocess.Popen(
                self._cmd(
                    "postgres", "-D", str(self.datadir), "-p", str(self.port),
                    "-k", str(self.workdir),
                    "-c", "listen_addresses=127.0.0.1",
                    "-c", "fsync=off",
                    "-c", "synchronous_commit=off",
                    "-c", "full_page_writes=off",
                    "-c", "max_connections=200",
                ),
                cwd=self.workdir, env=self._env(), stdout=log, stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL, start_new_session=True,
            )
        finally:
            log.close()
        try:
            wait_until(self._ready, timeout, "postgres to accept connections", interval=0.1)
        except TimeoutError:
            self.stop()
            raise RuntimeError(f"postgres did not start\n{_tail(self.log_path)}") from None
        if self.proc.poll() is not None:
            raise RuntimeError(f"postgres exited with {self.proc.returncode}\n{_tail(self.log_path)}")
        self.url = self.new_database(self.DEFAULT_DB)
        return self

    def new_database(self, name: Optional[str] = None) -> str:
        """Create an empty database (dropping any of that name) and return its URL."""
        import psycopg
        from psycopg import sql

        if name is None:
            self._counter += 1
            name = f"collab_t{self._counter}_{os.urandom(3).hex()}"
        if not re.fullmatch(r"[a-z_][a-z0-9_]{0,62}", name):
            raise ValueError(f"bad database name {name!r}: use lowercase letters, digits, _")
        with psycopg.connect(self.admin_url(), autocommit=True, connect_timeout=5) as conn:
            conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        return self.admin_url(name)

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            subprocess.run(
                self._cmd("pg_ctl", "stop", "-D", str(self.datadir), "-m", "immediate", "-w", "-t", "10"),
                cwd=self.workdir, env=self._env(), stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=30,
            )
        _terminate(self.proc, timeout=5)
        self.proc = None

    def close(self) -> None:
        self.stop()
        shutil.rmtree(self.workdir, ignore_errors=True)


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[PostgresServer]:
    """One PostgreSQL cluster for the run: ``.url`` (a test database), ``.new_database(name=None) -> url``,
    ``.connect(dbname=None)`` (psycopg), ``.admin_url(dbname)``, ``.port``."""
    bindir = find_postgres_bindir()
    if bindir is None:
        require_or_skip("PostgreSQL server binaries not found (Debian package postgresql)")
    if os.geteuid() == 0:
        try:
            pwd.getpwnam("postgres")
        except KeyError:
            require_or_skip("running as root but there is no 'postgres' user to run initdb/postgres as")
        if not shutil.which("runuser"):
            require_or_skip("running as root but 'runuser' is missing")
    try:
        import psycopg  # noqa: F401
    except ImportError:
        require_or_skip("python package 'psycopg' is not installed")
    server = PostgresServer(bindir)
    try:
        server.start()
    except Exception:
        server.close()
        raise
    yield server
    server.close()


# --------------------------------------------------------------------------- the app


class CollabServerError(RuntimeError):
    """The app failed to set up or start; the message carries the log's tail."""


# Databases made by `init-db` (and `demo`) once per test run: demo flag -> file (see setup()).
_DATABASE_TEMPLATES: dict[bool, Path] = {}
_TEMPLATE_DIR = tempfile.TemporaryDirectory(prefix="collab-db-templates-")


def _copy_sqlite(source: Path, target: Path) -> Path:
    """A consistent copy of a SQLite database (its WAL included), through SQLite's backup API."""
    with sqlite3.connect(source) as src, sqlite3.connect(target) as dst:
        src.backup(dst)
    return target


class CollabServer:
    """The Collab app run exactly as the README says, in subprocesses from the repo root.

    ``flask --app wsgi init-db`` (unless init=False), ``flask --app wsgi demo`` (if demo=True),
    then ``python wsgi.py`` on HOST=127.0.0.1, PORT=<free port>. Default database: a SQLite
    file in ``workdir``. All output goes to ``workdir/server.log``.
    """

    def __init__(
        self,
        workdir: Path,
        env: Optional[dict] = None,
        *,
        demo: bool = False,
        init: bool = True,
        port: Optional[int] = None,
        startup_timeout: float = 30.0,
    ):
        self.workdir = Path(workdir)
        self.workdir.mkdir(parents=True, exist_ok=True)
        self.port = port or free_port()
        self.host = "127.0.0.1"
        self.demo = demo
        self.init = init
        self.startup_timeout = startup_timeout
        self.log_path = self.workdir / "server.log"
        self.proc: Optional[subprocess.Popen] = None
        self._clients: list = []

        base = {k: v for k, v in os.environ.items() if k not in _SCRUBBED_ENV}
        base.update(
            HOST=self.host,
            PORT=str(self.port),
            DATABASE_URL="sqlite:///" + str((self.workdir / "collab.db").resolve()),
            SECRET_KEY=TEST_SECRET_KEY,
            PYTHONUNBUFFERED="1",
        )
        for key, value in (env or {}).items():
            if value is None:
                base.pop(key, None)  # env={"X": None} removes X
            else:
                base[key] = str(value)
        self.env = base

    # -- properties

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    @property
    def database_url(self) -> str:
        return self.env["DATABASE_URL"]

    def log_tail(self, lines: int = 60) -> str:
        return _tail(self.log_path, lines)

    def is_running(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    # -- lifecycle

    def run_cli(self, *args: str, timeout: float = 120.0, check: bool = True) -> subprocess.CompletedProcess:
        """Run ``flask --app wsgi <args>`` with this server's environment; output also goes to the log."""
        cmd = [sys.executable, "-m", "flask", "--app", "wsgi", *args]
        result = subprocess.run(
            cmd, cwd=REPO_ROOT, env=self.env, stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=timeout,
        )
        output = result.stdout.decode(errors="replace")
        with open(self.log_path, "a") as log:
            log.write(f"$ flask --app wsgi {' '.join(args)}  (exit {result.returncode})\n{output}\n")
        if check and result.returncode != 0:
            raise CollabServerError(
                f"`flask --app wsgi {' '.join(args)}` exited with {result.returncode}:\n"
                + "\n".join(output.splitlines()[-60:])
            )
        return result

    def setup(self) -> "CollabServer":
        """init-db (and demo) as the README says, then start().

        Both commands give the same database every time, so on the default SQLite file the
        first server of a test run builds it with them and later ones start from a copy
        (three interpreter starts and the demo's password hashing saved per server)."""
        database = self.workdir / "collab.db"
        template = _DATABASE_TEMPLATES.get(self.demo) if self._on_default_sqlite() else None
        if self.init and template is not None:
            _copy_sqlite(template, database)
            return self.start()
        if self.init:
            self.run_cli("init-db")
        if self.demo:
            self.run_cli("demo")
        if self.init and self._on_default_sqlite():
            _DATABASE_TEMPLATES[self.demo] = _copy_sqlite(database, Path(_TEMPLATE_DIR.name) / f"demo-{self.demo}.db")
        return self.start()

    def _on_default_sqlite(self) -> bool:
        return self.database_url == "sqlite:///" + str((self.workdir / "collab.db").resolve())

    def start(self, timeout: Optional[float] = None) -> "CollabServer":
        """Start ``python wsgi.py`` (same port and database) and wait for GET /healthz = 200."""
        if self.is_running():
            return self
        timeout = self.startup_timeout if timeout is None else timeout
        log = open(self.log_path, "ab")
        try:
            log.write(b"$ python wsgi.py\n")
            log.flush()
            self.proc = subprocess.Popen(
                [sys.executable, "wsgi.py"], cwd=REPO_ROOT, env=self.env,
                stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                start_new_session=True,
            )
        finally:
            log.close()
        try:
            wait_until(self._healthy_or_exited, timeout, f"{self.url}/healthz", interval=0.1)
        except TimeoutError:
            self.kill()
            raise CollabServerError(
                f"app not healthy after {timeout:.0f}s on {self.url}\n--- {self.log_path} ---\n{self.log_tail()}"
            ) from None
        if self.proc.poll() is not None:
            code = self.proc.returncode
            self.proc = None
            raise CollabServerError(
                f"`python wsgi.py` exited with {code}\n--- {self.log_path} ---\n{self.log_tail()}"
            )
        return self

    def _healthy_or_exited(self) -> bool:
        if self.proc.poll() is not None:
            return True
        try:
            r = requests.get(f"{self.url}/healthz", timeout=2)
            return r.status_code == 200 and r.json().get("ok") is True
        except (requests.RequestException, ValueError):
            return False

    def stop(self, timeout: float = 10.0) -> None:
        """SIGTERM, then SIGKILL after ``timeout`` seconds."""
        _terminate(self.proc, timeout)
        self.proc = None

    def kill(self) -> None:
        """SIGKILL (kill -9), as a crash would."""
        _kill(self.proc)
        self.proc = None

    def close(self) -> None:
        for client in self._clients:
            try:
                client.disconnect()
            except Exception:
                pass
        self._clients.clear()
        self.stop()

    # -- clients

    def login(self, email: str, password: str) -> requests.Session:
        """POST /api/v1/session; returns a requests.Session carrying the cookie, with
        ``.csrf_token`` and ``.user`` set and ``X-CSRFToken`` in its default headers."""
        session = requests.Session()
        r = session.post(f"{self.url}/api/v1/session", json={"email": email, "password": password}, timeout=10)
        if r.status_code != 200:
            raise AssertionError(f"login as {email} failed: {r.status_code} {r.text[:500]}")
        data = r.json()
        token = data.get("csrf_token")
        if not token:
            raise AssertionError(f"login response has no csrf_token: {data!r}")
        session.csrf_token = token
        session.user = data.get("user")
        session.headers["X-CSRFToken"] = token
        return session

    @staticmethod
    def cookie_header(session: requests.Session) -> str:
        """The ``Cookie:`` header value for a python-socketio client acting as this session."""
        return "; ".join(f"{c.name}={c.value}" for c in session.cookies)

    def socketio_client(
        self,
        session: Optional[requests.Session] = None,
        *,
        origin: Optional[str] = None,
        headers: Optional[dict] = None,
        client_kwargs: Optional[dict] = None,
        **connect_kwargs,
    ):
        """A connected ``socketio.Client`` (websocket transport) with the session's cookie and
        this server's Origin (override with ``origin=``). Disconnected when the server closes.

        websocket-client adds its own ``Origin`` header unless told not to; with ours as well
        the server would see two joined by a comma, so its own is suppressed here.
        """
        import socketio

        hdrs = {"Origin": origin or self.url}
        if session is not None:
            hdrs["Cookie"] = self.cookie_header(session)
        hdrs.update(headers or {})
        kwargs = dict(client_kwargs or {})
        kwargs["websocket_extra_options"] = {"suppress_origin": True, **kwargs.get("websocket_extra_options", {})}
        client = socketio.Client(**kwargs)
        connect_kwargs.setdefault("transports", ["websocket"])
        connect_kwargs.setdefault("wait_timeout", 10)
        self._clients.append(client)
        client.connect(self.url, headers=hdrs, **connect_kwargs)
        return client


@pytest.fixture
def collab_server(tmp_path_factory) -> Iterator[Callable[..., CollabServer]]:
    """Factory: ``collab_server(demo=False, init=True, port=None, timeout=30, **env) -> CollabServer``.

    Returns a started server (init-db, optional demo, serve, /healthz 200); ``**env`` is
    extra environment (e.g. ``SOCKETIO_MESSAGE_QUEUE=redis_server.url``,
    ``DATABASE_URL=postgres_server.new_database()``; a value of None removes a variable).
    All servers are stopped at teardown.
    """
    servers: list[CollabServer] = []

    def make(*, demo: bool = False, init: bool = True, port: Optional[int] = None,
             timeout: float = 30.0, **env) -> CollabServer:
        server = CollabServer(tmp_path_factory.mktemp("collab"), env, demo=demo, init=init,
                              port=port, startup_timeout=timeout)
        servers.append(server)
        return server.setup()

    yield make
    for server in reversed(servers):
        server.close()

"""A python-socketio client for real-server tests that records every event it receives."""
from __future__ import annotations

import threading
import time

import socketio

from tests.support.servers import CollabServer


class LiveClient:
    """Signed-in Socket.IO client; `events` keeps (name, payload) in arrival order."""

    def __init__(self, server: CollabServer, session, *, origin: str | None = None, reconnection: bool = True, **client_kwargs):
        self.server, self.session = server, session
        self.events: list[tuple[str, dict]] = []
        self.connects = 0
        self._lock = threading.Condition()
        self.sio = socketio.Client(
            reconnection=reconnection, reconnection_delay=0.2, reconnection_delay_max=1,
            websocket_extra_options={"suppress_origin": True}, **client_kwargs,
        )
        self.sio.on("*", self._record)
        self.sio.on("connect", self._on_connect)
        self.on_reconnect = None
        headers = {"Origin": origin or server.url}
        if session is not None:
            headers["Cookie"] = server.cookie_header(session)
        self.sio.connect(server.url, headers=headers, transports=["websocket"], wait_timeout=10)
        server._clients.append(self.sio)

    def _on_connect(self):
        with self._lock:
            self.connects += 1
            again = self.connects > 1
            self._lock.notify_all()
        if again and self.on_reconnect:
            threading.Thread(target=self.on_reconnect, daemon=True).start()

    def _record(self, name, data=None):
        with self._lock:
            self.events.append((name, data))
            self._lock.notify_all()

    def call(self, event: str, payload: dict, timeout: float = 10) -> dict:
        return self.sio.call(event, payload, timeout=timeout)

    def named(self, name: str) -> list[dict]:
        with self._lock:
            return [data for n, data in self.events if n == name]

    def wait_for(self, name: str, predicate=lambda data: True, timeout: float = 10) -> dict:
        deadline = time.monotonic() + timeout
        with self._lock:
            while True:
                for n, data in self.events:
                    if n == name and predicate(data):
                        return data
                left = deadline - time.monotonic()
                if left <= 0:
                    raise AssertionError(f"no {name} within {timeout}s; got {[n for n, _ in self.events]}")
                self._lock.wait(left)

    def wait_connected(self, count: int, timeout: float = 20) -> None:
        deadline = time.monotonic() + timeout
        with self._lock:
            while self.connects < count:
                left = deadline - time.monotonic()
                if left <= 0:
                    raise AssertionError(f"reconnected {self.connects - 1} times, wanted {count - 1}")
                self._lock.wait(left)

    def close(self) -> None:
        self.sio.disconnect()

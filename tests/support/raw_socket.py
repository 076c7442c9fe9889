"""A Socket.IO client made of raw websocket frames, for sending what no well-behaved client would."""
from __future__ import annotations

import json
import time

import websocket

from tests.support.servers import CollabServer


class RawSocket:
    """Engine.IO v4 over one websocket: `send_event` writes `42…` frames, `next_frame` reads them."""

    def __init__(self, server: CollabServer, session) -> None:
        url = f"ws://{server.host}:{server.port}/socket.io/?EIO=4&transport=websocket"
        self.ws = websocket.create_connection(
            url, header={"Cookie": server.cookie_header(session)}, origin=server.url, timeout=5,
        )
        assert self.ws.recv().startswith("0")  # engine.io open
        self.ws.send("40")
        reply = self.next_frame()
        assert reply.startswith("40{"), reply
        self._ack_ids = iter(range(1, 1_000_000))

    def next_frame(self, timeout: float = 5) -> str:
        """The next Socket.IO frame; answers engine.io pings on the way. '' when the socket closed."""
        self.ws.settimeout(timeout)
        while True:
            try:
                frame = self.ws.recv()
            except websocket.WebSocketConnectionClosedException:
                return ""
            if frame == "2":
                self.ws.send("3")
                continue
            return frame

    def call(self, *event) -> dict:
        """Send `event` (name first) with an ack id; its ack's first argument ({} if none)."""
        ack_id = next(self._ack_ids)
        self.ws.send(f"42{ack_id}" + json.dumps(list(event)))
        prefix = f"43{ack_id}"
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            frame = self.next_frame()
            if frame.startswith(prefix):
                args = json.loads(frame[len(prefix):])
                return args[0] if args else {}
        raise AssertionError(f"no ack for {event[0]}")

    def frames_until_closed(self, timeout: float) -> list[str]:
        """Every frame received until the server ends this socket (`41` or a close), or raise."""
        frames = self.frames_for(timeout)
        if frames and (frames[-1] in ("", "41") or frames[-1].startswith("1")):
            return frames
        raise AssertionError(f"socket still open after {timeout}s; got {frames}")

    def frames_for(self, seconds: float) -> list[str]:
        """Every frame received in the next `seconds`, stopping early once the socket is ended."""
        frames, deadline = [], time.monotonic() + seconds
        while time.monotonic() < deadline:
            try:
                frame = self.next_frame(timeout=max(0.05, deadline - time.monotonic()))
            except websocket.WebSocketTimeoutException:
                break
            frames.append(frame)
            if frame in ("", "41") or frame.startswith("1"):
                break
        return frames

    def close(self) -> None:
        self.ws.close()

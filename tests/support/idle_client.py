"""A signed-in Socket.IO client run as its own process, so a test can freeze it (SIGSTOP):
its TCP connection stays open but it answers nothing, like a laptop that lost its network."""
from __future__ import annotations

import sys
import time

import socketio


def main(url: str, cookie: str, room_id: str) -> None:
    client = socketio.Client(reconnection=False, websocket_extra_options={"suppress_origin": True})
    client.connect(url, headers={"Origin": url, "Cookie": cookie}, transports=["websocket"], wait_timeout=10)
    client.call("join_workshop", {"workshop_id": 1}, timeout=10)
    client.call("join_room", {"room_id": int(room_id)}, timeout=10)
    print("joined", flush=True)
    while True:
        time.sleep(1)


if __name__ == "__main__":
    main(*sys.argv[1:4])

"""Socket.IO adapters: registered per app in create_app, so each test app gets its own."""
from __future__ import annotations

import uuid
from functools import partial

from flask import Flask

from collab.extensions import socketio
from collab.realtime import connection, feedback, hands, live, presentations, rounds
from collab.realtime.guard import close_polling_sessions_without_waiting, refuse_undecodable_polling_posts, refuse_unwanted_packets
from collab.realtime.handler import FairTurns, TokenBucket
from collab.realtime.publisher import SocketIOPublisher, stored_deliveries
from collab.realtime.sessions import SocketSessionInterface


def register(app: Flask) -> None:
    app.extensions["collab.worker_id"] = uuid.uuid4().hex
    app.session_interface = SocketSessionInterface()
    app.extensions["collab.publisher"] = SocketIOPublisher(socketio)
    in_order = getattr(socketio.server.manager, "in_order", None)
    if in_order is not None:  # workers joined by a message queue: an event that never came is read from the log
        in_order.stored = partial(stored_deliveries, app)
    app.extensions["collab.socket_limiter"] = TokenBucket(
        rate=app.config["SOCKET_EVENTS_PER_SECOND"], burst=app.config["SOCKET_EVENTS_BURST"]
    )
    app.extensions["collab.socket_turns"] = FairTurns(max_waiting=int(app.config["SOCKET_EVENTS_BURST"]))
    app.extensions["collab.socket_users"] = {}
    app.extensions["collab.seats"] = {}
    app.extensions["collab.sessions_used"] = set()
    refuse_unwanted_packets(socketio.server)
    refuse_undecodable_polling_posts(socketio.server)
    close_polling_sessions_without_waiting(socketio.server)
    for module in (connection, live, rounds, presentations, feedback, hands):
        module.register(socketio)


def start_background_work(app: Flask) -> None:
    """Started by the server process (wsgi.py), not by tests: heartbeat and round timers, SQLite's
    checkpoint, and the hot path's queries compiled before the first client needs them."""
    from collab.extensions import db
    from collab.realtime import timers
    from collab.services import presence, room_access

    with app.app_context():
        presence.forget_previous_run()
        room_access.compile_queries()
        db.session.remove()
    socketio.start_background_task(timers.run_forever, app)
    socketio.start_background_task(timers.checkpoint_forever, app)

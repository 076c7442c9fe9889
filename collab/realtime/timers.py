"""The server process's background loops: round deadlines, the worker heartbeat, housekeeping;
and SQLite's checkpoint."""
from __future__ import annotations

import time

from flask import Flask

from collab.database import checkpoint_wal, has_wal
from collab.extensions import db, socketio
from collab.realtime import sessions
from collab.services import auth, presence, rounds
from collab.services.offload import run_blocking

HEARTBEAT_SECONDS = 5
STALE_AFTER_SECONDS = 15
HOUSEKEEPING_SECONDS = 600
WAL_CHECKPOINT_SECONDS = 1


def run_forever(app: Flask) -> None:
    """Every worker runs this; the database decides which one acts on a deadline."""
    interval = app.config["TIMER_POLL_SECONDS"]
    worker_id = app.extensions["collab.worker_id"]
    last_beat = last_sweep = last_session_check = 0.0
    while True:
        with app.app_context():
            try:
                if time.monotonic() - last_session_check >= app.config["SESSION_RECHECK_SECONDS"]:
                    sessions.end_expired(app)
                    last_session_check = time.monotonic()
                if time.monotonic() - last_beat >= HEARTBEAT_SECONDS:
                    presence.heartbeat(worker_id, stale_after=STALE_AFTER_SECONDS)
                    last_beat = time.monotonic()
                if time.monotonic() - last_sweep >= HOUSEKEEPING_SECONDS:
                    auth.prune_login_failures()
                    last_sweep = time.monotonic()
                rounds.advance_timers()
            except Exception:  # the loop must survive a passing database error
                app.logger.exception("background tick failed")
            finally:
                db.session.remove()
        socketio.sleep(interval)


def checkpoint_forever(app: Flask) -> None:
    """Copy SQLite's write-ahead log into the database file every WAL_CHECKPOINT_SECONDS, in a
    thread (see database.py: the commits no longer do it on the event loop). A loop of its own:
    behind a queue of sign-ins' hashing in the thread pool, it must not hold up round deadlines."""
    with app.app_context():
        if not has_wal(db.engine):
            return
    while True:
        socketio.sleep(WAL_CHECKPOINT_SECONDS)
        with app.app_context():
            try:
                run_blocking(checkpoint_wal, db.engine)
            except Exception:  # the loop must survive a passing error (a full disk, say)
                app.logger.exception("checkpoint failed")

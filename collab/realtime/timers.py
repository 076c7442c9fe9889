"""The server process's background loops: round deadlines, the worker heartbeat, housekeeping;
and SQLite's checkpoint."""
from __future__ import annotations

import time

from flask import Flask

from collab.database import checkpoint_in_a_thread, checkpoint_wal, has_wal
from collab.extensions import db, socketio
from collab.realtime import sessions
from collab.services import auth, presence, rounds
from collab.services.offload import run_blocking

HEARTBEAT_SECONDS = 5
STALE_AFTER_SECONDS = 15
HOUSEKEEPING_SECONDS = 600
WAL_CHECKPOINT_SECONDS = 1
# The log starts again from its beginning only once a checkpoint has copied all of it; under
# steady writing, commits land during the copy, so it is tried again soon, while shorter.
WAL_CATCH_UP_SECONDS = 0.05
WAL_CATCH_UP_PAGES = 1_000


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
    """Copy SQLite's write-ahead log into the database file from a thread (see
    database.checkpoint_in_a_thread). A loop of its own: behind a queue of sign-ins' hashing in
    the thread pool, it must not hold up round deadlines."""
    with app.app_context():
        if not has_wal(db.engine):
            return
        checkpoint_in_a_thread(db.engine)
    while True:
        pause = WAL_CHECKPOINT_SECONDS
        with app.app_context():
            try:
                pause = until_next_checkpoint(*run_blocking(checkpoint_wal, db.engine))
            except Exception:  # the loop must survive a passing error (a full disk, say)
                app.logger.exception("checkpoint failed")
        socketio.sleep(pause)


def until_next_checkpoint(in_log: int, copied: int) -> float:
    """Soon while a long log was left partly uncopied (writes landed during the copy, or a read
    still needs the older pages), else in WAL_CHECKPOINT_SECONDS."""
    return WAL_CATCH_UP_SECONDS if in_log > WAL_CATCH_UP_PAGES and copied < in_log else WAL_CHECKPOINT_SECONDS

"""The server process's background loop: worker heartbeat (round timers join in rounds)."""
from __future__ import annotations

from flask import Flask

from collab.extensions import db, socketio
from collab.services import connections


def tick(app: Flask) -> None:
    worker_id = app.extensions["collab.worker_id"]
    connections.heartbeat(worker_id)


def run_forever(app: Flask) -> None:
    interval = app.config["TIMER_POLL_SECONDS"]
    while True:
        with app.app_context():
            try:
                tick(app)
            except Exception:  # the loop must survive a passing database error
                app.logger.exception("background tick failed")
                db.session.rollback()
            finally:
                db.session.remove()
        socketio.sleep(interval)

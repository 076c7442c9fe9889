"""Open sockets and presence, kept in the database so every worker sees the same picture."""
from __future__ import annotations

from datetime import timedelta

from sqlalchemy import delete, select

from collab.extensions import db
from collab.models import Connection, User, Worker
from collab.models.base import utcnow


def open_connection(user: User, sid: str, worker_id: str) -> None:
    db.session.merge(Connection(sid=sid, user_id=user.id, auth_token=user.auth_token or "", worker_id=worker_id))
    db.session.commit()


def get_connection(sid: str) -> Connection | None:
    return db.session.get(Connection, sid)


def close_connection(sid: str) -> Connection | None:
    """Forget a socket; returns what it was (for presence updates), or None if unknown."""
    row = db.session.get(Connection, sid)
    if row is not None:
        db.session.delete(row)
        db.session.commit()
    else:
        db.session.rollback()
    return row


def heartbeat(worker_id: str, *, stale_after: float = 60) -> int:
    """Mark this worker alive; drop connections of workers not seen for `stale_after` s."""
    now = utcnow()
    db.session.merge(Worker(id=worker_id, seen_at=now))
    dead = select(Worker.id).where(Worker.seen_at < now - timedelta(seconds=stale_after))
    removed = db.session.execute(delete(Connection).where(Connection.worker_id.in_(dead))).rowcount
    db.session.execute(delete(Worker).where(Worker.seen_at < now - timedelta(seconds=stale_after)))
    db.session.commit()
    return removed


def forget_previous_run() -> int:
    """On startup with SQLite (one serving process by design): every socket the previous
    process had is gone with it, so presence must not show those ghosts."""
    if db.engine.dialect.name != "sqlite":
        return 0  # several workers share the database: the heartbeat sweeps the dead ones
    removed = db.session.execute(delete(Connection)).rowcount
    db.session.execute(delete(Worker))
    db.session.commit()
    return removed

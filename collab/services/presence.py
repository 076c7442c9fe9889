"""Open sockets and who is where, kept in the database so every worker sees the same picture."""
from __future__ import annotations

from datetime import timedelta

from flask_babel import gettext as _
from sqlalchemy import delete, func, select

from collab.extensions import db
from collab.models import Connection, User, Worker, partner_members, workshop_partners
from collab.models.base import utcnow
from collab.services import auth, log, shapes
from collab.services.access import is_facilitator
from collab.services.errors import NotFound, RateLimited, Unauthorized
from collab.services.publish import Audience, Published
from collab.services.unit_of_work import write
from collab.services.workshops import workshops_for


def open_connection(user: User, sid: str, worker_id: str, *, limit: int) -> None:
    """Record the socket and let it hear every workshop its user takes part in.

    A user holds at most `limit` sockets (every worker counts: the rows are shared), so that
    one person cannot take the connections every room needs.
    """
    roles = [(workshop.id, is_facilitator(user, workshop)) for workshop in workshops_for(user)]
    with write() as tx:
        # Checked again here, with the row written: a sign-out between the connect's first
        # check and this commit would not find this socket to disconnect it.
        if not auth.hold_live_session(user.auth_token or ""):
            raise Unauthorized(_("Your session has ended; sign in again."))
        if db.session.scalar(select(func.count()).select_from(Connection).where(Connection.user_id == user.id)) >= limit:
            raise RateLimited(_("You have too many open connections; close some tabs."))
        db.session.merge(Connection(sid=sid, user_id=user.id, auth_token=user.auth_token or "", worker_id=worker_id))

        def subscribe(pub) -> None:
            for workshop_id, facilitator in roles:
                pub.subscribe(sid, workshop_id, facilitator=facilitator)

        tx.after_commit(subscribe)


def connection(sid: str) -> Connection:
    conn = db.session.get(Connection, sid)
    if conn is None:
        raise NotFound(_("This connection is not known; reconnect."))
    return conn


def _users_at(workshop_id: int, room_id: int | None) -> list[dict]:
    query = (
        select(User)
        .join(Connection, Connection.user_id == User.id)
        .where(Connection.workshop_id == workshop_id)
        .where(Connection.room_id == room_id if room_id is not None else Connection.room_id.is_(None))
        .order_by(Connection.connected_at)
    )
    users: dict[int, User] = {}
    for user in db.session.scalars(query):
        users.setdefault(user.id, user)
    partner_of = dict(
        db.session.execute(
            select(partner_members.c.user_id, partner_members.c.partner_id)
            .join(workshop_partners, workshop_partners.c.partner_id == partner_members.c.partner_id)
            .where(workshop_partners.c.workshop_id == workshop_id, partner_members.c.user_id.in_(list(users)))
        ).all()
    )
    return [{**shapes.user_lite(u), "partner_id": partner_of.get(u.id)} for u in users.values()]


def presence(workshop_id: int, room_id: int | None) -> dict:
    return {"room_id": room_id, "users": _users_at(workshop_id, room_id)}


def presence_event(workshop_id: int, room_id: int | None) -> Published:
    """Who is in the room (or the plenary) now, for everyone who may be there."""
    audience = log.room_audience(workshop_id, room_id) if room_id is not None else Audience(workshop_id)
    return log.append(workshop_id, "presence", presence(workshop_id, room_id), audience, room_id=room_id)


def disconnect(sid: str) -> None:
    """A socket went away: forget it and tell its room or plenary."""
    with write() as tx:
        conn = db.session.get(Connection, sid)
        if conn is None:
            return
        workshop_id, room_id = conn.workshop_id, conn.room_id
        db.session.delete(conn)
        db.session.flush()
        if workshop_id is not None:
            tx.publish(presence_event(workshop_id, room_id))


def heartbeat(worker_id: str, *, stale_after: float = 60) -> int:
    """Mark this worker alive; drop connections of workers not seen for `stale_after` s."""
    now = utcnow()
    with write():
        db.session.merge(Worker(id=worker_id, seen_at=now))
        dead = select(Worker.id).where(Worker.seen_at < now - timedelta(seconds=stale_after))
        removed = db.session.execute(delete(Connection).where(Connection.worker_id.in_(dead))).rowcount
        db.session.execute(delete(Worker).where(Worker.seen_at < now - timedelta(seconds=stale_after)))
    return removed


def forget_previous_run() -> int:
    """On startup with SQLite (one serving process by design): every socket the previous
    process had is gone with it, so presence must not show those ghosts."""
    if db.engine.dialect.name != "sqlite":
        return 0  # several workers share the database: the heartbeat sweeps the dead ones
    with write():
        removed = db.session.execute(delete(Connection)).rowcount
        db.session.execute(delete(Worker))
    return removed

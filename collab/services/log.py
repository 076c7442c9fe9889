"""The workshop event log: append with a monotonic seq, commit, then publish; read back by visibility."""
from __future__ import annotations

from sqlalchemy import and_, or_, select, update

from collab.extensions import db
from collab.models import RoomPartner, Round, User, Workshop, WorkshopEvent
from collab.services import shapes
from collab.services.access import is_facilitator, partner_ids_of
from collab.services.publish import Published, publisher


def append(
    workshop_id: int,
    type_: str,
    data: dict,
    *,
    scope: str,
    room_id: int | None = None,
    partner_id: int | None = None,
    actor: User | None = None,
) -> Published:
    """Add an event to the open transaction; the caller commits and publishes it."""
    seq = db.session.execute(
        update(Workshop).where(Workshop.id == workshop_id).values(last_seq=Workshop.last_seq + 1).returning(Workshop.last_seq)
    ).scalar_one()
    event = WorkshopEvent(
        workshop_id=workshop_id, seq=seq, type=type_, scope=scope, room_id=room_id,
        partner_id=partner_id, actor_id=actor.id if actor else None, data=data,
    )
    db.session.add(event)
    db.session.flush()
    return Published(event=shapes.event(event), scope=scope, room_id=room_id, partner_id=partner_id)


def commit_and_publish(items: list[Published], *, then=None) -> None:
    """Commit first: an event is only ever sent once it is safely stored.

    `then(publisher)` runs between the commit and the sending, e.g. to subscribe a socket
    to a room so that it hears the news of its own arrival.
    """
    db.session.commit()
    pub = publisher()
    if then is not None:
        then(pub)
    if items:
        pub.publish(items)


def _visible(user: User, workshop: Workshop):
    if is_facilitator(user, workshop):
        return True
    mine = partner_ids_of(user)
    my_rooms = (
        select(RoomPartner.room_id)
        .join(Round, Round.id == RoomPartner.round_id)
        .where(Round.workshop_id == workshop.id, RoomPartner.partner_id.in_(mine))
    )
    return or_(
        WorkshopEvent.scope == "workshop",
        and_(WorkshopEvent.scope == "room", WorkshopEvent.room_id.in_(my_rooms)),
        and_(WorkshopEvent.scope.in_(("room", "partner")), WorkshopEvent.partner_id.in_(mine)),
    )


def events_after(user: User, workshop: Workshop, after_seq: int, limit: int | None = None) -> list[dict]:
    """Events with seq > after_seq that `user` may see, oldest first."""
    query = (
        select(WorkshopEvent)
        .where(WorkshopEvent.workshop_id == workshop.id, WorkshopEvent.seq > after_seq, _visible(user, workshop))
        .order_by(WorkshopEvent.seq)
    )
    if limit:
        query = query.limit(limit)
    return [shapes.event(ev) for ev in db.session.scalars(query)]

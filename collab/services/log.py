"""The workshop event log: every event gets its seq, then its payload, and is stored with its audience.

What is stored, what is sent live and what `resume` replays are the same dict.
"""
from __future__ import annotations

from collections.abc import Callable, Iterator

from sqlalchemy import select, update

from collab.extensions import db
from collab.models import RoomPartner, User, Workshop, WorkshopEvent
from collab.services import shapes
from collab.services.access import is_facilitator, partner_ids_of
from collab.services.publish import Audience, Published

REPLAY_BATCH = 1000


def next_seq(workshop_id: int) -> int:
    """Hand out the workshop's next seq (UPDATE ... RETURNING: distinct across workers)."""
    return db.session.execute(
        update(Workshop).where(Workshop.id == workshop_id).values(last_seq=Workshop.last_seq + 1).returning(Workshop.last_seq)
    ).scalar_one()


def room_audience(workshop_id: int, room_id: int, *extra_partner_ids: int) -> Audience:
    """The partners seated in the room now (plus e.g. the owner of the plan discussed)."""
    seated = db.session.scalars(select(RoomPartner.partner_id).where(RoomPartner.room_id == room_id))
    return Audience(workshop_id, tuple(sorted({*seated, *extra_partner_ids})))


def append(
    workshop_id: int,
    type_: str,
    data: dict | Callable[[int], dict],
    audience: Audience,
    *,
    room_id: int | None = None,
    actor: User | None = None,
    seq: int | None = None,
) -> Published:
    """Store an event in the open unit of work; `data` may be built from the seq it gets."""
    seq = seq if seq is not None else next_seq(workshop_id)
    payload = data(seq) if callable(data) else data
    event = WorkshopEvent(
        workshop_id=workshop_id, seq=seq, type=type_, room_id=room_id, actor_id=actor.id if actor else None,
        audience=list(audience.partner_ids) if audience.partner_ids is not None else None, data=payload,
    )
    db.session.add(event)
    db.session.flush()
    return Published(event=shapes.event(event), audience=audience)


def audience_of(event: WorkshopEvent) -> Audience:
    partner_ids = tuple(event.audience) if event.audience is not None else None
    return Audience(event.workshop_id, partner_ids)


def events_after(user: User, workshop: Workshop, after_seq: int, limit: int | None = None) -> list[dict]:
    """Events with seq > after_seq that `user` may see, oldest first, by the rule of `Audience`."""
    facilitator = is_facilitator(user, workshop)
    mine = set(partner_ids_of(user))
    return list(_visible(workshop.id, after_seq, facilitator, mine, limit))


def _visible(workshop_id: int, after_seq: int, facilitator: bool, mine: set[int], limit: int | None) -> Iterator[dict]:
    found = 0
    while True:
        batch = list(db.session.scalars(
            select(WorkshopEvent).where(WorkshopEvent.workshop_id == workshop_id, WorkshopEvent.seq > after_seq)
            .order_by(WorkshopEvent.seq).limit(REPLAY_BATCH)
        ))
        for event in batch:
            if audience_of(event).admits(facilitator=facilitator, partner_ids=mine):
                yield shapes.event(event)
                found += 1
                if limit is not None and found >= limit:
                    return
        if len(batch) < REPLAY_BATCH:
            return
        after_seq = batch[-1].seq

"""The workshop event log: every event gets its seq, then its payload, and is stored with its audience.

What is stored, what is sent live and what `resume` replays are the same dict.
"""
from __future__ import annotations

from collections.abc import Callable, Iterator
from types import SimpleNamespace

from sqlalchemy import bindparam, insert, select, update

from collab.extensions import db
from collab.models import RoomPartner, User, Workshop, WorkshopEvent
from collab.models.base import utcnow
from collab.services import shapes
from collab.services.access import is_facilitator, partner_ids_of
from collab.services.publish import Audience, Published
from collab.services.unit_of_work import current_unit

REPLAY_BATCH = 1000


_WORKSHOPS, _EVENTS, _SEATS = Workshop.__table__, WorkshopEvent.__table__, RoomPartner.__table__
# The log is on every live action's path: Core statements on the unit's connection, built
# once with bound parameters (the ORM's bookkeeping, and deriving a statement's cache key,
# would cost more than the database does).
_NEXT_SEQS = (update(_WORKSHOPS).where(_WORKSHOPS.c.id == bindparam("workshop"))
              .values(last_seq=_WORKSHOPS.c.last_seq + bindparam("count")).returning(_WORKSHOPS.c.last_seq))
_STORE_SEQ = update(_WORKSHOPS).where(_WORKSHOPS.c.id == bindparam("workshop")).values(last_seq=bindparam("seq"))
_LAST_SEQ = select(_WORKSHOPS.c.last_seq).where(_WORKSHOPS.c.id == bindparam("workshop"))
_SEATED = select(_SEATS.c.partner_id).where(_SEATS.c.room_id == bindparam("room"))
_INSERT_EVENT = insert(_EVENTS)


def next_seq(workshop_id: int, count: int = 1) -> int:
    """Hand out the workshop's next seq (the first of the next `count`), distinct across workers.

    A unit's first seqs of a workshop come from UPDATE ... RETURNING, which locks the
    workshop's row (on SQLite, the database) until the commit; so nobody else can take one
    meanwhile, and the unit counts its later seqs itself and stores the last one at the commit.
    A batch of items (group commit) then costs one statement for its seqs, not one per item.
    """
    unit = current_unit()
    last = unit.seqs.get(workshop_id) if unit is not None else None
    if last is None:
        last = db.session.connection().execute(_NEXT_SEQS, {"workshop": workshop_id, "count": count}).scalar_one()
    else:
        last += count
        unit.execute_at_commit(_STORE_SEQ, {"workshop": workshop_id, "seq": last}, key=workshop_id)
    if unit is not None:
        unit.seqs[workshop_id] = last
    return last - count + 1


def give_back_seq(workshop_id: int, seq: int) -> None:
    """Return the seq just taken, when nothing was stored with it (an item whose client_id was
    used before): the next one taken in this unit, or after it, gets it again, so the log has
    no hole where no event is."""
    unit = current_unit()
    if unit.seqs.get(workshop_id) == seq:
        unit.seqs[workshop_id] = seq - 1
        unit.execute_at_commit(_STORE_SEQ, {"workshop": workshop_id, "seq": seq - 1}, key=workshop_id)


def last_seq(workshop_id: int) -> int:
    """The workshop's latest seq (next_seq does not update loaded objects)."""
    unit = current_unit()
    if unit is not None and workshop_id in unit.seqs:
        return unit.seqs[workshop_id]
    return db.session.connection().execute(_LAST_SEQ, {"workshop": workshop_id}).scalar_one()


def room_audience(workshop_id: int, room_id: int, *extra_partner_ids: int) -> Audience:
    """The partners seated in the room now (plus e.g. the owner of the plan discussed)."""
    db.session.flush()  # seats just changed in this unit (a move) must count
    seated = db.session.connection().execute(_SEATED, {"room": room_id}).scalars()
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
    row = {"workshop_id": workshop_id, "seq": seq, "type": type_, "room_id": room_id, "actor_id": actor.id if actor else None,
           "audience": list(audience.partner_ids) if audience.partner_ids is not None else None, "data": payload, "at": utcnow()}
    current_unit().execute_at_commit(_INSERT_EVENT, row)
    return Published(event=shapes.event(SimpleNamespace(**row)), audience=audience)


def stored(workshop_id: int, first_seq: int, last_seq: int) -> list[Published]:
    """The events stored with seqs first_seq..last_seq, in order, each with its audience, read
    in batches: for a worker whose copies of them never came through the message queue."""
    found: list[Published] = []
    while first_seq <= last_seq:
        batch = list(db.session.scalars(
            select(WorkshopEvent).where(WorkshopEvent.workshop_id == workshop_id, WorkshopEvent.seq.between(first_seq, last_seq))
            .order_by(WorkshopEvent.seq).limit(REPLAY_BATCH)
        ))
        found += [Published(event=shapes.event(event), audience=audience_of(event)) for event in batch]
        if len(batch) < REPLAY_BATCH:
            break
        first_seq = batch[-1].seq + 1
    return found


def audience_of(event: WorkshopEvent) -> Audience:
    partner_ids = tuple(event.audience) if event.audience is not None else None
    return Audience(event.workshop_id, partner_ids)


def seen_by(user: User, workshop: Workshop) -> Callable[[list[int] | None], bool]:
    """Whether `user` may see an event stored with this audience: the rule `resume` follows,
    for pages and acks that list stored events, so they show what resume replays."""
    facilitator = is_facilitator(user, workshop)
    mine = set(partner_ids_of(user))
    return lambda stored: Audience(workshop.id, None if stored is None else tuple(stored)).admits(facilitator=facilitator, partner_ids=mine)


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

"""Rounds of breakout rooms: pairing, adjusting, and the lifecycle driven by deadlines in the database."""
from __future__ import annotations

from collections import Counter
from datetime import datetime, timedelta
from itertools import combinations

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import bindparam, func, select, update

from collab.extensions import db
from collab.models import LIVE, Connection, Pairing, Partner, Room, RoomPartner, Round, RoundStatus, User, Workshop, WorkshopStatus, partner_members
from collab.models.base import utcnow
from collab.services import hands, log, shapes
from collab.services.access import facilitated_workshop, participant_workshop
from collab.services.errors import Conflict, Invalid, NotFound
from collab.services.inputs import CloseInput, ExtendInput, MoveInput, RoundInput, RoundRef
from collab.services.presence import presence_event
from collab.services.presentations import end_all_in, end_in_plenary
from collab.services.publish import Audience, Published
from collab.services.unit_of_work import write
from collab.services.workshops import round_shape
SAME_COUNTRY_COST = 100
REPEAT_COST = 10
SEARCH_BUDGET = 200_000


# --- pairing -----------------------------------------------------------------

def _group_sizes(count: int, size: int) -> list[int]:
    """Groups of `size`; the remainder joins existing groups (pairs + one triad when odd)."""
    if count <= size:
        return [count] if count else []
    groups = count // size
    sizes = [size] * groups
    for i in range(count % size):
        sizes[i % groups] += 1
    return sizes


def pair_partners(partners: list[Partner], history: Counter, size: int = 2) -> list[list[Partner]]:
    """Split partners into rooms of `size`, avoiding same-country pairs and repeats from `history`.

    Deterministic (partners are taken in id order and ties keep the first found), so the same
    workshop state always gives the same rooms. Exhaustive branch-and-bound within a budget;
    for very large partnerships the best pairing found within the budget is used.
    """
    people = sorted(partners, key=lambda p: p.id)
    sizes = sorted(_group_sizes(len(people), size))

    def cost(group: tuple[Partner, ...]) -> int:
        return sum(
            (SAME_COUNTRY_COST if a.country == b.country else 0) + REPEAT_COST * history[frozenset((a.id, b.id))]
            for a, b in combinations(group, 2)
        )

    best: list = [None, float("inf")]
    budget = [SEARCH_BUDGET]

    def search(rest: list[Partner], sizes_left: list[int], groups: list, total: int) -> None:
        if total >= best[1] or budget[0] <= 0:
            return
        if not rest:
            best[0], best[1] = list(groups), total
            return
        budget[0] -= 1
        first, others = rest[0], rest[1:]
        for group_size in sorted(set(sizes_left)):
            remaining_sizes = list(sizes_left)
            remaining_sizes.remove(group_size)
            for mates in combinations(others, group_size - 1):
                group = (first, *mates)
                left = [p for p in others if p not in mates]
                search(left, remaining_sizes, groups + [group], total + cost(group))

    search(people, sizes, [], 0)
    return [list(group) for group in best[0] or []]


def _history(workshop: Workshop) -> Counter:
    """How often each pair of partners already shared a room in this workshop (one query)."""
    seated: dict[int, list[int]] = {}
    for room_id, partner_id in db.session.execute(
        select(RoomPartner.room_id, RoomPartner.partner_id).join(Round, Round.id == RoomPartner.round_id)
        .where(Round.workshop_id == workshop.id)
    ):
        seated.setdefault(room_id, []).append(partner_id)
    return Counter(frozenset(pair) for partners in seated.values() for pair in combinations(sorted(partners), 2))


# --- creating and adjusting ----------------------------------------------------

def _room_specs(workshop: Workshop, form: RoundInput) -> list[tuple[str, list[int]]]:
    modes = [m for m in (form.rooms is not None, form.auto is not None, form.reuse_round_id is not None) if m]
    if len(modes) != 1:
        raise Invalid(_("Give exactly one of rooms, auto or reuse_round_id."), fields={"rooms": _("Choose one way to make rooms.")})
    if form.auto is not None:
        if len(workshop.partners) < 2:
            raise Invalid(_("A workshop needs two partners to pair."), fields={"auto": _("Not enough partners.")})
        groups = pair_partners(list(workshop.partners), _history(workshop), form.auto.size)
        return [(_("Room %(n)s", n=i + 1), [p.id for p in group]) for i, group in enumerate(groups)]
    if form.reuse_round_id is not None:
        earlier = db.session.get(Round, form.reuse_round_id)
        if earlier is None or earlier.workshop_id != workshop.id:
            raise Invalid(_("No such round in this workshop."), fields={"reuse_round_id": _("No such round in this workshop.")})
        return [(room.name, room.partner_ids) for room in earlier.rooms]
    specs = [(room.name, list(room.partner_ids)) for room in form.rooms]
    allowed = {p.id for p in workshop.partners}
    seen: set[int] = set()
    for index, (_name, partner_ids) in enumerate(specs):
        for partner_id in partner_ids:
            if partner_id not in allowed:
                raise Invalid(_("Partner %(id)s is not in this workshop.", id=partner_id), fields={f"rooms.{index}.partner_ids": _("Not a partner of this workshop.")})
            if partner_id in seen:
                raise Invalid(_("A partner can sit in one room only."), fields={f"rooms.{index}.partner_ids": _("Partner %(id)s is in two rooms.", id=partner_id)})
            seen.add(partner_id)
    return specs


def create_round(actor: User, workshop_id: int, form: RoundInput) -> Round:
    with write():
        workshop = facilitated_workshop(actor, workshop_id)
        specs = _room_specs(workshop, form)
        count = db.session.scalar(select(func.count()).select_from(Round).where(Round.workshop_id == workshop.id))
        rnd = Round(workshop_id=workshop.id, name=form.name.strip() or _("Round %(n)s", n=count + 1), minutes=form.minutes)
        for position, (name, partner_ids) in enumerate(specs):
            room = Room(round=rnd, name=name, position=position)
            room.seats = [RoomPartner(round=rnd, partner_id=pid) for pid in partner_ids]
            db.session.add(room)
        db.session.add(rnd)
    return rnd


def _round_for(actor: User, round_id: int, *, facilitator: bool) -> Round:
    # A facilitator's command changes the round: on PostgreSQL its row is locked until the
    # unit commits, so two commands (or a command and a timer) on one round take turns.
    rnd = db.session.get(Round, round_id, with_for_update=facilitator)
    if rnd is None:
        raise NotFound(_("No such round."))
    if facilitator:
        facilitated_workshop(actor, rnd.workshop_id)
    else:
        participant_workshop(actor, rnd.workshop_id)
    return rnd


def get_round(actor: User, workshop_id: int, round_id: int) -> Round:
    rnd = _round_for(actor, round_id, facilitator=False)
    if rnd.workshop_id != workshop_id:
        raise NotFound(_("No such round."))
    return rnd


def set_rooms(actor: User, round_id: int, seating: dict[int, int]) -> Round:
    """Re-seat partners of a pending round: {partner_id: room_id}. Rooms left empty go."""
    with write():
        rnd = _round_for(actor, round_id, facilitator=True)
        if rnd.status != RoundStatus.PENDING:
            raise Conflict(_("Rooms can only be changed before the round opens; move partners instead."))
        rooms = {room.id: room for room in rnd.rooms}
        seats = {seat.partner_id: seat for room in rnd.rooms for seat in room.seats}
        for partner_id, room_id in seating.items():
            if partner_id not in seats or room_id not in rooms:
                raise Invalid(_("Choose one of this round's rooms for each of its partners."), fields={f"room_for_{partner_id}": _("Not valid.")})
            seats[partner_id].room = rooms[room_id]
        for room in list(rnd.rooms):
            if not room.seats:
                rnd.rooms.remove(room)
    return rnd


# --- the live lifecycle ---------------------------------------------------------

def _send_to_plenary(rooms: list[int], user_ids: list[int] | None = None) -> None:
    """Presence: sockets in these rooms are back in the plenary (room events no longer reach
    them anyway: the rooms' audiences are fixed by their seats, see publish.Audience)."""
    if not rooms:
        return
    query = select(Connection).where(Connection.room_id.in_(rooms))
    if user_ids is not None:
        query = query.where(Connection.user_id.in_(user_ids))
    for conn in db.session.scalars(query):
        conn.room_id = None


def _round_event(rnd: Round, type_: str, data: dict, actor: User | None = None) -> Published:
    return log.append(rnd.workshop_id, type_, {"round_id": rnd.id, **data}, Audience(rnd.workshop_id), actor=actor)


def _room_assigned(rnd: Round, room_id: int, partner_id: int, actor: User) -> Published:
    return log.append(rnd.workshop_id, "room_assigned", {"round_id": rnd.id, "room_id": room_id, "partner_id": partner_id},
                      Audience(rnd.workshop_id, (partner_id,)), room_id=room_id, actor=actor)


def _record_pairings(rnd: Round, room: Room) -> None:
    """Remember that the partners now seated in `room` sat together (access rests on it)."""
    known = set(db.session.execute(
        select(Pairing.partner_id, Pairing.peer_id).where(Pairing.round_id == rnd.id, Pairing.partner_id.in_(room.partner_ids))
    ).tuples())
    for partner_id in room.partner_ids:
        for peer_id in room.partner_ids:
            if partner_id != peer_id and (partner_id, peer_id) not in known:
                db.session.add(Pairing(round_id=rnd.id, partner_id=partner_id, peer_id=peer_id, room_id=room.id))


def _room_changed(rnd: Round, room_id: int, actor: User) -> Published:
    """Who sits in the room now, to the partners seated there: their pages show the right plans."""
    seated = list(db.session.scalars(select(RoomPartner.partner_id).where(RoomPartner.room_id == room_id).order_by(RoomPartner.partner_id)))
    return log.append(rnd.workshop_id, "room_changed", {"round_id": rnd.id, "room_id": room_id, "partner_ids": seated},
                      log.room_audience(rnd.workshop_id, room_id), room_id=room_id, actor=actor)


def open_round(actor: User, form: RoundRef) -> dict:
    round_id = form.round_id
    with write() as tx:
        rnd = _round_for(actor, round_id, facilitator=True)
        if rnd.status != RoundStatus.PENDING:
            raise Conflict(_("This round was opened already.") if rnd.status != RoundStatus.CLOSED else _("This round is closed."))
        workshop = db.session.get(Workshop, rnd.workshop_id, with_for_update=True)  # one round opens at a time
        if workshop.status == WorkshopStatus.ENDED:
            raise Conflict(_("This workshop has ended."))
        busy = db.session.scalar(select(Round.id).where(Round.workshop_id == rnd.workshop_id, Round.status.in_(LIVE)))
        if busy:
            raise Conflict(_("Another round is still running; close it first."))
        now = utcnow()
        rnd.status, rnd.opened_at, rnd.ends_at = RoundStatus.OPEN, now, now + timedelta(minutes=rnd.minutes)
        workshop.status = WorkshopStatus.LIVE
        # Everyone goes to their room: a presentation in the plenary ends first.
        tx.publish(*end_in_plenary(workshop.id, actor, now))
        db.session.flush()
        shape = round_shape(rnd)
        tx.publish(log.append(rnd.workshop_id, "round_opened", {"round": shape}, Audience(rnd.workshop_id), actor=actor))
        for room in rnd.rooms:
            _record_pairings(rnd, room)
            for partner_id in room.partner_ids:
                tx.publish(_room_assigned(rnd, room.id, partner_id, actor))
    return shape


def extend_round(actor: User, form: ExtendInput) -> dict:
    with write() as tx:
        rnd = _round_for(actor, form.round_id, facilitator=True)
        if rnd.status not in LIVE:
            raise Conflict(_("Only a running round can be extended."))
        rnd.ends_at = max(rnd.ends_at, utcnow()) + timedelta(minutes=form.minutes)
        rnd.status = RoundStatus.OPEN
        tx.publish(_round_event(rnd, "timer", {"ends_at": shapes.iso(rnd.ends_at)}, actor))
    return {"round_id": rnd.id, "ends_at": shapes.iso(rnd.ends_at)}


def close_round(actor: User, form: CloseInput) -> dict:
    with write() as tx:
        rnd = _round_for(actor, form.round_id, facilitator=True)
        if rnd.status not in LIVE:
            raise Conflict(_("Only a running round can be closed."))
        now = utcnow()
        rnd.status = RoundStatus.CLOSING
        rnd.ends_at = now + timedelta(seconds=form.countdown_s)
        tx.publish(_round_event(rnd, "round_closing", {"seconds": form.countdown_s, "ends_at": shapes.iso(rnd.ends_at), "by": "facilitator"}, actor))
        if form.countdown_s == 0:
            tx.publish(*_finish(rnd, now))
    return {"round_id": rnd.id, "ends_at": shapes.iso(rnd.ends_at), "status": rnd.status}


def _finish(rnd: Round, now: datetime) -> list[Published]:
    rnd.status, rnd.closed_at = RoundStatus.CLOSED, now
    room_ids = [room.id for room in rnd.rooms]
    items = end_all_in(rnd, now)
    items.append(_round_event(rnd, "round_closed", {}))
    hands.clear_round(rnd)
    _send_to_plenary(room_ids)
    return items


def move_partner(actor: User, form: MoveInput) -> dict:
    with write() as tx:
        rnd = _round_for(actor, form.round_id, facilitator=True)
        if rnd.status == RoundStatus.CLOSED:
            raise Conflict(_("This round is closed."))
        seat = db.session.scalar(select(RoomPartner).where(RoomPartner.round_id == rnd.id, RoomPartner.partner_id == form.partner_id))
        target = db.session.get(Room, form.to_room_id)
        if seat is None:
            raise Invalid(_("This partner has no room in this round."), fields={"partner_id": _("Not seated in this round.")})
        if target is None or target.round_id != rnd.id:
            raise Invalid(_("No such room in this round."), fields={"to_room_id": _("No such room in this round.")})
        old_room_id = seat.room_id
        if old_room_id == target.id:
            return {"round_id": rnd.id, "room_id": target.id}
        seat.room = target  # through the relationship, so both rooms' seat lists stay true
        members = list(db.session.scalars(select(partner_members.c.user_id).where(partner_members.c.partner_id == form.partner_id)))
        _send_to_plenary([old_room_id], members)
        db.session.flush()
        if rnd.status in LIVE:
            _record_pairings(rnd, target)
            tx.publish(*hands.lower_on_move(actor, rnd, old_room_id, form.partner_id, members),
                       _room_assigned(rnd, target.id, form.partner_id, actor),
                       presence_event(rnd.workshop_id, old_room_id), presence_event(rnd.workshop_id, target.id),
                       *(_room_changed(rnd, room_id, actor) for room_id in (old_room_id, target.id)))
    return {"round_id": rnd.id, "room_id": target.id}


_ROUNDS = Round.__table__
# Every worker asks twice a second, so the query is built once, with bound parameters: building
# it from the ORM's attributes each time cost most of the tick.
_DUE = select(_ROUNDS.c.id, _ROUNDS.c.status, _ROUNDS.c.ends_at).where(
    ((_ROUNDS.c.status == RoundStatus.OPEN) & (_ROUNDS.c.ends_at <= bindparam("grace_ends")))
    | ((_ROUNDS.c.status == RoundStatus.CLOSING) & (_ROUNDS.c.ends_at <= bindparam("now")))
)


def advance_timers(now: datetime | None = None) -> int:
    """Move rounds whose deadline has come: open → closing (grace countdown) → closed.

    Every worker may run this; the conditional UPDATE lets exactly one of them act on each
    transition, and the deadline lives in the database, so a restart loses no timer.
    """
    now = now or utcnow()
    grace = timedelta(seconds=current_app.config["ROUND_GRACE_SECONDS"])
    due = list(db.session.connection().execute(_DUE, {"grace_ends": now + grace, "now": now}))
    return sum(_advance(round_id, status, ends_at, now) for round_id, status, ends_at in due)


def _advance(round_id: int, status: str, ends_at: datetime, now: datetime) -> bool:
    with write() as tx:
        if status == RoundStatus.OPEN:
            won = db.session.execute(
                update(Round).where(Round.id == round_id, Round.status == RoundStatus.OPEN, Round.ends_at == ends_at)
                .values(status=RoundStatus.CLOSING)
            ).rowcount
            if won:
                rnd = db.session.get(Round, round_id)
                seconds = max(0, round((ends_at - now).total_seconds()))
                tx.publish(_round_event(rnd, "round_closing", {"seconds": seconds, "ends_at": shapes.iso(ends_at), "by": "time"}))
            return bool(won)
        won = db.session.execute(
            update(Round).where(Round.id == round_id, Round.status == RoundStatus.CLOSING, Round.ends_at <= now)
            .values(status=RoundStatus.CLOSED, closed_at=now)
        ).rowcount
        if won:  # else another worker, or an extension, came first
            tx.publish(*_finish(db.session.get(Round, round_id), now))
        return bool(won)


def current_round(workshop: Workshop) -> Round | None:
    return db.session.scalar(
        select(Round).where(Round.workshop_id == workshop.id, Round.status.in_(LIVE)).order_by(Round.id.desc()).limit(1)
    )


def room_of(workshop: Workshop, partner_ids: list[int]) -> int | None:
    """The room of one of these partners in the workshop's running round."""
    rnd = current_round(workshop)
    if rnd is None:
        return None
    for room in rnd.rooms:
        if set(room.partner_ids) & set(partner_ids):
            return room.id
    return None



"""Being in a live workshop: joining the plenary or a room, presence, resume, announcements."""
from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import select

from collab.extensions import db
from collab.models import Connection, Plan, Presentation, Room, Round, User, Workshop, partner_members, workshop_partners
from collab.services import log, plans, shapes
from collab.services.access import facilitated_workshop, is_facilitator, participant_workshop, partner_ids_of
from collab.services.errors import Conflict, NotFound
from collab.services.inputs import BroadcastInput, ResumeInput, RoomRef, WorkshopRef, parse
from collab.services.publish import Published
from collab.services.rounds import LIVE, current_round, room_of
from collab.services.workshops import workshop_shape

RESUME_PAGE = 1000


def _presence_users(workshop_id: int, room_id: int | None) -> list[dict]:
    query = (
        select(User, Connection.connected_at)
        .join(Connection, Connection.user_id == User.id)
        .where(Connection.workshop_id == workshop_id)
        .where(Connection.room_id == room_id if room_id is not None else Connection.room_id.is_(None))
        .order_by(Connection.connected_at)
    )
    users: dict[int, User] = {}
    for user, _at in db.session.execute(query):
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
    return {"room_id": room_id, "users": _presence_users(workshop_id, room_id)}


def presence_event(workshop_id: int, room_id: int | None) -> Published:
    scope = "room" if room_id is not None else "workshop"
    return log.append(workshop_id, "presence", presence(workshop_id, room_id), scope=scope, room_id=room_id)


def _rooms_now(workshop: Workshop) -> list[dict]:
    """For a facilitator's board opened mid-round: who is in each room and what is on screen."""
    rnd = current_round(workshop)
    if rnd is None:
        return []
    rooms = []
    for room in rnd.rooms:
        shown = active_presentation(room.id)
        rooms.append({"id": room.id, "presence": presence(workshop.id, room.id),
                      "presentation": presentation_shape(shown) if shown else None})
    return rooms


def _connection(sid: str) -> Connection:
    conn = db.session.get(Connection, sid)
    if conn is None:
        raise NotFound(_("This connection is not known; reconnect."))
    return conn


def join_workshop(actor: User, data: dict, sid: str) -> dict:
    """Enter the plenary (leaving any room); the socket hears the workshop from now on."""
    form = parse(WorkshopRef, data)
    workshop = participant_workshop(actor, form.workshop_id)
    conn = _connection(sid)
    left_room = conn.room_id
    conn.workshop_id, conn.room_id = workshop.id, None
    db.session.flush()
    items = [presence_event(workshop.id, None)]
    if left_room is not None:
        items.append(presence_event(workshop.id, left_room))
    facilitator = is_facilitator(actor, workshop)
    ack = {
        "workshop": workshop_shape(workshop),
        "my_room_id": room_of(workshop, partner_ids_of(actor)),
        "presence": presence(workshop.id, None),
        "is_facilitator": facilitator,
        "last_seq": workshop.last_seq,
    }
    if facilitator:
        ack["rooms"] = _rooms_now(workshop)

    def subscribe(pub) -> None:
        if left_room is not None:
            pub.evict([(sid, left_room)])
        pub.subscribe(sid, workshop.id, facilitator=facilitator)

    log.commit_and_publish(items, then=subscribe)
    return ack


def _room_and_round(room_id: int) -> tuple[Room, Round]:
    room = db.session.get(Room, room_id)
    if room is None:
        raise NotFound(_("No such room."))
    return room, room.round


def may_enter_room(actor: User, room: Room, rnd: Round) -> bool:
    if is_facilitator(actor, rnd.workshop):
        return True
    return rnd.status in LIVE and bool(set(room.partner_ids) & set(partner_ids_of(actor)))


def readable_room(actor: User, room_id: int) -> tuple[Room, Round]:
    room, rnd = _room_and_round(room_id)
    participant_workshop(actor, rnd.workshop_id)
    if not may_enter_room(actor, room, rnd):
        raise NotFound(_("No such room, or it is not open for you."))
    return room, rnd


def active_presentation(room_id: int) -> Presentation | None:
    return db.session.scalar(
        select(Presentation).where(Presentation.room_id == room_id, Presentation.ended_at.is_(None)).order_by(Presentation.id.desc())
    )


def presentation_shape(p: Presentation) -> dict:
    return {"id": p.id, "room_id": p.room_id, "plan_id": p.plan_id, "plan_version": p.plan_version,
            "presenter_partner_id": p.presenter_partner_id, "section_key": p.section_key}


def room_plans(room: Room) -> list[tuple]:
    """(plan, latest version) of every partner seated in the room."""
    result = []
    for plan in db.session.scalars(select(Plan).where(Plan.partner_id.in_(room.partner_ids)).order_by(Plan.partner_id, Plan.id)):
        result.append((plan, plans.get_version(plan, None)))
    return result


def join_room(actor: User, data: dict, sid: str) -> dict:
    """Enter a breakout room (leaving any other); the socket hears the room from now on."""
    form = parse(RoomRef, data)
    room, rnd = readable_room(actor, form.room_id)
    conn = _connection(sid)
    left_room = conn.room_id if conn.room_id != room.id else None
    conn.workshop_id, conn.room_id = rnd.workshop_id, room.id
    db.session.flush()
    items = [presence_event(rnd.workshop_id, room.id), presence_event(rnd.workshop_id, None)]
    if left_room is not None:
        items.append(presence_event(rnd.workshop_id, left_room))
    current = active_presentation(room.id)
    plans_here = room_plans(room)
    plan_ids = [plan.id for plan, _v in plans_here]
    ack = {
        "room": {**shapes.room(room, plan_ids), "round_id": rnd.id, "status": rnd.status, "ends_at": shapes.iso(rnd.ends_at)},
        "plans": [shapes.plan(plan, version) for plan, version in plans_here],
        "presentation": presentation_shape(current) if current else None,
        "presence": presence(rnd.workshop_id, room.id),
        "last_seq": db.session.get(Workshop, rnd.workshop_id).last_seq,
    }
    facilitator = is_facilitator(actor, rnd.workshop)

    def subscribe(pub) -> None:
        if left_room is not None:
            pub.evict([(sid, left_room)])
        pub.subscribe(sid, rnd.workshop_id, room_id=room.id, facilitator=facilitator)

    log.commit_and_publish(items, then=subscribe)
    return ack


def leave_room(actor: User, data: dict, sid: str) -> dict:
    form = parse(RoomRef, data)
    conn = _connection(sid)
    if conn.room_id != form.room_id:
        raise Conflict(_("You are not in this room."))
    workshop_id = conn.workshop_id
    conn.room_id = None
    db.session.flush()
    items = [presence_event(workshop_id, form.room_id), presence_event(workshop_id, None)]
    log.commit_and_publish(items, then=lambda pub: pub.evict([(sid, form.room_id)]))
    return {"room_id": form.room_id}


def disconnect(sid: str) -> None:
    """A socket went away: forget it and tell its room or plenary."""
    conn = db.session.get(Connection, sid)
    if conn is None:
        db.session.rollback()
        return
    workshop_id, room_id = conn.workshop_id, conn.room_id
    db.session.delete(conn)
    db.session.flush()
    items = []
    if workshop_id is not None:
        items.append(presence_event(workshop_id, room_id))
    log.commit_and_publish(items)


def resume(actor: User, data: dict) -> list[dict]:
    """Every event after `after_seq` the actor may see, oldest first."""
    form = parse(ResumeInput, data)
    workshop = participant_workshop(actor, form.workshop_id)
    events: list[dict] = []
    after = form.after_seq
    while True:
        page = log.events_after(actor, workshop, after, RESUME_PAGE)
        events.extend(page)
        if len(page) < RESUME_PAGE:
            break
        after = page[-1]["seq"]
    db.session.rollback()
    return events


def broadcast(actor: User, data: dict) -> dict:
    form = parse(BroadcastInput, data)
    workshop = facilitated_workshop(actor, form.workshop_id)
    item = log.append(workshop.id, "announcement", {"message": form.message, "from": shapes.user_lite(actor)}, scope="workshop", actor=actor)
    log.commit_and_publish([item])
    return {"seq": item.event["seq"]}

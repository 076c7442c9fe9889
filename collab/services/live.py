"""Being in a live workshop: joining the plenary or a room, resume, announcements."""
from __future__ import annotations

from collections.abc import Collection

from flask_babel import gettext as _

from sqlalchemy import func, select

from collab.extensions import db
from collab.models import LIVE, Plan, User, Workshop, WorkshopEvent
from collab.models.base import utcnow
from collab.services import feedback, hands, log, plans, shapes, video
from collab.services.access import facilitated_workshop, is_facilitator, participant_workshop, partner_ids_of
from collab.services.errors import Conflict
from collab.services.inputs import BroadcastInput, ResumeInput, RoomMessageInput, RoomRef, WorkshopRef
from collab.services.presence import connection, presence, presence_event
from collab.services.presentations import active_presentation, plenary_presentation
from collab.services.publish import Audience
from collab.services.room_access import Seat, facilitated_room, plenary_seat, readable_room, room_plans, seat_for
from collab.services.rounds import current_round, room_of
from collab.services.unit_of_work import end_read, write
from collab.services.workshops import workshop_shape


def _rooms_now(workshop: Workshop) -> list[dict]:
    """For a facilitator's board opened mid-round: who is in each room and what is on screen."""
    rnd = current_round(workshop)
    if rnd is None:
        return []
    rooms = []
    for room in rnd.rooms:
        shown = active_presentation(room.id)
        rooms.append({"id": room.id, "presence": presence(workshop.id, room.id),
                      "presentation": shapes.presentation(shown) if shown else None, "hand": hands.hand_of(room)})
    return rooms


def join_workshop(actor: User, form: WorkshopRef, sid: str) -> tuple[dict, Seat | None]:
    """Enter the plenary (leaving any room); the socket hears the workshop from now on. Also
    returns a partner member's seat in the plenary, for the socket to keep (see room_access.Seat)."""
    with write() as tx:
        workshop = participant_workshop(actor, form.workshop_id)
        conn = connection(sid)
        left_room = conn.room_id
        conn.workshop_id, conn.room_id = workshop.id, None
        db.session.flush()
        tx.publish(presence_event(workshop.id, None))
        if left_room is not None:
            tx.publish(presence_event(workshop.id, left_room))
        facilitator = is_facilitator(actor, workshop)
        shown = plenary_presentation(workshop.id)
        ack = {
            "workshop": workshop_shape(workshop),
            "my_room_id": room_of(workshop, partner_ids_of(actor)),
            "presence": presence(workshop.id, None),
            "presentation": shapes.presentation(shown) if shown else None,
            "is_facilitator": facilitator,
            "last_seq": log.last_seq(workshop.id),
            "now": shapes.iso(utcnow()),  # clients count down on the server's clock (live.js)
        }
        if facilitator:
            ack["rooms"] = _rooms_now(workshop)
        seat = plenary_seat(actor, workshop)
        # Before the events go out, so the socket hears the news of its own arrival.
        tx.after_commit(lambda pub: pub.subscribe(sid, workshop.id, facilitator=facilitator))
    return ack, seat


def join_room(actor: User, form: RoomRef, sid: str) -> tuple[dict, Seat | None]:
    """Enter a breakout room (leaving any other); presence tells the room. Also returns the
    member's seat there, for the socket to keep (see room_access.Seat)."""
    with write() as tx:
        room, rnd = readable_room(actor, form.room_id)
        conn = connection(sid)
        left_room = conn.room_id if conn.room_id != room.id else None
        conn.workshop_id, conn.room_id = rnd.workshop_id, room.id
        db.session.flush()
        tx.publish(presence_event(rnd.workshop_id, room.id), presence_event(rnd.workshop_id, None))
        if left_room is not None:
            tx.publish(presence_event(rnd.workshop_id, left_room))
        current = active_presentation(room.id)
        plans_here = room_plans(room)
        plan_ids = [plan.id for plan, _v in plans_here]
        ack = {
            "room": {**shapes.room(room, plan_ids), "round_id": rnd.id, "status": rnd.status, "ends_at": shapes.iso(rnd.ends_at),
                     "hand": hands.hand_seen_by(actor, room, rnd.workshop), "call_url": video.call_url(room)},
            "plans": [shapes.plan(plan, version) for plan, version in plans_here],
            "presentation": shapes.presentation(current) if current else None,
            "presence": presence(rnd.workshop_id, room.id),
            "last_seq": log.last_seq(rnd.workshop_id),
            "now": shapes.iso(utcnow()),
        }
        facilitator = is_facilitator(actor, rnd.workshop)
        seat = seat_for(actor, room, rnd)
        tx.after_commit(lambda pub: pub.subscribe(sid, rnd.workshop_id, facilitator=facilitator))
    return ack, seat


def leave_room(actor: User, form: RoomRef, sid: str) -> dict:
    with write() as tx:
        conn = connection(sid)
        if conn.room_id != form.room_id:
            raise Conflict(_("You are not in this room."))
        workshop_id = conn.workshop_id
        conn.room_id = None
        db.session.flush()
        tx.publish(presence_event(workshop_id, form.room_id), presence_event(workshop_id, None))
    return {"room_id": form.room_id}


def resume(actor: User, form: ResumeInput) -> list[dict]:
    """Every event after `after_seq` the actor may see, oldest first."""
    workshop = participant_workshop(actor, form.workshop_id)
    events = log.events_after(actor, workshop, form.after_seq)
    end_read()  # the caller emits them: no transaction may stay open meanwhile
    return events


def plenary_view(actor: User, workshop: Workshop) -> dict | None:
    """What the plenary page shows of the presentation running there: the plan version
    presented and the feedback given on it in this workshop's plenary (not in its rooms). The
    plan is readable by everyone in the workshop from the moment it is presented
    (access.can_read_plan)."""
    shown = plenary_presentation(workshop.id)
    if shown is None:
        return None
    plan = db.session.get(Plan, shown.plan_id)
    return {
        "presentation": shapes.presentation(shown),
        "item": {"plan": plan, "version": plans.get_version(plan, shown.plan_version), "can_present": False},
        "feedback_items": feedback.for_plans_in_workshop(actor, [plan.id], workshop.id, plenary_only=True),
    }


def presenters(workshop: Workshop) -> list[dict]:
    """The plans a facilitator can have presented in the plenary, by partner."""
    rows = db.session.execute(
        select(Plan.id, Plan.title, Plan.partner_id).where(Plan.partner_id.in_([p.id for p in workshop.partners])).order_by(Plan.partner_id, Plan.id)
    )
    names = {p.id: p.short_name for p in workshop.partners}
    return [{"plan_id": plan_id, "title": title, "partner_id": partner_id, "partner": names[partner_id]} for plan_id, title, partner_id in rows]


# Pages list every announcement since the latest round opened, as resume replays them; the
# cap only bounds one page's query (a facilitator sending more in one round is not expected).
ANNOUNCEMENTS_ON_A_PAGE = 500


def announcements(viewer: User, workshop: Workshop, rooms: Collection[int] = (), limit: int = ANNOUNCEMENTS_ON_A_PAGE) -> list[dict]:
    """The announcements made since the latest round opened (all of them before any round),
    newest first: what a page shows on load, so a reload or a late join misses none.
    Broadcasts go to everyone in the workshop; a message to one room is listed only for the
    `rooms` given (the room's own page, the board), and only to a viewer its stored audience
    admits: a partner moved into the room later does not get it, as `resume` does not."""
    since = db.session.scalar(
        select(func.max(WorkshopEvent.seq)).where(WorkshopEvent.workshop_id == workshop.id, WorkshopEvent.type == "round_opened")
    ) or 0
    rows = db.session.execute(
        select(WorkshopEvent.seq, WorkshopEvent.at, WorkshopEvent.room_id, WorkshopEvent.data, WorkshopEvent.audience)
        .where(WorkshopEvent.workshop_id == workshop.id, WorkshopEvent.type == "announcement", WorkshopEvent.seq > since,
               WorkshopEvent.room_id.is_(None) | WorkshopEvent.room_id.in_(list(rooms)))
        .order_by(WorkshopEvent.seq.desc()).limit(limit)
    )
    seen = log.seen_by(viewer, workshop)
    return [{"seq": seq, "at": at, "room_id": room_id, "message": data["message"], "from": data.get("from")}
            for seq, at, room_id, data, audience in rows if seen(audience)]


def broadcast(actor: User, form: BroadcastInput) -> dict:
    with write() as tx:
        workshop = facilitated_workshop(actor, form.workshop_id)
        item = log.append(workshop.id, "announcement", {"message": form.message, "from": shapes.user_lite(actor)},
                          Audience(workshop.id), actor=actor)
        tx.publish(item)
    return {"seq": item.event["seq"]}


def message_room(actor: User, form: RoomMessageInput) -> dict:
    """A facilitator's announcement to one room: its members hear it, no other room does."""
    with write() as tx:
        room, rnd = facilitated_room(actor, form.room_id)
        if rnd.status not in LIVE:
            raise Conflict(_("The round is not running."))
        payload = {"message": form.message, "from": shapes.user_lite(actor), "room_id": room.id}
        item = log.append(rnd.workshop_id, "announcement", payload, log.room_audience(rnd.workshop_id, room.id),
                          room_id=room.id, actor=actor)
        tx.publish(item)
    return {"seq": item.event["seq"], "room_id": room.id}

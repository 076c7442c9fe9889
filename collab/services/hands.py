"""Asking for help: a member raises the room's hand; the room and the workshop's facilitators
see it, and a member or a facilitator lowers it. One hand per room, kept on the room itself, so
a page rendered now and `resume` (the hand_raised / hand_lowered events) agree."""
from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import select, update

from collab.extensions import db
from collab.models import LIVE, Room, Round, RoundStatus, User, Workshop, WorkshopEvent
from collab.models.base import utcnow
from collab.services import log, shapes
from collab.services.access import partner_ids_of
from collab.services.errors import Conflict, Forbidden
from collab.services.inputs import RoomRef
from collab.services.publish import Audience, Published
from collab.services.room_access import readable_room
from collab.services.unit_of_work import write


def hand_of(room: Room) -> dict | None:
    """The room's raised hand as the events carry it, or None."""
    if room.hand_raised_at is None:
        return None
    by = shapes.user_lite(room.hand_raised_by) if room.hand_raised_by else None
    return {"room_id": room.id, "by": by, "at": shapes.iso(room.hand_raised_at)}


def hand_seen_by(viewer: User, room: Room, workshop: Workshop) -> dict | None:
    """The room's raised hand if the viewer heard of it: the stored audience of its
    hand_raised event admits them (a partner moved in after it was raised does not, as
    `resume` does not replay it to them)."""
    hand = hand_of(room)
    if hand is None:
        return None
    audience = db.session.scalar(
        select(WorkshopEvent.audience).where(WorkshopEvent.workshop_id == workshop.id, WorkshopEvent.room_id == room.id,
                                             WorkshopEvent.type == "hand_raised").order_by(WorkshopEvent.seq.desc()).limit(1)
    )
    return hand if log.seen_by(viewer, workshop)(audience) else None


def _seated_member(actor: User, room: Room) -> bool:
    return bool(set(room.partner_ids) & set(partner_ids_of(actor)))


def raise_hand(actor: User, form: RoomRef) -> dict:
    """Idempotent: a hand already up stays as it was (who raised it, since when)."""
    with write() as tx:
        asked = db.session.get(Room, form.room_id)
        # Its members knew the room: after the round, they are told why, not that it is gone.
        if asked is not None and asked.round.status == RoundStatus.CLOSED and _seated_member(actor, asked):
            raise Conflict(_("This round is closed."))
        room, rnd = readable_room(actor, form.room_id)
        if not _seated_member(actor, room):
            raise Forbidden(_("Only the room's members may ask for help."))
        if rnd.status not in LIVE:
            raise Conflict(_("The round is not running."))
        now = utcnow()
        # Conditional: of two members raising at once (on any worker), one raises it.
        raised = db.session.execute(
            update(Room).where(Room.id == room.id, Room.hand_raised_at.is_(None))
            .values(hand_raised_at=now, hand_raised_by_id=actor.id).execution_options(synchronize_session=False)
        ).rowcount
        db.session.refresh(room, ["hand_raised_at", "hand_raised_by_id", "hand_raised_by"])
        hand = hand_of(room)
        if raised:
            tx.publish(log.append(rnd.workshop_id, "hand_raised", hand, log.room_audience(rnd.workshop_id, room.id),
                                  room_id=room.id, actor=actor))
    return {**hand, "raised": True}


def _lowered(actor: User, workshop_id: int, room_id: int, audience: Audience) -> Published:
    payload = {"room_id": room_id, "by": shapes.user_lite(actor), "at": shapes.iso(utcnow())}
    return log.append(workshop_id, "hand_lowered", payload, audience, room_id=room_id, actor=actor)


def lower_hand(actor: User, form: RoomRef) -> dict:
    """A member of the room, or a facilitator answering it; idempotent."""
    with write() as tx:
        room, rnd = readable_room(actor, form.room_id)
        lowered = db.session.execute(
            update(Room).where(Room.id == room.id, Room.hand_raised_at.is_not(None))
            .values(hand_raised_at=None, hand_raised_by_id=None).execution_options(synchronize_session=False)
        ).rowcount
        if lowered:
            tx.publish(_lowered(actor, rnd.workshop_id, room.id, log.room_audience(rnd.workshop_id, room.id)))
    return {"room_id": room.id, "raised": False}


def lower_on_move(actor: User, rnd: Round, old_room_id: int, partner_id: int, member_ids: list[int]) -> list[Published]:
    """A partner moved out of a room takes down the hand one of its members raised there: no
    one left in the room raised it, and its raiser may no longer lower it there. Inside the
    move's unit of work; the room's partners, the moved one and the facilitators hear it."""
    lowered = db.session.execute(
        update(Room).where(Room.id == old_room_id, Room.hand_raised_at.is_not(None), Room.hand_raised_by_id.in_(member_ids))
        .values(hand_raised_at=None, hand_raised_by_id=None).execution_options(synchronize_session=False)
    ).rowcount
    if not lowered:
        return []
    return [_lowered(actor, rnd.workshop_id, old_room_id, log.room_audience(rnd.workshop_id, old_room_id, partner_id))]


def clear_round(rnd: Round) -> None:
    """A closed round's hands go down with it (inside the caller's unit of work); pages leave
    or reload on round_closed, so no event per hand is needed."""
    db.session.execute(
        update(Room).where(Room.round_id == rnd.id, Room.hand_raised_at.is_not(None))
        .values(hand_raised_at=None, hand_raised_by_id=None).execution_options(synchronize_session=False)
    )

"""Who may enter a breakout room, and what the room holds."""
from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import select

from collab.extensions import db
from collab.models import LIVE, Plan, PlanVersion, Room, Round, User
from collab.services import plans
from collab.services.access import is_facilitator, participant_workshop, partner_ids_of
from collab.services.errors import NotFound


def may_enter_room(actor: User, room: Room, rnd: Round) -> bool:
    if is_facilitator(actor, rnd.workshop):
        return True
    return rnd.status in LIVE and bool(set(room.partner_ids) & set(partner_ids_of(actor)))


def readable_room(actor: User, room_id: int) -> tuple[Room, Round]:
    room = db.session.get(Room, room_id)
    if room is None:
        raise NotFound(_("No such room."))
    rnd = room.round
    participant_workshop(actor, rnd.workshop_id)
    if not may_enter_room(actor, room, rnd):
        raise NotFound(_("No such room, or it is not open for you."))
    return room, rnd


def room_plans(room: Room) -> list[tuple[Plan, PlanVersion]]:
    """(plan, latest version) of every partner seated in the room."""
    result = []
    for plan in db.session.scalars(select(Plan).where(Plan.partner_id.in_(room.partner_ids)).order_by(Plan.partner_id, Plan.id)):
        result.append((plan, plans.get_version(plan, None)))
    return result

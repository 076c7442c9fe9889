"""Who may enter a breakout room, and what the room holds."""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from flask_babel import gettext as _
from sqlalchemy import bindparam, func, select

from collab.extensions import db
from collab.models import LIVE, Plan, PlanSection, PlanVersion, Presentation, Room, RoomPartner, Round, User, partner_members
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


@dataclass
class Seat:
    """A partner member's place in a room, decided once when the socket joins.

    The hot path (posting feedback, moving the presentation) reads what it needs from here
    instead of re-deriving access from the ORM on every event; what can change meanwhile (the
    round's state, who sits in the room, membership) is re-checked in one query per event
    (see `still_seated`). Facilitators keep the full path: they rarely post in rooms.
    """

    user_id: int
    user_name: str
    partner_ids: frozenset[int]
    author_partner_id: int
    room_id: int
    round_id: int
    workshop_id: int
    rubric_keys: frozenset[str]
    plan_partners: dict[int, int]  # plan id -> its partner, for the plans of the room
    # (plan, version) -> section key -> (visible text, Markdown), normalised; see section_texts()
    section_texts: dict[tuple[int, int], dict[str, tuple[str, str]]] = field(default_factory=dict)


def seat_for(actor: User, room: Room, rnd: Round) -> Seat | None:
    """The seat of a partner member in `room`; None for a facilitator who is not a member there."""
    mine = frozenset(partner_ids_of(actor))
    seated = mine & set(room.partner_ids)
    if not seated:
        return None
    return Seat(
        user_id=actor.id, user_name=actor.name, partner_ids=mine, author_partner_id=min(seated), room_id=room.id,
        round_id=rnd.id, workshop_id=rnd.workshop_id, rubric_keys=frozenset(c["key"] for c in rnd.workshop.rubric),
        plan_partners={plan.id: plan.partner_id for plan, _version in room_plans(room)},
    )


def _seated_query():
    """Built once, with bound parameters: SQLAlchemy caches a statement's compiled form by
    a key it derives from the statement object, and deriving it is most of the cost."""
    rounds, seats, members, plans_, shown = Round.__table__, RoomPartner.__table__, partner_members, Plan.__table__, Presentation.__table__
    room, plan = bindparam("room_id"), bindparam("plan_id")
    presented = (
        select(shown.c.plan_version).where(shown.c.room_id == room, shown.c.plan_id == plan, shown.c.ended_at.is_(None))
        .order_by(shown.c.id.desc()).limit(1).scalar_subquery()
    )
    return select(
        select(rounds.c.status).where(rounds.c.id == bindparam("round_id")).scalar_subquery(),
        select(func.count()).where(seats.c.room_id == room, seats.c.partner_id == bindparam("author_partner")).scalar_subquery(),
        select(func.count()).where(seats.c.room_id == room, seats.c.partner_id == bindparam("plan_partner")).scalar_subquery(),
        select(func.count()).where(members.c.user_id == bindparam("user_id"), members.c.partner_id == bindparam("author_partner")).scalar_subquery(),
        func.coalesce(presented, select(plans_.c.latest_version).where(plans_.c.id == plan).scalar_subquery()),
    )


_SEATED = _seated_query()


def still_seated(seat: Seat, plan_id: int) -> int | None:
    """One query: is the room open, are the author's and the plan's partners still seated in
    it, is the author still their partner's member? If so, the version of the plan the room
    sees (the one presented there, else the latest); else None."""
    status, author_seated, plan_seated, member, version = db.session.connection().execute(_SEATED, {
        "room_id": seat.room_id, "plan_id": plan_id, "round_id": seat.round_id, "author_partner": seat.author_partner_id,
        "plan_partner": seat.plan_partners[plan_id], "user_id": seat.user_id,
    }).one()
    if status not in LIVE or not (author_seated and plan_seated and member):
        return None
    return version


def section_texts(seat: Seat, plan_id: int, version: int) -> dict[str, tuple[str, str]]:
    """Each section's visible text and Markdown, whitespace-normalised for the quote check;
    loaded once per socket and version (versions never change)."""
    key = (plan_id, version)
    if key not in seat.section_texts:
        sections, versions = PlanSection.__table__, PlanVersion.__table__
        rows = db.session.connection().execute(
            select(sections.c.key, sections.c.text, sections.c.body).join(versions, versions.c.id == sections.c.version_id)
            .where(versions.c.plan_id == plan_id, versions.c.number == version)
        )
        seat.section_texts[key] = {k: (normalised(text), normalised(body)) for k, text, body in rows}
    return seat.section_texts[key]


def normalised(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()

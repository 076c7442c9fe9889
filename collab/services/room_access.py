"""Who may enter a breakout room, what the room holds, and a member's seat in a room or the plenary."""
from __future__ import annotations

import functools
from dataclasses import dataclass

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import Integer, String, bindparam, cast, func, literal_column, null, select, union_all

from collab.extensions import db
from collab.models import (LIVE, FeedbackItem, Plan, PlanSection, PlanVersion, Presentation, Room, RoomPartner, Round, User, Workshop, WorkshopStatus,
                           partner_members, workshop_partners)
from collab.services import plans
from collab.services.access import facilitated_workshop, is_facilitator, is_participant, participant_workshop, partner_ids_of
from collab.services.errors import NotFound
from collab.services.publish import Audience


def belongs_in(actor: User, room: Room, rnd: Round) -> bool:
    """A facilitator of the room's workshop, or a member of a partner seated in it (whether
    or not its round is still open)."""
    return is_facilitator(actor, rnd.workshop) or bool(set(room.partner_ids) & set(partner_ids_of(actor)))


def may_enter_room(actor: User, room: Room, rnd: Round) -> bool:
    return belongs_in(actor, room, rnd) and (rnd.status in LIVE or is_facilitator(actor, rnd.workshop))


def readable_room(actor: User, room_id: int) -> tuple[Room, Round]:
    room = db.session.get(Room, room_id)
    if room is None:
        raise NotFound(_("No such room."))
    rnd = room.round
    participant_workshop(actor, rnd.workshop_id)
    if not may_enter_room(actor, room, rnd):
        raise NotFound(_("No such room, or it is not open for you."))
    return room, rnd


def facilitated_room(actor: User, room_id: int) -> tuple[Room, Round]:
    """A room to act on as a facilitator of its workshop. Anyone outside the workshop (a
    facilitator of another one too) gets the answer a room that does not exist gets; a
    participant who does not facilitate it, forbidden."""
    room = db.session.get(Room, room_id)
    if room is None or not is_participant(actor, room.round.workshop):
        raise NotFound(_("No such room."))
    facilitated_workshop(actor, room.round.workshop_id)
    return room, room.round


def room_plans(room: Room) -> list[tuple[Plan, PlanVersion]]:
    """(plan, latest version) of every partner seated in the room."""
    result = []
    for plan in db.session.scalars(select(Plan).where(Plan.partner_id.in_(room.partner_ids)).order_by(Plan.partner_id, Plan.id)):
        result.append((plan, plans.get_version(plan, None)))
    return result


@dataclass
class Seat:
    """A partner member's place in a room, or in the plenary of a workshop (`room_id` None),
    decided once when the socket joins.

    The hot path (posting feedback, moving the presentation) reads what it needs from here
    instead of re-deriving access from the ORM on every event; what can change meanwhile (the
    round's or workshop's state, who sits in the room, membership) is re-checked in one query
    per event (see `still_seated`). Facilitators keep the full path: they rarely post.
    """

    user_id: int
    user_name: str
    partner_ids: frozenset[int]
    author_partner_id: int
    room_id: int | None
    round_id: int | None
    workshop_id: int
    rubric_keys: frozenset[str]
    plan_partners: dict[int, int]  # plan id -> its partner, for the plans of the room (of the workshop in the plenary)

    @property
    def in_plenary(self) -> bool:
        return self.room_id is None


def _seat(actor: User, seated: set[int], workshop: Workshop, plans_here: list[Plan], room_id: int | None, round_id: int | None) -> Seat:
    return Seat(
        user_id=actor.id, user_name=actor.name, partner_ids=frozenset(partner_ids_of(actor)), author_partner_id=min(seated),
        room_id=room_id, round_id=round_id, workshop_id=workshop.id, rubric_keys=frozenset(c["key"] for c in workshop.rubric),
        plan_partners={plan.id: plan.partner_id for plan in plans_here},
    )


def seat_for(actor: User, room: Room, rnd: Round) -> Seat | None:
    """The seat of a partner member in `room`; None for a facilitator who is not a member there."""
    seated = set(partner_ids_of(actor)) & set(room.partner_ids)
    if not seated:
        return None
    plans_here = room_plans(room)
    for plan, version in plans_here:
        if plan.partner_id not in seated:  # what the member will comment on: read now, not in the first burst of items
            section_texts(plan.id, version.number)
    return _seat(actor, seated, rnd.workshop, [plan for plan, _version in plans_here], room.id, rnd.id)


def plenary_seat(actor: User, workshop: Workshop) -> Seat | None:
    """The seat of a partner member in the workshop's plenary; None for anyone else."""
    partner_ids = [p.id for p in workshop.partners]
    seated = set(partner_ids_of(actor)) & set(partner_ids)
    if not seated:
        return None
    plans_here = list(db.session.scalars(select(Plan).where(Plan.partner_id.in_(partner_ids))))
    return _seat(actor, seated, workshop, plans_here, None, None)


# The seat check of a batch is one query for up to this many items; a query is built for each
# power of two up to it (a batch's items padded with empty rows), so a few statements serve
# every batch size and are compiled when the server starts (the largest in about 40 ms).
SEATS_PER_QUERY = 64
_ASKED = {"n": Integer, "room_id": Integer, "round_id": Integer, "workshop_id": Integer, "plan_id": Integer,
          "author_partner": Integer, "plan_partner": Integer, "user_id": Integer, "client_id": String}


@functools.cache
def _seated_query(in_plenary: bool, rows: int):
    """Built once per kind and size, with bound parameters (`{name}_{row}` for each of
    `_ASKED`): SQLAlchemy caches a statement's compiled form by a key it derives from the
    statement object, and deriving it is most of the cost.

    For each row asked (its number `n`, then): open, author's partner there, plan's partner
    there, author still a member, version shown, plenary presentation, partners seated,
    client_id used. In a room, "open" is the round running, "there" is seated in the room, and
    the partners seated are listed (who hears of the item); in the plenary, the workshop not
    ended and taking part in it (the whole workshop hears)."""
    asked_rows = [select(*(cast(bindparam(f"{name}_{row}"), type_()).label(name) for name, type_ in _ASKED.items())) for row in range(rows)]
    asked = (union_all(*asked_rows) if rows > 1 else asked_rows[0]).cte("asked")
    rounds, seats, members, plans_, shown = Round.__table__, RoomPartner.__table__, partner_members, Plan.__table__, Presentation.__table__
    workshops, taking_part, items = Workshop.__table__, workshop_partners, FeedbackItem.__table__
    room, plan, workshop = asked.c.room_id, asked.c.plan_id, asked.c.workshop_id
    member = select(func.count()).where(members.c.user_id == asked.c.user_id, members.c.partner_id == asked.c.author_partner)
    used = select(func.count()).where(items.c.author_id == asked.c.user_id, items.c.client_id == asked.c.client_id)
    if not in_plenary:
        in_room = (
            select(shown.c.plan_version).where(shown.c.room_id == room, shown.c.plan_id == plan, shown.c.ended_at.is_(None))
            .order_by(shown.c.id.desc()).limit(1).scalar_subquery()
        )
        return select(
            asked.c.n,
            # The statuses written into the SQL: a list of bound values is expanded at every execution.
            select(rounds.c.status.in_([literal_column(f"'{status.value}'") for status in LIVE]))
            .where(rounds.c.id == asked.c.round_id).scalar_subquery(),
            select(func.count()).where(seats.c.room_id == room, seats.c.partner_id == asked.c.author_partner).scalar_subquery(),
            select(func.count()).where(seats.c.room_id == room, seats.c.partner_id == asked.c.plan_partner).scalar_subquery(),
            member.scalar_subquery(),
            func.coalesce(in_room, select(plans_.c.latest_version).where(plans_.c.id == plan).scalar_subquery()),
            null(),
            select(func.aggregate_strings(cast(seats.c.partner_id, String), ",")).where(seats.c.room_id == room).scalar_subquery(),
            used.scalar_subquery(),
        )

    def latest_shown(column):
        """Of the plan's latest presentation in this plenary, running or ended (the version it showed)."""
        return (select(column).where(shown.c.workshop_id == workshop, shown.c.room_id.is_(None), shown.c.plan_id == plan)
                .order_by(shown.c.id.desc()).limit(1).scalar_subquery())

    return select(
        asked.c.n,
        select(workshops.c.status != WorkshopStatus.ENDED.value).where(workshops.c.id == workshop).scalar_subquery(),
        select(func.count()).where(taking_part.c.workshop_id == workshop, taking_part.c.partner_id == asked.c.author_partner)
        .scalar_subquery(),
        select(func.count()).where(taking_part.c.workshop_id == workshop, taking_part.c.partner_id == asked.c.plan_partner)
        .scalar_subquery(),
        member.scalar_subquery(),
        latest_shown(shown.c.plan_version),
        latest_shown(shown.c.id),
        null(),
        used.scalar_subquery(),
    )


def _query_sizes() -> list[int]:
    return [1 << power for power in range(SEATS_PER_QUERY.bit_length())]


@dataclass(frozen=True)
class Seated:
    """What `still_seated` found: the version of the plan shown, the plenary presentation,
    who hears of an item given there, and whether the author has used the item's client_id."""

    version: int
    presentation_id: int | None
    audience: Audience
    client_id_used: bool


@dataclass(frozen=True)
class Asked:
    """An item about to be given from a seat: on this plan, with this client_id."""

    seat: Seat
    plan_id: int
    client_id: str


def still_seated(asked: list[Asked]) -> list[Seated | None]:
    """For each item: is the room (the plenary) open, are the author's and the plan's partners
    still there, is the author still a member of their partner? If so, the version of the plan
    shown there (in a room: the one presented, else the latest; in the plenary: the one last
    presented there), the plenary presentation, the audience (the room's partners, or the
    whole workshop), and whether the author has used the client_id before; else None.

    One query for up to SEATS_PER_QUERY items of a kind (room or plenary), not one each: a
    burst's batch would otherwise wait for a round trip per item."""
    found: list[Seated | None] = [None] * len(asked)
    for in_plenary in (False, True):
        numbers = [n for n, one in enumerate(asked) if one.seat.in_plenary == in_plenary]
        for start in range(0, len(numbers), SEATS_PER_QUERY):
            chunk = numbers[start:start + SEATS_PER_QUERY]
            size = next(size for size in _query_sizes() if size >= len(chunk))
            values = {}
            for row in range(size):
                n = chunk[row] if row < len(chunk) else -1  # padding: asks for nothing, found nothing
                values.update(_asked_values(asked[n] if n >= 0 else None, n, row))
            for n, *answer in db.session.connection().execute(_seated_query(in_plenary, size), values):
                if n >= 0:
                    found[n] = _seated(asked[n].seat, *answer)
    return found


def _asked_values(one: Asked | None, n: int, row: int) -> dict:
    seat = one.seat if one is not None else None
    values = {"n": n, "room_id": seat and seat.room_id, "round_id": seat and seat.round_id, "workshop_id": seat and seat.workshop_id,
              "plan_id": one and one.plan_id, "author_partner": seat and seat.author_partner_id,
              "plan_partner": seat and seat.plan_partners[one.plan_id], "user_id": seat and seat.user_id, "client_id": one and one.client_id}
    return {f"{name}_{row}": value for name, value in values.items()}


def _seated(seat: Seat, is_open, author_there, plan_there, member, version, presentation_id, seated, used) -> Seated | None:
    if not (is_open and author_there and plan_there and member) or version is None:
        return None
    partner_ids = None if seat.in_plenary else tuple(sorted(int(p) for p in seated.split(",")))
    return Seated(version, presentation_id, Audience(seat.workshop_id, partner_ids), bool(used))


# Plan versions are never changed or deleted, so their sections can be kept for the process's
# life; a bound keeps a long-running worker's memory flat.
SECTION_TEXTS_KEPT = 256


def section_texts(plan_id: int, version: int) -> dict[str, tuple[str, str]]:
    """Each section's visible text and Markdown, whitespace-normalised for the quote check;
    loaded once per worker and plan version, for every socket (a room's first burst of items
    would otherwise load it once per member)."""
    kept = current_app.extensions.setdefault("collab.section_texts", {})
    key = (plan_id, version)
    if key not in kept:
        rows = db.session.connection().execute(_SECTIONS, {"plan_id": plan_id, "version": version})
        texts = {k: (normalised(text), normalised(body)) for k, text, body in rows}
        if not texts:
            return texts  # no such version (yet): nothing to keep
        if len(kept) >= SECTION_TEXTS_KEPT:
            del kept[next(iter(kept))]  # the longest kept
        kept[key] = texts
    return kept[key]


def _sections_query():
    sections, versions = PlanSection.__table__, PlanVersion.__table__
    return (select(sections.c.key, sections.c.text, sections.c.body).join(versions, versions.c.id == sections.c.version_id)
            .where(versions.c.plan_id == bindparam("plan_id"), versions.c.number == bindparam("version")))


_SECTIONS = _sections_query()


def compile_queries() -> None:
    """Run the hot path's queries once, matching nothing, when the server starts: compiling the
    seat check alone takes about 3 ms (more for a batch's), which the first burst of items
    after every restart would otherwise wait for."""
    connection = db.session.connection()
    for in_plenary in (False, True):
        for size in _query_sizes():
            values = {}
            for row in range(size):
                values.update(_asked_values(None, -1, row))
            connection.execute(_seated_query(in_plenary, size), values).all()
    connection.execute(_SECTIONS, {"plan_id": 0, "version": 0}).all()


def normalised(text: str) -> str:
    r"""Runs of whitespace as one space, none at the ends. `split` does what `re.sub(r"\s+", " ", text)`
    did (the same whitespace, every code point checked) in under half the time: a plan's
    sections are normalised on the event loop, 2 MB of them in 40 ms instead of 100."""
    return " ".join(text.split())

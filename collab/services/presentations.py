"""Presentations: a partner shows one plan version in its room, or, started by a facilitator, to
the whole workshop in its plenary; the presenter (or a facilitator) drives the section.

Each has a time limit (the workshop's default unless a facilitator gives another): clients
count down from `started_at` and warn when it runs out; nothing ends a presentation for it.
"""
from __future__ import annotations

from datetime import datetime
from types import SimpleNamespace

from flask_babel import gettext as _
from sqlalchemy import bindparam, func, select, update

from collab.extensions import db
from collab.models import (LIVE, Plan, Presentation, Room, RoomPartner, Round, User, Workshop, WorkshopStatus, partner_members,
                           workshop_partners)
from collab.models.base import utcnow
from collab.services import log, plans, shapes
from collab.services.access import facilitated_workshop, is_facilitator, is_member, participant_workshop
from collab.services.errors import Conflict, Forbidden, Invalid, NotFound
from collab.services.inputs import PresentationRef, ShowSectionInput, StartPresentationInput
from collab.services.publish import Audience, Published
from collab.services.room_access import Seat, readable_room, section_texts
from collab.services.unit_of_work import UnitOfWork, write


def active_presentation(room_id: int) -> Presentation | None:
    return db.session.scalar(
        select(Presentation).where(Presentation.room_id == room_id, Presentation.ended_at.is_(None)).order_by(Presentation.id.desc())
    )


def plenary_presentation(workshop_id: int) -> Presentation | None:
    """What the workshop's plenary is being shown now, if anything."""
    return db.session.scalar(
        select(Presentation).where(Presentation.workshop_id == workshop_id, Presentation.room_id.is_(None), Presentation.ended_at.is_(None))
        .order_by(Presentation.id.desc())
    )


def last_in_plenary(workshop_id: int, plan_id: int) -> Presentation | None:
    """The plan's latest presentation in the workshop's plenary, running or ended."""
    return db.session.scalar(
        select(Presentation).where(Presentation.workshop_id == workshop_id, Presentation.room_id.is_(None), Presentation.plan_id == plan_id)
        .order_by(Presentation.id.desc()).limit(1)
    )


def audience(p: Presentation) -> Audience:
    """A room's presentation is for those seated there; the plenary's for the whole workshop."""
    if p.room_id is None:
        return Audience(p.workshop_id)
    return log.room_audience(p.workshop_id, p.room_id)


def _event(p: Presentation, type_: str, data: dict, actor: User | None) -> Published:
    return log.append(p.workshop_id, type_, data, audience(p), room_id=p.room_id, actor=actor)


def _ended(p: Presentation, actor: User | None, now: datetime) -> Published:
    p.ended_at = now
    return _event(p, "presentation_ended", {"presentation_id": p.id, "room_id": p.room_id}, actor)


def _limit(actor: User, workshop: Workshop, form: StartPresentationInput) -> int:
    if form.limit_minutes is None:
        return workshop.presentation_minutes
    if not is_facilitator(actor, workshop):
        raise Forbidden(_("Only facilitators set a presentation's time limit."))
    return form.limit_minutes


def _begin(tx: UnitOfWork, actor: User, workshop: Workshop, room_id: int | None, plan: Plan, limit: int,
           previous: Presentation | None) -> dict:
    """The new presentation, ending the one it replaces (one at a time in a room or a plenary)."""
    version = plans.get_version(plan, None)
    if not version.sections:
        raise Invalid(_("This plan version has no sections to present."), fields={"plan_id": _("No sections.")})
    now = utcnow()
    if previous is not None:
        tx.publish(_ended(previous, actor, now))
    presentation = Presentation(workshop_id=workshop.id, room_id=room_id, plan_id=plan.id, plan_version=version.number,
                                presenter_partner_id=plan.partner_id, presenter_id=actor.id, section_key=version.sections[0].key,
                                started_at=now, limit_minutes=limit)
    db.session.add(presentation)
    db.session.flush()
    shape = shapes.presentation(presentation)
    tx.publish(_event(presentation, "presentation_started", {"presentation": shape}, actor))
    return shape


def start_presentation(actor: User, form: StartPresentationInput) -> dict:
    if form.room_id is not None:
        return _start_in_room(actor, form)
    if form.workshop_id is not None:
        return _start_in_plenary(actor, form)
    raise Invalid(_("Say where to present: a room, or the workshop's plenary."), fields={"room_id": _("Give room_id or workshop_id.")})


def _start_in_room(actor: User, form: StartPresentationInput) -> dict:
    with write() as tx:
        room, rnd = readable_room(actor, form.room_id)
        plan = db.session.get(Plan, form.plan_id)
        if plan is None or plan.partner_id not in room.partner_ids:
            raise Invalid(_("This plan is not one of this room's plans."), fields={"plan_id": _("Not a plan of this room.")})
        if not (is_member(actor, plan.partner_id) or is_facilitator(actor, rnd.workshop)):
            raise Forbidden(_("Only the plan's partner may present it."))
        if rnd.status not in LIVE:
            raise Conflict(_("The round is not running."))
        limit = _limit(actor, rnd.workshop, form)
        return _begin(tx, actor, rnd.workshop, room.id, plan, limit, active_presentation(room.id))


def _plenary_plan(workshop: Workshop, form: StartPresentationInput) -> Plan:
    """The plan the facilitator chose: the partner's (the one named by plan_id if it has several)."""
    partner_ids = {p.id for p in workshop.partners}
    if form.partner_id not in partner_ids:
        raise Invalid(_("This partner does not take part in this workshop."), fields={"partner_id": _("Not a partner of this workshop.")})
    if form.plan_id is not None:
        plan = db.session.get(Plan, form.plan_id)
        if plan is None or plan.partner_id != form.partner_id:
            raise Invalid(_("This plan is not one of this workshop's plans."), fields={"plan_id": _("Not a plan of this workshop.")})
        return plan
    plan = db.session.scalar(select(Plan).where(Plan.partner_id == form.partner_id).order_by(Plan.id).limit(1))
    if plan is None:
        raise Invalid(_("This partner has no plan to present yet."), fields={"partner_id": _("No plan yet.")})
    return plan


def _start_in_plenary(actor: User, form: StartPresentationInput) -> dict:
    with write() as tx:
        workshop = facilitated_workshop(actor, form.workshop_id)
        # Locked (on PostgreSQL) like opening a round: one plenary presentation at a time, and
        # none while a round opens.
        db.session.get(Workshop, workshop.id, with_for_update=True)
        if workshop.status == WorkshopStatus.ENDED:
            raise Conflict(_("This workshop has ended."))
        if db.session.scalar(select(Round.id).where(Round.workshop_id == workshop.id, Round.status.in_(LIVE))):
            raise Conflict(_("A breakout round is running; present in the plenary once it has closed."))
        plan = _plenary_plan(workshop, form)
        limit = _limit(actor, workshop, form)
        return _begin(tx, actor, workshop, None, plan, limit, plenary_presentation(workshop.id))


def _open_presentation(actor: User, presentation_id: int, refusal: str) -> Presentation:
    """A running presentation the actor may drive: a member of the presenting partner or a
    facilitator; anyone else is refused with `refusal` (what they tried to do)."""
    presentation = db.session.get(Presentation, presentation_id)
    if presentation is None:
        raise NotFound(_("No such presentation."))
    if presentation.room_id is not None:
        _room, rnd = readable_room(actor, presentation.room_id)
        workshop = rnd.workshop
    else:
        workshop = participant_workshop(actor, presentation.workshop_id)
    if presentation.ended_at is not None:
        raise Conflict(_("This presentation has ended."))
    if not (is_member(actor, presentation.presenter_partner_id) or is_facilitator(actor, workshop)):
        raise Forbidden(refusal)
    return presentation


def show_section(actor: User, form: ShowSectionInput) -> dict:
    with write() as tx:
        presentation = _open_presentation(actor, form.presentation_id, _("Only the presenter may change the section."))
        plan = db.session.get(Plan, presentation.plan_id)
        version = plans.get_version(plan, presentation.plan_version)
        if form.section_key not in {s.key for s in version.sections}:
            raise Invalid(_("This plan version has no such section."), fields={"section_key": _("Unknown section.")})
        presentation.section_key = form.section_key
        payload = {"presentation_id": presentation.id, "section_key": form.section_key, "room_id": presentation.room_id}
        tx.publish(_event(presentation, "section_shown", payload, actor))
    return payload


def _presenting_queries():
    """Built once with bound parameters (see room_access._seated_queries): the presentation,
    whether its room (plenary) is open, and whether the presenter's partner is still there
    (seated in the room; taking part in the workshop) with the user still its member."""
    shown, rooms, rounds, seats, members, workshops = (Presentation.__table__, Room.__table__, Round.__table__, RoomPartner.__table__,
                                                       partner_members, Workshop.__table__)
    member = (select(func.count()).where(members.c.user_id == bindparam("user_id"), members.c.partner_id == shown.c.presenter_partner_id)
              .scalar_subquery().label("member"))
    columns = (shown.c.room_id, shown.c.workshop_id, shown.c.plan_id, shown.c.plan_version, shown.c.ended_at)
    in_room = (
        select(*columns, rounds.c.status.in_(LIVE).label("is_open"),
               select(func.count()).where(seats.c.room_id == shown.c.room_id, seats.c.partner_id == shown.c.presenter_partner_id)
               .scalar_subquery().label("presenter_there"),
               member)
        .join(rooms, rooms.c.id == shown.c.room_id).join(rounds, rounds.c.id == rooms.c.round_id)
        .where(shown.c.id == bindparam("presentation_id"))
    )
    in_plenary = (
        select(*columns, (workshops.c.status != WorkshopStatus.ENDED.value).label("is_open"),
               select(func.count()).where(workshop_partners.c.workshop_id == shown.c.workshop_id,
                                          workshop_partners.c.partner_id == shown.c.presenter_partner_id)
               .scalar_subquery().label("presenter_there"),
               member)
        .join(workshops, workshops.c.id == shown.c.workshop_id)
        .where(shown.c.id == bindparam("presentation_id"), shown.c.room_id.is_(None))
    )
    return {False: in_room, True: in_plenary}


_PRESENTING = _presenting_queries()
_MOVE_TO = update(Presentation.__table__).where(Presentation.__table__.c.id == bindparam("presentation_id")).values(section_key=bindparam("key"))


def show_section_in_seat(seat: Seat, form: ShowSectionInput) -> dict | None:
    """The hot path of a presenter moving through their plan: one query for the state, one
    update, the event. None for anything else (a facilitator presenting, another room or
    plenary, an ended presentation, an unknown section): `show_section` then decides and explains."""
    with write() as tx:
        connection = db.session.connection()
        row = connection.execute(_PRESENTING[seat.in_plenary], {"presentation_id": form.presentation_id, "user_id": seat.user_id}).first()
        if (row is None or (row.room_id, row.workshop_id) != (seat.room_id, seat.workshop_id) or row.ended_at is not None
                or not (row.is_open and row.presenter_there and row.member)
                or form.section_key not in section_texts(row.plan_id, row.plan_version)):
            return None
        connection.execute(_MOVE_TO, {"presentation_id": form.presentation_id, "key": form.section_key})
        payload = {"presentation_id": form.presentation_id, "section_key": form.section_key, "room_id": seat.room_id}
        where = Audience(seat.workshop_id) if seat.in_plenary else log.room_audience(seat.workshop_id, seat.room_id)
        tx.publish(log.append(seat.workshop_id, "section_shown", payload, where, room_id=seat.room_id, actor=SimpleNamespace(id=seat.user_id)))
    return payload


def end_presentation(actor: User, form: PresentationRef) -> dict:
    with write() as tx:
        presentation = _open_presentation(actor, form.presentation_id,
                                          _("Only the presenter or a facilitator may end the presentation."))
        tx.publish(_ended(presentation, actor, utcnow()))
    return {"presentation_id": presentation.id, "room_id": presentation.room_id}


def end_all_in(rnd: Round, now: datetime) -> list[Published]:
    """When a round closes, its presentations end with it (inside the caller's unit of work)."""
    room_ids = [room.id for room in rnd.rooms]
    running = list(db.session.scalars(select(Presentation).where(Presentation.room_id.in_(room_ids), Presentation.ended_at.is_(None))))
    return [_ended(presentation, None, now) for presentation in running]


def end_in_plenary(workshop_id: int, actor: User, now: datetime) -> list[Published]:
    """Opening the rooms, or ending the workshop, ends the plenary's presentation (inside the caller's unit)."""
    running = plenary_presentation(workshop_id)
    return [_ended(running, actor, now)] if running is not None else []

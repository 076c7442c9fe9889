"""Presentations: a partner shows one plan version in its room; the presenter drives the section."""
from __future__ import annotations

from datetime import datetime
from types import SimpleNamespace

from flask_babel import gettext as _
from sqlalchemy import bindparam, func, select, update

from collab.extensions import db
from collab.models import LIVE, Plan, Presentation, Room, RoomPartner, Round, User, partner_members
from collab.models.base import utcnow
from collab.services import log, plans, shapes
from collab.services.access import is_facilitator, is_member
from collab.services.errors import Conflict, Forbidden, Invalid, NotFound
from collab.services.inputs import PresentationRef, ShowSectionInput, StartPresentationInput
from collab.services.publish import Published
from collab.services.room_access import Seat, readable_room, section_texts
from collab.services.unit_of_work import write


def active_presentation(room_id: int) -> Presentation | None:
    return db.session.scalar(
        select(Presentation).where(Presentation.room_id == room_id, Presentation.ended_at.is_(None)).order_by(Presentation.id.desc())
    )


def _event(p: Presentation, workshop_id: int, type_: str, data: dict, actor: User | None) -> Published:
    return log.append(workshop_id, type_, data, log.room_audience(workshop_id, p.room_id), room_id=p.room_id, actor=actor)


def _ended(p: Presentation, workshop_id: int, actor: User | None, now: datetime) -> Published:
    p.ended_at = now
    return _event(p, workshop_id, "presentation_ended", {"presentation_id": p.id, "room_id": p.room_id}, actor)


def start_presentation(actor: User, form: StartPresentationInput) -> dict:
    with write() as tx:
        room, rnd = readable_room(actor, form.room_id)
        plan = db.session.get(Plan, form.plan_id)
        if plan is None or plan.partner_id not in room.partner_ids:
            raise Invalid(_("This plan is not one of this room's plans."), fields={"plan_id": _("Not a plan of this room.")})
        if not (is_member(actor, plan.partner_id) or is_facilitator(actor, rnd.workshop)):
            raise Forbidden(_("Only the plan's partner may present it."))
        if rnd.status not in LIVE:
            raise Conflict(_("The round is not running."))
        version = plans.get_version(plan, None)
        if not version.sections:
            raise Invalid(_("This plan version has no sections to present."), fields={"plan_id": _("No sections.")})
        now = utcnow()
        previous = active_presentation(room.id)
        if previous is not None:
            tx.publish(_ended(previous, rnd.workshop_id, actor, now))
        presentation = Presentation(room_id=room.id, plan_id=plan.id, plan_version=version.number, presenter_partner_id=plan.partner_id,
                                    presenter_id=actor.id, section_key=version.sections[0].key, started_at=now)
        db.session.add(presentation)
        db.session.flush()
        shape = shapes.presentation(presentation)
        tx.publish(_event(presentation, rnd.workshop_id, "presentation_started", {"presentation": shape}, actor))
    return shape


def _own_presentation(actor: User, presentation_id: int) -> tuple[Presentation, Round]:
    presentation = db.session.get(Presentation, presentation_id)
    if presentation is None:
        raise NotFound(_("No such presentation."))
    _room, rnd = readable_room(actor, presentation.room_id)
    if presentation.ended_at is not None:
        raise Conflict(_("This presentation has ended."))
    if not (is_member(actor, presentation.presenter_partner_id) or is_facilitator(actor, rnd.workshop)):
        raise Forbidden(_("Only the presenter may change the section."))
    return presentation, rnd


def show_section(actor: User, form: ShowSectionInput) -> dict:
    with write() as tx:
        presentation, rnd = _own_presentation(actor, form.presentation_id)
        plan = db.session.get(Plan, presentation.plan_id)
        version = plans.get_version(plan, presentation.plan_version)
        if form.section_key not in {s.key for s in version.sections}:
            raise Invalid(_("This plan version has no such section."), fields={"section_key": _("Unknown section.")})
        presentation.section_key = form.section_key
        payload = {"presentation_id": presentation.id, "section_key": form.section_key, "room_id": presentation.room_id}
        tx.publish(_event(presentation, rnd.workshop_id, "section_shown", payload, actor))
    return payload


def _presenting_query():
    """Built once with bound parameters (see room_access._seated_query): the presentation, the
    state of its round, and whether the presenter's partner still sits there with them."""
    shown, rooms, rounds, seats, members = (Presentation.__table__, Room.__table__, Round.__table__, RoomPartner.__table__,
                                            partner_members)
    return (
        select(shown.c.room_id, shown.c.plan_id, shown.c.plan_version, shown.c.presenter_partner_id, shown.c.ended_at, rounds.c.status,
               select(func.count()).where(seats.c.room_id == shown.c.room_id, seats.c.partner_id == shown.c.presenter_partner_id)
               .scalar_subquery(),
               select(func.count()).where(members.c.user_id == bindparam("user_id"), members.c.partner_id == shown.c.presenter_partner_id)
               .scalar_subquery())
        .join(rooms, rooms.c.id == shown.c.room_id).join(rounds, rounds.c.id == rooms.c.round_id)
        .where(shown.c.id == bindparam("presentation_id"))
    )


_PRESENTING = _presenting_query()
_MOVE_TO = update(Presentation.__table__).where(Presentation.__table__.c.id == bindparam("presentation_id")).values(section_key=bindparam("key"))


def show_section_in_seat(seat: Seat, form: ShowSectionInput) -> dict | None:
    """The hot path of a presenter moving through their plan: one query for the state, one
    update, the event. None for anything else (a facilitator presenting, another room, an
    ended presentation, an unknown section): `show_section` then decides and explains."""
    with write() as tx:
        connection = db.session.connection()
        row = connection.execute(_PRESENTING, {"presentation_id": form.presentation_id, "user_id": seat.user_id}).first()
        if (row is None or row.room_id != seat.room_id or row.ended_at is not None or row.status not in LIVE
                or not row[6] or not row[7] or form.section_key not in section_texts(seat, row.plan_id, row.plan_version)):
            return None
        connection.execute(_MOVE_TO, {"presentation_id": form.presentation_id, "key": form.section_key})
        payload = {"presentation_id": form.presentation_id, "section_key": form.section_key, "room_id": seat.room_id}
        tx.publish(log.append(seat.workshop_id, "section_shown", payload, log.room_audience(seat.workshop_id, seat.room_id),
                              room_id=seat.room_id, actor=SimpleNamespace(id=seat.user_id)))
    return payload


def end_presentation(actor: User, form: PresentationRef) -> dict:
    with write() as tx:
        presentation, rnd = _own_presentation(actor, form.presentation_id)
        tx.publish(_ended(presentation, rnd.workshop_id, actor, utcnow()))
    return {"presentation_id": presentation.id, "room_id": presentation.room_id}


def end_all_in(rnd: Round, now: datetime) -> list[Published]:
    """When a round closes, its presentations end with it (inside the caller's unit of work)."""
    room_ids = [room.id for room in rnd.rooms]
    running = list(db.session.scalars(select(Presentation).where(Presentation.room_id.in_(room_ids), Presentation.ended_at.is_(None))))
    return [_ended(presentation, rnd.workshop_id, None, now) for presentation in running]

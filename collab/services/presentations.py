"""Presentations: a partner shows one plan version in its room; the presenter drives the section."""
from __future__ import annotations

from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import select

from collab.extensions import db
from collab.models import Plan, Presentation, Round, User
from collab.models.base import utcnow
from collab.services import log, plans
from collab.services.access import is_facilitator, is_member
from collab.services.errors import Conflict, Forbidden, Invalid, NotFound
from collab.services.inputs import PresentationRef, ShowSectionInput, StartPresentationInput, parse
from collab.services.live import active_presentation, presentation_shape, readable_room
from collab.services.publish import Published
from collab.services.rounds import LIVE


def _event(p: Presentation, workshop_id: int, type_: str, data: dict, actor: User | None) -> Published:
    return log.append(workshop_id, type_, data, scope="room", room_id=p.room_id, actor=actor)


def start_presentation(actor: User, data: dict) -> dict:
    form = parse(StartPresentationInput, data)
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
    items = []
    now = utcnow()
    previous = active_presentation(room.id)
    if previous is not None:
        previous.ended_at = now
        items.append(_event(previous, rnd.workshop_id, "presentation_ended", {"presentation_id": previous.id, "room_id": room.id}, actor))
    presentation = Presentation(room_id=room.id, plan_id=plan.id, plan_version=version.number, presenter_partner_id=plan.partner_id,
                                presenter_id=actor.id, section_key=version.sections[0].key, started_at=now)
    db.session.add(presentation)
    db.session.flush()
    shape = presentation_shape(presentation)
    items.append(_event(presentation, rnd.workshop_id, "presentation_started", {"presentation": shape}, actor))
    log.commit_and_publish(items)
    return shape


def _own_presentation(actor: User, presentation_id: int) -> tuple[Presentation, Round]:
    presentation = db.session.get(Presentation, presentation_id)
    if presentation is None:
        raise NotFound(_("No such presentation."))
    room, rnd = readable_room(actor, presentation.room_id)
    if presentation.ended_at is not None:
        raise Conflict(_("This presentation has ended."))
    if not (is_member(actor, presentation.presenter_partner_id) or is_facilitator(actor, rnd.workshop)):
        raise Forbidden(_("Only the presenter may change the section."))
    return presentation, rnd


def show_section(actor: User, data: dict) -> dict:
    form = parse(ShowSectionInput, data)
    presentation, rnd = _own_presentation(actor, form.presentation_id)
    plan = db.session.get(Plan, presentation.plan_id)
    version = plans.get_version(plan, presentation.plan_version)
    if form.section_key not in {s.key for s in version.sections}:
        raise Invalid(_("This plan version has no such section."), fields={"section_key": _("Unknown section.")})
    presentation.section_key = form.section_key
    payload = {"presentation_id": presentation.id, "section_key": form.section_key, "room_id": presentation.room_id}
    log.commit_and_publish([_event(presentation, rnd.workshop_id, "section_shown", payload, actor)])
    return payload


def end_presentation(actor: User, data: dict) -> dict:
    form = parse(PresentationRef, data)
    presentation, rnd = _own_presentation(actor, form.presentation_id)
    presentation.ended_at = utcnow()
    payload = {"presentation_id": presentation.id, "room_id": presentation.room_id}
    log.commit_and_publish([_event(presentation, rnd.workshop_id, "presentation_ended", payload, actor)])
    return payload


def end_all_in(rnd: Round, now: datetime) -> list[Published]:
    """When a round closes, its presentations end with it (inside the caller's transaction)."""
    room_ids = [room.id for room in rnd.rooms]
    items = []
    for presentation in db.session.scalars(select(Presentation).where(Presentation.room_id.in_(room_ids), Presentation.ended_at.is_(None))):
        presentation.ended_at = now
        payload = {"presentation_id": presentation.id, "room_id": presentation.room_id}
        items.append(_event(presentation, rnd.workshop_id, "presentation_ended", payload, None))
    return items

"""Workshops: creation with a rubric, their partners and facilitators, reading them."""
from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import force_locale
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from collab.extensions import db
from collab.models import (LIVE, Partner, Plan, Room, Round, User, Workshop, WorkshopStatus, partner_members, workshop_facilitators,
                           workshop_partners)
from collab.services import log, shapes
from collab.services.access import can_manage_partner, facilitated_workshop, participant_workshop, require_admin
from collab.services.errors import Conflict, Forbidden, Invalid
from collab.services.inputs import MemberInput, PresentationMinutesInput, WorkshopInput, WorkshopRef
from collab.services.markdown import TooComplex, render
from collab.models.base import utcnow
from collab.services.offload import run_blocking
from collab.services.presentations import end_in_plenary
from collab.services.publish import Audience
from collab.services.unit_of_work import write

# From the general feedback of the real workshop (PRODUCT.md).
DEFAULT_RUBRIC = [
    ("readability", _l("Readability")),
    ("adoption", _l("Adoption")),
    ("feasibility", _l("Feasibility (who does what)")),
    ("monitoring", _l("Monitoring")),
    ("completeness", _l("Completeness")),
    ("design", _l("Design")),
]


def default_rubric() -> list[dict]:
    # Stored in English, the catalogue's own language, whoever creates the workshop: pages
    # translate the labels for each reader (the rubric_for_reader filter).
    with force_locale("en"):
        return [{"key": key, "label": str(label)} for key, label in DEFAULT_RUBRIC]


def _existing(model, ids: list[int], field: str) -> list:
    rows = list(db.session.scalars(select(model).where(model.id.in_(ids)))) if ids else []
    missing = sorted(set(ids) - {row.id for row in rows})
    if missing:
        raise Invalid(_("Some ids do not exist."), fields={field: _("Unknown ids: %(ids)s", ids=", ".join(map(str, missing)))})
    return sorted(rows, key=lambda row: ids.index(row.id))


def create_workshop(actor: User, form: WorkshopInput) -> Workshop:
    require_admin(actor)
    rubric = [item.model_dump() for item in form.rubric] if form.rubric else default_rubric()
    keys = [item["key"] for item in rubric]
    if len(set(keys)) != len(keys):
        raise Invalid(_("Rubric keys must be unique."), fields={"rubric": _("Duplicate criterion key.")})
    starts_at = form.starts_at
    if starts_at is not None and starts_at.tzinfo is None:
        raise Invalid(_("Give the start time with its time zone."), fields={"starts_at": _("Add a time zone, e.g. Z.")})
    try:
        description_html = str(run_blocking(render, form.description))
    except TooComplex:
        raise Invalid(_("The description is too complex to show."),
                      fields={"description": _("Nested too deeply or too long once formatted; simplify its formatting.")}) from None
    with write():
        workshop = Workshop(title=form.title, description=form.description, description_html=description_html, starts_at=starts_at, rubric=rubric)
        workshop.partners = _existing(Partner, list(dict.fromkeys(form.partner_ids)), "partner_ids")
        workshop.facilitators = _existing(User, list(dict.fromkeys(form.facilitator_ids)), "facilitator_ids")
        db.session.add(workshop)
    return workshop


def add_partner(actor: User, workshop_id: int, partner_id: int) -> Workshop:
    with write():
        workshop = facilitated_workshop(actor, workshop_id)
        (partner,) = _existing(Partner, [partner_id], "partner_id")
        if partner not in workshop.partners and not can_manage_partner(actor, partner.id):
            raise Forbidden(_("Only administrators may bring a partner from another workshop into this one."))
        if partner not in workshop.partners:
            workshop.partners.append(partner)
    return workshop


def add_facilitator(actor: User, workshop_id: int, form: MemberInput) -> Workshop:
    with write():
        workshop = facilitated_workshop(actor, workshop_id)
        (user,) = _existing(User, [form.user_id], "user_id")
        if user not in workshop.facilitators:
            workshop.facilitators.append(user)
    return workshop


def end_workshop(actor: User, form: WorkshopRef) -> dict:
    """A facilitator ends the workshop: it is over for everyone, and no round opens any more."""
    with write() as tx:
        workshop = facilitated_workshop(actor, form.workshop_id)
        if workshop.status == WorkshopStatus.ENDED:
            raise Conflict(_("This workshop has already ended."))
        if db.session.scalar(select(Round.id).where(Round.workshop_id == workshop.id, Round.status.in_(LIVE))):
            raise Conflict(_("A round is still running; close it first."))
        workshop.status = WorkshopStatus.ENDED
        tx.publish(*end_in_plenary(workshop.id, actor, utcnow()))
        tx.publish(log.append(workshop.id, "workshop_ended", {"status": WorkshopStatus.ENDED.value}, Audience(workshop.id), actor=actor))
    return {"workshop_id": workshop.id, "status": workshop.status}


def set_presentation_minutes(actor: User, workshop_id: int, form: PresentationMinutesInput) -> Workshop:
    """The time limit presentations start with from now on (running ones keep theirs)."""
    with write():
        workshop = facilitated_workshop(actor, workshop_id)
        workshop.presentation_minutes = form.presentation_minutes
    return workshop


def get_workshop(actor: User, workshop_id: int) -> Workshop:
    return participant_workshop(actor, workshop_id)


def plan_ids_by_partner(partner_ids: list[int]) -> dict[int, list[int]]:
    result: dict[int, list[int]] = {}
    for plan_id, partner_id in db.session.execute(select(Plan.id, Plan.partner_id).where(Plan.partner_id.in_(partner_ids)).order_by(Plan.id)):
        result.setdefault(partner_id, []).append(plan_id)
    return result


def round_shape(rnd: Round) -> dict:
    partner_ids = [pid for room in rnd.rooms for pid in room.partner_ids]
    return shapes.round_(rnd, plan_ids_by_partner(partner_ids))


def workshop_shape(workshop: Workshop) -> dict:
    """The workshop with every round: a few queries, however many rounds it has had."""
    rounds = list(db.session.scalars(
        select(Round).where(Round.workshop_id == workshop.id).order_by(Round.id)
        .options(selectinload(Round.rooms).selectinload(Room.seats))
    ))
    partner_ids = {pid for rnd in rounds for room in rnd.rooms for pid in room.partner_ids}
    plan_ids = plan_ids_by_partner(sorted(partner_ids))
    return shapes.workshop(workshop, [shapes.round_(rnd, plan_ids) for rnd in rounds])


def workshops_for(actor: User) -> list[Workshop]:
    if actor.is_admin:
        query = select(Workshop)
    else:
        mine = select(partner_members.c.partner_id).where(partner_members.c.user_id == actor.id)
        query = select(Workshop).where(
            Workshop.id.in_(select(workshop_partners.c.workshop_id).where(workshop_partners.c.partner_id.in_(mine)))
            | Workshop.id.in_(select(workshop_facilitators.c.workshop_id).where(workshop_facilitators.c.user_id == actor.id))
        )
    return list(db.session.scalars(query.order_by(Workshop.starts_at.desc().nulls_last(), Workshop.id.desc())))

"""Who may see and do what: every rule is read from the database, never from payloads."""
from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import exists, select

from collab.extensions import db
from collab.models import Pairing, Plan, Presentation, User, Workshop, partner_members, workshop_facilitators, workshop_partners
from collab.services.errors import Forbidden, NotFound


def partner_ids_of(user: User) -> list[int]:
    return list(db.session.scalars(select(partner_members.c.partner_id).where(partner_members.c.user_id == user.id)))


def is_member(user: User, partner_id: int) -> bool:
    return db.session.scalar(
        select(exists().where(partner_members.c.user_id == user.id, partner_members.c.partner_id == partner_id))
    )


def is_facilitator(user: User, workshop: Workshop) -> bool:
    if user.is_admin:
        return True
    return db.session.scalar(
        select(exists().where(workshop_facilitators.c.user_id == user.id, workshop_facilitators.c.workshop_id == workshop.id))
    )


def facilitates_any(user: User) -> bool:
    return user.is_admin or db.session.scalar(select(exists().where(workshop_facilitators.c.user_id == user.id)))


def is_participant(user: User, workshop: Workshop) -> bool:
    if is_facilitator(user, workshop):
        return True
    return db.session.scalar(
        select(
            exists().where(
                workshop_partners.c.workshop_id == workshop.id,
                workshop_partners.c.partner_id.in_(select(partner_members.c.partner_id).where(partner_members.c.user_id == user.id)),
            )
        )
    )


def _paired_with(user: User, partner_id: int) -> bool:
    """The user's partner sat with `partner_id` in an opened room, then or since moved away."""
    return db.session.scalar(
        select(
            exists()
            .where(Pairing.peer_id == partner_id)
            .where(Pairing.partner_id.in_(select(partner_members.c.partner_id).where(partner_members.c.user_id == user.id)))
        )
    )


def _shown_in_plenary_to(user: User, plan_id: int) -> bool:
    """The plan was presented in the plenary of a workshop the user's partner takes part in:
    the whole workshop saw it, as a room's partners see each other's plans."""
    return db.session.scalar(
        select(
            exists()
            .where(Presentation.plan_id == plan_id, Presentation.room_id.is_(None))
            .where(Presentation.workshop_id.in_(
                select(workshop_partners.c.workshop_id)
                .where(workshop_partners.c.partner_id.in_(select(partner_members.c.partner_id).where(partner_members.c.user_id == user.id)))
            ))
        )
    )


def _facilitates_partner(user: User, partner_id: int) -> bool:
    return db.session.scalar(
        select(
            exists().where(
                workshop_facilitators.c.user_id == user.id,
                workshop_partners.c.workshop_id == workshop_facilitators.c.workshop_id,
                workshop_partners.c.partner_id == partner_id,
            )
        )
    )


def can_manage_partner(user: User, partner_id: int) -> bool:
    """Admins, and facilitators of a workshop the partner already takes part in.

    Being a facilitator somewhere is not enough: joining a partner, or bringing it into
    one's own workshop, opens that partner's plans and feedback (issue 10, S27).
    """
    return user.is_admin or _facilitates_partner(user, partner_id)


def can_read_plan(user: User, plan: Plan) -> bool:
    return (
        user.is_admin
        or is_member(user, plan.partner_id)
        or _facilitates_partner(user, plan.partner_id)
        or _paired_with(user, plan.partner_id)
        or _shown_in_plenary_to(user, plan.id)
    )


def readable_plan(user: User, plan_id: int) -> Plan:
    """The plan, or NotFound: an outsider learns nothing, not even that it exists."""
    plan = db.session.get(Plan, plan_id)
    if plan is None or not can_read_plan(user, plan):
        raise NotFound(_("No such plan."))
    return plan


def participant_workshop(user: User, workshop_id: int) -> Workshop:
    workshop = db.session.get(Workshop, workshop_id)
    if workshop is None or not is_participant(user, workshop):
        raise NotFound(_("No such workshop."))
    return workshop


def facilitated_workshop(user: User, workshop_id: int) -> Workshop:
    workshop = participant_workshop(user, workshop_id)
    if not is_facilitator(user, workshop):
        raise Forbidden(_("Only the workshop's facilitators may do this."))
    return workshop


def require_admin(user: User) -> None:
    if not user.is_admin:
        raise Forbidden(_("Only administrators may do this."))

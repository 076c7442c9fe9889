"""Partners and their members."""
from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import func, select

from collab.extensions import db
from collab.models import Partner, User
from collab.services.access import facilitates_any
from collab.services.errors import Conflict, Forbidden, Invalid, NotFound
from collab.services.inputs import MemberInput, PartnerInput, parse


def _require_organiser(actor: User) -> None:
    if not facilitates_any(actor):
        raise Forbidden(_("Only administrators and facilitators may manage partners."))


def create_partner(actor: User, data: dict) -> Partner:
    _require_organiser(actor)
    form = parse(PartnerInput, data)
    if db.session.scalar(select(Partner.id).where(func.lower(Partner.short_name) == form.short_name.lower())):
        db.session.rollback()
        raise Conflict(_("A partner with this short name already exists."), fields={"short_name": _("Already in use.")})
    partner = Partner(name=form.name, short_name=form.short_name, country=form.country, organisations=list(form.organisations))
    db.session.add(partner)
    db.session.commit()
    return partner


def add_member(actor: User, partner_id: int, data: dict) -> Partner:
    _require_organiser(actor)
    form = parse(MemberInput, data)
    partner = get_partner(partner_id)
    user = db.session.get(User, form.user_id)
    if user is None:
        db.session.rollback()
        raise Invalid(_("No such user."), fields={"user_id": _("No such user.")})
    if user not in partner.members:
        partner.members.append(user)
    db.session.commit()
    return partner


def get_partner(partner_id: int) -> Partner:
    partner = db.session.get(Partner, partner_id)
    if partner is None:
        raise NotFound(_("No such partner."))
    return partner


def list_partners() -> list[Partner]:
    """The partnership is one community: every signed-in user sees who is in it."""
    return list(db.session.scalars(select(Partner).order_by(Partner.short_name)))

"""Partners and their members."""
from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import func, select

from collab.extensions import db
from collab.models import Partner, User
from collab.services.access import can_manage_partner, facilitates_any
from collab.services.errors import Conflict, Forbidden, Invalid, NotFound
from collab.services.inputs import MemberInput, PartnerInput
from collab.services.unit_of_work import write


def _require_organiser(actor: User) -> None:
    if not facilitates_any(actor):
        raise Forbidden(_("Only administrators and facilitators may manage partners."))


def create_partner(actor: User, form: PartnerInput) -> Partner:
    _require_organiser(actor)
    with write():
        if db.session.scalar(select(Partner.id).where(func.lower(Partner.short_name) == form.short_name.lower())):
            raise Conflict(_("A partner with this short name already exists."), fields={"short_name": _("Already in use.")})
        partner = Partner(name=form.name, short_name=form.short_name, country=form.country, organisations=list(form.organisations))
        db.session.add(partner)
    return partner


def add_member(actor: User, partner_id: int, form: MemberInput) -> Partner:
    with write():
        partner = get_partner(partner_id)
        if not can_manage_partner(actor, partner.id):
            raise Forbidden(_("Only administrators and the facilitators of this partner's workshops may add its members."))
        user = db.session.get(User, form.user_id)
        if user is None:
            raise Invalid(_("No such user."), fields={"user_id": _("No such user.")})
        if user not in partner.members:
            partner.members.append(user)
    return partner


def get_partner(partner_id: int) -> Partner:
    partner = db.session.get(Partner, partner_id)
    if partner is None:
        raise NotFound(_("No such partner."))
    return partner


def list_partners() -> list[Partner]:
    """The partnership is one community: every signed-in user sees who is in it."""
    return list(db.session.scalars(select(Partner).order_by(Partner.short_name)))

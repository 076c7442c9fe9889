"""Partners: the directory, a partner's page, and the API to create partners and add members."""
from __future__ import annotations

from flask import Blueprint, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from collab.services import partners, shapes, users
from collab.services.access import can_manage_partner, can_read_plan, facilitates_any
from collab.services.errors import ServiceError
from collab.services.inputs import MemberInput, PartnerInput, parse
from collab.web.api import form_int, json_body

bp = Blueprint("partners", __name__)


@bp.post("/api/v1/partners")
@login_required
def create_partner():
    partner = partners.create_partner(current_user, parse(PartnerInput, json_body()))
    return jsonify(shapes.partner(partner)), 201


@bp.get("/api/v1/partners")
@login_required
def list_partners():
    return jsonify({"items": [shapes.partner(p) for p in partners.list_partners()], "next": None})


@bp.get("/api/v1/partners/<int:partner_id>")
@login_required
def get_partner(partner_id: int):
    return jsonify(shapes.partner(partners.get_partner(partner_id)))


@bp.post("/api/v1/partners/<int:partner_id>/members")
@login_required
def add_member(partner_id: int):
    partner = partners.add_member(current_user, partner_id, parse(MemberInput, json_body()))
    return jsonify(shapes.partner(partner)), 201


def _index(form: dict | None = None, errors: dict | None = None, error: str | None = None, status: int = 200):
    return render_template(
        "partners/index.html", partners=partners.list_partners(), organiser=facilitates_any(current_user),
        form=form or {}, errors=errors or {}, error=error,
    ), status


@bp.get("/partners")
@login_required
def list_partners_page():
    return _index()


@bp.post("/partners")
@login_required
def create_partner_page():
    form = {
        "name": request.form.get("name", ""),
        "short_name": request.form.get("short_name", ""),
        "country": request.form.get("country", "").strip().upper(),
        "organisations": [line.strip() for line in request.form.get("organisations", "").splitlines() if line.strip()],
    }
    try:
        partner = partners.create_partner(current_user, parse(PartnerInput, form))
    except ServiceError as exc:
        return _index(form, exc.fields, exc.message, exc.status)
    flash(_("Partner %(name)s created.", name=partner.short_name), "success")
    return redirect(url_for("partners.show_partner", partner_id=partner.id))


@bp.get("/partners/<int:partner_id>")
@login_required
def show_partner(partner_id: int):
    partner = partners.get_partner(partner_id)
    organiser = can_manage_partner(current_user, partner.id)
    return render_template(
        "partners/show.html",
        partner=partner,
        plans=[p for p in partner.plans if can_read_plan(current_user, p)],
        can_add_plan=current_user.is_admin or current_user in partner.members,
        organiser=organiser,
        candidates=[u for u in users.list_users() if u not in partner.members] if organiser else [],
        # E-mail addresses are for admins (and each user's own /me) only.
        show_emails=current_user.is_admin,
    )


@bp.post("/partners/<int:partner_id>/members")
@login_required
def add_member_page(partner_id: int):
    try:
        partners.add_member(current_user, partner_id, parse(MemberInput, {"user_id": form_int(request.form.get("user_id")) or 0}))
        flash(_("Member added."), "success")
    except ServiceError as exc:
        flash(exc.message, "error")
    return redirect(url_for("partners.show_partner", partner_id=partner_id))

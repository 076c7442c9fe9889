"""Workshops: creating and setting them up (pages and API), reading them."""
from __future__ import annotations

from datetime import datetime

from flask import Blueprint, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import get_timezone
from flask_babel import gettext as _
from flask_login import current_user, login_required

from collab.services import history, live, partners, resources, rounds, users, workshops
from collab.services.access import is_facilitator, partner_ids_of, require_admin
from collab.services.errors import Invalid, ServiceError
from collab.services.inputs import MemberInput, PresentationMinutesInput, ResourceInput, WorkshopInput, parse
from collab.web.api import form_int, json_body

bp = Blueprint("workshops", __name__)


@bp.post("/api/v1/workshops")
@login_required
def create_workshop():
    workshop = workshops.create_workshop(current_user, parse(WorkshopInput, json_body()))
    return jsonify(workshops.workshop_shape(workshop)), 201


@bp.get("/api/v1/workshops")
@login_required
def list_workshops():
    return jsonify({"items": [workshops.workshop_shape(w) for w in workshops.workshops_for(current_user)], "next": None})


@bp.get("/api/v1/workshops/<int:workshop_id>")
@login_required
def get_workshop(workshop_id: int):
    return jsonify(workshops.workshop_shape(workshops.get_workshop(current_user, workshop_id)))


@bp.patch("/api/v1/workshops/<int:workshop_id>")
@login_required
def patch_workshop(workshop_id: int):
    workshop = workshops.set_presentation_minutes(current_user, workshop_id, parse(PresentationMinutesInput, json_body()))
    return jsonify(workshops.workshop_shape(workshop))


def _ids(name: str) -> list[int]:
    return [n for n in map(form_int, request.form.getlist(name)) if n is not None]


@bp.get("/workshops/new")
@login_required
def new_workshop():
    require_admin(current_user)
    return render_template("workshops/new.html", form={}, errors={}, partners=partners.list_partners(), users=users.list_users())


def _on_my_clock(value: str) -> str:
    """A datetime-local field carries no zone: it is the time in the facilitator's own zone."""
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return value  # the form check names the field
    if moment.tzinfo is None:
        try:
            moment = get_timezone().localize(moment)
        except OverflowError:
            return value  # at the calendar's edge (year 1 or 9999): the form check refuses the year
    return moment.isoformat()


@bp.post("/workshops/new")
@login_required
def create_workshop_page():
    require_admin(current_user)
    form = {
        "title": request.form.get("title", ""),
        "description": request.form.get("description", ""),
        "partner_ids": _ids("partner_ids"),
        "facilitator_ids": _ids("facilitator_ids"),
    }
    if request.form.get("starts_at"):
        form["starts_at"] = _on_my_clock(request.form["starts_at"])
    try:
        workshop = workshops.create_workshop(current_user, parse(WorkshopInput, form))
    except ServiceError as exc:
        return render_template("workshops/new.html", form=form, errors=exc.fields, error=exc.message,
                               partners=partners.list_partners(), users=users.list_users()), exc.status
    flash(_("Workshop created."), "success")
    return redirect(url_for("workshops.show_workshop", workshop_id=workshop.id))


def _plan_sections(workshop) -> dict:
    """Titles of the plans I may read and of their sections, to name what the plenary kept for me."""
    _workshop, readable = history.workshop_plans(current_user, workshop.id)
    titles = history.section_titles(list(readable))
    return {plan_id: {"title": plan.title, "sections": titles[plan_id]} for plan_id, plan in readable.items()}


@bp.get("/workshops/<int:workshop_id>")
@login_required
def show_workshop(workshop_id: int):
    workshop = workshops.get_workshop(current_user, workshop_id)
    facilitator = is_facilitator(current_user, workshop)
    mine = partner_ids_of(current_user)
    return render_template(
        "workshops/show.html",
        workshop=workshop,
        facilitator=facilitator,
        my_partner_ids=mine,
        current_round=rounds.current_round(workshop),
        my_room_id=rounds.room_of(workshop, mine),
        announcements=live.announcements(current_user, workshop),
        resources=resources.of_workshop(workshop),
        plenary=live.plenary_view(current_user, workshop),
        presenters=live.presenters(workshop) if facilitator else [],
        last_seq=workshop.last_seq,
        plan_sections=_plan_sections(workshop),
        general_targets=history.general_targets(current_user, workshop) if facilitator else [],
        partner_names={p.id: p.short_name for p in partners.list_partners()},
        other_partners=[p for p in partners.list_partners() if p not in workshop.partners] if facilitator else [],
        other_users=[u for u in users.list_users() if u not in workshop.facilitators] if facilitator else [],
    )


@bp.post("/workshops/<int:workshop_id>/partners")
@login_required
def add_partner_page(workshop_id: int):
    partner_id = form_int(request.form.get("partner_id"))
    try:
        if partner_id is None:
            raise Invalid(_("Choose a partner."))
        workshops.add_partner(current_user, workshop_id, partner_id)
        flash(_("Partner added to the workshop."), "success")
    except ServiceError as exc:
        flash(exc.message, "error")
    return redirect(url_for("workshops.show_workshop", workshop_id=workshop_id))


@bp.post("/workshops/<int:workshop_id>/presentation-minutes")
@login_required
def set_presentation_minutes_page(workshop_id: int):
    try:
        form = parse(PresentationMinutesInput, {"presentation_minutes": form_int(request.form.get("presentation_minutes"))})
        workshops.set_presentation_minutes(current_user, workshop_id, form)
        flash(_("Presentations now start with %(n)s minutes.", n=form.presentation_minutes), "success")
    except ServiceError as exc:
        flash(exc.message, "error")
    return redirect(url_for("workshops.show_workshop", workshop_id=workshop_id) + "#plenary-presentation")


@bp.post("/workshops/<int:workshop_id>/facilitators")
@login_required
def add_facilitator_page(workshop_id: int):
    user_id = form_int(request.form.get("user_id"))
    try:
        if user_id is None:
            raise Invalid(_("Choose a person."))
        workshops.add_facilitator(current_user, workshop_id, parse(MemberInput, {"user_id": user_id}))
        flash(_("Facilitator added."), "success")
    except ServiceError as exc:
        flash(exc.message, "error")
    return redirect(url_for("workshops.show_workshop", workshop_id=workshop_id))


@bp.get("/api/v1/workshops/<int:workshop_id>/resources")
@login_required
def list_resources(workshop_id: int):
    items = [resources.resource_shape(r) for r in resources.list_resources(current_user, workshop_id)]
    return jsonify({"items": items, "next": None})


@bp.post("/api/v1/workshops/<int:workshop_id>/resources")
@login_required
def add_resource(workshop_id: int):
    resource = resources.add_resource(current_user, workshop_id, parse(ResourceInput, json_body()))
    return jsonify(resources.resource_shape(resource)), 201


@bp.delete("/api/v1/workshops/<int:workshop_id>/resources/<int:resource_id>")
@login_required
def remove_resource(workshop_id: int, resource_id: int):
    resources.remove_resource(current_user, workshop_id, resource_id)
    return "", 204


@bp.post("/workshops/<int:workshop_id>/resources")
@login_required
def add_resource_page(workshop_id: int):
    form = {"title": request.form.get("title", ""), "url": request.form.get("url", ""), "kind": request.form.get("kind") or None}
    try:
        resources.add_resource(current_user, workshop_id, parse(ResourceInput, form))
        flash(_("Resource added."), "success")
    except ServiceError as exc:
        details = "; ".join(str(v) for v in exc.fields.values())
        flash(f"{exc.message} {details}".strip(), "error")
    return redirect(url_for("workshops.show_workshop", workshop_id=workshop_id, _anchor="resources"))


@bp.post("/workshops/<int:workshop_id>/resources/<int:resource_id>/delete")
@login_required
def remove_resource_page(workshop_id: int, resource_id: int):
    try:
        resources.remove_resource(current_user, workshop_id, resource_id)
        flash(_("Resource removed."), "success")
    except ServiceError as exc:
        flash(exc.message, "error")
    return redirect(url_for("workshops.show_workshop", workshop_id=workshop_id, _anchor="resources"))

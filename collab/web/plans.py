"""Action Plans: pages to read, compare and edit them; the /api/v1/plans resources."""
from __future__ import annotations

from flask import Blueprint, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from collab.models import ADOPTION_STAGES
from collab.services import adoption, partners, plans, shapes
from collab.services.access import readable_plan
from collab.services.errors import Conflict, Invalid, ServiceError
from collab.services.inputs import AdoptionInput, PlanInput, VersionInput, parse
from collab.web.api import form_int, int_arg, json_body

bp = Blueprint("plans", __name__)


@bp.post("/api/v1/plans")
@login_required
def create_plan():
    plan, version = plans.create_plan(current_user, parse(PlanInput, json_body()))
    return jsonify(shapes.plan(plan, version)), 201


@bp.get("/api/v1/plans/<int:plan_id>")
@login_required
def get_plan(plan_id: int):
    plan, version = plans.get_plan(current_user, plan_id, int_arg("version"))
    return jsonify(shapes.plan(plan, version))


@bp.post("/api/v1/plans/<int:plan_id>/versions")
@login_required
def create_version(plan_id: int):
    plan, version = plans.add_version(current_user, plan_id, parse(VersionInput, json_body()))
    return jsonify(shapes.plan(plan, version)), 201


@bp.get("/api/v1/plans/<int:plan_id>/adoption")
@login_required
def get_adoption(plan_id: int):
    return jsonify(adoption.shape(readable_plan(current_user, plan_id)))


@bp.put("/api/v1/plans/<int:plan_id>/adoption")
@login_required
def put_adoption(plan_id: int):
    return jsonify(adoption.shape(adoption.update(current_user, plan_id, parse(AdoptionInput, json_body()))))


def _sections_from_form() -> list[dict]:
    """The editor posts rows sections-N-key/title/body; empty and removed rows are dropped."""
    rows = []
    count = min(_form_int("section_count"), 200)
    for index in range(count):
        prefix = f"sections-{index}-"
        row = {name: request.form.get(prefix + name, "") for name in ("key", "title", "body")}
        if request.form.get(prefix + "remove") or not any(value.strip() for value in row.values()):
            continue
        row["key"] = row["key"].strip().lower()
        rows.append(row)
    return rows


def _form_int(name: str) -> int:
    return form_int(request.form.get(name)) or 0


def _plan_page(plan_id: int, adoption_form: dict | None = None, error: ServiceError | None = None):
    plan, version = plans.get_plan(current_user, plan_id, int_arg("version"))
    compare_to = int_arg("compare")
    comparison = None
    other = None
    if compare_to:
        other = plans.get_version(plan, compare_to)
        older, newer = sorted((other, version), key=lambda v: v.number)
        comparison = {"old": older, "new": newer, "rows": plans.compare(older, newer)}
    return render_template(
        "plans/show.html", plan=plan, version=version, comparison=comparison,
        can_edit=plans.can_edit(current_user, plan), stepper=adoption.stepper(plan),
        adoption_form=adoption_form or _adoption_form_of(plan), adoption_error=error,
    ), error.status if error else 200


@bp.get("/plans/<int:plan_id>")
@login_required
def show_plan(plan_id: int):
    return _plan_page(plan_id)


ADOPTION_FIELDS = ("body", "date", "note", "link")


def _adoption_form_of(plan) -> dict:
    """The form's fields as they stand: "stage-field" -> text."""
    tracker = adoption.shape(plan)
    return {f"{stage}-{name}": tracker[stage][name] for stage in ADOPTION_STAGES if tracker[stage] for name in ADOPTION_FIELDS}


def _adoption_input(form: dict) -> dict:
    """A stage with every field blank has not happened; a blank body or date is left out, so
    that the error says it is required."""
    data = {}
    for stage in ADOPTION_STAGES:
        values = {name: form.get(f"{stage}-{name}", "").strip() for name in ADOPTION_FIELDS}
        if any(values.values()):
            data[stage] = {name: value for name, value in values.items() if value or name in ("note", "link")}
    return data


@bp.post("/plans/<int:plan_id>/adoption")
@login_required
def save_adoption(plan_id: int):
    form = {f"{stage}-{name}": request.form.get(f"{stage}-{name}", "") for stage in ADOPTION_STAGES for name in ADOPTION_FIELDS}
    try:
        adoption.update(current_user, plan_id, parse(AdoptionInput, _adoption_input(form)))
    except (Invalid, Conflict) as exc:  # shown in the form, as typed; refusals and busy get the error page
        return _plan_page(plan_id, form, exc)
    flash(_("Adoption steps saved."), "success")
    return redirect(url_for("plans.show_plan", plan_id=plan_id) + "#adoption")


@bp.get("/plans/<int:plan_id>/edit")
@login_required
def edit_plan(plan_id: int):
    plan, version = plans.get_plan(current_user, plan_id)
    if not plans.can_edit(current_user, plan):
        flash(_("Only the members of %(partner)s may edit this plan.", partner=plan.partner.short_name), "error")
        return redirect(url_for("plans.show_plan", plan_id=plan.id))
    sections = [{"key": s.key, "title": s.title, "body": s.body} for s in version.sections]
    return render_template("plans/edit.html", plan=plan, base_version=version.number, sections=sections, note="", errors={})


@bp.post("/plans/<int:plan_id>/edit")
@login_required
def save_plan(plan_id: int):
    sections = _sections_from_form()
    base = _form_int("base_version")
    note = request.form.get("note", "")
    try:
        plan, version = plans.add_version(current_user, plan_id, parse(VersionInput, {"sections": sections, "note": note, "base_version": base}))
    except ServiceError as exc:
        plan, _latest = plans.get_plan(current_user, plan_id)
        return render_template(
            "plans/edit.html", plan=plan, base_version=base, sections=sections, note=note,
            errors=exc.fields, error=exc.message, conflict=isinstance(exc, Conflict),
        ), exc.status
    flash(_("Version %(number)s saved.", number=version.number), "success")
    return redirect(url_for("plans.show_plan", plan_id=plan.id))


@bp.get("/plans/new")
@login_required
def new_plan():
    partner = partners.get_partner(int_arg("partner_id") or 0) if request.args.get("partner_id") else None
    sections = [{"key": key, "title": str(_(title)), "body": ""} for key, title in plans.DEFAULT_TEMPLATE]
    return render_template("plans/new.html", partner=partner, partners=current_user.partners or partners.list_partners(),
                           title="", sections=sections, errors={})


@bp.post("/plans/new")
@login_required
def create_plan_page():
    sections = _sections_from_form()
    title = request.form.get("title", "")
    partner_id = _form_int("partner_id")
    try:
        plan, _version = plans.create_plan(current_user, parse(PlanInput, {"partner_id": partner_id, "title": title, "sections": sections}))
    except ServiceError as exc:
        partner = partners.get_partner(partner_id) if partner_id else None
        return render_template("plans/new.html", partner=partner, partners=current_user.partners or partners.list_partners(),
                               title=title, sections=sections, errors=exc.fields, error=exc.message), exc.status
    flash(_("Plan created."), "success")
    return redirect(url_for("plans.show_plan", plan_id=plan.id))

"""After the workshop: plan feedback pages and API, answers, readiness, general feedback, timeline, exports."""
from __future__ import annotations

import uuid

from flask import Blueprint, Response, flash, jsonify, redirect, render_template, request, session, stream_with_context, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from collab.models import WHOLE_PLAN
from collab.services import adoption, exports, feedback, history, log, plans, shapes
from collab.services.access import is_member
from collab.services.errors import ServiceError
from collab.services.inputs import FeedbackPatch, GeneralFeedbackInput, ResponseInput, parse
from collab.services.unit_of_work import end_read
from collab.web.api import form_int, json_body
from collab.web.limits import heavy, rate_limited_as_expensive, stream_in_slot

bp = Blueprint("history", __name__)

# Each renderer is called in the view, so whatever it needs from the request (the reader's
# language) is resolved before the first byte streams; the generator then needs only its rows.
FORMATS = {
    "csv": ("text/csv; charset=utf-8", lambda title, rows: exports.csv_stream(rows)),
    "md": ("text/markdown; charset=utf-8", lambda title, rows: exports.markdown_stream(title, rows, exports.markdown_labels())),
    "json": ("application/json", lambda title, rows: exports.json_stream(rows)),
}


def _download(name: str, fmt: str, title: str, plan_ids: list[int], filters) -> Response:
    mimetype, render = FORMATS[fmt]  # content_type: mimetype= would add a second charset
    body = render(title, history.export_rows(plan_ids, filters))
    end_read()  # no transaction stays open while the download streams
    body = stream_with_context(stream_in_slot(body))
    return Response(body, content_type=mimetype, headers={"Content-Disposition": f'attachment; filename="{name}.{fmt}"'})


# --- API --------------------------------------------------------------------------------

@bp.get("/api/v1/plans/<int:plan_id>/feedback")
@rate_limited_as_expensive
@login_required
def list_plan_feedback(plan_id: int):
    return jsonify(history.plan_feedback(current_user, plan_id, history.filters_from(request.args)))


@bp.get("/api/v1/plans/<int:plan_id>/feedback.<any(csv, md, json):fmt>")
@rate_limited_as_expensive
@login_required
def export_plan_feedback(plan_id: int, fmt: str):
    filters = history.filters_from(request.args)
    plan, _version = plans.get_plan(current_user, plan_id)
    return _download(f"feedback-plan-{plan.id}", fmt, plan.title, [plan.id], filters)


@bp.get("/api/v1/workshops/<int:workshop_id>/feedback.<any(csv, md, json):fmt>")
@rate_limited_as_expensive
@login_required
def export_workshop_feedback(workshop_id: int, fmt: str):
    filters = history.filters_from(request.args)
    workshop, readable = history.workshop_plans(current_user, workshop_id)
    return _download(f"feedback-workshop-{workshop.id}", fmt, workshop.title, list(readable), filters)


@bp.patch("/api/v1/feedback/<int:feedback_id>")
@login_required
def patch_feedback(feedback_id: int):
    return jsonify(shapes.feedback(history.patch(current_user, feedback_id, parse(FeedbackPatch, json_body()))))


@bp.get("/api/v1/feedback/<int:feedback_id>/changes")
@rate_limited_as_expensive
@login_required
def list_feedback_changes(feedback_id: int):
    return jsonify({"items": history.changes_of(current_user, feedback_id), "next": None})


@bp.get("/api/v1/plans/<int:plan_id>/readiness")
@rate_limited_as_expensive
@login_required
def get_readiness(plan_id: int):
    return jsonify({"versions": history.readiness(current_user, plan_id)})


@bp.post("/api/v1/workshops/<int:workshop_id>/general-feedback")
@login_required
def post_general_feedback(workshop_id: int):
    return jsonify(history.post_general(current_user, workshop_id, parse(GeneralFeedbackInput, json_body()))), 201


# --- pages --------------------------------------------------------------------------------

@bp.get("/plans/<int:plan_id>/feedback")
@rate_limited_as_expensive
@login_required
def show_plan_feedback(plan_id: int):
    plan, latest = plans.get_plan(current_user, plan_id)
    filters = history.filters_from(request.args)
    page = history.plan_feedback(current_user, plan_id, filters)
    # Remarks on the plan as a whole come first, before its sections.
    sections = {WHOLE_PLAN: _("Whole plan"), **{s.key: s.title for s in latest.sections}}
    grouped: dict[str, list[dict]] = {}
    for item in page["items"]:
        grouped.setdefault(item["section_key"], []).append(item)
    order = [key for key in sections if key in grouped] + [key for key in grouped if key not in sections]
    workshops = {w.id: w for w in history.workshops_of(plan)}
    return render_template(
        "history/plan_feedback.html", plan=plan, latest=latest, filters=filters, page=page,
        groups=[(key, sections.get(key, key), grouped[key]) for key in order],
        readiness=history.readiness(current_user, plan_id), owner=is_member(current_user, plan.partner_id),
        workshops=workshops, rubric=history.rubric_of(list(workshops.values())), query=request.args.to_dict(),
    )


@bp.post("/feedback/<int:feedback_id>/answer")
@login_required
def answer_feedback(feedback_id: int):
    version = form_int(request.form.get("addressed_in_version"))
    data = {"feedback_id": feedback_id, "status": request.form.get("status", ""), "response": request.form.get("response", "")}
    if version is not None:
        data["addressed_in_version"] = version
    plan_id = form_int(request.form.get("plan_id"))
    try:
        item = feedback.respond(current_user, parse(ResponseInput, data))
        plan_id = item.plan_id
        flash(_("Answer saved."), "success")
    except ServiceError as exc:
        # Shown at the item, with the choice and the text as they were sent (not at the page's top).
        session["answer_draft"] = {**data, "feedback_id": feedback_id, "error": " ".join([exc.message, *map(str, exc.fields.values())])}
    if plan_id is None:
        return redirect(url_for("dashboard.show_dashboard"))
    # Back to the same filtered list (its query, minus any plan_id of its own), at the item answered.
    filters = {key: value for key, value in request.args.items() if key != "plan_id"}
    return redirect(url_for("history.show_plan_feedback", plan_id=plan_id, **filters) + f"#item-{feedback_id}")


@bp.get("/plans/<int:plan_id>/dossier")
@rate_limited_as_expensive
@login_required
@heavy
def show_dossier(plan_id: int):
    plan, latest = plans.get_plan(current_user, plan_id)
    items = list(history.export_rows([plan.id], history.filters_from({})))
    by_section: dict[str, list[dict]] = {}
    for row in items:
        by_section.setdefault(row["section_key"], []).append(row)
    return render_template("history/dossier.html", plan=plan, version=latest, by_section=by_section, stepper=adoption.stepper(plan),
                           readiness=history.readiness(current_user, plan_id),
                           rubric=history.rubric_of(history.workshops_of(plan)))


@bp.get("/workshops/<int:workshop_id>/timeline")
@rate_limited_as_expensive
@login_required
def show_timeline(workshop_id: int):
    workshop, readable = history.workshop_plans(current_user, workshop_id)
    events = log.events_after(current_user, workshop, 0)
    return render_template("history/timeline.html", workshop=workshop, events=[e for e in events if e["type"] != "presence"],
                           partner_names={p.id: p.short_name for p in workshop.partners}, plan_titles={p.id: p.title for p in readable.values()},
                           section_titles=history.section_titles(list(readable)))


@bp.post("/workshops/<int:workshop_id>/general-feedback")
@login_required
def post_general_feedback_page(workshop_id: int):
    data = {key: request.form.get(key, "") for key in ("section_key", "kind", "body")}
    if request.form.get("criterion"):
        data["criterion"] = request.form["criterion"]
    # The form carries its client_id from the first try on, so a retry never posts twice.
    data["client_id"] = request.form.get("client_id") or str(uuid.uuid4())
    back = (url_for("rounds.show_board", workshop_id=workshop_id) if request.form.get("back") == "board"
            else url_for("workshops.show_workshop", workshop_id=workshop_id))
    try:
        result = history.post_general(current_user, workshop_id, parse(GeneralFeedbackInput, data))
    except ServiceError as exc:
        details = " ".join(str(v) for v in exc.fields.values())
        flash(f"{exc.message} {details}".strip(), "error")
        session["general_feedback_draft"] = data  # shown again in the form: nothing typed is lost
        return redirect(back + "#general-feedback")
    skipped = len(result["skipped_plan_ids"])
    flash(_("General feedback posted to %(n)s plans.", n=len(result["items"]))
          + (" " + _("%(n)s plans have no such section.", n=skipped) if skipped else ""), "success")
    return redirect(back + "#general-feedback")

"""Rounds: the /api/v1 resources, the facilitator's board and its round forms, the event log."""
from __future__ import annotations

from flask import Blueprint, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from collab.services import feedback, hands, history, live, log, rounds, video, workshops
from collab.services.access import facilitated_workshop, participant_workshop
from collab.services.errors import ServiceError
from collab.services.inputs import RoundInput, parse
from collab.web.api import form_int, int_arg, json_body, page_limit
from collab.web.limits import rate_limited_as_expensive

bp = Blueprint("rounds", __name__)


@bp.post("/api/v1/workshops/<int:workshop_id>/rounds")
@login_required
def create_round(workshop_id: int):
    rnd = rounds.create_round(current_user, workshop_id, parse(RoundInput, json_body()))
    return jsonify(workshops.round_shape(rnd)), 201


@bp.get("/api/v1/workshops/<int:workshop_id>/rounds/<int:round_id>")
@login_required
def get_round(workshop_id: int, round_id: int):
    return jsonify(workshops.round_shape(rounds.get_round(current_user, workshop_id, round_id)))


@bp.get("/api/v1/workshops/<int:workshop_id>/events")
@rate_limited_as_expensive
@login_required
def list_events(workshop_id: int):
    workshop = participant_workshop(current_user, workshop_id)
    limit = page_limit()
    items = log.events_after(current_user, workshop, int_arg("after_seq", 0, minimum=0, maximum=2**53) or 0, limit + 1)
    more = len(items) > limit
    items = items[:limit]
    return jsonify({"items": items, "next": items[-1]["seq"] if more else None})


def _board_context(workshop_id: int) -> dict:
    workshop = facilitated_workshop(current_user, workshop_id)
    all_rounds = list(workshop.rounds)
    running = rounds.current_round(workshop)
    return {
        "workshop": workshop,
        "partner_names": {p.id: p.short_name for p in workshop.partners},
        "partners": list(workshop.partners),
        "rounds": all_rounds,
        "current_round": running,
        "rubric": workshop.rubric,
        "last_seq": workshop.last_seq,
        "feedback_counts": feedback.counts_by_room([room.id for room in running.rooms]) if running else {},
        "announcements": live.announcements(current_user, workshop, rooms=[room.id for room in running.rooms] if running else ()),
        "room_names": {room.id: room.name for room in running.rooms} if running else {},
        "hands": {room.id: hands.hand_of(room) for room in running.rooms} if running else {},
        "call_urls": {room.id: video.call_url(room) for rnd in all_rounds if rnd.status != "closed" for room in rnd.rooms},
        "general_targets": history.general_targets(current_user, workshop),
        "pending_rounds": [r for r in all_rounds if r.status == "pending"],
        "previous_rounds": [r for r in all_rounds if r.status != "pending"] or [r for r in all_rounds],
    }


@bp.get("/workshops/<int:workshop_id>/board")
@login_required
def show_board(workshop_id: int):
    return render_template("workshops/board.html", **_board_context(workshop_id))


@bp.post("/workshops/<int:workshop_id>/rounds")
@login_required
def create_round_page(workshop_id: int):
    workshop = facilitated_workshop(current_user, workshop_id)
    mode = request.form.get("mode", "auto")
    minutes = request.form.get("minutes", "")
    whole_minutes = form_int(minutes)
    # Anything but a whole number goes to validation as typed, so the error names the field.
    data: dict = {"name": request.form.get("name", ""), "minutes": minutes if whole_minutes is None else whole_minutes}
    if mode == "reuse":
        data["reuse_round_id"] = form_int(request.form.get("reuse_round_id")) or 0
    elif mode == "manual":
        rooms_by_number: dict[int, list[int]] = {}
        for partner in workshop.partners:
            choice = form_int(request.form.get(f"room_for_{partner.id}"))
            if choice:
                rooms_by_number.setdefault(choice, []).append(partner.id)
        data["rooms"] = [{"name": _("Room %(n)s", n=n), "partner_ids": ids} for n, ids in sorted(rooms_by_number.items())]
    else:
        data["auto"] = {"size": 2}
    try:
        rnd = rounds.create_round(current_user, workshop_id, parse(RoundInput, data))
    except ServiceError as exc:
        details = "; ".join(str(v) for v in exc.fields.values())
        flash(f"{exc.message} {details}".strip(), "error")
    else:
        flash(_("%(name)s is ready with %(n)s rooms. Adjust the rooms or open it.", name=rnd.name, n=len(rnd.rooms)), "success")
    return redirect(url_for("rounds.show_board", workshop_id=workshop_id))


@bp.post("/rounds/<int:round_id>/rooms")
@login_required
def set_rooms_page(round_id: int):
    seating = {}
    for key, value in request.form.items():
        if not key.startswith("room_for_"):
            continue
        partner_id, room_number = form_int(key.removeprefix("room_for_")), form_int(value)
        if partner_id is not None and room_number is not None:
            seating[partner_id] = room_number
    try:
        rnd = rounds.set_rooms(current_user, round_id, seating)
    except ServiceError as exc:
        flash(exc.message, "error")
        return redirect(request.referrer or url_for("dashboard.show_dashboard"))
    flash(_("Rooms updated."), "success")
    return redirect(url_for("rounds.show_board", workshop_id=rnd.workshop_id))

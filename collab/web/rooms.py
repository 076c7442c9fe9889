"""The breakout room page, and a room's video-call link (page form and API)."""
from __future__ import annotations

from flask import Blueprint, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from collab.services import feedback, hands, live, resources, video
from collab.services.errors import ServiceError
from collab.services.inputs import VideoLinkInput, parse
from collab.services.room_access import facilitated_room, readable_room, room_plans as plans_of
from collab.services.access import is_facilitator, is_member, partner_ids_of
from collab.web.api import json_body

bp = Blueprint("rooms", __name__)


@bp.get("/rooms/<int:room_id>")
@login_required
def show_room(room_id: int):
    room, rnd = readable_room(current_user, room_id)
    workshop = rnd.workshop
    facilitator = is_facilitator(current_user, workshop)
    room_plans = plans_of(room)
    items = feedback.for_plans_in_workshop(current_user, [plan.id for plan, _v in room_plans], workshop.id)
    return render_template(
        "rooms/show.html",
        room=room,
        round=rnd,
        workshop=workshop,
        partner_names={p.id: p.short_name for p in workshop.partners},
        plans=[
            {"plan": plan, "version": version, "can_present": facilitator or is_member(current_user, plan.partner_id)}
            for plan, version in room_plans
        ],
        rubric=workshop.rubric,
        feedback_items=items,
        my_user_id=current_user.id,
        last_seq=workshop.last_seq,
        announcements=live.announcements(current_user, workshop, rooms=[room.id]),
        is_facilitator=facilitator,
        my_partner_ids=partner_ids_of(current_user),
        hand=hands.hand_seen_by(current_user, room, workshop),
        call_url=video.call_url(room),
        resources=resources.of_workshop(workshop),
    )


@bp.patch("/api/v1/rooms/<int:room_id>")
@login_required
def set_video_link(room_id: int):
    room = video.set_video_url(current_user, room_id, parse(VideoLinkInput, json_body()))
    return jsonify(video.room_call(room))


@bp.post("/rooms/<int:room_id>/video")
@login_required
def set_video_link_page(room_id: int):
    try:
        room = video.set_video_url(current_user, room_id, parse(VideoLinkInput, {"video_url": request.form.get("video_url", "")}))
    except ServiceError as exc:
        details = "; ".join(str(v) for v in exc.fields.values())
        flash(f"{exc.message} {details}".strip(), "error")
        return redirect(_board_of(room_id))
    flash(_("Video call link of %(room)s saved.", room=room.name), "success")
    return redirect(url_for("rounds.show_board", workshop_id=room.round.workshop_id))


def _board_of(room_id: int) -> str:
    """Back to the board the form is on (never to a Referer header, which anyone can set);
    someone who may not act on the room learns nothing of it and goes to the dashboard."""
    try:
        _room, rnd = facilitated_room(current_user, room_id)
    except ServiceError:
        return url_for("dashboard.show_dashboard")
    return url_for("rounds.show_board", workshop_id=rnd.workshop_id)

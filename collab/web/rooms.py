"""The breakout room page."""
from __future__ import annotations

from flask import Blueprint, render_template
from flask_login import current_user, login_required

from collab.services import feedback, live
from collab.services.room_access import readable_room, room_plans as plans_of
from collab.services.access import is_facilitator, is_member, partner_ids_of

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
        announcements=live.announcements(workshop),
        is_facilitator=facilitator,
        my_partner_ids=partner_ids_of(current_user),
    )

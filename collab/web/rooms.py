"""The breakout room page."""
from __future__ import annotations

from flask import Blueprint, render_template
from flask_login import current_user, login_required

from collab.services import live
from collab.services.access import is_facilitator, is_member, partner_ids_of

bp = Blueprint("rooms", __name__)


@bp.get("/rooms/<int:room_id>")
@login_required
def show_room(room_id: int):
    room, rnd = live.readable_room(current_user, room_id)
    workshop = rnd.workshop
    facilitator = is_facilitator(current_user, workshop)
    return render_template(
        "rooms/show.html",
        room=room,
        round=rnd,
        workshop=workshop,
        partner_names={p.id: p.short_name for p in workshop.partners},
        plans=[
            {"plan": plan, "version": version, "can_present": facilitator or is_member(current_user, plan.partner_id)}
            for plan, version in live.room_plans(room)
        ],
        is_facilitator=facilitator,
        my_partner_ids=partner_ids_of(current_user),
    )

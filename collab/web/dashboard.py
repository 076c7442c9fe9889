"""The signed-in home page: my workshops and the plans I can read."""
from __future__ import annotations

from flask import Blueprint, render_template
from flask_login import current_user, login_required

from collab.services import plans, workshops
from collab.services.access import facilitates_any

bp = Blueprint("dashboard", __name__)


@bp.get("/")
@login_required
def show_dashboard():
    return render_template(
        "dashboard/index.html",
        workshops=workshops.workshops_for(current_user),
        plans=plans.plans_for(current_user),
        my_partners=current_user.partners,
        organiser=facilitates_any(current_user),
    )

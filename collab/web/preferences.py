"""A person's language and time zone: the header's language switch and the preferences page."""
from __future__ import annotations

from datetime import datetime, timezone

import pytz
from flask import Blueprint, current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_babel import refresh
from flask_login import current_user, login_required

from collab.services import users
from collab.services.errors import ServiceError
from collab.services.inputs import LanguageInput, PreferencesInput, parse
from collab.web.auth import safe_next

bp = Blueprint("preferences", __name__)


@bp.post("/language")
def switch_language():
    """The header's switch: kept in the session (visitors) and on the account (signed in)."""
    form = parse(LanguageInput, {"locale": request.form.get("locale", "")})
    session["locale"] = form.locale
    if current_user.is_authenticated:
        users.set_language(current_user, form)
    return redirect(safe_next(request.form.get("next")))


def _page(form: dict, errors: dict, status: int = 200):
    return render_template(
        "users/preferences.html", form=form, errors=errors, time_zones=pytz.common_timezones,
        default_time_zone=current_app.config["DEFAULT_TIME_ZONE"], now=datetime.now(timezone.utc),
    ), status


@bp.get("/preferences")
@login_required
def preferences_page():
    return _page({"locale": current_user.locale, "time_zone": current_user.time_zone or ""}, {})


@bp.post("/preferences")
@login_required
def save_preferences():
    data = {"locale": request.form.get("locale", ""), "time_zone": request.form.get("time_zone", "")}
    try:
        users.set_preferences(current_user, parse(PreferencesInput, data))
    except ServiceError as exc:
        return _page(data, exc.fields, exc.status)
    session["locale"] = current_user.locale
    refresh()  # the confirmation in the language just chosen
    flash(_("Preferences saved."), "success")
    return redirect(url_for("preferences.preferences_page"))

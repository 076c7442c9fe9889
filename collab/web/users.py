"""Accounts: the admin's user list and form, and POST /api/v1/users."""
from __future__ import annotations

from flask import Blueprint, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from collab.services import shapes, users
from collab.services.access import require_admin
from collab.services.errors import ServiceError
from collab.services.inputs import UserInput, parse
from collab.web.api import json_body

bp = Blueprint("users", __name__)


@bp.post("/api/v1/users")
@login_required
def create_user():
    user = users.create_user(current_user, parse(UserInput, json_body()))
    return jsonify(shapes.user(user)), 201


@bp.get("/api/v1/users")
@login_required
def list_users():
    require_admin(current_user)
    return jsonify({"items": [shapes.user(u) for u in users.list_users()], "next": None})


@bp.get("/admin/users")
@login_required
def list_users_page():
    require_admin(current_user)
    return render_template("users/index.html", users=users.list_users(), form={}, errors={})


@bp.post("/admin/users")
@login_required
def create_user_page():
    require_admin(current_user)
    form = {
        "email": request.form.get("email", ""),
        "name": request.form.get("name", ""),
        "password": request.form.get("password", ""),
        "locale": request.form.get("locale", "en"),
        "is_admin": request.form.get("is_admin") == "on",
    }
    try:
        user = users.create_user(current_user, parse(UserInput, form))
    except ServiceError as exc:
        form.pop("password")
        return render_template("users/index.html", users=users.list_users(), form=form, errors=exc.fields, error=exc.message), exc.status
    flash(_("Account created for %(name)s.", name=user.name), "success")
    return redirect(url_for("users.list_users_page"))

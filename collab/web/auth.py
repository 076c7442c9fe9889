"""Sign in and out, for pages and the API; who am I; the health check."""
from __future__ import annotations

import unicodedata
from urllib.parse import urlsplit

from flask import Blueprint, flash, jsonify, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user
from flask_wtf.csrf import generate_csrf

from collab.extensions import csrf
from collab.services import auth, shapes
from collab.services.errors import ServiceError
from collab.services.inputs import LoginInput, parse
from collab.web.api import json_body
from collab.web.limits import sign_in

bp = Blueprint("auth", __name__)


def _plain_path(target: str) -> bool:
    """A path on this site, nothing a browser or a header could read otherwise: browsers take
    "/\\host" for "//host"; a line break would split the Location header (werkzeug refuses
    it: a 500), and whitespace or invisible characters have no place in our paths."""
    if not target.startswith("/") or target.startswith("//") or "\\" in target:
        return False
    if any(ch.isspace() or unicodedata.category(ch) in ("Cc", "Cf") for ch in target):
        return False
    parts = urlsplit(target)
    return not parts.scheme and not parts.netloc


def safe_next(target: str | None) -> str:
    """Only same-site paths: never send a person off to another host after sign-in."""
    if target and _plain_path(target):
        return target
    return url_for("dashboard.show_dashboard")


def _sign_in(email: str, password: str):
    user = auth.sign_in(email, password, request.remote_addr or "unknown")
    login_user(user)
    return user


def _sign_out() -> None:
    token = current_user.get_id()
    session["locale"] = current_user.locale  # the signed-out pages stay in this person's language
    logout_user()
    if token:
        auth.sign_out(token)


@bp.get("/login")
def login_page():
    if current_user.is_authenticated:
        return redirect(safe_next(request.args.get("next")))
    return render_template("auth/login.html", next=request.args.get("next", ""))


@bp.post("/login")
@sign_in
def login_submit():
    email = request.form.get("email", "")
    try:
        form = parse(LoginInput, {"email": email, "password": request.form.get("password", "")})
        _sign_in(form.email, form.password)
    except ServiceError as exc:
        status = 429 if exc.status == 429 else 401 if exc.status == 401 else 422
        return render_template("auth/login.html", error=exc.message, email=email, next=request.form.get("next", "")), status
    return redirect(safe_next(request.form.get("next")))


@bp.post("/logout")
@login_required
def logout():
    _sign_out()
    flash(_("You are signed out."), "info")
    return redirect(url_for("auth.login_page"))


@bp.post("/api/v1/session")
@sign_in
@csrf.exempt
def create_session():
    form = parse(LoginInput, json_body())
    user = _sign_in(form.email, form.password)
    return jsonify({"user": shapes.user(user), "csrf_token": generate_csrf()})


@bp.delete("/api/v1/session")
@login_required
def delete_session():
    _sign_out()
    return "", 204


@bp.get("/api/v1/me")
@login_required
def get_me():
    return jsonify({
        "user": shapes.user(current_user),
        "partners": [shapes.partner(p) for p in current_user.partners],
        "csrf_token": generate_csrf(),
    })


@bp.get("/favicon.ico")
def favicon():
    return redirect(url_for("static", filename="favicon.svg"), code=301)


@bp.get("/healthz")
def healthz():
    return jsonify({"ok": True})

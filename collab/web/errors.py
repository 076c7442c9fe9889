"""One mapping from errors to answers: JSON under /api/, a page elsewhere."""
from __future__ import annotations

from flask import Flask, Response, g, jsonify, make_response, render_template, request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import DBAPIError
from werkzeug.exceptions import HTTPException

from collab.database import is_lock_timeout
from collab.extensions import db, login_manager
from collab.services.errors import Busy, ServiceError

HTTP_CODES = {400: "bad_request", 401: "unauthorized", 403: "forbidden", 404: "not_found", 405: "bad_request",
              409: "conflict", 413: "validation", 415: "bad_request", 422: "validation", 429: "rate_limited"}

# Werkzeug's descriptions are English (and Flask-Limiter's name the limit): ours, translated.
HTTP_MESSAGES = {
    400: _l("This request is not valid."), 401: _l("Sign in first."), 403: _l("You may not do this."),
    404: _l("There is nothing at this address."), 405: _l("This address does not take this kind of request."),
    413: _l("What was sent is too large."), 415: _l("What was sent is not in a format this address takes."),
    429: _l("Too many requests; wait a moment and try again."),
}


def wants_json() -> bool:
    return request.path.startswith("/api/")


def error_response(status: int, error: dict) -> Response:
    if wants_json():
        return make_response(jsonify({"error": error}), status)
    return make_response(render_template("errors/error.html", status=status, message=error["message"]), status)


def register(app: Flask) -> None:
    @app.errorhandler(ServiceError)
    def _service_error(exc: ServiceError):
        response = error_response(exc.status, exc.to_dict())
        if "retry_after" in exc.extra:  # busy, and throttled sign-in
            response.headers["Retry-After"] = str(exc.extra["retry_after"])
        return response

    @app.errorhandler(CSRFError)
    def _csrf_error(exc: CSRFError):
        return error_response(400, {"code": "csrf", "message": _("The form or request is missing a valid CSRF token. Reload the page and try again.")})

    @app.errorhandler(HTTPException)
    def _http_error(exc: HTTPException):
        status = exc.code or 500
        code = HTTP_CODES.get(status, "bad_request" if status < 500 else "server_error")
        message = HTTP_MESSAGES.get(status) or _("The request could not be answered (%(status)s).", status=status)
        response = error_response(status, {"code": code, "message": str(message)})
        allow = dict(exc.get_headers()).get("Allow")
        if allow:  # a 405 says which methods the address does take
            response.headers["Allow"] = allow
        return response

    @app.errorhandler(DBAPIError)
    def _database_error(exc: DBAPIError):
        if not is_lock_timeout(exc):
            return _unexpected(exc)
        # The statement that waited too long may have been the signed-in user's (Flask-Login
        # reads it on first use): the busy page must neither read it again nor go on in the
        # transaction that failed (on PostgreSQL every later statement of it fails too).
        db.session.rollback()
        if "_login_user" not in g:
            g._login_user = login_manager.anonymous_user()
        return _service_error(Busy(_("The service is busy; try again in a moment.")))

    @app.errorhandler(Exception)
    def _unexpected(exc: Exception):
        app.logger.exception("unhandled error on %s %s", request.method, request.path)
        return error_response(500, {"code": "server_error", "message": _("Something went wrong on our side.")})

    @login_manager.unauthorized_handler
    def _unauthorized():
        if wants_json():
            return error_response(401, {"code": "unauthorized", "message": _("Sign in first.")})
        from flask import redirect, url_for

        return redirect(url_for("auth.login_page", next=request.full_path.rstrip("?")))

"""Small helpers shared by the views: JSON bodies, query and form numbers."""
from __future__ import annotations

from flask import request
from flask_babel import gettext as _

from collab.services.errors import BadRequest, Invalid


def json_body() -> dict:
    """The request's JSON object, or a clear 400."""
    if not request.is_json:
        raise BadRequest(_("Send a JSON body with Content-Type: application/json."))
    try:
        data = request.get_json(silent=True)
    except RecursionError:  # nested deeper than the JSON decoder goes
        raise BadRequest(_("The JSON body is nested too deeply.")) from None
    if not isinstance(data, dict):
        raise BadRequest(_("The body must be a JSON object."))
    return data


def form_int(value: str | None) -> int | None:
    """A whole number typed into a form field, or None.

    `str.isdigit()` is no guard: it accepts "²", which `int()` refuses; values beyond any id
    would overflow the database. Both count as not a number.
    """
    if value is None or not value.isascii() or not value.isdigit() or len(value) > 16:
        return None
    return int(value)


def int_arg(name: str, default: int | None = None, *, minimum: int = 1, maximum: int = 2**31) -> int | None:
    raw = request.args.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise Invalid(_("Some query parameters are not valid."), fields={name: _("Must be a whole number.")}) from None
    if not minimum <= value <= maximum:
        raise Invalid(_("Some query parameters are not valid."), fields={name: _("Out of range.")})
    return value


def page_limit() -> int:
    return int_arg("limit", 50, minimum=1, maximum=500)

"""Jinja filters and globals: dates and translated labels for stored codes (Markdown is
rendered when it is written; pages show the stored HTML)."""
from __future__ import annotations

from datetime import datetime

from flask import Flask
from flask_babel import format_datetime, get_locale
from flask_babel import lazy_gettext as _l

STATUS_LABELS = {
    "scheduled": _l("scheduled"), "live": _l("live"), "ended": _l("ended"),
    "pending": _l("pending"), "open": _l("open"), "closing": _l("closing"), "closed": _l("closed"),
}
STATE_LABELS = {"same": _l("unchanged"), "changed": _l("changed"), "added": _l("added"), "removed": _l("removed")}
LANGUAGES = [("en", "English"), ("lt", "Lietuvių"), ("pl", "Polski"), ("es", "Español"), ("hu", "Magyar"), ("it", "Italiano")]


def register(app: Flask) -> None:
    @app.template_filter("datetime")
    def _datetime(value: datetime | None) -> str:
        return format_datetime(value, "medium") + " UTC" if value else ""

    @app.template_filter("status_label")
    def _status(value: str) -> str:
        return str(STATUS_LABELS.get(value, value))

    @app.template_filter("state_label")
    def _state(value: str) -> str:
        return str(STATE_LABELS.get(value, value))

    @app.context_processor
    def _globals() -> dict:
        return {"current_locale": str(get_locale() or "en"), "languages": LANGUAGES}

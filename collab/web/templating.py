"""Jinja filters and globals: dates and translated labels for stored codes (Markdown is
rendered when it is written; pages show the stored HTML)."""
from __future__ import annotations

from datetime import date, datetime

from flask import Flask
from flask_babel import format_date, format_datetime, get_locale
from flask_babel import lazy_gettext as _l

# Labels are in sentence case (badges, legends, choices); a sentence that uses one lowers it.
STATUS_LABELS = {
    "scheduled": _l("Scheduled"), "live": _l("Live"), "ended": _l("Ended"),
    "pending": _l("Pending"), "open": _l("Open"), "closing": _l("Closing"), "closed": _l("Closed"),
}
STATE_LABELS = {"same": _l("Unchanged"), "changed": _l("Changed"), "added": _l("Added"), "removed": _l("Removed")}
FEEDBACK_STATUS_LABELS = {
    "open": _l("Open"), "accepted": _l("Accepted"), "declined": _l("Declined"),
    "addressed": _l("Addressed"), "deferred": _l("Deferred"), "withdrawn": _l("Withdrawn"),
}
KIND_LABELS = {"strength": _l("Strength"), "question": _l("Question"), "suggestion": _l("Suggestion"), "concern": _l("Concern")}
LANGUAGES = [("en", "English"), ("lt", "Lietuvių"), ("pl", "Polski"), ("es", "Español"), ("hu", "Magyar"), ("it", "Italiano")]


def register(app: Flask) -> None:
    @app.template_filter("datetime")
    def _datetime(value: datetime | None) -> str:
        return format_datetime(value, "medium") + " UTC" if value else ""

    @app.template_filter("day")
    def _day(value: date | None) -> str:
        return format_date(value, "medium") if value else ""

    @app.template_filter("status_label")
    def _status(value: str) -> str:
        return str(STATUS_LABELS.get(value, value))

    @app.template_filter("state_label")
    def _state(value: str) -> str:
        return str(STATE_LABELS.get(value, value))

    @app.context_processor
    def _globals() -> dict:
        return {
            "current_locale": str(get_locale() or "en"), "languages": LANGUAGES,
            "kind_labels": KIND_LABELS, "feedback_status_labels": FEEDBACK_STATUS_LABELS,
        }

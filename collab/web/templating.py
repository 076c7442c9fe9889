"""Jinja filters and globals: dates and translated labels for stored codes (Markdown is
rendered when it is written; pages show the stored HTML)."""
from __future__ import annotations

import time
from collections.abc import Callable
from datetime import datetime

from flask import Flask
from babel.dates import get_datetime_format
from flask_babel import format_date, format_time, get_locale, get_timezone, gettext
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
RESOURCE_KIND_LABELS = {"recording": _l("Recording"), "document": _l("Document"), "video": _l("Video")}
LANGUAGES = [("en", "English"), ("lt", "Lietuvių"), ("pl", "Polski"), ("es", "Español"), ("hu", "Magyar"), ("it", "Italiano")]


def as_datetime(value: datetime | str | None) -> datetime | None:
    """Stored times come as datetimes (UTC) or, from the API shapes, as ISO strings ending in Z."""
    if isinstance(value, str):
        return datetime.fromisoformat(value.replace("Z", "+00:00")) if value else None
    return value


def _in_reader_zone(moment: datetime, show: Callable[[datetime], str], in_utc: Callable[[datetime], str]) -> str:
    """`show(moment)`, which moves it to the reader's zone; a moment at the calendar's edge
    (year 1 or 9999, stored before such years were refused) cannot be moved and is shown as
    stored, in UTC, instead of failing the whole page."""
    try:
        return show(moment)
    except (OverflowError, ValueError):
        return in_utc(moment)


def local_date(value: datetime | str | None) -> str:
    """The day (ISO) a moment falls on in the reader's time zone: what a timeline groups by."""
    moment = as_datetime(value)
    if not moment:
        return ""
    return _in_reader_zone(moment, lambda m: m.astimezone(get_timezone()).date().isoformat(), lambda m: m.date().isoformat())


def server_now_ms() -> int:
    """The server's clock (ms since the epoch) as a page is rendered: live pages count down
    on it, not on the viewer's computer clock, which may be off (static/js/live.js)."""
    return int(time.time() * 1000)


def register(app: Flask) -> None:
    # Every time a page shows is in the reader's language and time zone (Flask-Babel's
    # selectors in collab/__init__.py); `time_zone_name` says which zone that is.
    @app.template_filter("datetime")
    def _datetime(value: datetime | str | None, format: str = "medium") -> str:
        moment = as_datetime(value)
        if not moment:
            return ""
        # The locale's own way of joining a date and a time, with hours and minutes only.
        joined = get_datetime_format(format, locale=get_locale())
        return _in_reader_zone(moment, lambda m: joined.replace("{1}", format_date(m, format)).replace("{0}", format_time(m, "short")),
                               lambda m: m.isoformat(timespec="minutes"))

    @app.template_filter("date")
    def _date(value: datetime | str | None, format: str = "medium") -> str:
        moment = as_datetime(value)
        return _in_reader_zone(moment, lambda m: format_date(m, format), lambda m: m.date().isoformat()) if moment else ""

    @app.template_filter("time")
    def _time(value: datetime | str | None, format: str = "short") -> str:
        moment = as_datetime(value)
        return _in_reader_zone(moment, lambda m: format_time(m, format), lambda m: m.strftime("%H:%M UTC")) if moment else ""

    app.add_template_filter(local_date, "local_date")
    app.add_template_global(server_now_ms, "server_now_ms")

    @app.template_filter("rubric_for_reader")
    def _rubric_for_reader(rubric: list[dict]) -> list[dict]:
        """The default criteria are stored in English (services/workshops.py); each reader gets
        them in their own language. Criteria a facilitator typed are shown as typed."""
        return [{**item, "label": gettext(item["label"])} for item in rubric]

    @app.template_filter("status_label")
    def _status(value: str) -> str:
        return str(STATUS_LABELS.get(value, value))

    @app.template_filter("state_label")
    def _state(value: str) -> str:
        return str(STATE_LABELS.get(value, value))

    @app.context_processor
    def _globals() -> dict:
        return {
            "current_locale": str(get_locale() or "en"), "languages": LANGUAGES, "time_zone_name": str(get_timezone()),
            "kind_labels": KIND_LABELS, "feedback_status_labels": FEEDBACK_STATUS_LABELS,
            "resource_kind_labels": RESOURCE_KIND_LABELS,
        }

"""Fair shares of the event loop over HTTP: rate limits per user and per address on the
expensive routes, and a bounded number of heavy pages or downloads at once.

Flask-Limiter keeps its counters in memory, or in Redis when `RATELIMIT_STORAGE_URI` (or
the Socket.IO message queue) names one, so that several workers share them. A refusal is
`429 rate_limited` with `Retry-After`.
"""
from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import wraps

from flask import Flask, current_app, request
from flask_babel import gettext as _
from flask_limiter import Limiter
from flask_login import current_user

from collab.services.errors import Busy


def client_address() -> str:
    return request.remote_addr or "unknown"


def signed_in_user() -> str:
    """The user's id when signed in, else the address: one budget per person."""
    if current_user.is_authenticated:
        return f"user:{current_user.id}"
    return f"address:{client_address()}"


limiter = Limiter(key_func=client_address)


def _limit(setting: str) -> Callable[[], str]:
    return lambda: current_app.config[setting]


# One shared budget across every expensive route (exports, dossier, history lists and pages),
# per user and, more loosely, per address (several people may share one).
expensive = [
    limiter.shared_limit(_limit("EXPENSIVE_LIMIT_PER_USER"), scope="expensive-user", key_func=signed_in_user),
    limiter.shared_limit(_limit("EXPENSIVE_LIMIT_PER_ADDRESS"), scope="expensive-address", key_func=client_address),
]
sign_in = limiter.shared_limit(_limit("SIGN_IN_LIMIT_PER_ADDRESS"), scope="sign-in", key_func=client_address)


def rate_limited_as_expensive(view: Callable) -> Callable:
    for limit in reversed(expensive):
        view = limit(view)
    return view


def init_app(app: Flask) -> None:
    app.config.setdefault("RATELIMIT_STORAGE_URI", app.config.get("SOCKETIO_MESSAGE_QUEUE") or "memory://")
    app.config.setdefault("RATELIMIT_HEADERS_ENABLED", True)
    app.after_request(_retry_after_at_least_a_second)  # before the limiter's: runs after it
    limiter.init_app(app)
    app.extensions["collab.heavy_slots"] = threading.BoundedSemaphore(app.config["HEAVY_CONCURRENCY"])


def _retry_after_at_least_a_second(response):
    """A window about to reset says `Retry-After: 0`, which invites the very next request."""
    if response.headers.get("Retry-After") == "0":
        response.headers["Retry-After"] = "1"
    return response


@contextmanager
def heavy_slot() -> Iterator[None]:
    """One of a few slots for heavy work (a dossier, an export stream). The semaphore is green
    under eventlet: a request waiting for a slot lets the others run; after
    HEAVY_WAIT_SECONDS it gives up with 503 busy rather than queue for ever."""
    slots = current_app.extensions["collab.heavy_slots"]
    if not slots.acquire(timeout=current_app.config["HEAVY_WAIT_SECONDS"]):
        raise Busy(_("Many pages are being prepared; try again in a moment."), retry_after=5)
    try:
        yield
    finally:
        slots.release()


def heavy(view: Callable) -> Callable:
    @wraps(view)
    def wrapped(*args, **kwargs):
        with heavy_slot():
            return view(*args, **kwargs)

    return wrapped


def stream_in_slot(chunks: Iterator[str]) -> Iterator[str]:
    """Take a heavy slot now (or answer 503 busy now, while a status can still be sent) and
    hold it until the download's last chunk is out or the client goes away."""
    slots = current_app.extensions["collab.heavy_slots"]
    if not slots.acquire(timeout=current_app.config["HEAVY_WAIT_SECONDS"]):
        raise Busy(_("Many downloads are being prepared; try again in a moment."), retry_after=5)

    def stream() -> Iterator[str]:
        try:
            yield ""  # consumed below: from here on, closing the stream frees the slot
            yield from chunks
        finally:
            slots.release()

    started = stream()
    next(started)
    return started

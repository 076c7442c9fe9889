"""The one wrapper every socket command goes through: auth, payload shape, rate limit, error acks."""
from __future__ import annotations

import threading
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from functools import wraps
from typing import Callable

from flask import current_app, g, request
from flask_babel import gettext as _
from flask_login import current_user
from flask_socketio import disconnect

from collab.extensions import db
from collab.models import User
from collab.services import auth
from collab.services.errors import BadRequest, RateLimited, ServiceError, Unauthorized
from collab.services.inputs import M, parse
from collab.services.unit_of_work import end_read, pause


class TokenBucket:
    """Flood guard: a sustained rate and a burst of events per key (a user, across all of
    that user's sockets in this process). Keys are never forgotten, so nothing a client
    does (reconnecting, say) refills its budget faster than the rate."""

    def __init__(self, rate: float, burst: float) -> None:
        self.rate, self.burst = rate, burst
        self.tokens: dict[object, tuple[float, float]] = {}

    def allow(self, key: object) -> bool:
        now = time.monotonic()
        tokens, last = self.tokens.get(key, (self.burst, now))
        tokens = min(self.burst, tokens + (now - last) * self.rate)
        if tokens < 1:
            self.tokens[key] = (tokens, now)
            return False
        self.tokens[key] = (tokens - 1, now)
        return True


class FairTurns:
    """Round-robin between users on the one event loop that all of a worker's rooms share.

    Each socket's events already run one after another in the greenlet that reads it. A
    user's sockets also take turns with each other: one event of theirs runs, then the turn
    passes round everyone else before their next one (see `command`). A user firing
    hundreds of events from many sockets so delays mostly themself. Beyond `max_waiting`
    queued events a user's further events are refused at once."""

    def __init__(self, max_waiting: int) -> None:
        self.max_waiting = max_waiting
        self.locks: dict[object, threading.Lock] = {}
        self.waiting: Counter = Counter()

    @contextmanager
    def turn(self, key: object) -> Iterator[bool]:
        """Yields True holding the user's turn, or False (without waiting) when too many queue."""
        if self.waiting[key] >= self.max_waiting:
            yield False
            return
        self.waiting[key] += 1
        try:
            with self.locks.setdefault(key, threading.Lock()):
                yield True
        finally:
            self.waiting[key] -= 1


def socket_user(sid: str) -> object:
    """Whose budget an event spends: the user the socket connected as (known without a query)."""
    known = current_app.extensions["collab.socket_users"].get(sid)
    return known.id if known is not None else sid


def authenticate_event() -> bool:
    """Is this socket signed in? Makes `current_user` the socket's user for the event.

    At connect, Flask-Login loads the user from the socket's own session (a live sign-in
    session, checked in the database). Later events reuse the user the socket connected as
    (see `user_for_token`): sign-out and revocation disconnect the session's sockets at once,
    on every worker, and the expiry (hours of idleness or age) is caught by the worker's
    sweep (`sessions.end_expired`, every SESSION_RECHECK_SECONDS), which also records that
    the session is in use. Nothing is taken from `g`: an app context can outlive one event.
    """
    g.pop("_login_user", None)
    g.pop("_flask_babel", None)  # Flask-Babel's locale and time zone: this event's user's
    known = current_app.extensions["collab.socket_users"].get(request.sid)
    if known is None:  # the connect event itself
        return current_user.is_authenticated
    current_app.extensions["collab.sessions_used"].add(known.auth_token)
    return True


def user_for_token(token: str) -> User | None:
    """Flask-Login's user loader. In a socket's event, the user the socket connected as,
    attached to the event's database session without a query, and only once something asks
    for `current_user` (the hot paths never do; attaching cost a tenth of a millisecond per
    event). Everywhere else (pages, the API, a socket's connect), the live sign-in session of
    the token, from the database."""
    known = current_app.extensions["collab.socket_users"].get(getattr(request, "sid", None))
    if known is None or known.auth_token != token:
        return auth.user_for_token(token)
    user = db.session.merge(known, load=False)
    user.auth_token = known.auth_token
    return user


def error_ack(exc: ServiceError) -> dict:
    return {"ok": False, "error": exc.to_dict()}


def in_turn(answer: Callable[[], dict]) -> dict:
    """Answer a client event in its user's turn and within its user's budget (checked before
    anything else: a flood costs a dictionary lookup, not a database query)."""
    user = socket_user(request.sid)
    with current_app.extensions["collab.socket_turns"].turn(user) as granted:
        if granted and current_app.extensions["collab.socket_limiter"].allow(user):
            ack = answer()
        else:
            ack = error_ack(RateLimited(_("Too many messages; slow down.")))
        end_read()
        # The greenlet reading this socket would go straight on to its next message (already
        # buffered, so nothing blocks): it lets everyone else have a turn first, still
        # holding its user's turn so that the user's other sockets wait too.
        pause()
    return ack


def _answer(fn: Callable, schema: type[M], args: tuple) -> dict:
    try:
        if not authenticate_event():
            disconnect()
            raise Unauthorized(_("Your session has ended; sign in again."))
        if len(args) != 1 or not isinstance(args[0], dict):
            raise BadRequest(_("Send one JSON object with this event."))
        return {"ok": True, **fn(parse(schema, args[0]))}
    except ServiceError as exc:
        return error_ack(exc)
    except Exception:
        current_app.logger.exception("socket event %s failed", fn.__name__)
        return {"ok": False, "error": {"code": "server_error", "message": _("Something went wrong on our side.")}}


def command(schema: type[M]) -> Callable:
    """Wrap `fn(form) -> dict` into a Socket.IO handler that always acknowledges.

    The one payload is checked into `schema` here, so services receive typed input.
    """

    def wrap(fn: Callable[[M], dict]) -> Callable:
        @wraps(fn)
        def handler(*args):
            return in_turn(lambda: _answer(fn, schema, args))

        return handler

    return wrap

"""The one wrapper every socket command goes through: auth, payload shape, rate limit, error acks."""
from __future__ import annotations

import time
from functools import wraps
from typing import Callable

from flask import current_app, g, request
from flask_babel import gettext as _
from flask_login import current_user
from flask_socketio import disconnect

from collab.services.errors import BadRequest, RateLimited, ServiceError, Unauthorized
from collab.services.inputs import M, parse


class TokenBucket:
    """Per-socket flood guard. A socket lives in one process, so per-process state is right here."""

    def __init__(self, rate: float, burst: float) -> None:
        self.rate, self.burst = rate, burst
        self.tokens: dict[str, tuple[float, float]] = {}

    def allow(self, sid: str) -> bool:
        now = time.monotonic()
        tokens, last = self.tokens.get(sid, (self.burst, now))
        tokens = min(self.burst, tokens + (now - last) * self.rate)
        if tokens < 1:
            self.tokens[sid] = (tokens, now)
            return False
        self.tokens[sid] = (tokens - 1, now)
        return True

    def forget(self, sid: str) -> None:
        self.tokens.pop(sid, None)


def authenticate_event() -> bool:
    """Load the user from this socket's own session, never from a user cached in `g`.

    An app context can outlive one event (an outer context in tests, for one), and the
    session may have been revoked since the last event: both need a fresh look.
    """
    g.pop("_login_user", None)
    return current_user.is_authenticated


def error_ack(exc: ServiceError) -> dict:
    return {"ok": False, "error": exc.to_dict()}


def command(schema: type[M]) -> Callable:
    """Wrap `fn(form) -> dict` into a Socket.IO handler that always acknowledges.

    The one payload is checked into `schema` here, so services receive typed input.
    """

    def wrap(fn: Callable[[M], dict]) -> Callable:
        @wraps(fn)
        def handler(*args):
            try:
                if not authenticate_event():
                    disconnect()
                    raise Unauthorized(_("Your session has ended; sign in again."))
                if not current_app.extensions["collab.socket_limiter"].allow(request.sid):
                    raise RateLimited(_("Too many messages; slow down."))
                if len(args) != 1 or not isinstance(args[0], dict):
                    raise BadRequest(_("Send one JSON object with this event."))
                return {"ok": True, **fn(parse(schema, args[0]))}
            except ServiceError as exc:
                return error_ack(exc)
            except Exception:
                current_app.logger.exception("socket event %s failed", fn.__name__)
                return {"ok": False, "error": {"code": "server_error", "message": _("Something went wrong on our side.")}}

        return handler

    return wrap

"""Sign-in sessions behind sockets: the Flask session of an event without decoding the cookie
again, and the sweep that ends sockets whose sign-in session expired."""
from __future__ import annotations

from flask import Flask, Request
from flask.sessions import SecureCookieSessionInterface, SessionMixin

from collab.services import auth
from collab.services.publish import publisher


class SocketSessionInterface(SecureCookieSessionInterface):
    """Flask-SocketIO keeps a copy of the signed-in session per socket (`saved_session` in
    the socket's environ) and swaps it in for every event, after Flask has opened the
    session from the cookie again. Returning the copy directly skips that wasted
    signature check on the hot path; plain HTTP requests are unchanged."""

    def open_session(self, app: Flask, request: Request) -> SessionMixin | None:
        saved = request.environ.get("saved_session")
        if saved is not None:
            return saved
        return super().open_session(app, request)


def end_expired(app: Flask) -> list[str]:
    """Disconnect this worker's sockets whose sign-in session expired (idle or too old), and
    record the use of those that sent events since the last sweep; returns the sids ended.

    One query per few hundred sockets every SESSION_RECHECK_SECONDS (timers.py), instead of
    one per socket on the event path, where it cost a burst of items a millisecond each."""
    used, app.extensions["collab.sessions_used"] = app.extensions["collab.sessions_used"], set()
    tokens = {sid: user.auth_token for sid, user in list(app.extensions["collab.socket_users"].items())}
    if not tokens:
        return []
    live = auth.live_sessions(set(tokens.values()), used)
    ended = [sid for sid, token in tokens.items() if token not in live]
    if ended:
        publisher().disconnect(ended)
    return ended

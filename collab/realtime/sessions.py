"""The Flask session of a Socket.IO event, without decoding the cookie again each time."""
from __future__ import annotations

from flask import Flask, Request
from flask.sessions import SecureCookieSessionInterface, SessionMixin


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

"""Connecting and disconnecting: only signed-in users; the Origin allow-list is engine.io's."""
from __future__ import annotations

from flask import current_app, request
from flask_babel import gettext as _
from flask_login import current_user
from flask_socketio import ConnectionRefusedError, SocketIO, join_room

from collab.extensions import db
from collab.realtime.channels import partner_channel
from collab.services import presence
from collab.services.errors import BadRequest, RateLimited, Unauthorized
from collab.realtime.handler import authenticate_event, error_ack, in_turn


def _sent_as_event(socketio: SocketIO) -> bool:
    """True when a client sent an event named `connect` or `disconnect` (`42["disconnect"]`).

    python-socketio dispatches such an event to the same handler as the real connect or
    disconnect. During a real one the socket is pending (not yet, or no longer, connected);
    only an event from a fully connected socket can reach the handler otherwise.
    """
    return socketio.server.manager.is_connected(request.sid, request.namespace)


def _reserved_name() -> dict:
    return error_ack(BadRequest(_("Unknown event %(name)s.", name=request.event["message"])))


def register(socketio: SocketIO) -> None:
    @socketio.on("connect")
    def on_connect(auth=None):
        if _sent_as_event(socketio):
            return _reserved_name()
        if not authenticate_event():
            raise ConnectionRefusedError("unauthorized")
        try:
            presence.open_connection(current_user, request.sid, current_app.extensions["collab.worker_id"],
                                     limit=current_app.config["SOCKETS_PER_USER"])
        except RateLimited:
            raise ConnectionRefusedError("too_many_connections") from None
        except Unauthorized:  # signed out while connecting
            raise ConnectionRefusedError("unauthorized") from None
        user = current_user._get_current_object()
        db.session.refresh(user)  # fully loaded: later events reuse it without a query
        current_app.extensions["collab.socket_users"][request.sid] = user
        for partner in current_user.partners:
            join_room(partner_channel(partner.id))

    @socketio.on("disconnect")
    def on_disconnect(*_args):
        if _sent_as_event(socketio):
            return _reserved_name()
        current_app.extensions["collab.socket_users"].pop(request.sid, None)
        current_app.extensions["collab.seats"].pop(request.sid, None)
        presence.disconnect(request.sid)

    @socketio.on("*")
    def on_unknown(event, *_args):
        return in_turn(lambda: error_ack(BadRequest(_("Unknown event %(name)s.", name=str(event)[:64]))))

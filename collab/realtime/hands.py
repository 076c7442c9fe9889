"""Socket handlers for asking for help in a room."""
from __future__ import annotations

from flask_login import current_user
from flask_socketio import SocketIO

from collab.realtime.handler import command
from collab.services import hands
from collab.services.inputs import RoomRef


def register(socketio: SocketIO) -> None:
    @socketio.on("raise_hand")
    @command(RoomRef)
    def raise_hand(form: RoomRef) -> dict:
        return hands.raise_hand(current_user, form)

    @socketio.on("lower_hand")
    @command(RoomRef)
    def lower_hand(form: RoomRef) -> dict:
        return hands.lower_hand(current_user, form)

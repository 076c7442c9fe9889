"""Socket handlers for running a round: open, extend, move a partner, close."""
from __future__ import annotations

from flask_login import current_user
from flask_socketio import SocketIO

from collab.realtime.handler import command
from collab.services import rounds


def register(socketio: SocketIO) -> None:
    @socketio.on("open_round")
    @command
    def open_round(data: dict) -> dict:
        return {"round": rounds.open_round_command(current_user, data)}

    @socketio.on("extend_round")
    @command
    def extend_round(data: dict) -> dict:
        return rounds.extend_round(current_user, data)

    @socketio.on("move_partner")
    @command
    def move_partner(data: dict) -> dict:
        return rounds.move_partner(current_user, data)

    @socketio.on("close_round")
    @command
    def close_round(data: dict) -> dict:
        return rounds.close_round(current_user, data)

"""Socket handlers for presenting a plan in a room."""
from __future__ import annotations

from flask_login import current_user
from flask_socketio import SocketIO

from collab.realtime.handler import command
from collab.services import presentations


def register(socketio: SocketIO) -> None:
    @socketio.on("start_presentation")
    @command
    def start_presentation(data: dict) -> dict:
        return {"presentation": presentations.start_presentation(current_user, data)}

    @socketio.on("show_section")
    @command
    def show_section(data: dict) -> dict:
        return presentations.show_section(current_user, data)

    @socketio.on("end_presentation")
    @command
    def end_presentation(data: dict) -> dict:
        return presentations.end_presentation(current_user, data)

"""Socket handlers for being in a workshop: plenary, rooms, resume, announcements."""
from __future__ import annotations

from flask import request
from flask_login import current_user
from flask_socketio import SocketIO, emit

from collab.realtime.handler import command
from collab.realtime.publisher import wire_payload
from collab.services import live


def register(socketio: SocketIO) -> None:
    @socketio.on("join_workshop")
    @command
    def join_workshop(data: dict) -> dict:
        return live.join_workshop(current_user, data, request.sid)

    @socketio.on("join_room")
    @command
    def join_room(data: dict) -> dict:
        return live.join_room(current_user, data, request.sid)

    @socketio.on("leave_room")
    @command
    def leave_room(data: dict) -> dict:
        return live.leave_room(current_user, data, request.sid)

    @socketio.on("resume")
    @command
    def resume(data: dict) -> dict:
        events = live.resume(current_user, data)
        for event in events:
            emit(event["type"], wire_payload(event), to=request.sid)
        return {"replayed": len(events), "last_seq": events[-1]["seq"] if events else data["after_seq"]}

    @socketio.on("broadcast")
    @command
    def broadcast(data: dict) -> dict:
        return live.broadcast(current_user, data)

"""Socket handlers for being in a workshop: plenary, rooms, resume, announcements."""
from __future__ import annotations

from flask import request
from flask_login import current_user
from flask_socketio import SocketIO, emit, join_room, leave_room

from collab.realtime.channels import facilitators_channel, room_channel, workshop_channel
from collab.realtime.handler import command
from collab.realtime.publisher import wire_payload
from collab.services import live


def register(socketio: SocketIO) -> None:
    @socketio.on("join_workshop")
    @command
    def join_workshop(data: dict) -> dict:
        ack, left_room = live.join_workshop(current_user, data, request.sid)
        workshop_id = ack["workshop"]["id"]
        join_room(workshop_channel(workshop_id))
        if ack["is_facilitator"]:
            join_room(facilitators_channel(workshop_id))
        if left_room is not None:
            leave_room(room_channel(left_room))
        return ack

    @socketio.on("join_room")
    @command
    def join_room_(data: dict) -> dict:
        ack, left_room = live.join_room(current_user, data, request.sid)
        room_id = ack["room"]["id"]
        if left_room is not None:
            leave_room(room_channel(left_room))
        join_room(room_channel(room_id))
        return ack

    @socketio.on("leave_room")
    @command
    def leave_room_(data: dict) -> dict:
        room_id = live.leave_room(current_user, data, request.sid)
        leave_room(room_channel(room_id))
        return {"room_id": room_id}

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

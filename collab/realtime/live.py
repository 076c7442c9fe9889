"""Socket handlers for being in a workshop: plenary, rooms, resume, announcements."""
from __future__ import annotations

from flask import current_app, request
from flask_login import current_user
from flask_socketio import SocketIO, emit

from collab.realtime.handler import command
from collab.realtime.publisher import wire_payload
from collab.services import live, workshops
from collab.services.inputs import BroadcastInput, ResumeInput, RoomMessageInput, RoomRef, WorkshopRef


def seats() -> dict:
    """sid -> room_access.Seat of the sockets of this process that sit in a room or a plenary."""
    return current_app.extensions["collab.seats"]


def _take_seat(join, form) -> dict:
    """Join the plenary or a room: the socket leaves the seat it had and keeps the new one, if any."""
    seats().pop(request.sid, None)
    ack, seat = join(current_user, form, request.sid)
    if seat is not None:
        seats()[request.sid] = seat
    return ack


def register(socketio: SocketIO) -> None:
    @socketio.on("join_workshop")
    @command(WorkshopRef)
    def join_workshop(form: WorkshopRef) -> dict:
        return _take_seat(live.join_workshop, form)

    @socketio.on("join_room")
    @command(RoomRef)
    def join_room(form: RoomRef) -> dict:
        return _take_seat(live.join_room, form)

    @socketio.on("leave_room")
    @command(RoomRef)
    def leave_room(form: RoomRef) -> dict:
        seats().pop(request.sid, None)
        return live.leave_room(current_user, form, request.sid)

    @socketio.on("resume")
    @command(ResumeInput)
    def resume(form: ResumeInput) -> dict:
        events = live.resume(current_user, form)
        for event in events:
            emit(event["type"], wire_payload(event), to=request.sid)
        return {"replayed": len(events), "last_seq": events[-1]["seq"] if events else form.after_seq}

    @socketio.on("end_workshop")
    @command(WorkshopRef)
    def end_workshop(form: WorkshopRef) -> dict:
        return workshops.end_workshop(current_user, form)

    @socketio.on("broadcast")
    @command(BroadcastInput)
    def broadcast(form: BroadcastInput) -> dict:
        return live.broadcast(current_user, form)

    @socketio.on("message_room")
    @command(RoomMessageInput)
    def message_room(form: RoomMessageInput) -> dict:
        return live.message_room(current_user, form)

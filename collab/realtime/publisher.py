"""Delivers committed events over Socket.IO to the channels their scope names."""
from __future__ import annotations

from flask_socketio import SocketIO

from collab.realtime.channels import facilitators_channel, partner_channel, room_channel, workshop_channel
from collab.services.publish import Published


def channels_for(item: Published) -> list[str]:
    workshop_id = item.event["workshop_id"]
    if item.scope == "workshop":
        return [workshop_channel(workshop_id)]
    channels = [facilitators_channel(workshop_id)]
    if item.scope == "room" and item.room_id is not None:
        channels.append(room_channel(item.room_id))
    if item.partner_id is not None:
        channels.append(partner_channel(item.partner_id))
    return channels


def wire_payload(event: dict) -> dict:
    """What a client receives: the event's data plus its seq and workshop_id."""
    return {**event["data"], "seq": event["seq"], "workshop_id": event["workshop_id"]}


class SocketIOPublisher:
    def __init__(self, socketio: SocketIO) -> None:
        self.socketio = socketio

    def publish(self, items: list[Published]) -> None:
        for item in items:
            # A list of channels reaches each socket once, however many of them it is in.
            self.socketio.emit(item.event["type"], wire_payload(item.event), to=channels_for(item))

    def disconnect(self, sids: list[str]) -> None:
        for sid in sids:
            self.socketio.server.disconnect(sid)

    def evict(self, moves: list[tuple[str, int]]) -> None:
        for sid, room_id in moves:
            self.socketio.server.leave_room(sid, room_channel(room_id))

    def subscribe(self, sid: str, workshop_id: int, *, room_id: int | None = None, facilitator: bool = False) -> None:
        channels = [workshop_channel(workshop_id)]
        if facilitator:
            channels.append(facilitators_channel(workshop_id))
        if room_id is not None:
            channels.append(room_channel(room_id))
        for channel in channels:
            self.socketio.server.enter_room(sid, channel)

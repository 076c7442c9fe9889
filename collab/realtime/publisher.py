"""Delivers committed events over Socket.IO to the channels that stand for their audience."""
from __future__ import annotations

from flask import Flask
from flask_socketio import SocketIO

from collab.realtime.channels import facilitators_channel, partner_channel, workshop_channel
from collab.realtime.message_queue import EmitsTogether
from collab.services import log
from collab.services.publish import Audience, Published


def channels_for(audience: Audience) -> list[str]:
    """Sockets sit in the channels of their user's roles (connection.py, `subscribe`), so a
    socket is reached exactly when `audience.admits` its user, the rule replay follows too."""
    if audience.partner_ids is None:
        return [workshop_channel(audience.workshop_id)]
    return [facilitators_channel(audience.workshop_id), *(partner_channel(p) for p in audience.partner_ids)]


def wire_payload(event: dict) -> dict:
    """What a client receives: the event's data plus its seq and workshop_id."""
    return {**event["data"], "seq": event["seq"], "workshop_id": event["workshop_id"]}


def stored_deliveries(app: Flask, workshop_id: int, first_seq: int, last_seq: int) -> list[tuple[int, str, dict, list[str]]]:
    """(seq, event name, payload, channels) of the stored events first_seq..last_seq: what was
    emitted for them, for a worker whose copies never came through the message queue."""
    with app.app_context():
        return [(item.event["seq"], item.event["type"], wire_payload(item.event), channels_for(item.audience))
                for item in log.stored(workshop_id, first_seq, last_seq)]


class SocketIOPublisher:
    def __init__(self, socketio: SocketIO) -> None:
        self.socketio = socketio

    def publish(self, items: list[Published]) -> None:
        # A list of channels reaches each socket once, however many of them it is in.
        emits = [(item.event["type"], wire_payload(item.event), channels_for(item.audience)) for item in items]
        manager = self.socketio.server.manager
        if isinstance(manager, EmitsTogether):  # through a message queue: the other workers hear of them all at once
            manager.emit_all(emits)
            return
        for event, payload, channels in emits:
            self.socketio.emit(event, payload, to=channels)

    def disconnect(self, sids: list[str]) -> None:
        for sid in sids:
            self.socketio.server.disconnect(sid)

    def subscribe(self, sid: str, workshop_id: int, *, facilitator: bool) -> None:
        self.socketio.server.enter_room(sid, workshop_channel(workshop_id))
        if facilitator:
            self.socketio.server.enter_room(sid, facilitators_channel(workshop_id))

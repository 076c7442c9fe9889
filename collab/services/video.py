"""A room's video call: the link a facilitator entered, or one made from VIDEO_CALL_BASE_URL.

A made link ends with the room's id and a token derived from the server's secret: room ids
are small numbers, and on a public service such as meet.jit.si anyone who guesses a room's
name may join its call. The link is shown only to the room's members and the facilitators.
"""
from __future__ import annotations

import hashlib
import hmac

from flask import current_app

from collab.models import Room, User
from collab.services.inputs import VideoLinkInput
from collab.services.room_access import facilitated_room
from collab.services.unit_of_work import write

TOKEN_LENGTH = 12


def call_url(room: Room) -> str | None:
    """Where the room meets on video, or None when no link is entered or configured."""
    if room.video_url:
        return room.video_url
    base = current_app.config.get("VIDEO_CALL_BASE_URL")
    if not base:
        return None
    token = hmac.new(current_app.secret_key.encode(), f"video-call-room-{room.id}".encode(), hashlib.sha256).hexdigest()
    return f"{base}{room.id}-{token[:TOKEN_LENGTH]}"


def room_call(room: Room) -> dict:
    return {"room_id": room.id, "video_url": room.video_url, "call_url": call_url(room)}


def set_video_url(actor: User, room_id: int, form: VideoLinkInput) -> Room:
    """A facilitator enters the room's link; empty or null goes back to the configured one."""
    with write():
        room, _rnd = facilitated_room(actor, room_id)
        room.video_url = form.video_url or None
    return room

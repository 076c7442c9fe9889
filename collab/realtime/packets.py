"""Socket.IO packets as JSON text only.

python-socketio walks every packet's whole payload, value by value, to find out whether it
holds bytes to send as binary attachments: for a feedback item's event and its ack that walk
cost more than encoding them, on the one event loop every room shares. Collab never sends
bytes, and refuses binary packets from clients (guard.py), so the walk is skipped.
"""
from __future__ import annotations

from socketio.packet import Packet


class JsonPacket(Packet):
    """A Socket.IO packet whose payload is always plain JSON (the contract's, PROTOCOL.md)."""

    uses_binary_events = False

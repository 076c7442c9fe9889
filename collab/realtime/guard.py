"""What Socket.IO would accept but Collab never uses, refused before it costs memory."""
from __future__ import annotations

import socketio

# Socket.IO packet types 5 and 6 announce binary attachments; the server would buffer every
# attachment frame that follows until the count is met, for as long as the socket stays open.
_BINARY_PACKET_TYPES = ("5", "6")


def refuse_binary_packets(server: socketio.Server) -> None:
    """Close any connection that sends a binary packet or a stray binary frame."""
    handle = server._handle_eio_message

    def guarded(eio_sid, data):
        if isinstance(data, bytes) or data[:1] in _BINARY_PACKET_TYPES:
            server.eio.disconnect(eio_sid)
            return None
        return handle(eio_sid, data)

    server.eio.on("message", guarded)

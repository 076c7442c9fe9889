"""What Socket.IO would accept but Collab never uses, refused before it costs memory."""
from __future__ import annotations

import socket

import socketio

# Socket.IO packet types 5 and 6 announce binary attachments; the server would buffer every
# attachment frame that follows until the count is met, for as long as the socket stays open.
_BINARY_PACKET_TYPES = ("5", "6")


def refuse_binary_packets(server: socketio.Server) -> None:
    """Close any connection that sends a binary packet or a stray binary frame."""
    handle = server._handle_eio_message

    def guarded(eio_sid, data):
        if isinstance(data, bytes) or data[:1] in _BINARY_PACKET_TYPES:
            _cut(server, eio_sid)
            return None
        return handle(eio_sid, data)

    server.eio.on("message", guarded)


def _cut(server: socketio.Server, eio_sid: str) -> None:
    """Disconnect, and shut the TCP connection at once: engine.io would otherwise go on
    reading (and unmasking) every frame the client still streams after the close."""
    wsgi_input = server.environ.get(eio_sid, {}).get("eventlet.input")
    if wsgi_input is not None:
        try:
            wsgi_input.get_socket().shutdown(socket.SHUT_RDWR)
        except OSError:
            pass  # already gone
    server.eio.disconnect(eio_sid)

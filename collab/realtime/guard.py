"""What Socket.IO would accept but Collab never uses, refused before it costs memory."""
from __future__ import annotations

import logging
import socket
from collections.abc import Callable
from functools import partial

import engineio
import socketio

log = logging.getLogger(__name__)

# Socket.IO packet types 5 and 6 announce binary attachments; the server would buffer every
# attachment frame that follows until the count is met, for as long as the socket stays open.
_BINARY_PACKET_TYPES = ("5", "6")
# The packet types python-socketio takes from a client (CONNECT_ERROR, 4, it refuses itself).
_CLIENT_PACKET_TYPES = ("0", "1", "2", "3", "4")


def refuse_unwanted_packets(server: socketio.Server) -> None:
    """Close any connection that sends a binary packet, a stray binary frame, or a packet that
    Socket.IO cannot decode (engine.io would log a traceback for each and keep reading: a
    megabyte of log per thousand frames, from one socket)."""
    handle = server._handle_eio_message

    def guarded(eio_sid, data):
        if eio_sid not in server.eio.sockets:  # closed already: what it still sends is dropped
            return None
        if isinstance(data, bytes) or (isinstance(data, str) and data[:1] in _BINARY_PACKET_TYPES):
            _cut(server, eio_sid)
            return None
        if not isinstance(data, str) or data[:1] not in _CLIENT_PACKET_TYPES:
            # JSON engine.io decoded already ("4{}"), or a type python-socketio reads with int(),
            # which takes any Unicode digit: a full-width five would open a binary packet.
            log.warning("closed a socket that sent a malformed Socket.IO packet (type %r)", str(data)[:1])
            _cut(server, eio_sid)
            return None
        try:
            return handle(eio_sid, data)
        except (ValueError, RecursionError) as exc:
            if not _raised_by_socketio(exc):
                raise
            log.warning("closed a socket that sent a malformed Socket.IO packet (%s)", exc)
            _cut(server, eio_sid)
            return None

    server.eio.on("message", guarded)


def _raised_by_socketio(exc: BaseException) -> bool:
    """Did `exc` come from python-socketio refusing a packet (decoding it, its JSON, a packet
    type a client may not send), rather than from a handler (whose errors keep their
    traceback in the log)?"""
    return _raised_in(exc, ("socketio.", "json"))


def _raised_in(exc: BaseException, modules: tuple[str, ...]) -> bool:
    tb = exc.__traceback__
    while tb is not None and tb.tb_next is not None:
        tb = tb.tb_next
    return tb is not None and tb.tb_frame.f_globals.get("__name__", "").startswith(modules)


def refuse_undecodable_polling_posts(server: socketio.Server) -> None:
    """A long-polling POST whose engine.io payload cannot be decoded (not UTF-8, a packet that
    is not one, more packets than engine.io takes at once) was answered 200 and logged with a
    traceback, and its session read on: a kilobyte of log per request. Such a POST now closes
    its session, with one line, and is answered 400 (engine.io's answer to a packet it refuses)."""
    eio, connect = server.eio, server._handle_eio_connect

    def guarded_connect(eio_sid, environ):
        polling = eio.sockets.get(eio_sid)  # engine.io keeps the session before it announces it
        if polling is not None:
            polling.handle_post_request = partial(_decoded_or_refused, polling.handle_post_request)
        return connect(eio_sid, environ)

    eio.on("connect", guarded_connect)


def _decoded_or_refused(handle_post_request: Callable, environ: dict) -> None:
    try:
        return handle_post_request(environ)
    except ValueError as exc:  # UnicodeDecodeError too
        if not _raised_in(exc, ("engineio.",)):
            raise
        log.warning("closed a polling session that posted a payload engine.io cannot decode (%s)", exc)
        raise engineio.exceptions.EngineIOError(str(exc)) from exc


def _cut(server: socketio.Server, eio_sid: str) -> None:
    """Disconnect, and shut a websocket's TCP connection at once: engine.io would otherwise go
    on reading (and unmasking) every frame the client still streams after the close. Only
    when the session began as a websocket is its handshake's connection the websocket's own;
    a long-polling session's may carry other sessions' requests by now, and is left alone."""
    environ = server.environ.get(eio_sid, {})
    wsgi_input = environ.get("eventlet.input")
    if wsgi_input is not None and "transport=websocket" in environ.get("QUERY_STRING", ""):
        try:
            wsgi_input.get_socket().shutdown(socket.SHUT_RDWR)
        except OSError:
            pass  # already gone
    server.eio.disconnect(eio_sid)


def close_polling_sessions_without_waiting(server: socketio.Server) -> None:
    """When engine.io refuses a long-polling POST (over the message size, a packet type it does
    not know) it closes the session, and by default waits until a polling GET has collected
    the CLOSE packet. A client that never sends that GET kept the POST unanswered and its
    connection held for good: a few thousand such requests left the worker answering nobody.
    A polling session is closed without that wait; a GET still waiting gets the CLOSE."""
    eio = server.eio
    disconnect = eio.disconnect

    def disconnect_without_waiting(sid=None):
        polling = eio.sockets.get(sid) if sid is not None else None
        if polling is None or polling.upgraded:
            return disconnect(sid)
        polling.close(wait=False, reason=eio.reason.SERVER_DISCONNECT)
        eio.sockets.pop(sid, None)

    eio.disconnect = disconnect_without_waiting

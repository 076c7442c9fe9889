"""The message queue between workers: python-socketio's Redis (or Kombu) manager, delivering
log events in seq order (ordering.py), and publishing a commit's events together.

python-socketio publishes each emit with its own PUBLISH, a round trip to Redis that the
publishing green thread waits for while the rest of the event loop runs. A group-commit
batch of forty items published them one round trip after another: 15 ms after its commit on a
busy worker, during which the worker's next batch could not start. `emit_all` hands every
event of a commit to this worker's sockets, then publishes them to the other workers in one
round trip (a Redis pipeline).
"""
from __future__ import annotations

import socketio

from collab.realtime.ordering import ordered, stored_emit

# (event name, payload, channels) of one emit
Emit = tuple[str, dict, list[str]]


class EmitsTogether:
    """For a python-socketio pub/sub manager: `emit_all`, the emits of one commit handed to
    this worker's sockets and published to the others together."""

    def emit_all(self, emits: list[Emit]) -> None:
        messages = [{**stored_emit(event, payload, channels), "host_id": self.host_id} for event, payload, channels in emits]
        for message in messages:
            self._handle_emit(message)  # this worker's sockets, as python-socketio's emit does first
        self._publish_all(messages)

    def _publish_all(self, messages: list[dict]) -> None:
        for message in messages:
            self._publish(message)


class _RedisEmitsTogether(EmitsTogether, socketio.RedisManager):
    def _publish_all(self, messages: list[dict]) -> None:
        """One round trip for all: python-socketio's `_publish`, with a pipeline (and its one
        retry after a lost connection: a message published twice is dropped by its seq)."""
        for retries_left in (1, 0):
            try:
                if not self.connected:
                    self._redis_connect()
                pipeline = self.redis.pipeline(transaction=False)
                for message in messages:
                    pipeline.publish(self.channel, self.json.dumps(message))
                pipeline.execute()
                return
            except Exception as exc:  # the same errors python-socketio's `_publish` logs and retries
                if not retries_left:
                    self._get_logger().error("Cannot publish to redis... giving up", extra={"redis_exception": str(exc)})
                    return
                self._get_logger().error("Cannot publish to redis... retrying", extra={"redis_exception": str(exc)})
                self.connected = False


class _KombuEmitsTogether(EmitsTogether, socketio.KombuManager):
    pass


def message_queue_manager(url: str) -> object:
    """The manager Flask-SocketIO would choose for this message queue URL (Redis for redis://,
    Kombu otherwise), delivering in seq order, publishing a commit's events together."""
    manager_class = _RedisEmitsTogether if url.startswith(("redis://", "rediss://")) else _KombuEmitsTogether
    return ordered(manager_class)(url, channel="flask-socketio")

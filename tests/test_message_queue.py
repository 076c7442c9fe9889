"""The message queue between workers (realtime/message_queue.py): a commit's events reach this
worker's sockets, in order, and the other workers through one round trip to Redis. (The real
path, two workers on a real Redis, is tests/test_scaleout.py.)"""
from __future__ import annotations

import json

from collab.realtime.message_queue import message_queue_manager


class FakeRedis:
    """Records each round trip: a pipeline's publishes go together when it executes."""

    def __init__(self, fail_times: int = 0) -> None:
        self.round_trips: list[list[tuple[str, dict]]] = []
        self.fail_times = fail_times

    def pipeline(self, transaction: bool = True) -> "FakeRedis.Pipeline":
        assert transaction is False  # a MULTI/EXEC would only cost more
        return FakeRedis.Pipeline(self)

    class Pipeline:
        def __init__(self, redis: "FakeRedis") -> None:
            self.redis, self.queued = redis, []

        def publish(self, channel: str, message: str) -> None:
            self.queued.append((channel, json.loads(message)))

        def execute(self) -> None:
            if self.redis.fail_times:
                self.redis.fail_times -= 1
                raise ConnectionError("Redis went away")
            self.redis.round_trips.append(self.queued)


def manager(redis: FakeRedis):
    mq = message_queue_manager("redis://127.0.0.1:1/0")
    mq.redis, mq.connected = redis, True
    mq._redis_connect = lambda: setattr(mq, "connected", True)  # reconnecting finds the same fake
    handled: list[dict] = []
    mq.in_order.deliver = handled.append  # what this worker's sockets get
    return mq, handled


def emits(*seqs: int) -> list[tuple[str, dict, list[str]]]:
    return [("feedback_added", {"seq": seq, "workshop_id": 7, "feedback": {"body": f"item {seq}"}}, ["w7", "p3"]) for seq in seqs]


def test_a_commits_events_reach_this_workers_sockets_in_order_and_the_others_in_one_round_trip():
    redis = FakeRedis()
    mq, handled = manager(redis)
    mq.emit_all(emits(1, 2, 3))
    assert [message["data"][0]["seq"] for message in handled] == [1, 2, 3]
    [published] = redis.round_trips
    assert [channel for channel, _message in published] == ["flask-socketio"] * 3
    assert [message["data"][0]["seq"] for _channel, message in published] == [1, 2, 3]
    assert all(message["host_id"] == mq.host_id and message["method"] == "emit" and message["room"] == ["w7", "p3"]
               for _channel, message in published)  # what python-socketio's emit publishes, which the others' listeners handle


def test_a_lost_connection_to_redis_is_retried_once_then_given_up_without_losing_this_workers_sockets():
    redis = FakeRedis(fail_times=1)
    mq, handled = manager(redis)
    mq.emit_all(emits(1, 2))
    assert len(redis.round_trips) == 1 and len(handled) == 2
    redis.fail_times = 2
    mq.emit_all(emits(3))  # the other workers read it from the log (ordering.py); this one's sockets have it
    assert len(redis.round_trips) == 1 and [message["data"][0]["seq"] for message in handled] == [1, 2, 3]

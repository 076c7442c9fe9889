"""Group commit: hot-path writes that arrive together share one transaction.

When a round opens or a facilitator asks for comments, a dozen members post at the same
moment. Each item alone is a few statements, but BEGIN IMMEDIATE, COMMIT and the session's
bookkeeping around them cost a quarter of its CPU; on the one event loop that every room
shares, those costs queue up and the last item of a burst waits for all the others.

`together(request, check_all, write_all)` adds a caller's request to a batch with whatever
other sockets have ready at this moment. The first caller leads: it lets every other ready
socket add its request (a turn of the event loop), then runs the whole batch in one unit of
work and commits once. `check_all` gets every request of the batch at once and reads and
checks them (one query, not one per request); then `write_all` (which opens its own `write()`
unit, and so joins the shared one) gets what the checks found and writes it all, with a few
multi-row statements. Each is called once per batch, for the callers that passed it. On
PostgreSQL the first write of the workshop's log locks the workshop's row until the commit,
and every worker's batches queue on that lock: with the reads done first and the writes in a
few statements, the lock is held for a few round trips, however many callers the batch has.

Every caller still gets its answer only after the commit that stored its write
("acknowledged means stored"), and the events go out after that commit, in order.

If anything in a batch fails, the batch is rolled back and each caller's work runs again
alone, so one caller's error never becomes another's. When the database is busy, everyone
in the batch hears so at once, and so does everyone queued behind it (waiting again for each
would multiply the wait).
"""
from __future__ import annotations

import threading
import time
from time import perf_counter
from collections.abc import Callable
from typing import TypeVar

from flask import current_app

from collab.services.errors import Busy
from collab.services.unit_of_work import end_read, write

Q = TypeVar("Q")
P = TypeVar("P")
R = TypeVar("R")

# How long, and how many turns of the event loop, a batch waits at most while more work keeps arriving.
GATHER_SECONDS = 0.001
GATHER_TURNS = 8
# Callers per batch at most (the others lead the next one): a batch's work runs on the event
# loop between its round trips, and on PostgreSQL holds the workshop's row for every worker;
# a thousand sockets posting at once would otherwise make one batch of a thousand items.
BATCH_MAX = 256


class _Job:
    __slots__ = ("request", "check_all", "write_all", "done", "leads", "result", "error")

    def __init__(self, request: object, check_all: Callable[[list], list], write_all: Callable[[list], list]) -> None:
        self.request, self.check_all, self.write_all = request, check_all, write_all
        self.done = threading.Event()
        self.leads = False
        self.result: object = None
        self.error: BaseException | None = None

    def answer(self):
        if self.error is not None:
            raise self.error
        return self.result


class GroupCommit:
    """One per process (see `together`). Followers wait on their job; the leader runs the batch
    and then hands the lead to the first job that arrived meanwhile, if any."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.queue: list[_Job] = []
        self.running = False

    def run(self, request: Q, check_all: Callable[[list[Q]], list[P | None]], write_all: Callable[[list[P]], list[R]]) -> R | None:
        job = _Job(request, check_all, write_all)
        with self.lock:
            self.queue.append(job)
            if not self.running:
                self.running = job.leads = True
        if not job.leads:
            job.done.wait()  # answered by a leader, or woken to lead the next batch
        if job.leads:
            self._lead()
        return job.answer()

    def _lead(self) -> None:
        end_read()
        self._gather()
        with self.lock:
            jobs, self.queue = self.queue[:BATCH_MAX], self.queue[BATCH_MAX:]
        try:
            _commit_together(jobs)
        finally:
            for job in jobs:  # interrupted (the leader's green thread killed, say): nobody waits forever
                if not job.done.is_set():
                    job.error = RuntimeError("the batch this write was in did not finish")
                    job.done.set()
            busy = next((job.error for job in jobs if isinstance(job.error, Busy)), None)
            with self.lock:
                # Busy: the batch waited the whole DB_LOCK_WAIT_SECONDS for a lock. Those queued
                # meanwhile would each wait as long again, batch after batch: they hear it now.
                refused, self.queue = (self.queue, []) if busy is not None else ([], self.queue)
                if self.queue:  # left out of this batch, or arrived while it ran: the first of them leads the next
                    self.queue[0].leads = True
                    self.queue[0].done.set()
                else:
                    self.running = False
            for job in refused:
                job.error = busy
                job.done.set()

    def _gather(self) -> None:
        """Let every socket with work ready add it: a turn of the event loop, and another while
        the last one brought more (the items of a burst arrive over a millisecond or two; each
        batch left out costs another transaction and another commit). A turn is two yields:
        the first lets the green threads already woken run, the second comes after the hub
        has looked at the sockets again. On a busy loop, where a yield lets everyone else run
        first, it stops once GATHER_SECONDS have passed: waiting longer would cost more than
        the batches it saves."""
        started, waiting = perf_counter(), -1
        for _ in range(GATHER_TURNS):
            if len(self.queue) == waiting or len(self.queue) >= BATCH_MAX:
                return
            waiting = len(self.queue)
            for _yield in range(2):
                time.sleep(0)
                if perf_counter() - started > GATHER_SECONDS:
                    return


def _commit_together(jobs: list[_Job]) -> None:
    if len(jobs) > 1:
        try:
            with write():
                results = _run(jobs)
        except Busy as exc:
            for job in jobs:
                job.error = exc
                job.done.set()
            return
        except Exception:
            pass  # rolled back: each runs alone below and meets its own error, if any
        else:
            for job, result in zip(jobs, results):
                job.result = result
                job.done.set()
            return
    for job in jobs:
        try:
            with write():
                job.result = _run([job])[0]
        except Exception as exc:  # handed to its own caller
            job.error = exc
        job.done.set()


def _run(jobs: list[_Job]) -> list[object]:
    """Every check of the batch, then every write: each `check_all` and `write_all` called
    once, for the callers that passed it; the results in the callers' order (None where the
    check found nothing, and nothing was written)."""
    callers: dict[tuple[Callable, Callable], list[int]] = {}
    for index, job in enumerate(jobs):
        callers.setdefault((job.check_all, job.write_all), []).append(index)
    checked: list[object] = [None] * len(jobs)
    for (check_all, _write_all), indexes in callers.items():
        for index, found in zip(indexes, check_all([jobs[index].request for index in indexes]), strict=True):
            checked[index] = found
    results: list[object] = [None] * len(jobs)
    for (_check_all, write_all), indexes in callers.items():
        found_for = [index for index in indexes if checked[index] is not None]
        if found_for:
            for index, result in zip(found_for, write_all([checked[index] for index in found_for]), strict=True):
                results[index] = result
    return results


def together(request: Q, check_all: Callable[[list[Q]], list[P | None]], write_all: Callable[[list[P]], list[R]]) -> R | None:
    """`check_all` (reads and checks: what to write, or None) for this request and those of
    the batch's other callers that pass it, then `write_all` for what they found, writing
    through `write()` and returning one result each, in order. None, and nothing written, when
    the check found nothing."""
    return current_app.extensions.setdefault("collab.group_commit", GroupCommit()).run(request, check_all, write_all)

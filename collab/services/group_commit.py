"""Group commit: hot-path writes that arrive together share one transaction.

When a round opens or a facilitator asks for comments, a dozen members post at the same
moment. Each item alone is a few statements, but BEGIN IMMEDIATE, COMMIT and the session's
bookkeeping around them cost a quarter of its CPU; on the one event loop that every room
shares, those costs queue up and the last item of a burst waits for all the others.

`together(work)` runs `work()` (which opens its own `write()` unit, and so joins the shared
one) in a batch with whatever other sockets have ready at this moment. The first caller
leads: it lets every other ready socket add its work (one turn of the event loop), then runs
the whole batch in one unit of work and commits once. Every caller still gets its answer only
after the commit that stored its write ("acknowledged means stored"), and the events go out
after that commit, in order.

A caller may split its work: `together(work, prepare)` runs every `prepare()` of the batch
(its reads and checks) before any `work(prepared)` (its writes). On PostgreSQL the first write
of the workshop's log locks the workshop's row until the commit, and every worker's batches
queue on that lock; with the reads done first, the lock is held only while the batch writes.

If anything in a batch fails, the batch is rolled back and each piece of work runs again
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

T = TypeVar("T")

# How long, and how many turns of the event loop, a batch waits at most while more work keeps arriving.
GATHER_SECONDS = 0.001
GATHER_TURNS = 8


class _Job:
    __slots__ = ("work", "prepare", "done", "leads", "result", "error")

    def __init__(self, work: Callable[..., object], prepare: Callable[[], object] | None) -> None:
        self.work, self.prepare = work, prepare
        self.done = threading.Event()
        self.leads = False
        self.result: object = None
        self.error: BaseException | None = None

    def answer(self):
        if self.error is not None:
            raise self.error
        return self.result

    def read(self) -> object:
        return self.prepare() if self.prepare is not None else None

    def write(self, prepared: object) -> object:
        """The work, given what `prepare` found; None (without writing) when it found nothing."""
        if self.prepare is None:
            return self.work()
        return None if prepared is None else self.work(prepared)


class GroupCommit:
    """One per process (see `together`). Followers wait on their job; the leader runs the batch
    and then hands the lead to the first job that arrived meanwhile, if any."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.queue: list[_Job] = []
        self.running = False

    def run(self, work: Callable[..., T], prepare: Callable[[], object] | None = None) -> T:
        job = _Job(work, prepare)
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
            jobs, self.queue = self.queue, []
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
                if self.queue:  # arrived while this batch ran: the first of them leads the next
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
            if len(self.queue) == waiting:
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
                prepared = [job.read() for job in jobs]
                results = [job.write(found) for job, found in zip(jobs, prepared)]
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
                job.result = job.write(job.read())
        except Exception as exc:  # handed to its own caller
            job.error = exc
        job.done.set()


def together(work: Callable[..., T], prepare: Callable[[], object] | None = None) -> T | None:
    """Run `work()` (a function that writes through `write()`) batched with concurrent callers;
    with `prepare`, `work(prepare())` once every caller of the batch has prepared (None, and no
    work, when `prepare` returns None)."""
    return current_app.extensions.setdefault("collab.group_commit", GroupCommit()).run(work, prepare)

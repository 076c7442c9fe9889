"""Group commit (services/group_commit.py): writes that wait together share one commit, each
caller is answered only after the commit that stored its write, and an error stays with the
caller whose work raised it."""
from __future__ import annotations

import threading
import time
from types import SimpleNamespace

import pytest
from sqlalchemy import event, select

from collab.extensions import db
from collab.models import Workshop, WorkshopEvent
from collab.services import log
from collab.services import group_commit
from collab.services.errors import Busy
from collab.services.group_commit import GATHER_TURNS, GroupCommit, _Job, together
from collab.services.publish import Audience
from collab.services.unit_of_work import write


@pytest.fixture
def batching(app, world, published):
    """A fresh GroupCommit, the commits made, and a runner that calls `together` on threads.

    The first caller's work holds its batch open until released, so the callers started
    meanwhile queue up and form the next batch, deterministically."""
    gc = app.extensions["collab.group_commit"] = GroupCommit()
    commits: list[int] = []
    event.listen(db.engine, "commit", lambda _conn: commits.append(1))
    workshop_id = world.workshop.id
    released, holding = threading.Event(), threading.Event()
    answers: dict[str, object] = {}
    first_raises: list[Exception] = []

    def append(name: str) -> int:
        with write() as tx:
            published_event = log.append(workshop_id, "test_written", {"name": name}, Audience(workshop_id))
            tx.publish(published_event)
            return published_event.event["seq"]

    def held() -> int:
        holding.set()
        released.wait(10)
        if first_raises:
            raise first_raises[0]
        return append("held")

    def call(name: str, work) -> threading.Thread:
        def run() -> None:
            with app.app_context():
                try:
                    answers[name] = together(*work) if isinstance(work, tuple) else together(work)
                except Exception as exc:  # the caller's own error, kept for the assertion
                    answers[name] = exc
                finally:
                    db.session.remove()

        thread = threading.Thread(target=run)
        thread.start()
        return thread

    def run_batch(works: dict, first_raises_: Exception | None = None) -> None:
        """The first caller's batch (which raises `first_raises_`, if given) runs while `works` queue."""
        if first_raises_ is not None:
            first_raises.append(first_raises_)
        threads = [call("held", held)]
        assert holding.wait(10)
        threads += [call(name, work) for name, work in works.items()]
        deadline = time.monotonic() + 10
        while len(gc.queue) < len(works) and time.monotonic() < deadline:
            time.sleep(0.01)
        commits.clear()
        released.set()
        for thread in threads:
            thread.join(10)

    stored = lambda: sorted(db.session.scalars(select(WorkshopEvent.data["name"].as_string()).where(  # noqa: E731
        WorkshopEvent.type == "test_written")))
    return type("Batching", (), {"append": staticmethod(append), "run": staticmethod(run_batch), "answers": answers,
                                 "commits": commits, "workshop_id": workshop_id, "stored": staticmethod(stored), "gc": gc})


def test_writes_that_wait_together_share_one_commit(batching, published):
    batching.run({name: (lambda n=name: batching.append(n)) for name in ("a", "b", "c")})
    assert all(isinstance(batching.answers[name], int) for name in ("held", "a", "b", "c")), batching.answers
    assert len(batching.commits) == 2  # the held caller's batch, then a, b and c together
    assert batching.stored() == ["a", "b", "c", "held"]
    seqs = [batching.answers[name] for name in ("held", "a", "b", "c")]
    assert len(set(seqs)) == 4
    sent = [p.event["seq"] for p in published.items if p.event["type"] == "test_written"]
    assert sent == sorted(sent) and set(sent) == set(seqs)  # published after the commits, in order
    assert not batching.gc.running and not batching.gc.queue


def test_an_error_stays_with_its_caller_and_the_others_are_stored(batching):
    def broken() -> None:
        with write() as tx:
            tx.publish(log.append(batching.workshop_id, "test_written", {"name": "broken"}, Audience(batching.workshop_id)))
            raise ValueError("this caller's own mistake")

    batching.run({"a": lambda: batching.append("a"), "broken": broken, "b": lambda: batching.append("b")})
    assert isinstance(batching.answers["broken"], ValueError)
    assert isinstance(batching.answers["a"], int) and isinstance(batching.answers["b"], int)
    assert batching.stored() == ["a", "b", "held"]  # nothing of the broken caller's work


def test_a_batch_runs_every_callers_reads_before_any_writes(batching):
    """So that on PostgreSQL the workshop's row, locked by the first write of the log, stays
    locked only while the batch writes."""
    calls: list[str] = []

    def split(name: str, found: str | None) -> tuple:
        def prepare() -> str | None:
            calls.append(f"read {name}")
            return found

        def work(prepared: str) -> int:
            calls.append(f"write {prepared}")
            return batching.append(prepared)

        return work, prepare

    batching.run({"a": split("a", "a"), "refused": split("refused", None), "b": split("b", "b")})
    assert calls == ["read a", "read refused", "read b", "write a", "write b"]
    assert batching.answers["refused"] is None  # nothing found: no work, and the caller decides
    assert isinstance(batching.answers["a"], int) and isinstance(batching.answers["b"], int)
    assert batching.stored() == ["a", "b", "held"] and len(batching.commits) == 2


def test_a_batch_takes_its_seqs_and_stores_its_events_with_one_statement_each(batching):
    """The first seq of a unit comes from the database (locking the workshop's row); the unit
    counts the others and stores the last at the commit, and the log's rows go in one
    executemany: a batch of items costs a few statements, not a few per item."""
    statements: list[tuple[str, bool]] = []
    event.listen(db.engine, "before_cursor_execute",
                 lambda _conn, _cursor, sql, _params, _context, many: statements.append((sql.split("(")[0].strip(), many)))
    batching.run({name: (lambda n=name: batching.append(n)) for name in ("a", "b", "c")})
    seqs = [batching.answers[name] for name in ("held", "a", "b", "c")]
    assert sorted(seqs) == list(range(min(seqs), min(seqs) + 4))
    seq_writes = [sql for sql, _many in statements if sql.startswith("UPDATE workshops")]
    event_inserts = [many for sql, many in statements if sql.startswith("INSERT INTO workshop_events")]
    assert len(seq_writes) == 3  # the held caller's one; a, b and c: one taken, one stored
    assert event_inserts == [False, True]  # one row alone, then a, b and c in one executemany
    db.session.expire_all()
    assert db.session.get(Workshop, batching.workshop_id).last_seq == max(seqs)
    assert batching.stored() == ["a", "b", "c", "held"]


def _arrivals(batching, monkeypatch, late: list[list[str]]) -> list[_Job]:
    """Make each yield of the batch's leader let "other sockets" add the work named in `late`
    (one list per yield; a turn of the event loop is two yields), as a burst's items arrive."""
    arriving, jobs = iter(late), []

    def other_sockets_run(_seconds: float) -> None:
        for name in next(arriving, []):
            job = _Job(lambda n=name: batching.append(n), None)
            jobs.append(job)
            batching.gc.queue.append(job)

    monkeypatch.setattr(group_commit, "time", SimpleNamespace(sleep=other_sockets_run))
    return jobs


def test_a_batch_takes_in_work_that_keeps_arriving_while_it_gathers(batching, monkeypatch):
    """The items of a burst reach the server over a millisecond or two: the batch waits a turn
    of the event loop at a time while each turn brings more, and stops after one that brings none."""
    jobs = _arrivals(batching, monkeypatch, [["b"], [], ["c", "d"], [], [], [], ["too late"], []])
    assert isinstance(together(lambda: batching.append("a")), int)
    assert batching.stored() == ["a", "b", "c", "d"]
    assert len(batching.commits) == 1
    assert all(job.done.is_set() and job.error is None for job in jobs[:3])
    assert not batching.gc.running and not batching.gc.queue


def test_a_batch_stops_gathering_after_a_bounded_number_of_turns(batching, monkeypatch):
    """Work that never stops arriving does not hold a batch back for ever."""
    jobs = _arrivals(batching, monkeypatch, [[f"w{n}"] for n in range(4 * GATHER_TURNS)])
    assert isinstance(together(lambda: batching.append("a")), int)
    assert len(jobs) == 2 * GATHER_TURNS  # one arrival per yield, two yields a turn, then the batch ran
    assert len(batching.stored()) == 1 + len(jobs) and len(batching.commits) == 1


def test_when_the_database_is_busy_everyone_waiting_hears_so_at_once(batching):
    """A batch that waited DB_LOCK_WAIT_SECONDS for a lock is answered busy. The writes that
    queued behind it meanwhile would each wait as long again, batch after batch (36 items held
    for 60 s were answered after 5, 15, 20 and 25 s): they hear busy at once, unrun."""
    ran: list[str] = []

    def work(name: str):
        return lambda: ran.append(name) or batching.append(name)

    batching.run({"a": work("a"), "b": work("b")}, first_raises_=Busy("The service is busy; try again in a moment.", retry_after=1))
    assert all(isinstance(batching.answers[name], Busy) for name in ("held", "a", "b")), batching.answers
    assert ran == [] and batching.stored() == []
    assert batching.gc.queue == [] and not batching.gc.running
    assert isinstance(together(lambda: batching.append("later")), int)  # the next write is tried again

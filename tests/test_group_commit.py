"""Group commit (services/group_commit.py): writes that wait together share one commit, each
caller is answered only after the commit that stored its write, and an error stays with the
caller whose work raised it."""
from __future__ import annotations

import threading
import time
import uuid
from collections.abc import Callable
from types import SimpleNamespace

import pytest
from sqlalchemy import event, select

from collab.extensions import db
from collab.models import FeedbackChange, FeedbackItem, Workshop, WorkshopEvent
from collab.services import feedback, log, room_access, rounds
from collab.services import group_commit
from collab.services.errors import Busy
from collab.services.group_commit import GATHER_TURNS, GroupCommit, _Job, together
from collab.services.inputs import FeedbackInput, RoundInput, RoundRef, parse
from collab.services.publish import Audience
from collab.services.unit_of_work import write


@pytest.fixture
def batching(app, world, published):
    """A fresh GroupCommit, the commits made, and a runner that calls `together` on threads.

    The first caller's reads hold its batch open until released, so the callers started
    meanwhile queue up and form the next batch, deterministically. `appended` is a `write_all`
    that stores a test event per name; `together(name, unchanged, appended)` adds one."""
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

    def appended(names: list[str]) -> list[int]:
        return [append(name) for name in names]

    def held(names: list[str]) -> list[str]:
        holding.set()
        released.wait(10)
        if first_raises:
            raise first_raises[0]
        return names

    def call(name: str, work: tuple | Callable[[], object]) -> threading.Thread:
        """`work` is `together`'s arguments, or a function that calls it."""
        def run() -> None:
            with app.app_context():
                try:
                    answers[name] = together(*work) if isinstance(work, tuple) else work()
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
        threads = [call("held", ("held", held, appended))]
        assert holding.wait(10)
        threads += [call(name, work) for name, work in works.items()]
        deadline = time.monotonic() + 10
        while len(gc.queue) < len(works) and time.monotonic() < deadline:
            time.sleep(0.01)
        commits.clear()
        released.set()
        for thread in threads:
            thread.join(10)
        db.session.rollback()  # what this thread read before, it reads again: the batch changed it

    stored = lambda: sorted(db.session.scalars(select(WorkshopEvent.data["name"].as_string()).where(  # noqa: E731
        WorkshopEvent.type == "test_written")))
    return type("Batching", (), {"append": staticmethod(append), "appended": staticmethod(appended), "run": staticmethod(run_batch),
                                 "answers": answers,
                                 "commits": commits, "workshop_id": workshop_id, "stored": staticmethod(stored), "gc": gc})


def unchanged(requests: list[str]) -> list[str]:
    """A `check_all` that finds each request fit to write as it is."""
    return list(requests)


def named(batching, *names: str) -> dict[str, tuple]:
    return {name: (name, unchanged, batching.appended) for name in names}


def test_writes_that_wait_together_share_one_commit(batching, published):
    batching.run(named(batching, "a", "b", "c"))
    assert all(isinstance(batching.answers[name], int) for name in ("held", "a", "b", "c")), batching.answers
    assert len(batching.commits) == 2  # the held caller's batch, then a, b and c together
    assert batching.stored() == ["a", "b", "c", "held"]
    seqs = [batching.answers[name] for name in ("held", "a", "b", "c")]
    assert len(set(seqs)) == 4
    sent = [p.event["seq"] for p in published.items if p.event["type"] == "test_written"]
    assert sent == sorted(sent) and set(sent) == set(seqs)  # published after the commits, in order
    assert not batching.gc.running and not batching.gc.queue


def test_an_error_stays_with_its_caller_and_the_others_are_stored(batching):
    def broken(names: list[str]) -> list[int]:
        with write() as tx:
            tx.publish(log.append(batching.workshop_id, "test_written", {"name": names[0]}, Audience(batching.workshop_id)))
            raise ValueError("this caller's own mistake")

    batching.run({**named(batching, "a"), "broken": ("broken", unchanged, broken), **named(batching, "b")})
    assert isinstance(batching.answers["broken"], ValueError)
    assert isinstance(batching.answers["a"], int) and isinstance(batching.answers["b"], int)
    assert batching.stored() == ["a", "b", "held"]  # nothing of the broken caller's work


def test_a_batch_runs_every_callers_reads_before_its_writes_which_it_makes_at_once(batching):
    """So that on PostgreSQL the workshop's row, locked by the first write of the log, stays
    locked only while the batch writes; and the checks read for every caller with one query,
    and the writes write every caller's row with one statement."""
    calls: list[str] = []

    def check_all(names: list[str]) -> list[str | None]:
        calls.append(f"read {', '.join(names)}")
        return [None if name == "refused" else name for name in names]

    def write_all(found: list[str]) -> list[int]:
        calls.append(f"write {', '.join(found)}")
        return batching.appended(found)

    batching.run({name: (name, check_all, write_all) for name in ("a", "refused", "b")})
    assert [(call.split()[0], sorted(call.split(" ", 1)[1].split(", "))) for call in calls] == [
        ("read", ["a", "b", "refused"]), ("write", ["a", "b"])]  # in whichever order they queued
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
    batching.run(named(batching, "a", "b", "c"))
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
            job = _Job(name, unchanged, batching.appended)
            jobs.append(job)
            batching.gc.queue.append(job)

    monkeypatch.setattr(group_commit, "time", SimpleNamespace(sleep=other_sockets_run))
    return jobs


def test_a_batch_takes_in_work_that_keeps_arriving_while_it_gathers(batching, monkeypatch):
    """The items of a burst reach the server over a millisecond or two: the batch waits a turn
    of the event loop at a time while each turn brings more, and stops after one that brings none."""
    jobs = _arrivals(batching, monkeypatch, [["b"], [], ["c", "d"], [], [], [], ["too late"], []])
    assert isinstance(together("a", unchanged, batching.appended), int)
    assert batching.stored() == ["a", "b", "c", "d"]
    assert len(batching.commits) == 1
    assert all(job.done.is_set() and job.error is None for job in jobs[:3])
    assert not batching.gc.running and not batching.gc.queue


def test_a_batch_stops_gathering_after_a_bounded_number_of_turns(batching, monkeypatch):
    """Work that never stops arriving does not hold a batch back for ever."""
    jobs = _arrivals(batching, monkeypatch, [[f"w{n}"] for n in range(4 * GATHER_TURNS)])
    assert isinstance(together("a", unchanged, batching.appended), int)
    assert len(jobs) == 2 * GATHER_TURNS  # one arrival per yield, two yields a turn, then the batch ran
    assert len(batching.stored()) == 1 + len(jobs) and len(batching.commits) == 1


def test_a_batch_takes_at_most_batch_max_callers_and_wakes_the_next_to_lead_the_rest(batching, monkeypatch):
    """A thousand sockets posting at once make batches of BATCH_MAX, not one of a thousand
    items, whose work would hold the event loop (and the workshop's row) for as long."""
    monkeypatch.setattr(group_commit, "BATCH_MAX", 3)
    jobs = _arrivals(batching, monkeypatch, [["b", "c", "d", "e"]])
    assert isinstance(together("a", unchanged, batching.appended), int)
    assert batching.stored() == ["a", "b", "c"] and len(batching.commits) == 1
    assert batching.gc.queue == jobs[2:] and batching.gc.running
    assert jobs[2].leads and jobs[2].done.is_set() and not jobs[3].done.is_set()  # d leads e next


def test_when_the_database_is_busy_everyone_waiting_hears_so_at_once(batching):
    """A batch that waited DB_LOCK_WAIT_SECONDS for a lock is answered busy. The writes that
    queued behind it meanwhile would each wait as long again, batch after batch (36 items held
    for 60 s were answered after 5, 15, 20 and 25 s): they hear busy at once, unrun."""
    ran: list[str] = []

    def checked(names: list[str]) -> list[str]:
        ran.extend(names)
        return names

    def work(name: str) -> tuple:
        return name, checked, batching.appended

    batching.run({"a": work("a"), "b": work("b")}, first_raises_=Busy("The service is busy; try again in a moment.", retry_after=1))
    assert all(isinstance(batching.answers[name], Busy) for name in ("held", "a", "b")), batching.answers
    assert ran == [] and batching.stored() == []
    assert batching.gc.queue == [] and not batching.gc.running
    assert isinstance(together("later", unchanged, batching.appended), int)  # the next write is tried again


@pytest.fixture
def opened(world):
    """An open round: RRDA and KLAIPEDA in room A."""
    rnd = rounds.create_round(world.facilitator, world.workshop.id, parse(RoundInput, {"minutes": 20, "rooms": [
        {"name": "A", "partner_ids": [world.lt.id, world.pl.id]}]}))
    rounds.open_round(world.facilitator, RoundRef(round_id=rnd.id))
    return rnd


@pytest.fixture
def seat(world, opened):
    """RRDA's member seated in room A, commenting on KLAIPEDA's plan."""
    return room_access.seat_for(world.pl_member, opened.rooms[0], opened)


def posted(seat, client_id: str | None = None) -> Callable[[], dict | None]:
    """A socket of the seat's member posting an item on the hot path."""
    form = parse(FeedbackInput, {"client_id": client_id or str(uuid.uuid4()), "room_id": seat.room_id, "plan_id": next(iter(seat.plan_partners)),
                                 "section_key": "executive-summary", "kind": "suggestion", "body": "Say who does what."})
    plan_partner = seat.plan_partners[form.plan_id]
    assert plan_partner not in seat.partner_ids, "the fixture's first plan must be the other partner's"
    return lambda: feedback.submit_in_seat(seat, form)


def test_a_batch_of_items_is_one_check_one_insert_and_one_statement_for_each_of_its_seqs_events_and_changes(batching, seat):
    """While a batch writes, PostgreSQL holds the workshop's row for every worker: its items go
    in one multi-row INSERT (not one each), after one statement that takes all their seqs. And
    their seats are checked with one query, not a round trip each."""
    statements: list[tuple[str, bool]] = []
    event.listen(db.engine, "before_cursor_execute",
                 lambda _conn, _cursor, sql, _params, _context, many: statements.append((sql.split("(")[0].strip(), many)))
    batching.run({name: posted(seat) for name in ("a", "b", "c")})
    shapes = [batching.answers[name] for name in ("a", "b", "c")]
    assert all(isinstance(shape, dict) for shape in shapes), batching.answers
    held_seq = batching.answers["held"]
    assert sorted(shape["seq"] for shape in shapes) == [held_seq + 1, held_seq + 2, held_seq + 3]
    assert len([sql for sql, _many in statements if sql.startswith("WITH asked")]) == 1  # the seat check, for the three
    writes = [(sql, many) for sql, many in statements if sql.startswith(("INSERT", "UPDATE"))]
    assert writes == [
        ("UPDATE workshops SET last_seq=", False), ("INSERT INTO workshop_events", False),  # the held caller's event
        ("UPDATE workshops SET last_seq=", False), ("INSERT INTO feedback_items", False),
        ("INSERT INTO workshop_events", True), ("INSERT INTO feedback_changes", True),
    ]
    stored = {item.id: item for item in db.session.query(FeedbackItem)}
    assert {shape["id"] for shape in shapes} == set(stored) and all(stored[s["id"]].seq == s["seq"] for s in shapes)
    assert db.session.query(FeedbackChange).count() == 3 and len(batching.commits) == 2


def test_a_retried_client_id_is_found_by_the_batchs_check_and_the_rest_is_stored_together(batching, seat):
    again = str(uuid.uuid4())
    first = posted(seat, again)()
    batching.run({"retry": posted(seat, again), "new": posted(seat)})
    assert batching.answers["retry"] is None  # `submit` answers it with the first item
    assert isinstance(batching.answers["new"], dict) and len(batching.commits) == 2  # no batch run again item by item
    assert db.session.query(FeedbackItem).count() == 2 and first["id"] != batching.answers["new"]["id"]


def test_a_client_id_that_races_into_a_batch_leaves_one_item_and_no_hole_in_the_log(batching, seat):
    """The same item sent twice at once (to two workers, say): both pass the check, the INSERT
    skips one, and the batch runs again item by item, where the second finds the first."""
    twice = str(uuid.uuid4())
    batching.run({"once": posted(seat, twice), "other": posted(seat), "again": posted(seat, twice)})
    assert isinstance(batching.answers["other"], dict), batching.answers
    assert sorted(type(batching.answers[name]).__name__ for name in ("once", "again")) == ["NoneType", "dict"]  # whichever queued first
    assert db.session.query(FeedbackItem).count() == 2
    seqs = sorted(db.session.scalars(select(WorkshopEvent.seq).where(WorkshopEvent.workshop_id == batching.workshop_id)))
    assert seqs == list(range(seqs[0], seqs[0] + len(seqs)))
    db.session.expire_all()
    assert db.session.get(Workshop, batching.workshop_id).last_seq == seqs[-1]


def test_one_query_checks_the_seats_of_a_batchs_items_each_on_its_own(world, opened, seat):
    """Items of two members, in a room and in the plenary, more than one query's worth: each
    gets its own answer, in order, from a query per kind and SEATS_PER_QUERY items."""
    lt_seat = room_access.seat_for(world.lt_member, opened.rooms[0], opened)
    in_plenary = room_access.plenary_seat(world.pl_member, world.workshop)
    used = posted(seat)()["client_id"]
    lt_plan, pl_plan = world.lt_plan.id, world.pl_plan.id
    asked = [room_access.Asked(seat, lt_plan, str(uuid.uuid4())), room_access.Asked(seat, lt_plan, used),
             room_access.Asked(in_plenary, lt_plan, str(uuid.uuid4())), room_access.Asked(lt_seat, pl_plan, str(uuid.uuid4()))]
    asked += [room_access.Asked(seat, lt_plan, str(uuid.uuid4())) for _ in range(room_access.SEATS_PER_QUERY + 4)]
    queries: list[str] = []
    event.listen(db.engine, "before_cursor_execute", lambda _c, _cur, sql, *_rest: queries.append(sql) if sql.startswith("WITH asked") else None)
    found = room_access.still_seated(asked)
    assert len(queries) == 3  # rooms: 32 items, then the other 7 (padded to 8); the plenary: 1
    everyone = (world.lt.id, world.pl.id)
    assert found[0] == room_access.Seated(1, None, Audience(world.workshop.id, everyone), False)
    assert found[1] == room_access.Seated(1, None, Audience(world.workshop.id, everyone), True)
    assert found[2] is None  # the plan was never presented in the plenary
    assert found[3] == room_access.Seated(1, None, Audience(world.workshop.id, everyone), False)
    assert found[4:] == [found[0]] * (room_access.SEATS_PER_QUERY + 4)


def test_a_batch_locks_its_workshops_rows_in_the_order_of_their_ids(monkeypatch):
    """Taking a workshop's seqs locks its row until the commit (on PostgreSQL). Two workers'
    batches taking them in opposite orders would each hold a row the other waits for; every
    batch takes them in id order instead, and its items keep their own order."""
    taken: list[int] = []

    def next_seq(workshop_id: int, count: int = 1) -> int:
        taken.append(workshop_id)
        return workshop_id * 100

    monkeypatch.setattr(log, "next_seq", next_seq)
    items = [SimpleNamespace(posted=SimpleNamespace(seat=SimpleNamespace(workshop_id=workshop_id))) for workshop_id in (9, 4, 9, 7, 4)]
    assert feedback._seqs(items) == [900, 400, 901, 700, 401]
    assert taken == [4, 7, 9]

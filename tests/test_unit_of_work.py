"""One unit of work: all or nothing, publish after commit, bounded waits, one visibility rule."""
from __future__ import annotations

import sqlite3
import threading
from pathlib import Path

import pytest

from collab.database import checkpoint_in_a_thread, checkpoint_wal
from collab.extensions import db
from collab.models import FeedbackItem, Partner, WorkshopEvent
from collab.realtime.timers import WAL_CATCH_UP_SECONDS, WAL_CHECKPOINT_SECONDS, until_next_checkpoint
from collab.services import feedback, history, log
from collab.services.errors import Busy, Invalid
from collab.services.inputs import FeedbackPatch, ResponseInput, RoundInput, parse
from collab.services.unit_of_work import write
from tests.conftest import ack_of, open_and_enter


def _reply_by_owner(live) -> dict:
    """KLAIPEDA's member replies to RRDA's item on KLAIPEDA's own plan."""
    open_and_enter(live)
    item = ack_of(live.pl_sio, "submit_feedback", {
        "client_id": "00000000-0000-4000-8000-000000000001", "room_id": live.room_a.id, "plan_id": live.lt_plan.id,
        "section_key": "executive-summary", "kind": "question", "body": "Who adopts it?"})["feedback"]
    reply = ack_of(live.lt_sio, "submit_feedback", {
        "client_id": "00000000-0000-4000-8000-000000000002", "room_id": live.room_a.id, "plan_id": live.lt_plan.id,
        "section_key": "executive-summary", "kind": "question", "body": "The council, in May.", "parent_id": item["id"]})
    assert reply["ok"], reply
    return reply["feedback"]


def test_patch_with_a_refused_part_changes_nothing_and_publishes_nothing(live, published):
    reply = _reply_by_owner(live)
    before = len(published.items)
    with pytest.raises(Invalid):
        # The body may change (author) but a reply has no status: the whole PATCH is refused.
        history.patch(live.lt_member, reply["id"], parse(FeedbackPatch, {"body": "Changed", "status": "accepted"}))
    assert db.session.get(FeedbackItem, reply["id"]).body == "The council, in May."
    assert len(published.items) == before
    assert db.session.query(WorkshopEvent).filter_by(type="feedback_updated").count() == 0


def test_patch_over_http_answers_422_and_keeps_the_body(live, client, login):
    reply = _reply_by_owner(live)
    login(live.lt_member)
    response = client.patch(f"/api/v1/feedback/{reply['id']}", json={"body": "Changed", "status": "accepted"})
    assert response.status_code == 422, response.get_json()
    assert client.get(f"/api/v1/plans/{live.lt_plan.id}/feedback").get_json()["items"][0]["replies"][0]["body"] == "The council, in May."


def test_an_error_inside_a_unit_rolls_back_and_publishes_nothing(world, published):
    with pytest.raises(RuntimeError):
        with write() as tx:
            db.session.add(Partner(name="Ghost", short_name="GHOST", country="LT", organisations=["x"]))
            tx.publish(None)
            tx.after_commit(lambda pub: pub.disconnect(["never"]))
            raise RuntimeError("boom")
    assert db.session.query(Partner).filter_by(short_name="GHOST").count() == 0
    assert published.disconnected == [] and published.items == []


def test_a_unit_inside_another_joins_it(world):
    with pytest.raises(RuntimeError):
        with write():
            with write():
                db.session.add(Partner(name="Inner", short_name="INNER", country="LT", organisations=["x"]))
            # the inner block ended without committing: the outer failure takes it back
            raise RuntimeError("outer fails")
    assert db.session.query(Partner).filter_by(short_name="INNER").count() == 0


def test_changes_outside_a_unit_are_refused(world):
    world.lt.name = "Changed without a unit"
    with pytest.raises(RuntimeError, match="inside services.unit_of_work.write"):
        db.session.flush()
    db.session.rollback()


def test_a_write_waits_for_the_lock_within_a_bound_then_answers_busy(app, world, client, login):
    """Another process holds SQLite's write lock: the write gives up after DB_LOCK_WAIT_SECONDS."""
    login(world.admin)
    app.config["DB_LOCK_WAIT_SECONDS"] = 0.3
    holder = sqlite3.connect(db.engine.url.database, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        with pytest.raises(Busy):
            with write():
                pass
        response = client.post("/api/v1/partners", json={"name": "Busy", "short_name": "BUSY", "country": "LT", "organisations": ["x"]})
        assert response.status_code == 503
        assert response.headers["Retry-After"] == "1"
        assert response.get_json()["error"]["code"] == "busy"
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    response = client.post("/api/v1/partners", json={"name": "Busy", "short_name": "BUSY", "country": "LT", "organisations": ["x"]})
    assert response.status_code == 201


def test_a_write_gets_the_lock_once_the_other_writer_is_done(app, world):
    app.config["DB_LOCK_WAIT_SECONDS"] = 5
    holder = sqlite3.connect(db.engine.url.database, isolation_level=None, check_same_thread=False)
    holder.execute("BEGIN IMMEDIATE")
    threading.Timer(0.2, lambda: (holder.execute("ROLLBACK"), holder.close())).start()
    with write():
        db.session.add(Partner(name="Patient", short_name="PATIENT", country="LT", organisations=["x"]))
    assert db.session.query(Partner).filter_by(short_name="PATIENT").count() == 1


def test_feedback_event_carries_the_seq_that_is_stored(live):
    open_and_enter(live)
    ack = ack_of(live.pl_sio, "submit_feedback", {
        "client_id": "00000000-0000-4000-8000-000000000003", "room_id": live.room_a.id, "plan_id": live.lt_plan.id,
        "section_key": "executive-summary", "kind": "strength", "body": "Clear."})
    sent = [m["args"][0] for m in live.lt_sio.get_received() if m["name"] == "feedback_added"]
    stored = db.session.query(WorkshopEvent).filter_by(type="feedback_added").one()
    assert sent[0]["feedback"]["seq"] == sent[0]["seq"] == stored.seq == ack["feedback"]["seq"]
    assert stored.data["feedback"]["seq"] == stored.seq


def test_a_retried_item_leaves_no_hole_in_the_log(live):
    """A retry of a client_id takes a seq, finds the item stored, and gives the seq back."""
    open_and_enter(live)
    item = {"client_id": "00000000-0000-4000-8000-000000000004", "room_id": live.room_a.id, "plan_id": live.lt_plan.id,
            "section_key": "executive-summary", "kind": "strength", "body": "Clear."}
    first = ack_of(live.pl_sio, "submit_feedback", item)
    assert ack_of(live.pl_sio, "submit_feedback", item)["feedback"]["id"] == first["feedback"]["id"]
    workshop_id = live.room_a.round.workshop_id
    stored = db.session.query(db.func.max(WorkshopEvent.seq)).filter_by(workshop_id=workshop_id).scalar()
    assert log.last_seq(workshop_id) == stored
    assert ack_of(live.pl_sio, "raise_hand", {"room_id": live.room_a.id})["ok"]
    assert db.session.query(db.func.max(WorkshopEvent.seq)).filter_by(workshop_id=workshop_id).scalar() == stored + 1


def _events(sio) -> list[tuple[str, dict]]:
    return [(m["name"], m["args"][0]) for m in sio.get_received() if isinstance(m["args"][0], dict) and "seq" in m["args"][0]]


def test_what_is_sent_live_is_what_resume_replays_for_every_viewer(world, connect, make):
    """A member, its peer, the facilitator, a partner of another room, and a stranger."""
    stranger = make.user("Stranger", partner=make.partner("ZZ"))
    viewers = {
        "member": connect(world.lt_member), "peer": connect(world.pl_member), "facilitator": connect(world.facilitator),
        "other room": connect(world.outsider), "stranger": connect(stranger),
    }
    from collab.services import rounds

    rnd = rounds.create_round(world.facilitator, world.workshop.id, parse(RoundInput, {"minutes": 20, "rooms": [
        {"name": "A", "partner_ids": [world.lt.id, world.pl.id]}, {"name": "B", "partner_ids": [world.hu.id]}]}))
    room_a, room_b = rnd.rooms
    fac, lt, pl, hu = viewers["facilitator"], viewers["member"], viewers["peer"], viewers["other room"]
    for sio in (fac, lt, pl, hu):
        assert ack_of(sio, "join_workshop", {"workshop_id": world.workshop.id})["ok"]
    assert ack_of(fac, "open_round", {"round_id": rnd.id})["ok"]
    assert ack_of(lt, "join_room", {"room_id": room_a.id})["ok"]
    assert ack_of(pl, "join_room", {"room_id": room_a.id})["ok"]
    assert ack_of(hu, "join_room", {"room_id": room_b.id})["ok"]
    presentation = ack_of(lt, "start_presentation", {"room_id": room_a.id, "plan_id": world.lt_plan.id})["presentation"]
    assert ack_of(lt, "show_section", {"presentation_id": presentation["id"], "section_key": "action-1"})["ok"]
    item = ack_of(pl, "submit_feedback", {
        "client_id": "00000000-0000-4000-8000-000000000004", "room_id": room_a.id, "plan_id": world.lt_plan.id,
        "section_key": "action-1", "kind": "concern", "body": "Who pays?"})["feedback"]
    assert ack_of(lt, "respond_feedback", {"feedback_id": item["id"], "status": "accepted"})["ok"]
    assert ack_of(fac, "broadcast", {"workshop_id": world.workshop.id, "message": "Five minutes left"})["ok"]
    assert ack_of(fac, "move_partner", {"round_id": rnd.id, "partner_id": world.hu.id, "to_room_id": room_a.id})["ok"]
    assert ack_of(fac, "close_round", {"round_id": rnd.id, "countdown_s": 0})["ok"]
    feedback.respond(world.lt_member, parse(ResponseInput, {"feedback_id": item["id"], "status": "deferred"}))

    live_seen = {name: _events(sio) for name, sio in viewers.items()}
    for name, sio in viewers.items():
        ack = ack_of(sio, "resume", {"workshop_id": world.workshop.id, "after_seq": 0})
        replayed = _events(sio)
        assert replayed == live_seen[name], name
        assert ack.get("replayed", 0) == len(replayed), name
    assert live_seen["stranger"] == []
    types = {name: {n for n, _ in seen} for name, seen in live_seen.items()}
    assert "feedback_added" in types["peer"] and "section_shown" in types["member"]
    assert "section_shown" not in types["other room"] and "feedback_added" not in types["other room"]
    assert "announcement" in types["other room"] and "round_closed" in types["other room"]
    assert types["facilitator"] >= types["member"] | types["other room"]


def test_seqs_a_unit_counts_itself_are_stored_at_its_commit_and_dropped_with_its_rollback(world):
    workshop_id = world.workshop.id
    before = log.last_seq(workshop_id)
    with write():
        taken = [log.next_seq(workshop_id) for _ in range(3)]
        assert log.last_seq(workshop_id) == taken[-1]  # what the unit handed out, not yet stored
    assert taken == [before + 1, before + 2, before + 3]
    assert log.last_seq(workshop_id) == before + 3
    with pytest.raises(ValueError), write():
        log.next_seq(workshop_id), log.next_seq(workshop_id)
        raise ValueError("rolled back")
    assert log.last_seq(workshop_id) == before + 3
    with write():
        assert log.next_seq(workshop_id) == before + 4


def _database_file() -> Path:
    return Path(db.engine.url.database)


@pytest.mark.parametrize("server", [True, False])
def test_the_server_s_commits_leave_the_wal_checkpoint_to_its_thread(world, server):
    """SQLite checkpoints inside the COMMIT that takes the WAL past 1,000 pages: 4-5 ms of
    copying and syncing, 25 times an ordinary commit, on the event loop every room shares. The
    server's connections leave it to `checkpoint_wal`, which the server runs in a thread; other
    processes (the command line) keep SQLite's own."""
    database = _database_file()
    db.session.remove()
    if server:
        checkpoint_in_a_thread(db.engine)
    before = database.stat().st_size
    for n in range(300):  # about 1,500 pages of WAL
        with write():
            db.session.add(Partner(name=f"Partner {n}", short_name=f"P{n}", country="LT", organisations=["x" * 5000]))
    assert database.with_name(database.name + "-wal").stat().st_size > 1_000 * 4096
    if not server:
        assert database.stat().st_size > before + 200 * 4096  # SQLite's own checkpoint, in a commit
        return
    assert database.stat().st_size == before, "a commit copied the WAL into the database file"
    in_log, copied = checkpoint_wal(db.engine)
    assert in_log == copied > 1_000
    assert database.stat().st_size > before + 300 * 4096
    assert db.session.query(Partner).filter(Partner.short_name.like("P%")).count() >= 300


def test_a_long_log_left_partly_uncopied_is_checkpointed_again_soon():
    """Under steady writing, commits land while the thread copies: the log is restarted only
    after a checkpoint that copied all of it, so the next one comes sooner, while it is short."""
    assert until_next_checkpoint(in_log=5_000, copied=4_800) == WAL_CATCH_UP_SECONDS < WAL_CHECKPOINT_SECONDS
    assert until_next_checkpoint(in_log=5_000, copied=5_000) == WAL_CHECKPOINT_SECONDS  # the next commit restarts it
    assert until_next_checkpoint(in_log=300, copied=100) == WAL_CHECKPOINT_SECONDS

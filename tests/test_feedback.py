"""Live structured feedback: validation, idempotency, privacy, fan-out, editing and answers."""
from __future__ import annotations

import uuid

import pytest

from collab.extensions import db
from collab.models import FeedbackChange, FeedbackItem, WorkshopEvent
from collab.services import feedback, plans, room_access, rounds, shapes
from collab.services.inputs import FeedbackInput, RoundInput, RoundRef, VersionInput, parse
from tests.support.html import assert_inert
from tests.conftest import ack_of, open_and_enter, received


@pytest.fixture
def room(live):
    open_and_enter(live)
    return live


def item(w, **overrides) -> dict:
    payload = {"client_id": str(uuid.uuid4()), "room_id": w.room_a.id, "plan_id": w.lt_plan.id, "section_key": "executive-summary",
               "kind": "suggestion", "criterion": "readability", "rating": 3, "body": "Say **who** does what."}
    payload.update(overrides)
    return payload


def test_peer_posts_feedback_and_everyone_concerned_sees_it(room, make, connect):
    other_lt_member = make.user("Mindaugas", partner=room.lt)
    elsewhere = connect(other_lt_member)  # plan owner's member, not in any room
    ack = ack_of(room.pl_sio, "submit_feedback", item(room, quote="We will grow"))
    assert ack["ok"], ack
    fb = ack["feedback"]
    assert fb["author"] == {"id": room.pl_member.id, "name": "Tomasz"} and fb["author_partner_id"] == room.pl.id
    assert fb["plan_version"] == 1 and fb["status"] == "open" and fb["seq"] and fb["workshop_id"] == room.workshop.id
    for sio in (room.lt_sio, room.fac_sio, elsewhere):
        [added] = received(sio, "feedback_added")
        assert added["feedback"]["id"] == fb["id"] and added["seq"] == fb["seq"]
    assert received(room.out_sio, "feedback_added") == []


def test_forged_author_fields_are_ignored(room):
    ack = ack_of(room.pl_sio, "submit_feedback", item(room, author_id=room.facilitator.id, author={"id": 1},
                                                      author_partner_id=room.hu.id, status="accepted"))
    stored = db.session.get(FeedbackItem, ack["feedback"]["id"])
    assert stored.author_id == room.pl_member.id and stored.author_partner_id == room.pl.id and stored.status == "open"


def test_same_client_id_twice_gives_one_row(room):
    payload = item(room)
    first = ack_of(room.pl_sio, "submit_feedback", payload)
    second = ack_of(room.pl_sio, "submit_feedback", payload)
    assert first["feedback"] == second["feedback"]
    assert db.session.query(FeedbackItem).count() == 1
    changed = ack_of(room.pl_sio, "submit_feedback", {**payload, "body": "Something else"})
    assert changed["error"]["code"] == "conflict"
    assert len(received(room.lt_sio, "feedback_added")) == 1


def test_outsider_with_another_rooms_ids_is_refused_and_nothing_happens(room):
    before = db.session.query(WorkshopEvent).count()
    ack = ack_of(room.out_sio, "submit_feedback", item(room))
    assert ack["ok"] is False and ack["error"]["code"] == "forbidden"
    ack = ack_of(room.out_sio, "submit_feedback", item(room, room_id=room.room_b.id))
    assert ack["ok"] is False
    assert db.session.query(FeedbackItem).count() == 0 and db.session.query(WorkshopEvent).count() == before
    assert received(room.lt_sio, "feedback_added") == [] and received(room.pl_sio, "feedback_added") == []


def test_owner_cannot_post_top_level_on_own_plan_but_may_reply(room):
    ack = ack_of(room.lt_sio, "submit_feedback", item(room))
    assert ack["error"]["code"] == "forbidden"
    parent = ack_of(room.pl_sio, "submit_feedback", item(room))["feedback"]
    reply = ack_of(room.lt_sio, "submit_feedback", item(room, parent_id=parent["id"], kind="question", body="Which measures?", rating=None, criterion=None))
    assert reply["ok"], reply
    assert reply["feedback"]["parent_id"] == parent["id"]
    assert shapes.feedback(db.session.get(FeedbackItem, parent["id"]))["replies"][0]["body"] == "Which measures?"


def test_a_reply_has_no_kind_unless_one_is_chosen(room, client, login):
    """Replies are answers in a thread, not new questions: without a kind they keep none, and
    the CSV export does not list them as open questions."""
    parent = ack_of(room.pl_sio, "submit_feedback", item(room))["feedback"]
    payload = item(room, parent_id=parent["id"], body="Which measures?", rating=None, criterion=None)
    del payload["kind"]
    reply = ack_of(room.lt_sio, "submit_feedback", payload)
    assert reply["ok"], reply
    assert reply["feedback"]["kind"] is None
    top = item(room)
    del top["kind"]
    refused = ack_of(room.pl_sio, "submit_feedback", top)
    assert refused["error"]["code"] == "validation" and "kind" in refused["error"]["fields"]
    login(room.lt_member)
    csv_text = client.get(f"/api/v1/plans/{room.lt_plan.id}/feedback.csv").get_data(as_text=True)
    [reply_row] = [line for line in csv_text.splitlines() if "Which measures?" in line]
    assert "question" not in reply_row


@pytest.mark.parametrize("overrides, field", [
    ({"section_key": "no-such-section"}, "section_key"),
    ({"quote": "words that are not there"}, "quote"),
    ({"criterion": "beauty"}, "criterion"),
    ({"rating": 6}, "rating"),
    ({"rating": 0}, "rating"),
    ({"rating": True}, "rating"),
    ({"body": ""}, "body"),
    ({"body": "   "}, "body"),
    ({"body": "x" * 4001}, "body"),
    ({"kind": "praise"}, "kind"),
    ({"client_id": "not-a-uuid"}, "client_id"),
    ({"plan_id": "1"}, "plan_id"),
    ({"body": 42}, "body"),
    ({"plan_version": 7}, "plan_version"),
])
def test_invalid_feedback_is_refused_with_the_field_named(room, overrides, field):
    ack = ack_of(room.pl_sio, "submit_feedback", item(room, **overrides))
    assert ack["ok"] is False and ack["error"]["code"] == "validation", ack
    assert field in ack["error"]["fields"]
    assert db.session.query(FeedbackItem).count() == 0


def test_two_hundred_items_fired_without_waiting_are_all_stored_in_seq_order(room):
    for n in range(200):
        room.pl_sio.emit("submit_feedback", item(room, body=f"Point {n}"))
    rows = db.session.query(FeedbackItem).order_by(FeedbackItem.seq).all()
    assert len(rows) == 200
    assert [r.body for r in rows] == [f"Point {n}" for n in range(200)]
    assert [m["feedback"]["seq"] for m in received(room.lt_sio, "feedback_added")] == sorted(r.seq for r in rows)


def test_closed_room_takes_no_new_items(room):
    ack_of(room.fac_sio, "close_round", {"round_id": room.round.id, "countdown_s": 0})
    ack = ack_of(room.pl_sio, "submit_feedback", item(room))
    assert ack["ok"] is False
    # Said as it is: the poster is still the room's member, the room is what closed.
    assert ack["error"]["code"] == "conflict" and "closed" in ack["error"]["message"], ack
    assert db.session.query(FeedbackItem).count() == 0
    outsider = ack_of(room.out_sio, "submit_feedback", item(room))
    assert outsider["error"]["code"] == "forbidden"


def test_author_edits_and_withdraws_while_the_room_is_open(room):
    fb = ack_of(room.pl_sio, "submit_feedback", item(room))["feedback"]
    room.lt_sio.get_received()
    edited = ack_of(room.pl_sio, "edit_feedback", {"feedback_id": fb["id"], "body": "Clearer now", "rating": 4})
    assert edited["ok"] and edited["feedback"]["body"] == "Clearer now" and edited["feedback"]["rating"] == 4
    cleared = ack_of(room.pl_sio, "edit_feedback", {"feedback_id": fb["id"], "rating": None, "criterion": None})
    assert cleared["feedback"]["rating"] is None and cleared["feedback"]["criterion"] is None and cleared["feedback"]["body"] == "Clearer now"
    assert ack_of(room.lt_sio, "edit_feedback", {"feedback_id": fb["id"], "body": "hijack"})["error"]["code"] == "forbidden"
    withdrawn = ack_of(room.pl_sio, "withdraw_feedback", {"feedback_id": fb["id"]})
    assert withdrawn["feedback"]["status"] == "withdrawn"
    assert [m["feedback"]["status"] for m in received(room.lt_sio, "feedback_updated")] == ["open", "open", "withdrawn"]
    actions = [c.action for c in db.session.query(FeedbackChange).order_by(FeedbackChange.id)]
    assert actions == ["created", "edited", "edited", "withdrawn"]
    types = [e.type for e in db.session.query(WorkshopEvent).filter(WorkshopEvent.type.like("feedback%")).order_by(WorkshopEvent.seq)]
    assert types == ["feedback_added", "feedback_updated", "feedback_updated", "feedback_updated"]


def test_owner_answers_and_the_room_sees_it(room):
    fb = ack_of(room.pl_sio, "submit_feedback", item(room))["feedback"]
    assert ack_of(room.pl_sio, "respond_feedback", {"feedback_id": fb["id"], "status": "accepted"})["error"]["code"] == "forbidden"
    declined = ack_of(room.lt_sio, "respond_feedback", {"feedback_id": fb["id"], "status": "declined"})
    assert declined["error"]["code"] == "validation" and "response" in declined["error"]["fields"]
    addressed = ack_of(room.lt_sio, "respond_feedback", {"feedback_id": fb["id"], "status": "addressed", "addressed_in_version": 2})
    assert addressed["error"]["code"] == "validation"
    plans.add_version(room.lt_member, room.lt_plan.id, parse(VersionInput, {"base_version": 1, "sections": [
        {"key": "executive-summary", "title": "Executive summary", "body": "Who does what."}]}))
    addressed = ack_of(room.lt_sio, "respond_feedback", {"feedback_id": fb["id"], "status": "addressed", "addressed_in_version": 2})
    assert addressed["ok"] and addressed["feedback"]["addressed_in_version"] == 2
    assert addressed["feedback"]["responded_by"] == {"id": room.lt_member.id, "name": "Rūta"}
    [update] = received(room.pl_sio, "feedback_updated")
    assert update["feedback"]["status"] == "addressed"
    for status, extra in (("deferred", {}), ("declined", {"response": "Out of scope for this plan"}), ("open", {}), ("accepted", {})):
        assert ack_of(room.lt_sio, "respond_feedback", {"feedback_id": fb["id"], "status": status, **extra})["ok"]


def test_hostile_markdown_in_feedback_is_inert(room):
    hostile = "<script>alert(1)</script> <img src=x onerror=alert(1)> [x](javascript:alert(1))"
    fb = ack_of(room.pl_sio, "submit_feedback", item(room, body=hostile))["feedback"]
    assert_inert(fb["body_html"])
    assert fb["body"] == hostile  # stored as typed, rendered safely


def test_feedback_outside_a_room_is_kept_without_a_live_event(world):
    world_round = rounds.create_round(world.facilitator, world.workshop.id, parse(RoundInput, {"minutes": 5, "rooms": [{"name": "A", "partner_ids": [world.lt.id, world.pl.id]}]}))
    rounds.open_round(world.facilitator, RoundRef(round_id=world_round.id))
    fb = feedback.submit(world.pl_member, parse(FeedbackInput, {"client_id": str(uuid.uuid4()), "plan_id": world.lt_plan.id, "section_key": "action-1",
                                           "kind": "question", "body": "When does it start?"}))
    assert fb.room_id is None and fb.seq is None and fb.criterion is None


@pytest.mark.parametrize("compiled_at_start", [True, False])
def test_the_seat_check_is_compiled_when_the_server_starts_not_by_the_first_item(room, compiled_at_start):
    """Compiling the seat check takes about 3 ms: the server does it at start
    (`start_background_work`), so the first burst after a restart costs what the others do."""
    from sqlalchemy import event
    from sqlalchemy.engine.default import CACHE_HIT

    if compiled_at_start:
        room_access.compile_queries()
    hits: list[bool] = []

    def seen(_conn, _cursor, statement, _parameters, context, _many) -> None:
        if "FROM rounds" in statement:
            hits.append(context.cache_hit is CACHE_HIT)

    event.listen(db.engine, "before_cursor_execute", seen)
    try:
        assert ack_of(room.pl_sio, "submit_feedback", item(room))["ok"]
    finally:
        event.remove(db.engine, "before_cursor_execute", seen)
    assert hits == [compiled_at_start]


def test_a_plan_versions_sections_are_loaded_once_when_members_join_not_when_they_post(room, make, connect):
    """Versions never change: the quote and section checks share one load per worker, made when
    the first member who may comment on the plan joins the room (the fixture's), instead of in
    the first burst of items or once per socket."""
    from sqlalchemy import event

    loads: list[str] = []

    def count(_conn, _cursor, statement, *_args) -> None:
        if "FROM plan_sections JOIN plan_versions" in statement:  # the checks' load (not the join's answer)
            loads.append(statement)

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        second = connect(make.user("Ewa", partner=room.pl))
        assert ack_of(second, "join_room", {"room_id": room.room_a.id})["ok"]
        for sio in (room.pl_sio, second, room.pl_sio):
            assert ack_of(sio, "submit_feedback", item(room, quote="We will grow"))["ok"]
    finally:
        event.remove(db.engine, "before_cursor_execute", count)
    assert loads == []


@pytest.mark.parametrize("space", [" ", "\t", "\n", "\r\n", "\u00a0", "\u2028", "\u3000", "\x1c", " \n\t "])
def test_whitespace_in_a_quote_and_its_section_counts_as_one_space(space):
    """The quote check compares text with every run of whitespace as one space, Unicode's
    whitespace included (what `re.sub(r"\\s+", " ", text).strip()` gives)."""
    text = f"{space}We will{space}grow{space}{space}the port.{space}"
    assert room_access.normalised(text) == "We will grow the port."
    assert room_access.normalised(f"will{space}grow") in room_access.normalised(text)
    assert room_access.normalised("will\u200bgrow") not in room_access.normalised(text)  # a zero-width space is not whitespace

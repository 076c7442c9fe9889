"""Socket.IO wiring for live rooms, with a member, a peer, a facilitator and an outsider."""
from __future__ import annotations

import re
from datetime import datetime, timedelta

import pytest

from collab.extensions import db, socketio
from collab.models import Connection, Presentation, Round, WorkshopEvent
from collab.models.base import utcnow
from collab.services import rounds
from tests.conftest import ack_of, names, open_and_enter, received


def test_anonymous_connect_is_refused(app):
    sio = socketio.test_client(app, flask_test_client=app.test_client())
    assert not sio.is_connected()
    assert db.session.query(Connection).count() == 0


def test_join_workshop_answers_with_workshop_room_and_presence(world, connect):
    sio = connect(world.lt_member)
    ack = sio.emit("join_workshop", {"workshop_id": world.workshop.id}, callback=True)
    assert ack["ok"] and ack["workshop"]["id"] == world.workshop.id and ack["my_room_id"] is None
    assert ack["presence"] == {"room_id": None, "users": [{"id": world.lt_member.id, "name": "Rūta", "partner_id": world.lt.id}]}


def test_non_participant_cannot_join_workshop(world, connect, make):
    stranger = make.user("Stranger", partner=make.partner("ZZ"))
    sio = connect(stranger)
    ack = sio.emit("join_workshop", {"workshop_id": world.workshop.id}, callback=True)
    assert ack == {"ok": False, "error": {"code": "not_found", "message": "No such workshop."}}


def test_open_round_assigns_rooms_to_the_partners_concerned_only(live):
    ack = ack_of(live.fac_sio, "open_round", {"round_id": live.round.id})
    assert ack["ok"] and ack["round"]["status"] == "open"
    lt_assigned = received(live.lt_sio, "room_assigned")
    assert [(m["round_id"], m["room_id"]) for m in lt_assigned] == [(live.round.id, live.room_a.id)]
    assert all("seq" in m and m["workshop_id"] == live.workshop.id for m in lt_assigned)
    out = live.out_sio.get_received()
    assert [(m["name"], m["args"][0].get("room_id")) for m in out if m["name"] == "room_assigned"] == [("room_assigned", live.room_b.id)]
    assert "round_opened" in [m["name"] for m in out]


def test_members_only_open_rounds_by_being_facilitators(live):
    ack = ack_of(live.lt_sio, "open_round", {"round_id": live.round.id})
    assert ack["ok"] is False and ack["error"]["code"] == "forbidden"
    assert db.session.get(Round, live.round.id).status == "pending"


def test_room_is_private_to_its_partners_and_facilitators(live):
    assert ack_of(live.fac_sio, "open_round", {"round_id": live.round.id})["ok"]
    ack = ack_of(live.lt_sio, "join_room", {"room_id": live.room_a.id})
    assert ack["ok"]
    assert {p["partner_id"] for p in ack["plans"]} == {live.lt.id, live.pl.id}
    assert ack["presentation"] is None and ack["last_seq"] >= 1
    refused = ack_of(live.out_sio, "join_room", {"room_id": live.room_a.id})
    assert refused["ok"] is False and refused["error"]["code"] == "not_found"
    assert ack_of(live.fac_sio, "join_room", {"room_id": live.room_a.id})["ok"]


def test_join_acks_and_live_pages_tell_the_servers_time(live, client, login):
    """Clients count down on the server's clock (static/js/live.js), not on their own."""
    def near_now(ms: int) -> bool:
        return abs(ms - utcnow().timestamp() * 1000) < 5000

    assert ack_of(live.fac_sio, "open_round", {"round_id": live.round.id})["ok"]
    for sio, event, payload in ((live.lt_sio, "join_room", {"room_id": live.room_a.id}),
                                (live.fac_sio, "join_workshop", {"workshop_id": live.workshop.id})):
        told = ack_of(sio, event, payload)["now"]
        assert told.endswith("Z") and near_now(datetime.fromisoformat(told.replace("Z", "+00:00")).timestamp() * 1000), (event, told)
    login(live.facilitator)
    for url in (f"/rooms/{live.room_a.id}", f"/workshops/{live.workshop.id}/board", f"/workshops/{live.workshop.id}"):
        page = client.get(url).get_data(as_text=True)
        [rendered] = re.findall(r'data-server-now="(\d+)"', page)
        assert near_now(int(rendered)), url


def test_room_not_enterable_before_it_opens(live):
    ack = ack_of(live.lt_sio, "join_room", {"room_id": live.room_a.id})
    assert ack["ok"] is False


def test_presence_reaches_the_room_and_not_the_outsider(live):
    assert ack_of(live.fac_sio, "open_round", {"round_id": live.round.id})["ok"]
    live.out_sio.get_received()
    live.lt_sio.get_received()
    ack_of(live.pl_sio, "join_room", {"room_id": live.room_a.id})
    ack_of(live.lt_sio, "join_room", {"room_id": live.room_a.id})
    room_presence = [m for m in received(live.pl_sio, "presence") if m["room_id"] == live.room_a.id]
    assert {u["id"] for u in room_presence[-1]["users"]} == {live.lt_member.id, live.pl_member.id}
    assert all(m["room_id"] is None for m in received(live.out_sio, "presence"))  # plenary only
    assert any(m["room_id"] == live.room_a.id for m in received(live.fac_sio, "presence"))  # the board sees rooms


def test_presenter_drives_the_section_and_the_peer_follows(live):
    open_and_enter(live)
    ack = ack_of(live.lt_sio, "start_presentation", {"room_id": live.room_a.id, "plan_id": live.lt_plan.id})
    assert ack["ok"], ack
    presentation = ack["presentation"]
    assert presentation["section_key"] == "executive-summary" and presentation["presenter_partner_id"] == live.lt.id
    assert received(live.pl_sio, "presentation_started")[0]["presentation"] == presentation
    shown = ack_of(live.lt_sio, "show_section", {"presentation_id": presentation["id"], "section_key": "action-1"})
    assert shown["ok"]
    assert [m["section_key"] for m in received(live.pl_sio, "section_shown")] == ["action-1"]
    fac = live.fac_sio.get_received()
    assert "presentation_started" in [m["name"] for m in fac] and "section_shown" in [m["name"] for m in fac]
    assert live.out_sio.get_received() == []
    # The peer may not drive someone else's presentation; unknown sections are refused.
    peer = ack_of(live.pl_sio, "show_section", {"presentation_id": presentation["id"], "section_key": "executive-summary"})
    assert peer["error"]["code"] == "forbidden"
    bad = ack_of(live.lt_sio, "show_section", {"presentation_id": presentation["id"], "section_key": "no-such"})
    assert bad["error"]["code"] == "validation"
    assert db.session.get(Presentation, presentation["id"]).section_key == "action-1"
    ended = ack_of(live.lt_sio, "end_presentation", {"presentation_id": presentation["id"]})
    assert ended["ok"]
    [message] = received(live.pl_sio, "presentation_ended")
    assert message["presentation_id"] == presentation["id"] and message["workshop_id"] == live.workshop.id
    stored = db.session.query(WorkshopEvent).filter_by(type="presentation_ended").one()
    assert message["seq"] == stored.seq


def test_partner_cannot_present_a_peers_plan_and_outsider_cannot_present_here(live):
    open_and_enter(live)
    ack = ack_of(live.lt_sio, "start_presentation", {"room_id": live.room_a.id, "plan_id": live.pl_plan.id})
    assert ack["error"]["code"] == "forbidden"
    ack = ack_of(live.out_sio, "start_presentation", {"room_id": live.room_a.id, "plan_id": live.hu_plan.id})
    assert ack["error"]["code"] == "not_found"
    assert db.session.query(Presentation).count() == 0
    assert live.pl_sio.get_received() == []


def test_outsider_with_foreign_ids_gets_forbidden_and_nothing_is_broadcast(live):
    open_and_enter(live)
    ack = ack_of(live.lt_sio, "start_presentation", {"room_id": live.room_a.id, "plan_id": live.lt_plan.id})
    live.pl_sio.get_received()
    pid = ack["presentation"]["id"]
    for event, payload in [
        ("show_section", {"presentation_id": pid, "section_key": "action-1"}),
        ("end_presentation", {"presentation_id": pid}),
        ("leave_room", {"room_id": live.room_a.id}),
        ("extend_round", {"round_id": live.round.id, "minutes": 5}),
        ("close_round", {"round_id": live.round.id, "countdown_s": 1}),
        ("move_partner", {"round_id": live.round.id, "partner_id": live.hu.id, "to_room_id": live.room_a.id}),
        ("broadcast", {"workshop_id": live.workshop.id, "message": "hi"}),
    ]:
        result = ack_of(live.out_sio, event, payload)
        assert result["ok"] is False, event
        assert result["error"]["code"] in {"forbidden", "not_found", "conflict"}, (event, result)
    assert live.pl_sio.get_received() == []
    assert db.session.get(Round, live.round.id).status == "open"


def test_leave_room_returns_to_the_plenary(live):
    open_and_enter(live)
    ack = ack_of(live.pl_sio, "leave_room", {"room_id": live.room_a.id})
    assert ack == {"ok": True, "room_id": live.room_a.id}
    room_presence = [m for m in received(live.lt_sio, "presence") if m["room_id"] == live.room_a.id]
    assert [u["id"] for u in room_presence[-1]["users"]] == [live.lt_member.id]
    ack_of(live.lt_sio, "start_presentation", {"room_id": live.room_a.id, "plan_id": live.lt_plan.id})
    # Still seated there: the room's news reaches the partner wherever it is, as replay would.
    assert "presentation_started" in names(live.pl_sio)
    assert ack_of(live.pl_sio, "leave_room", {"room_id": live.room_a.id})["error"]["code"] == "conflict"


def test_broadcast_reaches_plenary_and_every_room(live):
    open_and_enter(live)
    ack = ack_of(live.fac_sio, "broadcast", {"workshop_id": live.workshop.id, "message": "Five minutes left"})
    assert ack["ok"]
    for sio in (live.lt_sio, live.pl_sio, live.out_sio):
        [message] = received(sio, "announcement")
        assert message["message"] == "Five minutes left" and message["from"]["id"] == live.facilitator.id


def test_extend_round_sends_timer(live):
    open_and_enter(live)
    ack = ack_of(live.fac_sio, "extend_round", {"round_id": live.round.id, "minutes": 5})
    assert ack["ok"]
    assert [m["ends_at"] for m in received(live.lt_sio, "timer")] == [ack["ends_at"]]


def test_moved_partner_leaves_the_room_and_gets_no_more_of_its_events(live):
    open_and_enter(live)
    ack = ack_of(live.fac_sio, "move_partner", {"round_id": live.round.id, "partner_id": live.pl.id, "to_room_id": live.room_b.id})
    assert ack["ok"], ack
    assert [m["room_id"] for m in received(live.pl_sio, "room_assigned")] == [live.room_b.id]
    ack_of(live.lt_sio, "start_presentation", {"room_id": live.room_a.id, "plan_id": live.lt_plan.id})
    assert "presentation_started" not in names(live.pl_sio)
    assert ack_of(live.pl_sio, "join_room", {"room_id": live.room_a.id})["ok"] is False
    assert ack_of(live.pl_sio, "join_room", {"room_id": live.room_b.id})["ok"]


def test_round_closes_with_countdown_and_everyone_returns_to_plenary(live):
    open_and_enter(live)
    ack = ack_of(live.fac_sio, "close_round", {"round_id": live.round.id, "countdown_s": 10})
    assert ack["ok"] and ack["status"] == "closing"
    assert received(live.lt_sio, "round_closing")[0]["seconds"] == 10
    assert rounds.advance_timers(utcnow() + timedelta(seconds=11)) == 1
    for sio in (live.lt_sio, live.pl_sio, live.out_sio):
        assert [m["round_id"] for m in received(sio, "round_closed")] == [live.round.id]
    assert db.session.query(Connection).filter(Connection.room_id.isnot(None)).count() == 0
    # Closed rooms accept no presentations.
    ack = ack_of(live.lt_sio, "start_presentation", {"room_id": live.room_a.id, "plan_id": live.lt_plan.id})
    assert ack["ok"] is False


def test_resume_replays_missed_events_once_in_order(live):
    open_and_enter(live)
    last_seen = db.session.query(WorkshopEvent).order_by(WorkshopEvent.seq.desc()).first().seq
    ack = ack_of(live.lt_sio, "start_presentation", {"room_id": live.room_a.id, "plan_id": live.lt_plan.id})
    pid = ack["presentation"]["id"]
    for key in ("action-1", "executive-summary", "action-1"):
        ack_of(live.lt_sio, "show_section", {"presentation_id": pid, "section_key": key})
    live.pl_sio.get_received()  # pretend these were lost with the connection
    result = ack_of(live.pl_sio, "resume", {"workshop_id": live.workshop.id, "after_seq": last_seen})
    replayed = [m for m in live.pl_sio.get_received()]
    seqs = [m["args"][0]["seq"] for m in replayed]
    assert seqs == sorted(set(seqs)) and seqs[0] > last_seen
    assert [m["args"][0]["section_key"] for m in replayed if m["name"] == "section_shown"] == ["action-1", "executive-summary", "action-1"]
    assert result["replayed"] == len(replayed) and result["last_seq"] == seqs[-1]
    # The outsider's resume holds nothing from room A.
    ack_of(live.out_sio, "resume", {"workshop_id": live.workshop.id, "after_seq": last_seen})
    assert all(m["args"][0].get("room_id") in (None, live.room_b.id) for m in live.out_sio.get_received())


def test_logout_disconnects_that_sessions_sockets(app, world):
    http = app.test_client()
    token = http.post("/api/v1/session", json={"email": world.lt_member.email, "password": "correct horse battery staple"}).get_json()["csrf_token"]
    sio = socketio.test_client(app, flask_test_client=http)
    assert sio.is_connected()
    assert http.delete("/api/v1/session", headers={"X-CSRFToken": token}).status_code == 204
    assert not sio.is_connected()


@pytest.mark.parametrize("payload", [None, [], "x", 5, {}, {"workshop_id": "1"}, {"workshop_id": -1}, {"workshop_id": 2**64}, {"workshop_id": True}])
def test_malformed_payloads_get_validation_errors(live, payload):
    args = () if payload is None else (payload,)
    ack = live.lt_sio.emit("join_workshop", *args, callback=True)
    assert ack["ok"] is False and ack["error"]["code"] in {"validation", "bad_request"}


def test_unknown_event_is_answered(live):
    ack = live.lt_sio.emit("drop_tables", {"x": 1}, callback=True)
    assert ack["ok"] is False and ack["error"]["code"] == "bad_request"


def test_flooding_socket_is_rate_limited(app, live):
    app.extensions["collab.socket_limiter"].burst = 5
    app.extensions["collab.socket_limiter"].rate = 0.01
    codes = [live.lt_sio.emit("join_workshop", {"workshop_id": live.workshop.id}, callback=True).get("error", {}).get("code") for _ in range(8)]
    assert codes.count("rate_limited") >= 2
    assert live.pl_sio.emit("join_workshop", {"workshop_id": live.workshop.id}, callback=True)["ok"]  # others unaffected


def test_socket_packets_are_json_and_never_walked_for_bytes(app, monkeypatch):
    """python-socketio would walk every payload, value by value, looking for bytes to send as
    attachments; Collab's packets are JSON, and a feedback item's event skips that walk."""
    from socketio.packet import EVENT, Packet

    from collab.realtime.packets import JsonPacket

    assert socketio.server.packet_class is JsonPacket

    def walked(_data):
        raise AssertionError("the payload was walked for binary attachments")

    monkeypatch.setattr(Packet, "data_is_binary", classmethod(lambda cls, data: walked(data)))
    packet = socketio.server.packet_class(EVENT, data=["feedback_added", {"feedback": {"body": "x", "replies": [{"id": 1}]}}])
    assert packet.packet_type == EVENT and packet.encode() == '2["feedback_added",{"feedback":{"body":"x","replies":[{"id":1}]}}]'

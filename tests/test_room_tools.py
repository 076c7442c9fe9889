"""The facilitator's room tools (issue 13): raised hands, a message to one room, a video-call
link per room and the workshop's resources, over sockets, pages and the API."""
from __future__ import annotations

import pytest

from collab.extensions import db
from collab.models import Room, WorkshopEvent, WorkshopResource
from tests.conftest import ack_of, open_and_enter, received
from tests.support.html import assert_inert


def _events(sio, *names: str) -> list[tuple[str, dict]]:
    return [(m["name"], m["args"][0]) for m in sio.get_received() if m["name"] in names]


def _hand(room_id: int) -> Room:
    room = db.session.get(Room, room_id)
    db.session.refresh(room)
    return room


# --- raised hands ------------------------------------------------------------------------------

def test_a_raised_hand_reaches_the_room_and_the_facilitators_only_and_raising_again_changes_nothing(live):
    open_and_enter(live)
    ack = ack_of(live.lt_sio, "raise_hand", {"room_id": live.room_a.id})
    assert ack["ok"] and ack["raised"] and ack["room_id"] == live.room_a.id
    assert ack["by"] == {"id": live.lt_member.id, "name": "Rūta"} and ack["at"].endswith("Z")
    for sio in (live.pl_sio, live.fac_sio, live.lt_sio):
        [raised] = received(sio, "hand_raised")
        assert {k: raised[k] for k in ("room_id", "by", "at")} == {k: ack[k] for k in ("room_id", "by", "at")}
        assert raised["workshop_id"] == live.workshop.id and isinstance(raised["seq"], int)
    assert live.out_sio.get_received() == []  # room B hears nothing of room A

    again = ack_of(live.pl_sio, "raise_hand", {"room_id": live.room_a.id})
    assert again["ok"] and again["by"] == ack["by"] and again["at"] == ack["at"]  # the first hand stays
    assert received(live.lt_sio, "hand_raised") == [] and received(live.fac_sio, "hand_raised") == []
    assert db.session.query(WorkshopEvent).filter_by(type="hand_raised").count() == 1


def test_a_facilitator_lowers_a_hand_and_it_is_cleared_for_the_room_and_the_board(live):
    open_and_enter(live)
    ack_of(live.lt_sio, "raise_hand", {"room_id": live.room_a.id})
    for sio in (live.lt_sio, live.pl_sio, live.fac_sio):
        sio.get_received()
    ack = ack_of(live.fac_sio, "lower_hand", {"room_id": live.room_a.id})
    assert ack == {"ok": True, "room_id": live.room_a.id, "raised": False}
    for sio in (live.lt_sio, live.pl_sio, live.fac_sio):
        [lowered] = received(sio, "hand_lowered")
        assert lowered["room_id"] == live.room_a.id and lowered["by"]["id"] == live.facilitator.id and lowered["at"]
    assert live.out_sio.get_received() == []
    assert _hand(live.room_a.id).hand_raised_at is None
    # Lowering a hand that is down is fine and says nothing; a member may lower it too.
    assert ack_of(live.pl_sio, "lower_hand", {"room_id": live.room_a.id})["ok"]
    assert received(live.lt_sio, "hand_lowered") == []


def test_only_the_rooms_members_raise_its_hand(live):
    # Before the round opens nobody may.
    assert ack_of(live.lt_sio, "raise_hand", {"room_id": live.room_a.id})["error"]["code"] == "not_found"
    open_and_enter(live)
    assert ack_of(live.out_sio, "raise_hand", {"room_id": live.room_a.id})["error"]["code"] == "not_found"
    assert ack_of(live.out_sio, "lower_hand", {"room_id": live.room_a.id})["error"]["code"] == "not_found"
    assert ack_of(live.fac_sio, "raise_hand", {"room_id": live.room_a.id})["error"]["code"] == "forbidden"
    assert ack_of(live.lt_sio, "raise_hand", {"room_id": 10**9})["error"]["code"] == "not_found"
    assert ack_of(live.lt_sio, "raise_hand", {"room_id": "1"})["error"]["code"] == "validation"
    assert ack_of(live.lt_sio, "raise_hand", {})["error"]["code"] == "validation"
    assert _hand(live.room_a.id).hand_raised_at is None
    for sio in (live.lt_sio, live.pl_sio, live.fac_sio):
        assert received(sio, "hand_raised") == []


def test_closing_the_round_clears_its_hands(live, client, login):
    open_and_enter(live)
    ack_of(live.lt_sio, "raise_hand", {"room_id": live.room_a.id})
    assert ack_of(live.fac_sio, "close_round", {"round_id": live.round.id, "countdown_s": 0})["ok"]
    assert _hand(live.room_a.id).hand_raised_at is None
    login(live.facilitator)
    assert "Help asked by Rūta" not in client.get(f"/rooms/{live.room_a.id}").get_data(as_text=True)
    # Too late to ask: the room's members are told so (docs/API.md), others still learn nothing.
    late = ack_of(live.lt_sio, "raise_hand", {"room_id": live.room_a.id})["error"]
    assert late == {"code": "conflict", "message": "This round is closed."}
    assert ack_of(live.out_sio, "raise_hand", {"room_id": live.room_a.id})["error"]["code"] == "not_found"
    assert _hand(live.room_a.id).hand_raised_at is None


def test_moving_a_partner_out_of_a_room_lowers_the_hand_its_member_raised_there(live, client, login):
    open_and_enter(live)
    ack_of(live.lt_sio, "raise_hand", {"room_id": live.room_a.id})
    for sio in (live.lt_sio, live.pl_sio, live.out_sio, live.fac_sio):
        sio.get_received()
    moved = ack_of(live.fac_sio, "move_partner", {"round_id": live.round.id, "partner_id": live.lt.id, "to_room_id": live.room_b.id})
    assert moved["ok"], moved
    assert _hand(live.room_a.id).hand_raised_at is None
    for sio in (live.pl_sio, live.fac_sio, live.lt_sio):
        [lowered] = received(sio, "hand_lowered")
        assert lowered["room_id"] == live.room_a.id and lowered["by"]["id"] == live.facilitator.id
    assert received(live.out_sio, "hand_lowered") == []  # room B never heard of room A's hand
    [event] = db.session.query(WorkshopEvent).filter_by(type="hand_lowered").all()
    assert event.room_id == live.room_a.id and sorted(event.audience) == sorted([live.lt.id, live.pl.id])
    login(live.facilitator)
    assert "Help asked by Rūta" not in client.get(f"/workshops/{live.workshop.id}/board").get_data(as_text=True)
    # A hand raised by a member of a partner that stays is left up.
    ack_of(live.lt_sio, "raise_hand", {"room_id": live.room_b.id})
    ack_of(live.fac_sio, "move_partner", {"round_id": live.round.id, "partner_id": live.pl.id, "to_room_id": live.room_b.id})
    assert _hand(live.room_b.id).hand_raised_by_id == live.lt_member.id


# --- a message to one room --------------------------------------------------------------------

def test_a_message_to_one_room_reaches_that_room_only(live):
    open_and_enter(live)
    ack = ack_of(live.fac_sio, "message_room", {"room_id": live.room_a.id, "message": "Room A: five more minutes"})
    assert ack["ok"] and ack["room_id"] == live.room_a.id and isinstance(ack["seq"], int)
    for sio in (live.lt_sio, live.pl_sio, live.fac_sio):
        [message] = received(sio, "announcement")
        assert message["message"] == "Room A: five more minutes" and message["room_id"] == live.room_a.id
        assert message["from"] == {"id": live.facilitator.id, "name": "Gintarė"} and message["seq"] == ack["seq"]
    assert live.out_sio.get_received() == []


def test_only_facilitators_message_a_room_and_bad_messages_change_nothing(live):
    open_and_enter(live)
    before = db.session.query(WorkshopEvent).count()
    for sio, payload, code in [
        (live.lt_sio, {"room_id": live.room_a.id, "message": "hi"}, "forbidden"),
        (live.out_sio, {"room_id": live.room_a.id, "message": "hi"}, "forbidden"),
        (live.fac_sio, {"room_id": 10**9, "message": "hi"}, "not_found"),
        (live.fac_sio, {"room_id": live.room_a.id, "message": "   "}, "validation"),
        (live.fac_sio, {"room_id": live.room_a.id, "message": "\u200b"}, "validation"),
        (live.fac_sio, {"room_id": live.room_a.id, "message": " \u200b\u202e\u2060 "}, "validation"),
        (live.fac_sio, {"room_id": live.room_a.id, "message": "x" * 1001}, "validation"),
        (live.fac_sio, {"room_id": live.room_a.id}, "validation"),
    ]:
        assert ack_of(sio, "message_room", payload)["error"]["code"] == code, payload
    invisible = ack_of(live.fac_sio, "broadcast", {"workshop_id": live.workshop.id, "message": "\u200b"})["error"]
    assert invisible["code"] == "validation" and "message" in invisible["fields"]
    assert db.session.query(WorkshopEvent).count() == before
    assert received(live.pl_sio, "announcement") == []


def test_a_facilitator_of_another_workshop_cannot_tell_a_room_exists(live, connect, make, client, login):
    open_and_enter(live)
    stranger = make.user("Elsewhere")
    make.workshop([], [stranger])
    sio = connect(stranger)
    answers = [ack_of(sio, "message_room", {"room_id": room_id, "message": "hi"}) for room_id in (live.room_a.id, 10**9)]
    assert answers[0] == answers[1] == {"ok": False, "error": {"code": "not_found", "message": "No such room."}}
    login(stranger)
    patched = [client.patch(f"/api/v1/rooms/{room_id}", json={"video_url": "https://x.example/"}) for room_id in (live.room_a.id, 10**9)]
    assert [r.status_code for r in patched] == [404, 404] and patched[0].get_json() == patched[1].get_json()
    assert patched[0].get_json()["error"]["message"] == "No such room."
    assert db.session.get(Room, live.room_a.id).video_url is None


def test_a_closed_room_takes_no_message(live):
    open_and_enter(live)
    assert ack_of(live.fac_sio, "close_round", {"round_id": live.round.id, "countdown_s": 0})["ok"]
    assert ack_of(live.fac_sio, "message_room", {"room_id": live.room_a.id, "message": "late"})["error"]["code"] == "conflict"


def test_resume_replays_hands_and_room_messages_to_their_room_only(live):
    open_and_enter(live)
    db.session.refresh(live.workshop)
    start = live.workshop.last_seq
    ack_of(live.lt_sio, "raise_hand", {"room_id": live.room_a.id})
    ack_of(live.fac_sio, "message_room", {"room_id": live.room_a.id, "message": "On my way"})
    ack_of(live.fac_sio, "lower_hand", {"room_id": live.room_a.id})
    ack_of(live.fac_sio, "message_room", {"room_id": live.room_b.id, "message": "For B"})
    for sio in (live.lt_sio, live.pl_sio, live.out_sio, live.fac_sio):
        sio.get_received()

    wanted = ("hand_raised", "hand_lowered", "announcement")
    assert ack_of(live.pl_sio, "resume", {"workshop_id": live.workshop.id, "after_seq": start})["ok"]
    replayed = _events(live.pl_sio, *wanted)
    assert [(name, p["room_id"]) for name, p in replayed] == [
        ("hand_raised", live.room_a.id), ("announcement", live.room_a.id), ("hand_lowered", live.room_a.id)]
    assert ack_of(live.out_sio, "resume", {"workshop_id": live.workshop.id, "after_seq": start})["ok"]
    assert [(name, p["message"]) for name, p in _events(live.out_sio, *wanted)] == [("announcement", "For B")]
    assert ack_of(live.fac_sio, "resume", {"workshop_id": live.workshop.id, "after_seq": start})["ok"]
    assert len(_events(live.fac_sio, *wanted)) == 4


def test_pages_show_a_room_message_in_its_room_and_on_the_board_only(live, client, login):
    open_and_enter(live)
    ack_of(live.fac_sio, "message_room", {"room_id": live.room_a.id, "message": "Only for A"})
    ack_of(live.fac_sio, "broadcast", {"workshop_id": live.workshop.id, "message": "For everyone"})
    login(live.lt_member)
    room = client.get(f"/rooms/{live.room_a.id}").get_data(as_text=True)
    assert "Only for A" in room and "To this room only" in room and "For everyone" in room
    plenary = client.get(f"/workshops/{live.workshop.id}").get_data(as_text=True)
    assert "Only for A" not in plenary and "For everyone" in plenary
    login(live.outsider)
    other_room = client.get(f"/rooms/{live.room_b.id}").get_data(as_text=True)
    assert "Only for A" not in other_room and "For everyone" in other_room
    login(live.facilitator)
    board = client.get(f"/workshops/{live.workshop.id}/board").get_data(as_text=True)
    assert "Only for A" in board and "To A only" in board


def test_pages_list_every_announcement_of_the_round(live, client, login):
    open_and_enter(live)
    for n in range(25):
        ack_of(live.fac_sio, "message_room" if n % 2 else "broadcast",
               {"room_id": live.room_a.id, "workshop_id": live.workshop.id, "message": f"Note number {n}."})
    login(live.lt_member)
    room = client.get(f"/rooms/{live.room_a.id}").get_data(as_text=True)
    assert all(f"Note number {n}." in room for n in range(25))
    login(live.facilitator)
    board = client.get(f"/workshops/{live.workshop.id}/board").get_data(as_text=True)
    assert all(f"Note number {n}." in board for n in range(25))


def test_the_room_page_and_the_board_show_a_raised_hand(live, client, login):
    open_and_enter(live)
    ack_of(live.lt_sio, "raise_hand", {"room_id": live.room_a.id})
    login(live.pl_member)
    room = client.get(f"/rooms/{live.room_a.id}").get_data(as_text=True)
    assert 'id="raise-hand"' in room and 'aria-pressed="true"' in room and "Help asked by Rūta" in room
    login(live.facilitator)
    board = client.get(f"/workshops/{live.workshop.id}/board").get_data(as_text=True)
    assert "Help asked by Rūta" in board and "board-room has-hand" in board
    assert_inert(board)
    ack_of(live.fac_sio, "lower_hand", {"room_id": live.room_a.id})
    timeline = client.get(f"/workshops/{live.workshop.id}/timeline").get_data(as_text=True)
    assert "Rūta asked for help. (in A)" in timeline and "Gintarė lowered the hand. (in A)" in timeline


def test_a_partner_moved_into_a_room_sees_on_its_page_what_resume_gives_it(live, client, login):
    open_and_enter(live)
    ack_of(live.lt_sio, "raise_hand", {"room_id": live.room_a.id})
    ack_of(live.fac_sio, "message_room", {"room_id": live.room_a.id, "message": "Before you came"})
    moved = ack_of(live.fac_sio, "move_partner", {"round_id": live.round.id, "partner_id": live.hu.id, "to_room_id": live.room_a.id})
    assert moved["ok"], moved
    ack_of(live.fac_sio, "message_room", {"room_id": live.room_a.id, "message": "After you came"})
    live.out_sio.get_received()
    assert ack_of(live.out_sio, "resume", {"workshop_id": live.workshop.id, "after_seq": 0})["ok"]
    replayed = [(name, p.get("message")) for name, p in _events(live.out_sio, "hand_raised", "announcement")]
    assert replayed == [("announcement", "After you came")]
    login(live.outsider)
    page = client.get(f"/rooms/{live.room_a.id}").get_data(as_text=True)
    assert "After you came" in page and "Before you came" not in page and "Help asked by Rūta" not in page
    assert ack_of(live.out_sio, "join_room", {"room_id": live.room_a.id})["room"]["hand"] is None
    # Those who were there still see both.
    login(live.pl_member)
    page = client.get(f"/rooms/{live.room_a.id}").get_data(as_text=True)
    assert "Before you came" in page and "Help asked by Rūta" in page
    assert ack_of(live.pl_sio, "join_room", {"room_id": live.room_a.id})["room"]["hand"]["by"]["id"] == live.lt_member.id


# --- video-call links ---------------------------------------------------------------------------

def test_a_facilitator_sets_a_rooms_call_link_and_only_the_room_sees_it(live, client, login):
    open_and_enter(live)
    login(live.facilitator)
    response = client.patch(f"/api/v1/rooms/{live.room_a.id}", json={"video_url": "https://bbb.example.org/b/room-a"})
    assert response.status_code == 200, response.get_json()
    assert response.get_json() == {"room_id": live.room_a.id, "video_url": "https://bbb.example.org/b/room-a",
                                   "call_url": "https://bbb.example.org/b/room-a"}
    assert ack_of(live.lt_sio, "join_room", {"room_id": live.room_a.id})["room"]["call_url"] == "https://bbb.example.org/b/room-a"
    login(live.lt_member)
    page = client.get(f"/rooms/{live.room_a.id}").get_data(as_text=True)
    assert 'href="https://bbb.example.org/b/room-a" target="_blank" rel="noopener noreferrer"' in page
    assert "Join the call" in page
    login(live.outsider)
    assert "bbb.example.org" not in client.get(f"/rooms/{live.room_b.id}").get_data(as_text=True)
    assert "bbb.example.org" not in client.get(f"/workshops/{live.workshop.id}").get_data(as_text=True)
    assert "bbb.example.org" not in client.get(f"/api/v1/workshops/{live.workshop.id}").get_data(as_text=True)


@pytest.mark.parametrize("bad", ["javascript:alert(1)", "ftp://files.example.org/x", "https://", "meet.jit.si/room",
                                 "https://exa mple.org", "x" * 2001, 42, 'https://"onmouseover=alert(1)//',
                                 "https://x.example:abc/", "https://x.example:99999/", "https://x.example:0/",
                                 "https://good.example@evil.example/", "https://x.example/\u202eexe.mp4", "https://x\u200b.example/",
                                 "http:///path", "https://-x.example/", "https://[zz]/"])
def test_a_call_link_must_be_a_web_address(live, client, login, bad):
    login(live.facilitator)
    response = client.patch(f"/api/v1/rooms/{live.room_a.id}", json={"video_url": bad})
    assert response.status_code == 422 and "video_url" in response.get_json()["error"]["fields"]
    assert db.session.get(Room, live.room_a.id).video_url is None


@pytest.mark.parametrize("good", ["HTTPS://Meet.Example/Room-1", "https://bücher.example/a?b=c#d", "http://127.0.0.1:8080/x",
                                  "https://[2001:db8::1]:443/", "https://x.example:65535/"])
def test_a_call_link_may_be_any_plain_web_address(live, client, login, good):
    login(live.facilitator)
    response = client.patch(f"/api/v1/rooms/{live.room_a.id}", json={"video_url": good})
    assert response.status_code == 200 and db.session.get(Room, live.room_a.id).video_url == good


def test_members_cannot_set_call_links(live, client, login):
    open_and_enter(live)
    login(live.lt_member)
    assert client.patch(f"/api/v1/rooms/{live.room_a.id}", json={"video_url": "https://evil.example"}).status_code == 403
    login(live.outsider)
    assert client.patch(f"/api/v1/rooms/{live.room_a.id}", json={"video_url": "https://evil.example"}).status_code == 403
    assert db.session.get(Room, live.room_a.id).video_url is None


def test_without_an_entered_link_the_room_gets_one_from_the_configured_base(live, client, login, app):
    app.config["VIDEO_CALL_BASE_URL"] = "https://meet.jit.si/collab-"
    open_and_enter(live)
    link = ack_of(live.lt_sio, "join_room", {"room_id": live.room_a.id})["room"]["call_url"]
    other = ack_of(live.out_sio, "join_room", {"room_id": live.room_b.id})["room"]["call_url"]
    assert link.startswith(f"https://meet.jit.si/collab-{live.room_a.id}-") and len(link.rsplit("-", 1)[1]) == 12
    assert other.startswith(f"https://meet.jit.si/collab-{live.room_b.id}-") and other != link
    login(live.facilitator)
    # A page form: empty goes back to the made link.
    client.post(f"/rooms/{live.room_a.id}/video", data={"video_url": "https://zoom.example/j/1"})
    assert db.session.get(Room, live.room_a.id).video_url == "https://zoom.example/j/1"
    client.post(f"/rooms/{live.room_a.id}/video", data={"video_url": ""})
    assert db.session.get(Room, live.room_a.id).video_url is None
    assert client.patch(f"/api/v1/rooms/{live.room_a.id}", json={"video_url": None}).get_json()["call_url"] == link
    # A refused form goes back to the board, whatever the Referer says.
    elsewhere = {"Referer": "https://evil.example/"}
    refused = client.post(f"/rooms/{live.room_a.id}/video", data={"video_url": "javascript:alert(1)"}, headers=elsewhere)
    assert refused.status_code == 302 and refused.headers["Location"] == f"/workshops/{live.workshop.id}/board"
    login(live.outsider)
    unknown = client.post(f"/rooms/{live.room_a.id}/video", data={"video_url": "https://x.example/"}, headers=elsewhere)
    assert unknown.status_code == 302 and unknown.headers["Location"] == "/"
    assert db.session.get(Room, live.room_a.id).video_url is None


# --- resources ----------------------------------------------------------------------------------

def test_facilitators_keep_the_workshops_resources_and_participants_see_them(live, client, login):
    login(live.facilitator)
    url = f"/api/v1/workshops/{live.workshop.id}/resources"
    response = client.post(url, json={"title": "Recording of the first presentations", "url": "https://video.example.org/rec1",
                                      "kind": "recording"})
    assert response.status_code == 201, response.get_json()
    created = response.get_json()
    assert {k: created[k] for k in ("title", "url", "kind", "workshop_id")} == {
        "title": "Recording of the first presentations", "url": "https://video.example.org/rec1", "kind": "recording",
        "workshop_id": live.workshop.id}
    assert client.post(url, json={"title": "Study visit notes", "url": "https://docs.example.org/visit"}).status_code == 201

    login(live.lt_member)
    listed = client.get(url).get_json()
    assert [r["title"] for r in listed["items"]] == ["Recording of the first presentations", "Study visit notes"]
    assert listed["next"] is None and listed["items"][1]["kind"] is None
    assert client.post(url, json={"title": "Mine", "url": "https://x.example"}).status_code == 403
    assert client.delete(f"{url}/{created['id']}").status_code == 403
    page = client.get(f"/workshops/{live.workshop.id}").get_data(as_text=True)
    assert 'href="https://video.example.org/rec1" target="_blank" rel="noopener noreferrer"' in page
    assert "Add resource" not in page
    open_and_enter(live)
    assert "Study visit notes" in client.get(f"/rooms/{live.room_a.id}").get_data(as_text=True)

    login(live.outsider)  # in another room of the workshop: the resources are the workshop's
    assert len(client.get(url).get_json()["items"]) == 2

    login(live.facilitator)
    assert client.delete(f"{url}/{created['id']}").status_code == 204
    assert client.delete(f"{url}/{created['id']}").status_code == 404
    assert [r.title for r in db.session.query(WorkshopResource)] == ["Study visit notes"]


def test_outsiders_do_not_see_resources(world, client, login, make):
    stranger = make.user("Stranger", partner=make.partner("ZZ"))
    login(stranger)
    assert client.get(f"/api/v1/workshops/{world.workshop.id}/resources").status_code == 404
    assert client.post(f"/api/v1/workshops/{world.workshop.id}/resources",
                       json={"title": "x", "url": "https://x.example"}).status_code == 404


@pytest.mark.parametrize("body, field", [
    ({"title": "x", "url": "javascript:alert(1)"}, "url"),
    ({"title": "x", "url": "data:text/html,hi"}, "url"),
    ({"title": "x", "url": "/relative"}, "url"),
    ({"title": " ", "url": "https://x.example"}, "title"),
    ({"title": "Slides\u202egpj.exe", "url": "https://x.example"}, "title"),
    ({"title": "Slides\u200b", "url": "https://x.example"}, "title"),
    ({"title": "Slides\x07", "url": "https://x.example"}, "title"),
    ({"title": "x", "url": "https://good.example@evil.example/"}, "url"),
    ({"title": "x", "url": "https://x.example", "kind": "podcast"}, "kind"),
    ({"url": "https://x.example"}, "title"),
])
def test_a_resource_needs_a_title_and_a_web_address(world, client, login, body, field):
    login(world.facilitator)
    response = client.post(f"/api/v1/workshops/{world.workshop.id}/resources", json=body)
    assert response.status_code == 422 and field in response.get_json()["error"]["fields"]
    assert db.session.query(WorkshopResource).count() == 0


def test_a_resource_title_may_hold_an_emoji_sequence(world, client, login):
    """The zero-width joiner builds emoji (a woman with a laptop); it hides nothing in a title."""
    login(world.facilitator)
    title = "\U0001F469\u200d\U0001F4BB Recording of the kick-off"
    response = client.post(f"/api/v1/workshops/{world.workshop.id}/resources", json={"title": title, "url": "https://x.example"})
    assert response.status_code == 201, response.get_json()
    assert response.get_json()["title"] == title


def test_resources_through_the_workshop_page_forms(world, client, login):
    login(world.facilitator)
    base = f"/workshops/{world.workshop.id}"
    response = client.post(f"{base}/resources", data={"title": "Study visit video", "url": "https://video.example.org/visit",
                                                       "kind": "video"})
    assert response.status_code == 302 and response.headers["Location"].endswith("#resources")
    page = client.get(base).get_data(as_text=True)
    assert "Study visit video" in page and "Resource added." in page
    bad = client.post(f"{base}/resources", data={"title": "Bad", "url": "javascript:alert(1)"}, follow_redirects=True)
    assert "Give a web address starting with http:// or https://." in bad.get_data(as_text=True)
    assert_inert(bad.get_data(as_text=True))
    resource = db.session.query(WorkshopResource).one()
    client.post(f"{base}/resources/{resource.id}/delete")
    assert db.session.query(WorkshopResource).count() == 0

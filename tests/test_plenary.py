"""Presentations in the plenary: the whole workshop follows one presenter, feedback given there is
pinned with the workshop and no room, and every presentation carries its presenter's clock."""
from __future__ import annotations

import uuid

from collab.extensions import db
from collab.models import FeedbackItem, Presentation, WorkshopEvent
from collab.services import feedback, history, presentations
from collab.services import live as live_service
from collab.services.inputs import GeneralFeedbackInput
from tests.conftest import ack_of, names, open_and_enter, received


def _start(w, **extra):
    ack = ack_of(w.fac_sio, "start_presentation", {"workshop_id": w.workshop.id, "partner_id": w.lt.id, **extra})
    assert ack["ok"], ack
    for sio in (w.lt_sio, w.pl_sio, w.out_sio, w.fac_sio):
        assert received(sio, "presentation_started")[0]["presentation"] == ack["presentation"]
    return ack["presentation"]


def _feedback(w, **fields):
    return {"client_id": str(uuid.uuid4()), "workshop_id": w.workshop.id, "plan_id": w.lt_plan.id, "section_key": "action-1",
            "kind": "question", "body": "Which body adopts it, and when?", **fields}


def _full_path_calls(monkeypatch, module, name) -> list:
    """Calls that left the hot path for the full one."""
    calls, full = [], getattr(module, name)
    monkeypatch.setattr(module, name, lambda *args: calls.append(args) or full(*args))
    return calls


def test_the_whole_workshop_follows_one_presenter_in_the_plenary(app, live, monkeypatch):
    slow = _full_path_calls(monkeypatch, presentations, "show_section")
    presentation = _start(live)
    assert presentation["room_id"] is None and presentation["workshop_id"] == live.workshop.id
    assert presentation["plan_id"] == live.lt_plan.id and presentation["section_key"] == "executive-summary"
    assert presentation["limit_minutes"] == 10 and presentation["started_at"].endswith("Z")
    # The presenter's partner drives from its plenary seat (the hot path), the facilitator too.
    assert app.extensions["collab.seats"], "partner members hold a plenary seat"
    shown = ack_of(live.lt_sio, "show_section", {"presentation_id": presentation["id"], "section_key": "action-1"})
    assert shown == {"ok": True, "presentation_id": presentation["id"], "section_key": "action-1", "room_id": None}
    assert slow == []
    assert ack_of(live.fac_sio, "show_section", {"presentation_id": presentation["id"], "section_key": "executive-summary"})["ok"]
    for sio in (live.pl_sio, live.out_sio):
        assert [m["section_key"] for m in received(sio, "section_shown")] == ["action-1", "executive-summary"]
    # Anyone else in the workshop follows; they do not drive.
    refused = ack_of(live.out_sio, "show_section", {"presentation_id": presentation["id"], "section_key": "action-1"})
    assert refused["error"]["code"] == "forbidden"
    assert db.session.get(Presentation, presentation["id"]).section_key == "executive-summary"
    # A late joiner lands on the current section.
    joined = ack_of(live.pl_sio, "join_workshop", {"workshop_id": live.workshop.id})
    assert joined["presentation"]["id"] == presentation["id"] and joined["presentation"]["section_key"] == "executive-summary"
    # Every event of it went to the whole workshop.
    stored = db.session.query(WorkshopEvent).filter(WorkshopEvent.type.in_(["presentation_started", "section_shown"])).all()
    assert stored and all(event.audience is None and event.room_id is None for event in stored)


def test_only_facilitators_start_one_plenary_presentation_at_a_time(live):
    refused = ack_of(live.lt_sio, "start_presentation", {"workshop_id": live.workshop.id, "partner_id": live.lt.id})
    assert refused["error"]["code"] == "forbidden"
    foreign = ack_of(live.fac_sio, "start_presentation", {"workshop_id": live.workshop.id, "partner_id": 999})
    assert foreign["error"]["code"] == "validation" and "partner_id" in foreign["error"]["fields"]
    nowhere = ack_of(live.fac_sio, "start_presentation", {"plan_id": live.lt_plan.id})
    assert nowhere["error"]["code"] == "validation"
    # A place without what to present there is malformed, whether or not the place exists.
    for sio, place, needed in ((live.fac_sio, {"workshop_id": live.workshop.id}, "partner_id"),
                               (live.fac_sio, {"workshop_id": live.workshop.id, "plan_id": live.lt_plan.id}, "partner_id"),
                               (live.lt_sio, {"room_id": live.room_a.id}, "plan_id"), (live.lt_sio, {"room_id": 1}, "plan_id")):
        malformed = ack_of(sio, "start_presentation", place)["error"]
        assert malformed["code"] == "validation" and list(malformed["fields"]) == [needed], (place, malformed)
    first = _start(live, limit_minutes=3)
    assert first["limit_minutes"] == 3
    second = ack_of(live.fac_sio, "start_presentation", {"workshop_id": live.workshop.id, "partner_id": live.pl.id})["presentation"]
    [ended] = received(live.out_sio, "presentation_ended")
    assert ended == {**ended, "presentation_id": first["id"], "room_id": None}
    assert second["plan_id"] == live.pl_plan.id
    not_mine = ack_of(live.lt_sio, "end_presentation", {"presentation_id": second["id"]})["error"]
    assert not_mine == {"code": "forbidden", "message": "Only the presenter or a facilitator may end the presentation."}
    assert db.session.query(Presentation).filter_by(ended_at=None).one().id == second["id"]


def test_opening_the_rooms_ends_the_plenary_presentation_and_none_starts_meanwhile(live):
    presentation = _start(live)
    open_and_enter(live)
    assert db.session.get(Presentation, presentation["id"]).ended_at is not None
    busy = ack_of(live.fac_sio, "start_presentation", {"workshop_id": live.workshop.id, "partner_id": live.pl.id})
    assert busy["error"]["code"] == "conflict"
    # A presenter's limit in a room is the workshop's; only facilitators give another.
    mine = ack_of(live.lt_sio, "start_presentation", {"room_id": live.room_a.id, "plan_id": live.lt_plan.id, "limit_minutes": 30})
    assert mine["error"]["code"] == "forbidden"
    in_room = ack_of(live.lt_sio, "start_presentation", {"room_id": live.room_a.id, "plan_id": live.lt_plan.id})["presentation"]
    assert in_room["limit_minutes"] == 10 and in_room["room_id"] == live.room_a.id


def test_plenary_feedback_is_pinned_to_the_workshop_and_reaches_it(app, live, monkeypatch):
    slow_path = _full_path_calls(monkeypatch, feedback, "submit")
    never = ack_of(live.pl_sio, "submit_feedback", _feedback(live))
    assert never["error"]["code"] == "forbidden"  # not presented in this plenary
    presentation = _start(live)
    fast = ack_of(live.pl_sio, "submit_feedback", _feedback(live, quote="Do things."))
    assert fast["ok"], fast
    assert len(slow_path) == 1  # only the refusal before the presentation
    item = fast["feedback"]
    assert (item["room_id"], item["workshop_id"], item["presentation_id"]) == (None, live.workshop.id, presentation["id"])
    assert (item["plan_version"], item["section_key"], item["kind"]) == (1, "action-1", "question")
    # The facilitator's item takes the full path and comes out the same way.
    slow = ack_of(live.fac_sio, "submit_feedback", _feedback(live, kind="concern", criterion="adoption"))["feedback"]
    assert (slow["room_id"], slow["workshop_id"], slow["presentation_id"]) == (None, live.workshop.id, presentation["id"])
    for sio in (live.lt_sio, live.out_sio):
        assert [m["feedback"]["id"] for m in received(sio, "feedback_added")] == [item["id"], slow["id"]]
    stored = db.session.query(WorkshopEvent).filter_by(type="feedback_added").all()
    assert [event.audience for event in stored] == [None, None]
    # The same client_id again returns the first item; the plan's own partner only replies.
    again = ack_of(live.pl_sio, "submit_feedback", {**_feedback(live, quote="Do things."), "client_id": item["client_id"]})
    assert again["feedback"]["id"] == item["id"]
    own = ack_of(live.lt_sio, "submit_feedback", _feedback(live))
    assert own["error"]["code"] == "forbidden"
    reply = ack_of(live.lt_sio, "submit_feedback", _feedback(live, kind=None, parent_id=item["id"], body="The council, in May."))
    assert reply["ok"] and reply["feedback"]["presentation_id"] == presentation["id"]
    assert db.session.query(FeedbackItem).filter_by(workshop_id=live.workshop.id, room_id=None).count() == 3


def test_a_plan_shown_in_the_plenary_is_readable_by_the_workshop_and_its_history_names_the_plenary(app, live, client, login):
    outsider_reads = lambda: client.get(f"/api/v1/plans/{live.lt_plan.id}").status_code  # noqa: E731
    login(live.outsider)
    assert outsider_reads() == 404
    _start(live)
    assert outsider_reads() == 200
    plenary = ack_of(live.out_sio, "submit_feedback", _feedback(live))["feedback"]
    history.post_general(live.facilitator, live.workshop.id, GeneralFeedbackInput(
        client_id=str(uuid.uuid4()), section_key="action-1", kind="suggestion", body="Name the adopting body."))
    listed = client.get(f"/api/v1/plans/{live.lt_plan.id}/feedback?room_id=plenary").get_json()["items"]
    assert [i["id"] for i in listed] == [plenary["id"]]
    page = client.get(f"/plans/{live.lt_plan.id}/feedback?room_id=plenary").get_data(as_text=True)
    assert 'value="plenary" selected' in page and "Which body adopts it" in page and "Name the adopting body" not in page


def test_the_plenary_lists_only_the_feedback_given_in_the_plenary(live):
    open_and_enter(live)
    ack_of(live.lt_sio, "start_presentation", {"room_id": live.room_a.id, "plan_id": live.lt_plan.id})
    in_room = ack_of(live.pl_sio, "submit_feedback", {**_feedback(live, body="Only for room A."), "room_id": live.room_a.id})
    assert in_room["ok"] and in_room["feedback"]["room_id"] == live.room_a.id
    assert ack_of(live.fac_sio, "close_round", {"round_id": live.round.id, "countdown_s": 0})["ok"]
    history.post_general(live.facilitator, live.workshop.id, GeneralFeedbackInput(
        client_id=str(uuid.uuid4()), section_key="action-1", kind="suggestion", body="Name the adopting body."))
    for sio in (live.lt_sio, live.pl_sio, live.out_sio, live.fac_sio):
        sio.get_received()
    _start(live)
    plenary = ack_of(live.out_sio, "submit_feedback", _feedback(live))["feedback"]
    for viewer in (live.outsider, live.pl_member, live.facilitator):
        listed = live_service.plenary_view(viewer, live.workshop)["feedback_items"]
        assert [item["id"] for item in listed] == [plenary["id"]], viewer.name


def test_the_workshop_default_limit_is_set_by_facilitators(live, client, login):
    login(live.lt_member)
    assert client.patch(f"/api/v1/workshops/{live.workshop.id}", json={"presentation_minutes": 7}).status_code == 403
    login(live.facilitator)
    assert client.patch(f"/api/v1/workshops/{live.workshop.id}", json={"presentation_minutes": 0}).status_code == 422
    response = client.patch(f"/api/v1/workshops/{live.workshop.id}", json={"presentation_minutes": 7})
    assert response.status_code == 200 and response.get_json()["presentation_minutes"] == 7
    assert _start(live)["limit_minutes"] == 7
    assert "presentation_started" not in names(live.fac_sio)

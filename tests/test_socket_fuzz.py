"""S19: malformed payloads at every socket event get `validation`/`bad_request`, change nothing."""
from __future__ import annotations

import uuid

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from collab.extensions import db
from collab.models import FeedbackItem, Presentation, Round, WorkshopEvent

ID, SLUG, TEXT, NOTE, UUID, STATUS, KIND = "id", "slug", "text", "note", "uuid", "status", "kind"

# Each event with a well-formed payload shape: field -> (type, required).
EVENTS: dict[str, dict[str, tuple[str, bool]]] = {
    "join_workshop": {"workshop_id": (ID, True)},
    "join_room": {"room_id": (ID, True)},
    "leave_room": {"room_id": (ID, True)},
    "resume": {"workshop_id": (ID, True), "after_seq": (ID, True)},
    "start_presentation": {"room_id": (ID, True), "plan_id": (ID, True)},
    "show_section": {"presentation_id": (ID, True), "section_key": (SLUG, True)},
    "end_presentation": {"presentation_id": (ID, True)},
    "submit_feedback": {"client_id": (UUID, True), "plan_id": (ID, True), "section_key": (SLUG, True), "kind": (KIND, False),
                        "body": (TEXT, True), "room_id": (ID, False), "rating": (ID, False), "parent_id": (ID, False)},
    "edit_feedback": {"feedback_id": (ID, True), "body": (TEXT, False)},
    "withdraw_feedback": {"feedback_id": (ID, True)},
    "respond_feedback": {"feedback_id": (ID, True), "status": (STATUS, True), "response": (NOTE, False)},
    "open_round": {"round_id": (ID, True)},
    "extend_round": {"round_id": (ID, True), "minutes": (ID, True)},
    "move_partner": {"round_id": (ID, True), "partner_id": (ID, True), "to_room_id": (ID, True)},
    "broadcast": {"workshop_id": (ID, True), "message": (TEXT, True)},
    "end_workshop": {"workshop_id": (ID, True)},
    "close_round": {"round_id": (ID, True), "countdown_s": (ID, False)},
    "raise_hand": {"room_id": (ID, True)},
    "lower_hand": {"room_id": (ID, True)},
    "message_room": {"room_id": (ID, True), "message": (TEXT, True)},
}

VALID = {ID: 1, SLUG: "executive-summary", TEXT: "A fine remark", UUID: "5f0e9a52-2a0b-4a43-9a43-7d1b8f3c2e11",
         STATUS: "accepted", KIND: "question"}

json_leaf = st.one_of(st.none(), st.booleans(), st.floats(allow_nan=True), st.integers(), st.text(max_size=50))
json_value = st.recursive(json_leaf, lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=8), inner, max_size=4)), max_leaves=20)
deep = st.integers(min_value=50, max_value=300).map(lambda n: _nest(n))


def _nest(depth: int):
    value: object = "x"
    for _ in range(depth):
        value = {"a": value}
    return value


WRONG = {
    ID: st.one_of(st.text(max_size=10), st.floats(), st.booleans(), st.none(), st.lists(st.integers(), max_size=3),
                  st.integers(max_value=-1), st.integers(min_value=2**53 + 1), deep),
    SLUG: st.one_of(st.integers(), st.none(), st.just(""), st.just("Bad Key"), st.just("x" * 65), st.text(min_size=1).filter(lambda s: not s.isascii()), deep),
    TEXT: st.one_of(st.integers(), st.none(), st.lists(st.text(), max_size=2), st.just(""), st.just("   "), st.just("nul\x00byte"),
                    st.just("x" * 5000), deep),
    NOTE: st.one_of(st.integers(), st.lists(st.text(), max_size=2), st.just("nul\x00byte"), st.just("x" * 5000), deep),
    UUID: st.one_of(st.integers(), st.none(), st.just("not-a-uuid"), st.just(str(uuid.uuid4()) + "x"), deep),
    STATUS: st.one_of(st.integers(), st.none(), st.just("approved"), st.just("withdrawn"), deep),
    KIND: st.one_of(st.integers(), st.none(), st.just("praise"), st.just(""), deep),
}


@st.composite
def malformed(draw):
    event = draw(st.sampled_from(sorted(EVENTS)))
    fields = EVENTS[event]
    payload = {name: VALID[kind] for name, (kind, required) in fields.items() if required}
    how = draw(st.sampled_from(["not_an_object", "missing", "wrong_type"]))
    if how == "not_an_object":
        return event, draw(json_value.filter(lambda v: not isinstance(v, dict))), "bad_request"
    required = [name for name, (_k, req) in fields.items() if req]
    if how == "missing":
        del payload[draw(st.sampled_from(required))]
    else:
        name = draw(st.sampled_from(sorted(fields)))
        kind, required_field = fields[name]
        wrong = WRONG[kind] if required_field else WRONG[kind].filter(lambda v: v is not None)  # None means "absent"
        payload[name] = draw(wrong)
    junk = draw(st.dictionaries(st.sampled_from(["author_id", "role", "is_admin", "__proto__"]), json_leaf, max_size=2))
    return event, {**junk, **payload}, "validation"


def _counts() -> tuple[int, ...]:
    return tuple(db.session.query(m).count() for m in (FeedbackItem, Presentation, WorkshopEvent)) + (
        db.session.query(Round).filter(Round.status != "pending").count(),
    )


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(case=malformed())
def test_malformed_payloads_change_nothing(app, live, case):
    limiter = app.extensions["collab.socket_limiter"]
    limiter.burst = limiter.rate = 10**9  # this test is about shapes, not floods
    limiter.tokens.clear()
    event, payload, expected = case
    live.lt_sio.get_received()
    before = _counts()
    ack = live.pl_sio.emit(event, payload, callback=True)
    assert ack["ok"] is False, (event, payload, ack)
    assert ack["error"]["code"] in {"validation", "bad_request"}, (event, payload, ack)
    assert set(ack["error"]) <= {"code", "message", "fields"}
    assert "Traceback" not in ack["error"]["message"]
    assert _counts() == before
    assert live.pl_sio.is_connected()
    assert live.lt_sio.get_received() == []


def test_unknown_events_and_extra_arguments(live):
    assert live.pl_sio.emit("no_such_event", {"a": 1}, callback=True)["error"]["code"] == "bad_request"
    assert live.pl_sio.emit("join_workshop", {"workshop_id": 1}, {"extra": True}, callback=True)["error"]["code"] == "bad_request"
    assert live.pl_sio.emit("join_workshop", {"workshop_id": live.workshop.id}, callback=True)["ok"]

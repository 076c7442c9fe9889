"""Rounds: pairing, manual and reused rooms, adjusting, and the deadline-driven lifecycle."""
from __future__ import annotations

import re
from collections import Counter
from datetime import timedelta

import pytest

from collab.extensions import db
from collab.models import Partner, Round, WorkshopEvent
from collab.models.base import utcnow
from collab.services import rounds
from collab.services.errors import Conflict, Forbidden, Invalid
from collab.services.inputs import CloseInput, ExtendInput, RoundInput, RoundRef, parse


def _partners(countries: str) -> list[Partner]:
    return [Partner(id=i + 1, name=f"P{i}", short_name=f"P{i}", country=c, organisations=[]) for i, c in enumerate(countries.split())]


def _pairs(groups) -> list[set[int]]:
    return [{p.id for p in g} for g in groups]


def test_pairing_avoids_same_country():
    # Poland has two partners (ACEP, RRDA): they must not share a room.
    groups = rounds.pair_partners(_partners("PL ES LT PL HU IT"), Counter())
    assert sorted(len(g) for g in groups) == [2, 2, 2]
    assert all(len({p.country for p in g}) == len(g) for g in groups)


def test_pairing_makes_one_triad_when_odd():
    groups = rounds.pair_partners(_partners("PL ES LT HU IT"), Counter())
    assert sorted(len(g) for g in groups) == [2, 3]
    assert sorted(p.id for g in groups for p in g) == [1, 2, 3, 4, 5]


def test_pairing_avoids_repeats_and_is_reproducible():
    partners = _partners("PL ES LT HU")
    first = rounds.pair_partners(partners, Counter())
    history = Counter(frozenset(g) for g in _pairs(first))
    second = rounds.pair_partners(partners, history)
    assert not set(map(frozenset, _pairs(second))) & set(map(frozenset, _pairs(first)))
    assert _pairs(rounds.pair_partners(partners, history)) == _pairs(second)


def test_pairing_accepts_the_unavoidable():
    groups = rounds.pair_partners(_partners("LT LT"), Counter())
    assert _pairs(groups) == [{1, 2}]


def test_pairing_scales_to_a_large_partnership():
    countries = " ".join(["PL", "ES", "LT", "HU", "IT", "DE", "FR", "PT"] * 5)
    groups = rounds.pair_partners(_partners(countries), Counter())
    assert sum(len(g) for g in groups) == 40


def test_auto_round_over_workshop(world, make):
    rnd = rounds.create_round(world.facilitator, world.workshop.id, parse(RoundInput, {"minutes": 15, "auto": {"size": 2}}))
    assert rnd.status == "pending" and rnd.minutes == 15
    assert sorted(len(r.partner_ids) for r in rnd.rooms) == [3]  # three partners: one triad


def test_manual_round_is_validated(world, make):
    stranger = make.partner("ZZ")
    with pytest.raises(Invalid):
        rounds.create_round(world.facilitator, world.workshop.id, parse(RoundInput, {"minutes": 10, "rooms": [{"name": "A", "partner_ids": [stranger.id]}]}))
    with pytest.raises(Invalid):
        rounds.create_round(world.facilitator, world.workshop.id, parse(RoundInput, {"minutes": 10, "rooms": [
            {"name": "A", "partner_ids": [world.lt.id]}, {"name": "B", "partner_ids": [world.lt.id]}]}))
    with pytest.raises(Invalid):
        rounds.create_round(world.facilitator, world.workshop.id, parse(RoundInput, {"minutes": 10, "auto": {"size": 2}, "rooms": [
            {"name": "A", "partner_ids": [world.lt.id]}]}))
    with pytest.raises(Forbidden):
        rounds.create_round(world.lt_member, world.workshop.id, parse(RoundInput, {"minutes": 10, "auto": {}}))
    assert db.session.query(Round).count() == 0


def test_reuse_copies_rooms(world):
    first = rounds.create_round(world.facilitator, world.workshop.id, parse(RoundInput, {"minutes": 10, "rooms": [
        {"name": "Pair", "partner_ids": [world.lt.id, world.pl.id]}, {"name": "Solo", "partner_ids": [world.hu.id]}]}))
    again = rounds.create_round(world.facilitator, world.workshop.id, parse(RoundInput, {"minutes": 5, "reuse_round_id": first.id}))
    assert [(r.name, r.partner_ids) for r in again.rooms] == [("Pair", sorted([world.lt.id, world.pl.id])), ("Solo", [world.hu.id])]


def test_adjust_rooms_before_opening(world):
    rnd = rounds.create_round(world.facilitator, world.workshop.id, parse(RoundInput, {"minutes": 10, "rooms": [
        {"name": "A", "partner_ids": [world.lt.id, world.pl.id]}, {"name": "B", "partner_ids": [world.hu.id]}]}))
    room_a, room_b = rnd.rooms
    rnd = rounds.set_rooms(world.facilitator, rnd.id, {world.hu.id: room_a.id})
    assert [r.partner_ids for r in rnd.rooms] == [sorted([world.lt.id, world.pl.id, world.hu.id])]  # B emptied and removed
    with pytest.raises(Invalid):
        rounds.set_rooms(world.facilitator, rnd.id, {world.lt.id: 999})


def test_open_extend_and_timer_close(app, world, published):
    rnd = rounds.create_round(world.facilitator, world.workshop.id, parse(RoundInput, {"minutes": 10, "rooms": [
        {"name": "A", "partner_ids": [world.lt.id, world.pl.id]}]}))
    shape = rounds.open_round(world.facilitator, RoundRef(round_id=rnd.id))
    assert shape["status"] == "open" and shape["ends_at"]
    assert published.types() == ["round_opened", "room_assigned", "room_assigned"]
    with pytest.raises(Conflict):
        rounds.open_round(world.facilitator, RoundRef(round_id=rnd.id))
    ends_at = db.session.get(Round, rnd.id).ends_at
    rounds.extend_round(world.facilitator, parse(ExtendInput, {"round_id": rnd.id, "minutes": 5}))
    assert db.session.get(Round, rnd.id).ends_at == ends_at + timedelta(minutes=5)

    grace = app.config["ROUND_GRACE_SECONDS"]
    assert rounds.advance_timers(ends_at + timedelta(minutes=5) - timedelta(seconds=grace + 1)) == 0
    assert rounds.advance_timers(ends_at + timedelta(minutes=5) - timedelta(seconds=1)) == 1
    assert db.session.get(Round, rnd.id).status == "closing"
    assert rounds.advance_timers(ends_at + timedelta(minutes=5, seconds=1)) == 1
    assert db.session.get(Round, rnd.id).status == "closed"
    assert published.types()[-3:] == ["timer", "round_closing", "round_closed"]
    # Pages tell "time is up" apart from "the facilitator is closing the rooms".
    assert published.items[-2].event["data"]["by"] == "time"
    assert rounds.advance_timers(ends_at + timedelta(minutes=6)) == 0  # acted once only


def test_close_with_countdown_and_immediately(world, published):
    rnd = rounds.create_round(world.facilitator, world.workshop.id, parse(RoundInput, {"minutes": 10, "rooms": [{"name": "A", "partner_ids": [world.lt.id]}]}))
    rounds.open_round(world.facilitator, RoundRef(round_id=rnd.id))
    result = rounds.close_round(world.facilitator, parse(CloseInput, {"round_id": rnd.id, "countdown_s": 30}))
    assert result["status"] == "closing"
    assert rounds.advance_timers(utcnow() + timedelta(seconds=31)) == 1
    assert published.types()[-2:] == ["round_closing", "round_closed"]

    second = rounds.create_round(world.facilitator, world.workshop.id, parse(RoundInput, {"minutes": 10, "reuse_round_id": rnd.id}))
    rounds.open_round(world.facilitator, RoundRef(round_id=second.id))
    assert rounds.close_round(world.facilitator, parse(CloseInput, {"round_id": second.id, "countdown_s": 0}))["status"] == "closed"


def test_only_one_running_round(world):
    spec = {"minutes": 10, "rooms": [{"name": "A", "partner_ids": [world.lt.id]}]}
    first, second = (rounds.create_round(world.facilitator, world.workshop.id, parse(RoundInput, spec)) for _ in range(2))
    rounds.open_round(world.facilitator, RoundRef(round_id=first.id))
    with pytest.raises(Conflict):
        rounds.open_round(world.facilitator, RoundRef(round_id=second.id))


def test_every_live_action_is_logged_with_increasing_seq(world):
    rnd = rounds.create_round(world.facilitator, world.workshop.id, parse(RoundInput, {"minutes": 10, "rooms": [{"name": "A", "partner_ids": [world.lt.id, world.pl.id]}]}))
    rounds.open_round(world.facilitator, RoundRef(round_id=rnd.id))
    rounds.extend_round(world.facilitator, parse(ExtendInput, {"round_id": rnd.id, "minutes": 1}))
    seqs = [e.seq for e in db.session.query(WorkshopEvent).order_by(WorkshopEvent.id)]
    assert seqs == list(range(1, len(seqs) + 1))


def test_a_move_keeps_access_to_the_plans_of_the_partners_sat_with(world):
    """'Paired with in any room': after RRDA is moved away from KLAIPEDA, each still reads the
    other's plan (and its own feedback on it); PANNON, paired with RRDA only after the move,
    reads RRDA's plan but never KLAIPEDA's."""
    from collab.services.access import can_read_plan
    from collab.services.inputs import MoveInput

    rnd = rounds.create_round(world.facilitator, world.workshop.id, parse(RoundInput, {"minutes": 20, "rooms": [
        {"name": "A", "partner_ids": [world.lt.id, world.pl.id]}, {"name": "B", "partner_ids": [world.hu.id]}]}))
    room_b = rnd.rooms[1]
    assert not can_read_plan(world.pl_member, world.lt_plan)  # pending: not paired yet
    rounds.open_round(world.facilitator, RoundRef(round_id=rnd.id))
    rounds.move_partner(world.facilitator, MoveInput(round_id=rnd.id, partner_id=world.pl.id, to_room_id=room_b.id))
    assert can_read_plan(world.pl_member, world.lt_plan)
    assert can_read_plan(world.lt_member, world.pl_plan)
    assert can_read_plan(world.outsider, world.pl_plan)
    assert not can_read_plan(world.outsider, world.lt_plan)


def test_facilitator_ends_the_workshop(world, client, login):
    from collab.services import workshops
    from collab.services.inputs import WorkshopRef

    rnd = rounds.create_round(world.facilitator, world.workshop.id, parse(RoundInput, {"minutes": 20, "auto": {"size": 2}}))
    rounds.open_round(world.facilitator, RoundRef(round_id=rnd.id))
    with pytest.raises(Conflict):  # not while people are in the rooms
        workshops.end_workshop(world.facilitator, WorkshopRef(workshop_id=world.workshop.id))
    rounds.close_round(world.facilitator, CloseInput(round_id=rnd.id, countdown_s=0))
    with pytest.raises(Forbidden):
        workshops.end_workshop(world.lt_member, WorkshopRef(workshop_id=world.workshop.id))
    assert workshops.end_workshop(world.facilitator, WorkshopRef(workshop_id=world.workshop.id))["status"] == "ended"
    assert db.session.query(WorkshopEvent).filter_by(type="workshop_ended").count() == 1
    later = rounds.create_round(world.facilitator, world.workshop.id, parse(RoundInput, {"minutes": 20, "auto": {"size": 2}}))
    with pytest.raises(Conflict):
        rounds.open_round(world.facilitator, RoundRef(round_id=later.id))
    login(world.lt_member)
    for page in ("/", f"/workshops/{world.workshop.id}"):
        assert re.search(r'status-ended"[^>]*>Ended<', client.get(page).get_data(as_text=True)), page


def test_a_move_tells_both_rooms_who_sits_there_now(world, published, client, login):
    """Room pages other than the moved partner's learn the new seating (and redraw their plans)."""
    from collab.services.inputs import MoveInput

    rnd = rounds.create_round(world.facilitator, world.workshop.id, parse(RoundInput, {"minutes": 20, "rooms": [
        {"name": "A", "partner_ids": [world.lt.id, world.pl.id]}, {"name": "B", "partner_ids": [world.hu.id]}]}))
    room_a, room_b = rnd.rooms
    rounds.open_round(world.facilitator, RoundRef(round_id=rnd.id))
    rounds.move_partner(world.facilitator, MoveInput(round_id=rnd.id, partner_id=world.pl.id, to_room_id=room_b.id))
    changed = {item.event["data"]["room_id"]: item for item in published.items if item.event["type"] == "room_changed"}
    assert changed[room_a.id].event["data"]["partner_ids"] == [world.lt.id]
    assert sorted(changed[room_b.id].event["data"]["partner_ids"]) == sorted([world.pl.id, world.hu.id])
    login(world.facilitator)
    assert "B now seats" in client.get(f"/workshops/{world.workshop.id}/timeline").get_data(as_text=True)

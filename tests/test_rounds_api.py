"""The rounds resources over HTTP, the board forms, and the event log API."""
from __future__ import annotations

from collab.extensions import db
from collab.models import Round
from collab.services import rounds
from collab.services.inputs import RoundInput, RoundRef, parse


def test_facilitator_creates_rounds_three_ways(client, world, login):
    login(world.facilitator)
    url = f"/api/v1/workshops/{world.workshop.id}/rounds"
    manual = client.post(url, json={"name": "Pairs", "minutes": 20, "rooms": [
        {"name": "Room 1", "partner_ids": [world.lt.id, world.pl.id]}, {"name": "Room 2", "partner_ids": [world.hu.id]}]})
    assert manual.status_code == 201
    body = manual.get_json()
    assert body["status"] == "pending" and body["ends_at"] is None and body["workshop_id"] == world.workshop.id
    assert body["rooms"][0]["partner_ids"] == sorted([world.lt.id, world.pl.id])
    assert set(body["rooms"][0]["plan_ids"]) == {world.lt_plan.id, world.pl_plan.id}
    auto = client.post(url, json={"minutes": 10, "auto": {"size": 2}})
    assert auto.status_code == 201 and auto.get_json()["name"] == "Round 2"
    reuse = client.post(url, json={"minutes": 10, "reuse_round_id": body["id"]})
    assert [r["partner_ids"] for r in reuse.get_json()["rooms"]] == [r["partner_ids"] for r in body["rooms"]]
    got = client.get(f"{url}/{body['id']}")
    assert got.status_code == 200 and got.get_json()["id"] == body["id"]


def test_round_api_errors(client, world, login):
    login(world.facilitator)
    url = f"/api/v1/workshops/{world.workshop.id}/rounds"
    assert client.post(url, json={"minutes": 0, "auto": {}}).status_code == 422
    assert client.post(url, json={"minutes": 10}).status_code == 422
    assert client.post(url, json={"minutes": 10, "reuse_round_id": 999}).status_code == 422
    assert client.get(f"{url}/999").status_code == 404
    login(world.lt_member)
    assert client.post(url, json={"minutes": 10, "auto": {}}).status_code == 403


def test_board_is_for_facilitators(client, world, login):
    login(world.lt_member)
    assert client.get(f"/workshops/{world.workshop.id}/board").status_code == 403
    login(world.facilitator)
    assert client.get(f"/workshops/{world.workshop.id}/board").status_code == 200


def test_board_forms_create_and_adjust_rounds(client, world, login):
    token = login(world.facilitator)
    response = client.post(f"/workshops/{world.workshop.id}/rounds", data={
        "csrf_token": token, "name": "By hand", "minutes": "15", "mode": "manual",
        f"room_for_{world.lt.id}": "1", f"room_for_{world.pl.id}": "1", f"room_for_{world.hu.id}": "2",
    })
    assert response.status_code == 302
    rnd = db.session.query(Round).one()
    assert [r.partner_ids for r in rnd.rooms] == [sorted([world.lt.id, world.pl.id]), [world.hu.id]]
    first_room = rnd.rooms[0]
    client.post(f"/rounds/{rnd.id}/rooms", data={"csrf_token": token, f"room_for_{world.hu.id}": str(first_room.id)})
    db.session.expire_all()
    assert [len(r.partner_ids) for r in db.session.get(Round, rnd.id).rooms] == [3]
    bad = client.post(f"/workshops/{world.workshop.id}/rounds", data={"csrf_token": token, "minutes": "x", "mode": "auto"},
                      follow_redirects=True)
    assert "Some fields are not valid" in bad.get_data(as_text=True)


def test_events_api_shows_only_what_the_reader_may_see(client, world, login, make):
    rnd = rounds.create_round(world.facilitator, world.workshop.id, parse(RoundInput, {"minutes": 10, "rooms": [
        {"name": "A", "partner_ids": [world.lt.id, world.pl.id]}, {"name": "B", "partner_ids": [world.hu.id]}]}))
    rounds.open_round(world.facilitator, RoundRef(round_id=rnd.id))
    login(world.facilitator)
    everything = client.get(f"/api/v1/workshops/{world.workshop.id}/events").get_json()["items"]
    assert [e["type"] for e in everything] == ["round_opened", "room_assigned", "room_assigned", "room_assigned"]
    login(world.outsider)
    mine = client.get(f"/api/v1/workshops/{world.workshop.id}/events").get_json()["items"]
    assert [e["type"] for e in mine] == ["round_opened", "room_assigned"]
    assert mine[1]["room_id"] == rnd.rooms[1].id
    page = client.get(f"/api/v1/workshops/{world.workshop.id}/events?after_seq=0&limit=1").get_json()
    assert len(page["items"]) == 1 and page["next"] == page["items"][0]["seq"]
    assert client.get(f"/api/v1/workshops/{world.workshop.id}/events?limit=501").status_code == 422

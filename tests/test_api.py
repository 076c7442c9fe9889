"""The /api/v1 wiring: resources, shapes, and the error format for every failure."""
from __future__ import annotations

import pytest

from collab.services import rounds
from collab.services.inputs import RoundRef

SECTIONS = [{"key": "executive-summary", "title": "Executive summary", "body": "Short."}]


def test_unauthenticated_api_calls_get_json_401(client, world):
    response = client.get(f"/api/v1/plans/{world.lt_plan.id}")
    assert response.status_code == 401
    assert response.get_json()["error"]["code"] == "unauthorized"


def test_unknown_api_path_is_json_404(client, world, login):
    login(world.lt_member)
    response = client.get("/api/v1/nothing-here")
    assert response.status_code == 404
    assert response.get_json()["error"]["code"] == "not_found"


def test_admin_creates_user(client, world, login):
    login(world.admin)
    response = client.post("/api/v1/users", json={"email": "New@Example.org", "name": "New", "password": "long enough pw"})
    assert response.status_code == 201
    assert response.get_json() == {"id": response.get_json()["id"], "email": "new@example.org", "name": "New", "locale": "en", "is_admin": False}
    again = client.post("/api/v1/users", json={"email": "new@example.org", "name": "New", "password": "long enough pw"})
    assert again.status_code == 409
    assert again.get_json()["error"]["fields"] == {"email": "Already in use."}


def test_non_admin_cannot_create_users(client, world, login):
    login(world.lt_member)
    response = client.post("/api/v1/users", json={"email": "a@b.org", "name": "A", "password": "long enough pw"})
    assert response.status_code == 403
    assert response.get_json()["error"]["code"] == "forbidden"


@pytest.mark.parametrize(
    "body, field",
    [
        ({"email": "not-an-email", "name": "A", "password": "long enough pw"}, "email"),
        ({"email": "a@b.org", "name": "  ", "password": "long enough pw"}, "name"),
        ({"email": "a@b.org", "name": "A", "password": "short"}, "password"),
        ({"email": "a@b.org", "name": "A"}, "password"),
        ({"email": "a@b.org", "name": 5, "password": "long enough pw"}, "name"),
        ({"email": "a@b.org", "name": "A", "password": "long enough pw", "locale": "xx"}, "locale"),
    ],
)
def test_invalid_user_fields_are_named(client, world, login, body, field):
    login(world.admin)
    response = client.post("/api/v1/users", json=body)
    assert response.status_code == 422
    error = response.get_json()["error"]
    assert error["code"] == "validation"
    assert field in error["fields"]


def test_body_that_is_not_a_json_object_is_400(client, world, login):
    login(world.admin)
    for kwargs in ({"json": [1, 2]}, {"data": "{oops", "content_type": "application/json"}, {"data": "x=1"}):
        response = client.post("/api/v1/partners", **kwargs)
        assert response.status_code == 400, kwargs
        assert response.get_json()["error"]["code"] == "bad_request"


def test_partner_and_members(client, world, login):
    login(world.facilitator)  # facilitators may create partners too
    response = client.post("/api/v1/partners", json={"name": "Lombardy Region", "short_name": "LOMB", "country": "IT",
                                                      "organisations": ["Regione Lombardia"]})
    assert response.status_code == 201
    partner = response.get_json()
    assert partner["members"] == [] and partner["organisations"] == ["Regione Lombardia"]
    # Membership is for admins and the facilitators of the partner's workshops (it is in none yet).
    refused = client.post(f"/api/v1/partners/{partner['id']}/members", json={"user_id": world.outsider.id})
    assert refused.status_code == 403
    login(world.admin)
    added = client.post(f"/api/v1/partners/{partner['id']}/members", json={"user_id": world.outsider.id})
    assert added.status_code == 201
    assert added.get_json()["members"] == [{"id": world.outsider.id, "name": "Ágnes"}]
    assert client.post(f"/api/v1/partners/{partner['id']}/members", json={"user_id": 99999}).status_code == 422
    assert client.post("/api/v1/partners/99999/members", json={"user_id": world.outsider.id}).status_code == 404
    listed = client.get("/api/v1/partners").get_json()["items"]
    assert "LOMB" in [p["short_name"] for p in listed]
    assert client.get(f"/api/v1/partners/{partner['id']}").get_json()["short_name"] == "LOMB"


def test_partner_members_cannot_create_partners(client, world, login):
    login(world.lt_member)
    response = client.post("/api/v1/partners", json={"name": "X", "short_name": "X", "country": "LT", "organisations": ["X"]})
    assert response.status_code == 403


def test_partner_validation(client, world, login):
    login(world.admin)
    response = client.post("/api/v1/partners", json={"name": "X", "short_name": "X", "country": "Lithuania", "organisations": []})
    assert response.status_code == 422
    assert set(response.get_json()["error"]["fields"]) == {"country", "organisations"}
    duplicate = client.post("/api/v1/partners", json={"name": "X", "short_name": "klaipeda", "country": "LT", "organisations": ["X"]})
    assert duplicate.status_code == 409


def test_member_creates_plan_and_reads_it(client, world, login):
    login(world.lt_member)
    response = client.post("/api/v1/plans", json={"partner_id": world.lt.id, "title": "Klaipėda plan", "sections": SECTIONS})
    assert response.status_code == 201
    plan = response.get_json()
    assert plan["version"] == 1 and plan["latest_version"] == 1
    assert plan["sections"] == [{"key": "executive-summary", "title": "Executive summary", "body": "Short.", "body_html": "<p>Short.</p>\n", "position": 0}]
    assert [v["number"] for v in plan["versions"]] == [1]
    assert client.get(f"/api/v1/plans/{plan['id']}").get_json() == plan


def test_cannot_create_plan_for_another_partner(client, world, login):
    login(world.lt_member)
    response = client.post("/api/v1/plans", json={"partner_id": world.pl.id, "title": "Not mine", "sections": SECTIONS})
    assert response.status_code == 403


def test_plan_validation_names_fields(client, world, login):
    login(world.lt_member)
    body = {"partner_id": world.lt.id, "title": "T", "sections": [
        {"key": "Bad Key!", "title": "A", "body": ""},
        {"key": "ok", "title": "", "body": 3},
    ]}
    response = client.post("/api/v1/plans", json=body)
    assert response.status_code == 422
    fields = response.get_json()["error"]["fields"]
    assert {"sections.0.key", "sections.1.title", "sections.1.body"} <= set(fields)
    duplicate = client.post("/api/v1/plans", json={"partner_id": world.lt.id, "title": "T", "sections": SECTIONS * 2})
    assert duplicate.status_code == 422
    assert "sections.1.key" in duplicate.get_json()["error"]["fields"]


def test_new_versions_and_conflict(client, world, login):
    login(world.lt_member)
    plan_id = world.lt_plan.id
    first = client.post(f"/api/v1/plans/{plan_id}/versions", json={"sections": SECTIONS, "note": "tighter", "base_version": 1})
    assert first.status_code == 201
    assert first.get_json()["version"] == 2
    stale = client.post(f"/api/v1/plans/{plan_id}/versions", json={"sections": SECTIONS, "base_version": 1})
    assert stale.status_code == 409
    error = stale.get_json()["error"]
    assert error["code"] == "conflict" and error["latest_version"] == 2
    old = client.get(f"/api/v1/plans/{plan_id}?version=1").get_json()
    assert old["version"] == 1 and old["latest_version"] == 2 and len(old["sections"]) == 2
    assert client.get(f"/api/v1/plans/{plan_id}?version=9").status_code == 404
    assert client.get(f"/api/v1/plans/{plan_id}?version=abc").status_code == 422


def test_outsider_cannot_read_or_write_a_plan(client, world, login):
    login(world.outsider)
    assert client.get(f"/api/v1/plans/{world.lt_plan.id}").status_code == 404
    response = client.post(f"/api/v1/plans/{world.lt_plan.id}/versions", json={"sections": SECTIONS, "base_version": 1})
    assert response.status_code == 404


def test_paired_partner_reads_plan_once_room_opens(client, world, login, make):
    rnd = make.round(world.workshop, [[world.lt, world.pl]])
    login(world.pl_member)
    assert client.get(f"/api/v1/plans/{world.lt_plan.id}").status_code == 404
    rounds.open_round(world.facilitator, RoundRef(round_id=rnd.id))
    assert client.get(f"/api/v1/plans/{world.lt_plan.id}").status_code == 200
    # Reading is not writing.
    response = client.post(f"/api/v1/plans/{world.lt_plan.id}/versions", json={"sections": SECTIONS, "base_version": 1})
    assert response.status_code == 403


def test_facilitator_reads_plans_of_workshop_partners(client, world, login):
    login(world.facilitator)
    assert client.get(f"/api/v1/plans/{world.hu_plan.id}").status_code == 200


def test_admin_creates_workshop_with_default_rubric(client, world, login):
    login(world.admin)
    response = client.post("/api/v1/workshops", json={
        "title": "Online Action Planning Workshop", "starts_at": "2026-03-12T09:00:00Z",
        "partner_ids": [world.lt.id, world.pl.id], "facilitator_ids": [world.facilitator.id],
    })
    assert response.status_code == 201
    workshop = response.get_json()
    assert [c["key"] for c in workshop["rubric"]] == ["readability", "adoption", "feasibility", "monitoring", "completeness", "design"]
    assert [p["short_name"] for p in workshop["partners"]] == ["KLAIPEDA", "RRDA"]
    assert workshop["facilitators"] == [{"id": world.facilitator.id, "name": "Gintarė"}]
    assert workshop["starts_at"] == "2026-03-12T09:00:00.000Z" and workshop["rounds"] == []


def test_workshop_with_custom_rubric_and_bad_ids(client, world, login):
    login(world.admin)
    custom = client.post("/api/v1/workshops", json={"title": "W", "rubric": [{"key": "clarity", "label": "Clarity"}]})
    assert custom.get_json()["rubric"] == [{"key": "clarity", "label": "Clarity"}]
    bad = client.post("/api/v1/workshops", json={"title": "W", "partner_ids": [world.lt.id, 4242]})
    assert bad.status_code == 422
    assert "partner_ids" in bad.get_json()["error"]["fields"]
    assert client.post("/api/v1/workshops", json={"title": "W", "starts_at": "not a date"}).status_code == 422


def test_only_admins_create_workshops_and_only_participants_read_them(client, world, login):
    login(world.lt_member)
    assert client.post("/api/v1/workshops", json={"title": "W"}).status_code == 403
    assert client.get(f"/api/v1/workshops/{world.workshop.id}").status_code == 200
    assert [w["id"] for w in client.get("/api/v1/workshops").get_json()["items"]] == [world.workshop.id]


def test_non_participant_gets_404_for_workshop(client, world, login, make):
    stranger = make.user("Stranger", partner=make.partner("ZZ"))
    login(stranger)
    assert client.get(f"/api/v1/workshops/{world.workshop.id}").status_code == 404

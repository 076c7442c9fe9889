"""Finding 6 of issue 10: bad input is a 404 or 422 (or a form's own error), never a 500."""
from __future__ import annotations

import uuid

import pytest

from collab.extensions import db
from collab.models import FeedbackItem
from collab.services.unit_of_work import write

HUGE = 2**63
BEYOND_IDS = 2**53 + 1  # the largest id is 2^53, the largest integer JavaScript holds exactly
DEEP = "[" * 1000 + "]" * 1000


def _json_routes(app) -> list[tuple[str, str]]:
    """Every /api/v1 route taking a JSON body, with its ids filled in."""
    routes = []
    for rule in app.url_map.iter_rules():
        methods = (rule.methods or set()) & {"POST", "PUT", "PATCH"}
        if rule.rule.startswith("/api/v1/") and methods:
            path = rule.rule
            for arg in rule.arguments:
                path = path.replace(f"<int:{arg}>", "1")
            routes.extend((method, path) for method in methods)
    return routes


def test_ids_beyond_64_bits_are_404_in_every_path(client, world, login):
    login(world.admin)
    paths = [f"/api/v1/plans/{HUGE}", f"/api/v1/plans/{HUGE}/feedback", f"/plans/{HUGE}", f"/workshops/{HUGE}",
             f"/api/v1/workshops/{HUGE}/rounds/{HUGE}", f"/partners/{HUGE}", f"/api/v1/plans/{10**30}/feedback.csv"]
    for path in paths:
        response = client.get(path)
        assert response.status_code == 404, path
    assert client.patch(f"/api/v1/feedback/{HUGE}", json={"status": "accepted"}).status_code == 404


def test_ids_beyond_the_id_range_are_404_for_every_method(client, world, login, app):
    """Not 405: an id that cannot exist is absent whatever is asked of it."""
    login(world.admin)
    asked = 0
    for rule in app.url_map.iter_rules():
        if "<int:" not in rule.rule:
            continue
        for method in sorted((rule.methods or set()) - {"HEAD", "OPTIONS"}):
            for huge in (BEYOND_IDS, HUGE, 2**64):
                path = rule.rule
                for arg in rule.arguments:
                    path = path.replace(f"<int:{arg}>", str(huge))
                # A body the feedback PATCH accepts, so that nothing stops before the id is used.
                response = client.open(path, method=method, json={"status": "addressed", "body": "Edited."})
                assert response.status_code == 404, (method, path, response.status_code)
                asked += 1
    assert asked > 50


def test_json_nested_a_thousand_levels_is_refused_everywhere(client, world, login, app):
    anonymous = client.post("/api/v1/session", data=DEEP, content_type="application/json")
    assert anonymous.status_code == 400 and anonymous.get_json()["error"]["code"] == "bad_request"
    login(world.admin)
    deep_object = '{"a":' * 1000 + "1" + "}" * 1000
    for method, path in _json_routes(app):
        for body in (DEEP, deep_object):
            response = client.open(path, method=method, data=body, content_type="application/json")
            assert response.status_code in (400, 404, 422), (method, path, response.status_code)


@pytest.mark.parametrize("digit", ["²", "١٠", "99999999999999999999999"])
def test_unicode_and_huge_digits_in_form_fields(client, live, login, digit):
    token = login(live.facilitator)
    w = live.workshop.id
    posts = [
        (f"/workshops/{w}/rounds", {"mode": "auto", "minutes": digit}),
        (f"/workshops/{w}/rounds", {"mode": "reuse", "minutes": "10", "reuse_round_id": digit}),
        (f"/workshops/{w}/rounds", {"mode": "manual", "minutes": "10", f"room_for_{live.lt.id}": digit}),
        (f"/rounds/{live.round.id}/rooms", {f"room_for_{digit}": "1", f"room_for_{live.lt.id}": digit}),
        (f"/workshops/{w}/partners", {"partner_id": digit}),
        (f"/workshops/{w}/facilitators", {"user_id": digit}),
        (f"/partners/{live.lt.id}/members", {"user_id": digit}),
    ]
    for path, form in posts:
        response = client.post(path, data={"csrf_token": token, **form})
        assert response.status_code < 500, (path, form)
    token = login(live.admin)
    response = client.post("/workshops/new", data={"csrf_token": token, "title": "T", "partner_ids": [digit], "facilitator_ids": [digit]})
    assert response.status_code < 500


def test_answer_form_with_unicode_version_and_plan_id_in_the_query(client, world, login, make):
    with write():
        item = FeedbackItem(client_id=str(uuid.uuid4()), plan_id=world.lt_plan.id, plan_version=1, section_key="action-1", kind="concern",
                            body="Who pays?", author_id=world.pl_member.id)
        db.session.add(item)
    token = login(world.lt_member)
    response = client.post(f"/feedback/{item.id}/answer?plan_id={world.lt_plan.id}&status=open",
                           data={"csrf_token": token, "status": "addressed", "addressed_in_version": "²", "plan_id": str(world.lt_plan.id)})
    assert response.status_code == 302
    assert f"/plans/{world.lt_plan.id}/feedback" in response.headers["Location"]


def test_nul_bytes_are_refused_in_every_text_field(client, world, login):
    assert client.post("/api/v1/session", json={"email": "a\x00@b.c", "password": "x"}).status_code == 422
    login(world.admin)
    section = {"key": "a", "title": "A", "body": "b"}
    requests = [
        ("/api/v1/users", {"email": "n@x.org", "name": "N\x00", "password": "long enough password"}),
        ("/api/v1/partners", {"name": "P\x00", "short_name": "PX", "country": "LT", "organisations": ["o"]}),
        ("/api/v1/partners", {"name": "P", "short_name": "PX", "country": "LT", "organisations": ["o\x00"]}),
        ("/api/v1/plans", {"partner_id": world.lt.id, "title": "T\x00", "sections": [section]}),
        ("/api/v1/plans", {"partner_id": world.lt.id, "title": "T", "sections": [{**section, "title": "A\x00"}]}),
        (f"/api/v1/plans/{world.lt_plan.id}/versions", {"sections": [section], "note": "n\x00", "base_version": 1}),
        ("/api/v1/workshops", {"title": "W\x00"}),
        ("/api/v1/workshops", {"title": "W", "rubric": [{"key": "a", "label": "L\x00"}]}),
        (f"/api/v1/workshops/{world.workshop.id}/rounds", {"name": "R\x00", "minutes": 5, "auto": {"size": 2}}),
        (f"/api/v1/workshops/{world.workshop.id}/rounds", {"minutes": 5, "rooms": [{"name": "R\x00", "partner_ids": [world.lt.id]}]}),
    ]
    for path, body in requests:
        response = client.post(path, json=body)
        assert response.status_code == 422, (path, body, response.status_code)


def test_a_method_an_address_never_takes_is_405_and_says_which_it_does(client, world, login):
    login(world.admin)
    for plan_id in (world.lt_plan.id, 2**53 + 1):
        response = client.delete(f"/api/v1/plans/{plan_id}/adoption")
        assert response.status_code == 405 and response.get_json()["error"]["code"] == "bad_request"
        assert set(response.headers["Allow"].split(", ")) >= {"GET", "PUT"}

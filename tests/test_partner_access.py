"""S27: a facilitator of one workshop cannot reach into another's partners or read e-mail addresses."""
from __future__ import annotations

import pytest

from collab.extensions import db
from collab.models import Partner, Workshop


@pytest.fixture
def other(world, make):
    """Workshop 2 with its own partner and a facilitator who is not an admin."""
    partner = make.partner("LOMB", "IT")
    facilitator = make.user("Outside facilitator")
    workshop = make.workshop([partner], [facilitator])
    world.other_workshop, world.other_partner, world.other_facilitator = workshop, partner, facilitator
    return world


def _members(partner_id: int) -> list[int]:
    db.session.expire_all()
    return [u.id for u in db.session.get(Partner, partner_id).members]


def test_outsider_facilitator_cannot_join_a_partner_over_the_api(client, other, login):
    login(other.other_facilitator)
    response = client.post(f"/api/v1/partners/{other.lt.id}/members", json={"user_id": other.other_facilitator.id})
    assert response.status_code == 403 and response.get_json()["error"]["code"] == "forbidden"
    assert other.other_facilitator.id not in _members(other.lt.id)
    assert client.get(f"/api/v1/plans/{other.lt_plan.id}").status_code == 404


def test_outsider_facilitator_cannot_join_a_partner_through_the_form(client, other, login):
    token = login(other.other_facilitator)
    client.post(f"/partners/{other.lt.id}/members", data={"csrf_token": token, "user_id": str(other.other_facilitator.id)})
    assert other.other_facilitator.id not in _members(other.lt.id)


def test_facilitator_of_the_partners_workshop_and_admin_may_add_members(client, other, login, make):
    newcomer = make.user("Newcomer")
    login(other.facilitator)  # facilitates world.workshop, which KLAIPEDA is in
    assert client.post(f"/api/v1/partners/{other.lt.id}/members", json={"user_id": newcomer.id}).status_code == 201
    login(other.admin)
    assert client.post(f"/api/v1/partners/{other.other_partner.id}/members", json={"user_id": newcomer.id}).status_code == 201
    assert newcomer.id in _members(other.lt.id) and newcomer.id in _members(other.other_partner.id)


def test_another_workshops_partner_cannot_be_brought_into_mine(client, other, login):
    token = login(other.other_facilitator)
    response = client.post(f"/workshops/{other.other_workshop.id}/partners", data={"csrf_token": token, "partner_id": str(other.lt.id)})
    assert response.status_code == 302
    db.session.expire_all()
    assert other.lt not in db.session.get(Workshop, other.other_workshop.id).partners
    assert client.get(f"/plans/{other.lt_plan.id}").status_code == 404


def test_emails_are_shown_only_to_admins_and_the_user(client, other, login):
    login(other.facilitator)
    page = client.get(f"/partners/{other.lt.id}").get_data(as_text=True)
    assert "Add member" in page and "@example.org" not in page
    assert "email" not in str(client.get(f"/api/v1/partners/{other.lt.id}").get_json())
    assert client.get("/api/v1/users").status_code == 403
    assert client.get("/api/v1/me").get_json()["user"]["email"] == other.facilitator.email
    login(other.admin)
    assert other.lt_member.email not in client.get(f"/partners/{other.lt.id}").get_data(as_text=True)  # members
    assert other.outsider.email in client.get(f"/partners/{other.lt.id}").get_data(as_text=True)  # candidates

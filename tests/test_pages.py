"""Server-rendered pages: dashboard, partners, people, workshops; forms post with CSRF."""
from __future__ import annotations

from collab.extensions import db
from collab.models import Partner, User, Workshop
from tests.conftest import ack_of, open_and_enter
from tests.support.html import assert_inert


def test_dashboard_lists_my_workshops_and_readable_plans(client, world, login):
    login(world.lt_member)
    response = client.get("/")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Workshop" in html and f"/workshops/{world.workshop.id}" in html
    assert f"/plans/{world.lt_plan.id}" in html
    assert f"/plans/{world.pl_plan.id}" not in html  # not paired yet
    assert "Content-Security-Policy" in response.headers
    assert_inert(html)


def test_facilitator_dashboard_lists_every_plan_of_the_workshop(client, world, login):
    login(world.facilitator)
    html = client.get("/").get_data(as_text=True)
    for plan in (world.lt_plan, world.pl_plan, world.hu_plan):
        assert f"/plans/{plan.id}" in html


def test_admin_creates_account_partner_and_member_through_pages(client, world, login):
    token = login(world.admin)
    response = client.post("/admin/users", data={"csrf_token": token, "name": "Jonas", "email": "jonas@example.org",
                                                 "password": "a long password", "locale": "lt"})
    assert response.status_code == 302
    jonas = db.session.query(User).filter_by(email="jonas@example.org").one()
    assert jonas.locale == "lt"
    bad = client.post("/admin/users", data={"csrf_token": token, "name": "", "email": "x", "password": "short"})
    assert bad.status_code == 422
    assert "This field is too short." in bad.get_data(as_text=True)

    response = client.post("/partners", data={"csrf_token": token, "name": "Lombardy Region", "short_name": "LOMB",
                                              "country": "it", "organisations": "Regione Lombardia\n\n"})
    assert response.status_code == 302
    lomb = db.session.query(Partner).filter_by(short_name="LOMB").one()
    assert lomb.country == "IT" and lomb.organisations == ["Regione Lombardia"]
    client.post(f"/partners/{lomb.id}/members", data={"csrf_token": token, "user_id": str(jonas.id)})
    db.session.refresh(lomb)
    assert lomb.members == [jonas]
    page = client.get(f"/partners/{lomb.id}").get_data(as_text=True)
    assert "Jonas" in page


def test_member_cannot_reach_admin_pages(client, world, login):
    login(world.lt_member)
    assert client.get("/admin/users").status_code == 403
    assert client.get("/workshops/new").status_code == 403


def test_admin_creates_workshop_and_attaches_people(client, world, login, make):
    token = login(world.admin)
    response = client.post("/workshops/new", data={
        "csrf_token": token, "title": "Second workshop", "description": "Follow-up", "starts_at": "2026-12-01T09:30",
        "partner_ids": [str(world.lt.id)], "facilitator_ids": [str(world.facilitator.id)],
    })
    assert response.status_code == 302
    workshop = db.session.query(Workshop).filter_by(title="Second workshop").one()
    assert workshop.starts_at.isoformat() == "2026-12-01T07:30:00+00:00"  # 09:30 in Vilnius, the default zone
    client.post(f"/workshops/{workshop.id}/partners", data={"csrf_token": token, "partner_id": str(world.pl.id)})
    client.post(f"/workshops/{workshop.id}/facilitators", data={"csrf_token": token, "user_id": str(world.outsider.id)})
    db.session.refresh(workshop)
    assert world.pl in workshop.partners and world.outsider in workshop.facilitators
    page = client.get(f"/workshops/{workshop.id}").get_data(as_text=True)
    assert "RRDA" in page and "Readability" in page


def test_member_creates_plan_from_template_page(client, world, login):
    token = login(world.lt_member)
    form = client.get(f"/plans/new?partner_id={world.lt.id}").get_data(as_text=True)
    assert 'value="executive-summary"' in form and 'value="endorsement"' in form
    response = client.post("/plans/new", data={
        "csrf_token": token, "partner_id": str(world.lt.id), "title": "Second plan", "section_count": "2",
        "sections-0-key": "executive-summary", "sections-0-title": "Executive summary", "sections-0-body": "Hello",
    })
    assert response.status_code == 302
    assert client.get(response.headers["Location"]).status_code == 200


def test_outsider_gets_404_page_for_foreign_plan(client, world, login):
    login(world.outsider)
    response = client.get(f"/plans/{world.lt_plan.id}")
    assert response.status_code == 404
    assert "Not found" in response.get_data(as_text=True)


def test_every_page_sends_security_headers(client, world, login):
    login(world.admin)
    for path in ("/", "/partners", "/admin/users", "/workshops/new", f"/workshops/{world.workshop.id}", f"/plans/{world.lt_plan.id}", "/login"):
        response = client.get(path)
        assert response.status_code in (200, 302), path
        csp = response.headers["Content-Security-Policy"]
        assert "default-src 'self'" in csp and "script-src 'self'" in csp and "unsafe-inline" not in csp
        assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_healthz(client):
    assert client.get("/healthz").get_json() == {"ok": True}


def test_announcements_are_on_the_pages_after_a_reload(live, client, login):
    """A reload or a late join shows the announcements of the current round, not 'No announcements yet.'"""
    open_and_enter(live)
    assert ack_of(live.fac_sio, "broadcast", {"workshop_id": live.workshop.id, "message": "Back at <b>11:00</b>."})["ok"]
    login(live.lt_member)
    for url in (f"/workshops/{live.workshop.id}", f"/rooms/{live.room_a.id}"):
        html = client.get(url).get_data(as_text=True)
        assert "Back at &lt;b&gt;11:00&lt;/b&gt;." in html and "No announcements yet." not in html, url
    login(live.facilitator)
    assert "Back at &lt;b&gt;11:00&lt;/b&gt;." in client.get(f"/workshops/{live.workshop.id}/board").get_data(as_text=True)


def test_a_page_whose_signed_in_user_waits_too_long_for_a_lock_answers_busy(client, world, login, monkeypatch):
    """Reading the signed-in user timed out on a lock (PostgreSQL's lock_timeout): the page was
    answered 500, because the error page read the user again (and on PostgreSQL in a
    transaction the failure had aborted). It is the same 503 busy as any lock timeout."""
    from sqlalchemy.exc import OperationalError

    from collab.realtime import handler

    login(world.lt_member)

    def locked(_token):
        raise OperationalError("SELECT ... FROM auth_sessions", {}, Exception("database is locked"))

    monkeypatch.setattr(handler.auth, "user_for_token", locked)
    response = client.get("/")
    assert response.status_code == 503, response.get_data(as_text=True)[:500]
    assert response.headers["Retry-After"] == "1"
    assert "busy" in response.get_data(as_text=True)

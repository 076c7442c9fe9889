"""The adoption tracker: drafted -> sent to the policy-responsible body -> adopted, per plan."""
from __future__ import annotations

import re
from datetime import date, timedelta

from collab.extensions import db
from collab.models import AdoptionStep
from tests.support.html import assert_inert

DRAFTED = {"body": "KLAIPEDA", "date": "2026-01-15"}
SENT = {"body": "Klaipėda City Municipal Council", "date": "2026-02-19", "note": "Strategic Planning Committee first",
        "link": "https://example.org/agenda.pdf"}
ADOPTED = {"body": "Klaipėda City Municipal Council", "date": "2026-04-23"}


def _url(world) -> str:
    return f"/api/v1/plans/{world.lt_plan.id}/adoption"


def _stored(world) -> list[tuple[str, str]]:
    db.session.expire_all()
    return sorted((s.stage, s.happened_on.isoformat()) for s in db.session.query(AdoptionStep).filter_by(plan_id=world.lt_plan.id))


def test_members_record_the_steps_and_readers_see_them(client, world, login):
    login(world.lt_member)
    empty = client.get(_url(world)).get_json()
    assert empty == {"plan_id": world.lt_plan.id, "current": None, "drafted": None, "sent": None, "adopted": None}

    saved = client.put(_url(world), json={"drafted": DRAFTED, "sent": SENT})
    assert saved.status_code == 200, saved.get_json()
    body = saved.get_json()
    assert body["current"] == "sent" and body["adopted"] is None
    assert body["sent"] | {"updated_at": None} == SENT | {"updated_at": None, "updated_by": {"id": world.lt_member.id, "name": "Rūta"}}

    # The same document back, plus the last step: GET and PUT speak the same shape.
    saved = client.put(_url(world), json=body | {"adopted": ADOPTED})
    assert saved.get_json()["current"] == "adopted"
    assert _stored(world) == [("adopted", "2026-04-23"), ("drafted", "2026-01-15"), ("sent", "2026-02-19")]

    header = client.environ_base.pop("HTTP_X_CSRFTOKEN")
    refused = client.put(_url(world), json={"drafted": DRAFTED})
    assert refused.status_code == 400 and refused.get_json()["error"]["code"] == "csrf"
    client.environ_base["HTTP_X_CSRFTOKEN"] = header

    login(world.facilitator)  # reads the plan, does not own it
    assert client.get(_url(world)).get_json()["current"] == "adopted"
    refused = client.put(_url(world), json={"drafted": DRAFTED})
    assert refused.status_code == 403 and refused.get_json()["error"]["code"] == "forbidden"
    login(world.outsider)
    assert client.get(_url(world)).status_code == 404
    assert client.put(_url(world), json={"drafted": DRAFTED}).status_code == 404
    assert len(_stored(world)) == 3

    login(world.admin)  # admins keep any plan's tracker; a step left out is taken back
    assert client.put(_url(world), json={"drafted": DRAFTED}).get_json()["current"] == "drafted"
    assert _stored(world) == [("drafted", "2026-01-15")]


def test_bad_trackers_are_refused_naming_the_field_and_change_nothing(client, world, login):
    login(world.lt_member)
    assert client.put(_url(world), json={"drafted": DRAFTED}).status_code == 200
    tomorrow_but_one = (date.today() + timedelta(days=3)).isoformat()
    cases = [
        ({"drafted": DRAFTED, "sent": SENT | {"date": "2026-02-30"}}, "sent.date", "real date"),
        ({"drafted": DRAFTED, "sent": SENT | {"date": "19.02.2026"}}, "sent.date", "wrong format"),
        ({"drafted": DRAFTED, "sent": SENT | {"date": 1771459200}}, "sent.date", None),
        ({"drafted": DRAFTED, "adopted": ADOPTED}, "sent", "later step"),
        ({"sent": SENT}, "drafted", "later step"),
        ({"drafted": DRAFTED, "sent": SENT | {"date": "2026-01-14"}}, "sent.date", "Not before the step before it"),
        ({"drafted": DRAFTED, "sent": SENT, "adopted": ADOPTED | {"date": "2026-02-18"}}, "adopted.date", "Not before"),
        ({"drafted": DRAFTED | {"date": tomorrow_but_one}}, "drafted.date", "still to come"),
        ({"drafted": {"date": "2026-01-15"}}, "drafted.body", "required"),
        ({"drafted": DRAFTED | {"body": "   "}}, "drafted.body", None),
        ({"drafted": DRAFTED | {"link": "javascript:alert(1)"}}, "drafted.link", "web address"),
        ({"drafted": DRAFTED | {"link": "http:///path"}}, "drafted.link", "web address"),
        ({"drafted": DRAFTED | {"link": "https://good.example@evil.example/"}}, "drafted.link", "web address"),
        ({"drafted": DRAFTED | {"link": "https://x.example/\u202efdp.exe"}}, "drafted.link", "web address"),
        ({"drafted": DRAFTED | {"note": "x" * 1001}}, "drafted.note", "too long"),
        ({"approved": DRAFTED}, "approved", "not known"),  # misspelt: would have wiped the tracker
        ({"drafted": DRAFTED | {"nota": "x"}}, "drafted.nota", "not known"),
    ]
    for payload, field, words in cases:
        response = client.put(_url(world), json=payload)
        assert response.status_code == 422, (payload, response.get_json())
        error = response.get_json()["error"]
        assert error["code"] == "validation" and field in error["fields"], (payload, error)
        assert words is None or words in error["fields"][field], (payload, error)
    assert client.put(_url(world), json=["drafted"]).status_code == 400
    assert _stored(world) == [("drafted", "2026-01-15")]
    # Any case of the scheme is a web address.
    shouting = client.put(_url(world), json={"drafted": DRAFTED | {"link": "HTTPS://Example.org/Agenda.pdf"}})
    assert shouting.status_code == 200 and shouting.get_json()["drafted"]["link"] == "HTTPS://Example.org/Agenda.pdf"


def test_the_plan_page_shows_a_stepper_and_saves_the_form(client, world, login):
    token = login(world.lt_member)
    page = client.get(f"/plans/{world.lt_plan.id}").get_data(as_text=True)
    assert '<ol class="stepper">' in page and 'aria-current="step"' not in page
    assert "Update the adoption steps" in page

    form = {"csrf_token": token, "drafted-body": "KLAIPEDA", "drafted-date": "2026-01-15",
            "sent-body": SENT["body"], "sent-date": "2026-01-10", "sent-note": "", "sent-link": "",
            "adopted-body": "", "adopted-date": "", "adopted-note": "", "adopted-link": ""}
    refused = client.post(f"/plans/{world.lt_plan.id}/adoption", data=form)
    assert refused.status_code == 422
    html = refused.get_data(as_text=True)
    assert "Not before the step before it" in html and 'value="2026-01-10"' in html  # kept as typed
    assert re.search(r'<details class="adoption-edit" open>', html)
    header = client.environ_base.pop("HTTP_X_CSRFTOKEN")  # the form alone must carry the token
    assert client.post(f"/plans/{world.lt_plan.id}/adoption", data=form | {"csrf_token": ""}).status_code == 400
    client.environ_base["HTTP_X_CSRFTOKEN"] = header
    assert _stored(world) == []

    saved = client.post(f"/plans/{world.lt_plan.id}/adoption", data=form | {"sent-date": "2026-02-19", "sent-note": "<b>via</b> the committee"})
    assert saved.status_code == 302 and saved.headers["Location"].endswith("#adoption")
    page = client.get(f"/plans/{world.lt_plan.id}").get_data(as_text=True)
    current = re.search(r'<li class="step is-done is-current" aria-current="step">(.*?)</li>', page, re.S)
    assert current and SENT["body"] in current.group(1) and "&lt;b&gt;via&lt;/b&gt; the committee" in current.group(1)
    assert page.count('class="step is-done') == 2 and page.count('class="step is-todo') == 1
    assert_inert(page)

    dossier = client.get(f"/plans/{world.lt_plan.id}/dossier").get_data(as_text=True)
    assert 'aria-current="step"' in dossier and SENT["body"] in dossier

    login(world.facilitator)
    page = client.get(f"/plans/{world.lt_plan.id}").get_data(as_text=True)
    assert SENT["body"] in page and "Update the adoption steps" not in page
    refused = client.post(f"/plans/{world.lt_plan.id}/adoption", data=form | {"sent-date": "2026-02-19"})
    assert refused.status_code == 403 and "Only the partner&#39;s members may update its adoption steps." in refused.get_data(as_text=True)

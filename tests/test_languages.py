"""Six languages: catalogue completeness, the language switch and preferences, and errors,
dates and times in the reader's language and time zone."""
from __future__ import annotations

import re
from datetime import datetime, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from babel.dates import format_date
from babel.messages.catalog import Catalog

from collab import catalogues
from collab.extensions import db
from collab.models import User, Workshop
from collab.services.unit_of_work import write

ROOT = Path(__file__).resolve().parent.parent


def _token(html: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)


def _lang(html: str) -> str:
    return re.search(r'<html lang="([a-z]+)"', html).group(1)


# --- the catalogues -----------------------------------------------------------------------

def test_every_catalogue_translates_every_string_of_the_code():
    """A fresh extraction of collab/ and templates/ against each .po: present, translated, not fuzzy, same placeholders."""
    lacking = {code: problems for code, problems in catalogues.missing().items() if problems}
    assert not lacking, "run `bash scripts/translations.sh update`, translate, then `missing` is empty:\n" + "\n".join(
        f"{code}: {problem}: {msgid!r}" for code, problems in lacking.items() for msgid, problem in problems)


def test_the_check_finds_each_kind_of_gap():
    template, catalogue = Catalog(), Catalog(locale="lt")
    for msgid in ("Present", "Fuzzy", "Empty", "Room %(n)s", "Closes in {seconds} s", "Not there"):
        template.add(msgid)
    template.add(("%(num)s plan", "%(num)s plans"))
    catalogue.add("Present", "Yra")
    catalogue.add("Fuzzy", "Neaišku", flags=["fuzzy"])
    catalogue.add("Empty", "")
    catalogue.add("Room %(n)s", "Kambarys")
    catalogue.add("Closes in {seconds} s", "Užsidaro po {sekundes} s")
    catalogue.add(("%(num)s plan", "%(num)s plans"), ("%(num)s planas", "%(num)s planai", ""))
    assert dict(catalogues.problems(template, catalogue)) == {
        "Fuzzy": "fuzzy", "Empty": "untranslated", "Not there": "missing", "%(num)s plan": "untranslated",
        "Room %(n)s": "placeholders [] instead of ['n']",
        "Closes in {seconds} s": "placeholders ['sekundes'] instead of ['seconds']",
    }


def test_browser_texts_come_from_the_page():
    """static/js never carries its own texts: every t('name') it shows is a data-t-name written with _()."""
    scripts = "\n".join(p.read_text() for p in (ROOT / "static" / "js").rglob("*.js"))
    templates = "\n".join(p.read_text() for p in (ROOT / "templates").rglob("*.html"))
    used = set(re.findall(r"\bt\('([a-z0-9-]+)'\s*[,)]", scripts))
    prefixes = set(re.findall(r"\bt\('([a-z0-9-]+-)'\s*\+", scripts))  # t('kind-' + kind)
    defined = set(re.findall(r"data-t-([a-z0-9-]+)=\"\{\{", templates))
    assert used and prefixes
    assert used - defined == set()
    assert all(any(name.startswith(prefix) for name in defined) for prefix in prefixes)


# --- choosing a language and a time zone -----------------------------------------------------

@pytest.fixture
def lithuanian(world):
    with write():
        world.lt_member.locale = "lt"
    return world


def test_a_visitor_picks_a_language_in_the_header(client):
    page = client.get("/login", headers={"Accept-Language": "pl"})
    assert _lang(page.text) == "pl"  # the browser's choice first
    assert client.post("/language", data={"locale": "lt", "next": "/login"}).status_code == 400  # no CSRF token
    response = client.post("/language", data={"csrf_token": _token(page.text), "locale": "lt", "next": "/login"})
    assert response.status_code == 302 and response.headers["Location"] == "/login"
    page = client.get("/login", headers={"Accept-Language": "pl"})
    assert _lang(page.text) == "lt" and "Prisijunkite prie Collab" in page.text
    for code, label in (("lt", "Lietuvių"), ("hu", "Magyar")):
        assert re.search(rf'<button type="submit" name="locale" value="{code}" lang="{code}" title="{label}"', page.text)


def test_a_signed_in_person_keeps_the_language_on_the_account(client, world, login):
    token = login(world.lt_member)
    assert client.post("/language", data={"csrf_token": token, "locale": "xx"}).status_code == 422
    assert client.post("/language", data={"csrf_token": token, "locale": "hu", "next": "//evil.example/"}).headers["Location"] == "/"
    for odd in ("/\r\nSet-Cookie: a=b", "/x\ny", "/\\evil.example/", "/x\u202e", "/a b", "/x\ty", "https://evil.example/"):
        moved = client.post("/language", data={"csrf_token": token, "locale": "hu", "next": odd})
        assert moved.status_code == 302 and moved.headers["Location"] == "/" and "a=b" not in moved.headers.get("Set-Cookie", ""), odd
    kept = client.post("/language", data={"csrf_token": token, "locale": "hu", "next": "/plans/1?tab=feedback#s"})
    assert kept.headers["Location"] == "/plans/1?tab=feedback#s"
    assert db.session.get(User, world.lt_member.id).locale == "hu"
    page = client.get("/")
    assert _lang(page.text) == "hu" and "Műhelyeim" in page.text
    client.post("/logout", data={"csrf_token": token})
    assert "Kijelentkezett." in client.get("/login").text  # the signed-out page stays in her language


def test_preferences_set_the_time_zone_in_which_times_are_shown(client, lithuanian, login):
    world = lithuanian
    token = login(world.lt_member)
    refused = client.post("/preferences", data={"csrf_token": token, "locale": "lt", "time_zone": "Mars/Olympus"})
    assert refused.status_code == 422 and "Pasirinkite laiko juostą iš sąrašo." in refused.text
    assert db.session.get(User, world.lt_member.id).time_zone is None
    saved = client.post("/preferences", data={"csrf_token": token, "locale": "lt", "time_zone": "America/New_York"})
    assert saved.status_code == 302
    assert db.session.get(User, world.lt_member.id).time_zone == "America/New_York"
    page = client.get(f"/plans/{world.lt_plan.id}")
    assert 'data-time-zone="America/New_York"' in page.text
    created = world.lt_plan.versions[0].created_at
    # The version's day on New York's calendar, written as Lithuanians write dates.
    local_day = created.astimezone(ZoneInfo("America/New_York"))
    assert format_date(local_day, "medium", locale="lt") in page.text
    assert client.get("/preferences").status_code == 200


def test_a_new_workshop_starts_on_the_facilitators_clock(client, world, login):
    with write():
        world.admin.time_zone = "Europe/Madrid"
    token = login(world.admin)
    client.post("/workshops/new", data={"csrf_token": token, "title": "Madrid", "starts_at": "2026-07-01T10:00"})
    workshop = db.session.query(Workshop).filter_by(title="Madrid").one()
    assert workshop.starts_at == datetime(2026, 7, 1, 8, 0, tzinfo=timezone.utc)


def test_a_start_at_the_calendars_edge_is_refused_and_never_breaks_a_page(client, world, login):
    token = login(world.admin)  # on Vilnius's clock, east of UTC
    for typed in ("0001-01-01T00:00", "9999-12-31T23:00", "1999-12-31T23:59"):
        page = client.post("/workshops/new", data={"csrf_token": token, "title": "Edge", "starts_at": typed})
        assert page.status_code == 422 and "Enter a date and time between 2000 and 2099." in page.text, typed
    for given in ("9999-12-31T23:00:00Z", "0001-01-01T00:00:00+01:00", "2100-01-01T00:00:00Z"):
        refused = client.post("/api/v1/workshops", json={"title": "Edge", "starts_at": given})
        assert refused.status_code == 422 and set(refused.get_json()["error"]["fields"]) == {"starts_at"}, given
    assert db.session.query(Workshop).filter_by(title="Edge").count() == 0
    # One stored before the check: shown as stored (UTC) instead of failing the page.
    with write():
        world.workshop.starts_at = datetime(9999, 12, 31, 23, 0, tzinfo=timezone.utc)
    for url in ("/", f"/workshops/{world.workshop.id}"):
        page = client.get(url)
        assert page.status_code == 200 and "9999-12-31T23:00+00:00" in page.text, url


# --- errors in the reader's language, codes unchanged ------------------------------------------

def test_api_and_page_errors_are_translated_and_keep_their_codes(client, lithuanian, login):
    login(lithuanian.lt_member)
    missing = client.get("/api/v1/plans/999999").get_json()["error"]
    assert missing == {"code": "not_found", "message": "Tokio plano nėra."}
    invalid = client.post(f"/api/v1/plans/{lithuanian.lt_plan.id}/versions", json={"sections": []}).get_json()["error"]
    assert invalid["code"] == "validation" and invalid["message"] == "Kai kurie laukai netinkami."
    assert invalid["fields"]["base_version"] == "Šis laukas privalomas."
    assert invalid["fields"]["sections"] == "Per mažai elementų."
    nowhere = client.get("/no/such/page")
    assert nowhere.status_code == 404 and "Šiuo adresu nieko nėra." in nowhere.text


def test_socket_errors_are_translated_and_keep_their_codes(lithuanian, connect):
    sio = connect(lithuanian.lt_member)
    ack = sio.emit("join_room", {"room_id": 999999}, callback=True)
    assert ack["ok"] is False and ack["error"]["code"] == "not_found"
    assert ack["error"]["message"] == "Tokio kambario nėra."
    ack = sio.emit("join_room", {"room_id": "one"}, callback=True)
    assert ack["error"] == {"code": "validation", "message": "Kai kurie laukai netinkami.",
                            "fields": {"room_id": "Šios reikšmės tipas netinkamas."}}

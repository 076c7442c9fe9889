"""Plan versions: immutability, optimistic concurrency, comparison, and safe rendering."""
from __future__ import annotations

import re
import threading

import pytest

from collab.extensions import db
from collab.models import PlanVersion
from collab.services import plans
from collab.services.errors import Conflict, Forbidden
from collab.services.inputs import VersionInput, parse
from collab.services.unit_of_work import end_read, write
from tests.support.html import assert_inert, inert_problems

HOSTILE = (
    "Intro <script>alert('x')</script>\n\n"
    "<img src=x onerror=alert(1)>\n\n"
    "[click me](javascript:alert(1)) and [ok](https://example.org)\n\n"
    '<a href="javascript:alert(2)" onclick="alert(3)">raw link</a>\n\n'
    "<iframe src=https://evil.test></iframe><style>body{display:none}</style>"
)


def _sections(body: str = "Text") -> list[dict]:
    return [{"key": "executive-summary", "title": "Executive summary", "body": body}]


def test_versions_are_numbered_and_old_ones_never_change(world):
    plans.add_version(world.lt_member, world.lt_plan.id, parse(VersionInput, {"sections": _sections("v2 text"), "base_version": 1}))
    plans.add_version(world.lt_member, world.lt_plan.id, parse(VersionInput, {"sections": _sections("v3 text"), "base_version": 2}))
    _plan, v1 = plans.get_plan(world.lt_member, world.lt_plan.id, 1)
    _plan, v3 = plans.get_plan(world.lt_member, world.lt_plan.id, None)
    assert v3.number == 3 and v3.sections[0].body == "v3 text"
    assert [s.key for s in v1.sections] == ["executive-summary", "action-1"]
    assert v1.sections[0].body == "We will **grow**."


def test_stale_base_version_is_a_conflict_and_stores_nothing(world):
    plans.add_version(world.lt_member, world.lt_plan.id, parse(VersionInput, {"sections": _sections("first"), "base_version": 1}))
    with pytest.raises(Conflict) as caught:
        plans.add_version(world.lt_member, world.lt_plan.id, parse(VersionInput, {"sections": _sections("second"), "base_version": 1}))
    assert caught.value.extra["latest_version"] == 2
    assert db.session.query(PlanVersion).filter_by(plan_id=world.lt_plan.id).count() == 2


def test_two_simultaneous_saves_from_one_base_one_wins(app, world):
    """Two members press save at once: exactly one new version, the other gets a conflict."""
    plan_id, member_ids = world.lt_plan.id, [world.lt_member.id, world.lt_member.id]
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def save(user_id: int, text: str) -> None:
        with app.app_context():
            from collab.models import User

            user = db.session.get(User, user_id)
            barrier.wait()
            try:
                plans.add_version(user, plan_id, parse(VersionInput, {"sections": _sections(text), "base_version": 1}))
                outcomes.append("saved")
            except Conflict:
                outcomes.append("conflict")
            finally:
                db.session.remove()

    threads = [threading.Thread(target=save, args=(uid, f"text {i}")) for i, uid in enumerate(member_ids)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["conflict", "saved"]
    end_read()  # this test's own read began before the saves: look again
    assert db.session.query(PlanVersion).filter_by(plan_id=plan_id).count() == 2


def test_outsider_cannot_add_versions(world):
    from collab.services.errors import NotFound

    with pytest.raises(NotFound):
        plans.add_version(world.outsider, world.lt_plan.id, parse(VersionInput, {"sections": _sections(), "base_version": 1}))
    with pytest.raises(Forbidden):
        plans.add_version(world.facilitator, world.lt_plan.id, parse(VersionInput, {"sections": _sections(), "base_version": 1}))


def test_compare_marks_changed_added_removed_and_same(world):
    plans.add_version(world.lt_member, world.lt_plan.id, parse(VersionInput, {"base_version": 1, "sections": [
        {"key": "executive-summary", "title": "Executive summary", "body": "We will **grow**."},
        {"key": "monitoring", "title": "Monitoring", "body": "Indicators."},
    ]}))
    _p, v1 = plans.get_plan(world.lt_member, world.lt_plan.id, 1)
    _p, v2 = plans.get_plan(world.lt_member, world.lt_plan.id, 2)
    assert [(r["key"], r["state"]) for r in plans.compare(v1, v2)] == [
        ("executive-summary", "same"), ("monitoring", "added"), ("action-1", "removed"),
    ]


def test_hostile_markdown_is_inert_on_the_plan_page(client, world, login):
    plans.add_version(world.lt_member, world.lt_plan.id, parse(VersionInput, {"sections": _sections(HOSTILE), "base_version": 1}))
    login(world.lt_member)
    response = client.get(f"/plans/{world.lt_plan.id}")
    html = response.get_data(as_text=True)
    assert_inert(html)
    assert '<a href="https://example.org" rel="noopener noreferrer nofollow">ok</a>' in html
    assert "<p>Intro alert('x')</p>" in html  # raw HTML tags are dropped, their text kept as inert text
    assert inert_problems('<p onclick="x"><script>1</script><a href="javascript:x">') != []  # the check can fail
    assert "script-src 'self'" in response.headers["Content-Security-Policy"]
    compare = client.get(f"/plans/{world.lt_plan.id}?version=2&compare=1").get_data(as_text=True)
    assert_inert(compare)


def test_hostile_names_are_escaped(client, world, login, make):
    with write():
        world.lt.name = '<img src=x onerror=alert(1)>'
        world.lt_plan.title = '<script>alert(1)</script>'
    login(world.lt_member)
    html = client.get(f"/plans/{world.lt_plan.id}").get_data(as_text=True)
    assert_inert(html)


def test_plan_page_shows_toc_versions_and_editor(client, world, login):
    plans.add_version(world.lt_member, world.lt_plan.id, parse(VersionInput, {"sections": _sections("Second"), "note": "shorter", "base_version": 1}))
    login(world.lt_member)
    html = client.get(f"/plans/{world.lt_plan.id}").get_data(as_text=True)
    assert 'href="#section-executive-summary"' in html
    assert re.search(r'<option value="2" selected>v2 — shorter</option>', html)
    assert f'/plans/{world.lt_plan.id}/edit' in html
    compare = client.get(f"/plans/{world.lt_plan.id}?version=2&compare=1").get_data(as_text=True)
    assert "Changes from version 1 to version 2" in compare
    assert 'class="compare-row state-changed"' in compare and 'class="compare-row state-removed"' in compare


def test_editor_saves_a_new_version_and_reports_conflicts(client, world, login):
    token = login(world.lt_member)
    form = {
        "csrf_token": token, "base_version": "1", "note": "tidy", "section_count": "3",
        "sections-0-key": "executive-summary", "sections-0-title": "Executive summary", "sections-0-body": "New summary",
        "sections-1-key": "action-1", "sections-1-title": "Action 1", "sections-1-body": "x", "sections-1-remove": "on",
        "sections-2-key": "monitoring", "sections-2-title": "Monitoring", "sections-2-body": "KPIs",
    }
    response = client.post(f"/plans/{world.lt_plan.id}/edit", data=form)
    assert response.status_code == 302
    _p, v2 = plans.get_plan(world.lt_member, world.lt_plan.id)
    assert v2.number == 2 and [s.key for s in v2.sections] == ["executive-summary", "monitoring"]
    again = client.post(f"/plans/{world.lt_plan.id}/edit", data=form)
    assert again.status_code == 409
    assert "See the latest version" in again.get_data(as_text=True)


def test_reader_sees_no_edit_button(client, world, login):
    login(world.facilitator)
    html = client.get(f"/plans/{world.lt_plan.id}").get_data(as_text=True)
    assert f'/plans/{world.lt_plan.id}/edit' not in html
    assert client.get(f"/plans/{world.lt_plan.id}/edit").status_code == 302
    # Sent back with a word why, not silently.
    page = client.get(f"/plans/{world.lt_plan.id}/edit", follow_redirects=True).get_data(as_text=True)
    assert "Only the members of KLAIPEDA may edit this plan." in page


def test_an_edit_from_the_browser_flags_only_the_edited_section(client, world, login):
    """Browsers post textareas with CRLF line ends; the store has LF. Saving one edited section
    must not mark the others changed, and the comparison shows the words that changed."""
    plans.add_version(world.lt_member, world.lt_plan.id, parse(VersionInput, {"base_version": 1, "sections": [
        {"key": "executive-summary", "title": "Executive summary", "body": "We will **grow**.\n\nTwo lines."},
        {"key": "action-1", "title": "Action 1", "body": "Do things.\n"},
    ]}))
    token = login(world.lt_member)
    response = client.post(f"/plans/{world.lt_plan.id}/edit", data={
        "csrf_token": token, "base_version": "2", "note": "", "section_count": "2",
        "sections-0-key": "executive-summary", "sections-0-title": "Executive summary", "sections-0-body": "We will **grow**.\r\n\r\nTwo lines.  \r\n",
        "sections-1-key": "action-1", "sections-1-title": "Action 1", "sections-1-body": "Do useful things.\r\n",
    })
    assert response.status_code == 302
    _p, v2 = plans.get_plan(world.lt_member, world.lt_plan.id, 2)
    _p, v3 = plans.get_plan(world.lt_member, world.lt_plan.id, 3)
    assert [(r["key"], r["state"]) for r in plans.compare(v2, v3)] == [("executive-summary", "same"), ("action-1", "changed")]
    html = client.get(f"/plans/{world.lt_plan.id}?version=3&compare=2").get_data(as_text=True)
    assert re.search(r"<ins[^>]*>\s*useful\s*</ins>", html), html

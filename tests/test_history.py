"""Feedback history: filters, carry-over, the owner's answers, readiness, general feedback, exports, access."""
from __future__ import annotations

import csv
import io
import json
import uuid

import pytest

from collab.extensions import db
from collab.models import FeedbackChange, FeedbackItem
from collab.services import feedback, history, plans, rounds, shapes
from collab.services.errors import Forbidden, Invalid
from collab.services.exports import safe_cell
from collab.services.inputs import CloseInput, FeedbackInput, GeneralFeedbackInput, ResponseInput, RoundInput, RoundRef, VersionInput, parse
from tests.support.html import assert_inert


def post(w, author, **overrides) -> dict:
    data = {"client_id": str(uuid.uuid4()), "room_id": w.room.id, "plan_id": w.lt_plan.id, "section_key": "executive-summary",
            "kind": "suggestion", "criterion": "readability", "rating": 3, "body": "Make it shorter."}
    data.update(overrides)
    return shapes.feedback(feedback.submit(author, parse(FeedbackInput, data)))


@pytest.fixture
def reviewed(world):
    """KLAIPEDA and RRDA paired in an open room; RRDA has left three items on Klaipėda's plan."""
    rnd = rounds.create_round(world.facilitator, world.workshop.id, parse(RoundInput, {"minutes": 20, "rooms": [{"name": "A", "partner_ids": [world.lt.id, world.pl.id]}]}))
    rounds.open_round(world.facilitator, RoundRef(round_id=rnd.id))
    world.round, world.room = rnd, rnd.rooms[0]
    world.items = [
        post(world, world.pl_member),
        post(world, world.pl_member, section_key="action-1", kind="concern", criterion="feasibility", rating=2, body="Who pays?"),
        post(world, world.facilitator, kind="strength", criterion=None, rating=None, body="Clear vision."),
    ]
    return world


def test_filters(reviewed, client, login):
    login(reviewed.lt_member)
    url = f"/api/v1/plans/{reviewed.lt_plan.id}/feedback"
    assert len(client.get(url).get_json()["items"]) == 3
    assert [i["body"] for i in client.get(url + "?criterion=feasibility").get_json()["items"]] == ["Who pays?"]
    assert [i["body"] for i in client.get(url + "?kind=strength").get_json()["items"]] == ["Clear vision."]
    assert len(client.get(url + "?section=executive-summary").get_json()["items"]) == 2
    assert len(client.get(url + f"?room_id={reviewed.room.id}&workshop_id={reviewed.workshop.id}").get_json()["items"]) == 3
    assert len(client.get(url + f"?author_partner_id={reviewed.pl.id}").get_json()["items"]) == 2
    assert client.get(url + "?status=accepted").get_json()["items"] == []
    page = client.get(url + "?limit=2").get_json()
    assert len(page["items"]) == 2 and page["next"] == page["items"][-1]["id"]
    rest = client.get(url + f"?limit=2&after_id={page['next']}").get_json()
    assert len(rest["items"]) == 1 and rest["next"] is None
    assert client.get(url + "?status=nonsense").status_code == 422
    assert client.get(url + "?limit=0").status_code == 422


def test_open_items_carry_over_to_newer_versions_until_answered(reviewed):
    plans.add_version(reviewed.lt_member, reviewed.lt_plan.id, parse(VersionInput, {"base_version": 1, "sections": [
        {"key": "executive-summary", "title": "Executive summary", "body": "Shorter now."},
        {"key": "action-1", "title": "Action 1", "body": "Do things."}]}))
    on_v2 = history.plan_feedback(reviewed.lt_member, reviewed.lt_plan.id, history.filters_from({"version": "2"}))["items"]
    assert len(on_v2) == 3 and all(i["carried_over"] for i in on_v2)
    summary = next(i for i in on_v2 if i["body"] == "Make it shorter.")
    assert summary["section_changed_since"] is True
    assert next(i for i in on_v2 if i["body"] == "Who pays?")["section_changed_since"] is False
    feedback.respond(reviewed.lt_member, parse(ResponseInput, {"feedback_id": summary["id"], "status": "addressed", "addressed_in_version": 2}))
    on_v2 = history.plan_feedback(reviewed.lt_member, reviewed.lt_plan.id, history.filters_from({"version": "2"}))["items"]
    assert [i["body"] for i in on_v2] == ["Who pays?", "Clear vision."]


def test_workflow_rules_over_patch(reviewed, client, login):
    item_id = reviewed.items[0]["id"]
    url = f"/api/v1/feedback/{item_id}"
    login(reviewed.pl_member)
    assert client.patch(url, json={"status": "accepted"}).status_code == 403  # the author is not the owner
    edited = client.patch(url, json={"body": "Make it one page."})
    assert edited.status_code == 200 and edited.get_json()["body"] == "Make it one page."
    login(reviewed.lt_member)
    declined = client.patch(url, json={"status": "declined"})
    assert declined.status_code == 422 and "response" in declined.get_json()["error"]["fields"]
    assert client.patch(url, json={"status": "addressed", "addressed_in_version": 5}).status_code == 422
    assert client.patch(url, json={"status": "addressed", "addressed_in_version": 1}).status_code == 422
    assert client.patch(url, json={}).status_code == 422
    ok = client.patch(url, json={"status": "declined", "response": "The summary must stay two pages."})
    assert ok.status_code == 200 and ok.get_json()["status"] == "declined"
    assert client.patch(url, json={"status": "open"}).get_json()["status"] == "open"
    changes = client.get(f"{url}/changes").get_json()["items"]
    assert [c["action"] for c in changes] == ["created", "edited", "answered", "answered"]
    assert changes[2]["by"]["id"] == reviewed.lt_member.id and changes[2]["at"]
    rounds.close_round(reviewed.facilitator, parse(CloseInput, {"round_id": reviewed.round.id, "countdown_s": 0}))
    login(reviewed.pl_member)
    assert client.patch(url, json={"body": "Too late?"}).status_code == 409


def test_only_the_owners_members_answer(reviewed):
    with pytest.raises(Forbidden):
        feedback.respond(reviewed.facilitator, parse(ResponseInput, {"feedback_id": reviewed.items[0]["id"], "status": "accepted"}))


def test_general_feedback_goes_to_every_plan_as_its_own_item(reviewed, make):
    make.plan(reviewed.hu, sections=[("monitoring", "Monitoring", "KPIs")])  # a second HU plan without a summary
    client_id = str(uuid.uuid4())
    data = {"client_id": client_id, "section_key": "executive-summary", "kind": "suggestion", "criterion": "readability",
            "body": "The executive summary must be readable by outsiders."}
    result = history.post_general(reviewed.facilitator, reviewed.workshop.id, parse(GeneralFeedbackInput, data))
    assert sorted(i["plan_id"] for i in result["items"]) == sorted([reviewed.lt_plan.id, reviewed.pl_plan.id, reviewed.hu_plan.id])
    assert len(result["skipped_plan_ids"]) == 1
    again = history.post_general(reviewed.facilitator, reviewed.workshop.id, parse(GeneralFeedbackInput, data))
    assert sorted(i["id"] for i in again["items"]) == sorted(i["id"] for i in result["items"])
    hu_item = next(i for i in result["items"] if i["plan_id"] == reviewed.hu_plan.id)
    feedback.respond(reviewed.outsider, parse(ResponseInput, {"feedback_id": hu_item["id"], "status": "accepted"}))
    statuses = {i.plan_id: i.status for i in db.session.query(FeedbackItem).filter(FeedbackItem.body.like("The executive%"))}
    assert statuses[reviewed.hu_plan.id] == "accepted" and statuses[reviewed.lt_plan.id] == "open"
    with pytest.raises(Forbidden):
        history.post_general(reviewed.lt_member, reviewed.workshop.id, parse(GeneralFeedbackInput, data))
    with pytest.raises(Invalid):
        history.post_general(reviewed.facilitator, reviewed.workshop.id, parse(GeneralFeedbackInput, {**data, "criterion": "beauty"}))


def test_readiness_counts_and_average_rating(reviewed):
    feedback.respond(reviewed.lt_member, parse(ResponseInput, {"feedback_id": reviewed.items[0]["id"], "status": "accepted"}))
    [v1] = history.readiness(reviewed.lt_member, reviewed.lt_plan.id)
    by = {c["criterion"]: c for c in v1["criteria"]}
    assert by["readability"]["statuses"] == {"accepted": 1} and by["readability"]["average_rating"] == 3.0
    assert by["feasibility"]["average_rating"] == 2.0 and by[None]["total"] == 1


def test_csv_export_is_spreadsheet_safe_and_keeps_every_letter(reviewed, client, login):
    post(reviewed, reviewed.pl_member, body="=HYPERLINK(\"http://evil.test\",\"x\")")
    post(reviewed, reviewed.pl_member, body="+1+1", kind="question")
    post(reviewed, reviewed.pl_member, body="@SUM(A1)", criterion="adoption")
    post(reviewed, reviewed.pl_member, body="-2 Klaipėda, Łódź, Győr, Città — ąčęėįšųūž ő ű", kind="strength")
    login(reviewed.lt_member)
    response = client.get(f"/api/v1/plans/{reviewed.lt_plan.id}/feedback.csv")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    raw = response.get_data()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    bodies = [r["body"] for r in rows]
    assert "'=HYPERLINK(\"http://evil.test\",\"x\")" in bodies and "'+1+1" in bodies and "'@SUM(A1)" in bodies
    assert "'-2 Klaipėda, Łódź, Győr, Città — ąčęėįšųūž ő ű" in bodies
    assert all(not cell.startswith(("=", "+", "-", "@")) for row in rows for cell in row.values())
    filtered = client.get(f"/api/v1/plans/{reviewed.lt_plan.id}/feedback.csv?kind=question").get_data().decode("utf-8-sig")
    assert len(list(csv.DictReader(io.StringIO(filtered)))) == 1


def test_safe_cell():
    assert safe_cell("=1+1") == "'=1+1" and safe_cell("\t=x") == "'\t=x" and safe_cell("plain") == "plain" and safe_cell(None) == ""


def test_markdown_and_json_exports(reviewed, client, login):
    feedback.submit(reviewed.lt_member, parse(FeedbackInput, {"client_id": str(uuid.uuid4()), "room_id": reviewed.room.id, "plan_id": reviewed.lt_plan.id,
                                         "section_key": "action-1", "kind": "question", "body": "The council pays.",
                                         "parent_id": reviewed.items[1]["id"]}))
    login(reviewed.lt_member)
    md = client.get(f"/api/v1/plans/{reviewed.lt_plan.id}/feedback.md").get_data(as_text=True)
    assert md.startswith("# Feedback: Plan of KLAIPEDA") and "Who pays?" in md and "  - **Rūta**" in md
    data = json.loads(client.get(f"/api/v1/plans/{reviewed.lt_plan.id}/feedback.json").get_data(as_text=True))
    assert len(data["items"]) == 4 and data["items"][2]["parent_id"] == reviewed.items[1]["id"]


def test_workshop_export_holds_only_readable_plans(reviewed, client, login):
    post(reviewed, reviewed.lt_member, plan_id=reviewed.pl_plan.id, body="On the Polish plan")
    login(reviewed.outsider)  # PANNON: in the workshop, paired with nobody
    rows = list(csv.DictReader(io.StringIO(client.get(f"/api/v1/workshops/{reviewed.workshop.id}/feedback.csv").get_data().decode("utf-8-sig"))))
    assert rows == []
    login(reviewed.facilitator)
    rows = list(csv.DictReader(io.StringIO(client.get(f"/api/v1/workshops/{reviewed.workshop.id}/feedback.csv").get_data().decode("utf-8-sig"))))
    assert len(rows) == 4


@pytest.mark.parametrize("path", [
    "/plans/{plan}/feedback", "/plans/{plan}/dossier", "/api/v1/plans/{plan}/feedback", "/api/v1/plans/{plan}/feedback.csv",
    "/api/v1/plans/{plan}/feedback.md", "/api/v1/plans/{plan}/feedback.json", "/api/v1/plans/{plan}/readiness",
    "/api/v1/feedback/{item}/changes",
])
def test_outsiders_get_404_everywhere(reviewed, client, login, path):
    login(reviewed.outsider)
    response = client.get(path.format(plan=reviewed.lt_plan.id, item=reviewed.items[0]["id"]))
    assert response.status_code == 404
    assert b"Make it shorter" not in response.get_data()


def test_outsider_cannot_patch_and_stranger_sees_no_timeline(reviewed, client, login, make):
    login(reviewed.outsider)
    assert client.patch(f"/api/v1/feedback/{reviewed.items[0]['id']}", json={"status": "accepted"}).status_code == 404
    stranger = make.user("Stranger", partner=make.partner("ZZ"))
    login(stranger)
    assert client.get(f"/workshops/{reviewed.workshop.id}/timeline").status_code == 404
    assert client.get(f"/api/v1/workshops/{reviewed.workshop.id}/feedback.csv").status_code == 404


def test_feedback_page_filters_and_answers(reviewed, client, login):
    post(reviewed, reviewed.pl_member, body="<script>alert(1)</script><img src=x onerror=alert(2)> [x](javascript:alert(3))")
    token = login(reviewed.lt_member)
    html = client.get(f"/plans/{reviewed.lt_plan.id}/feedback").get_data(as_text=True)
    assert_inert(html)
    assert "Who pays?" in html and "Make it shorter." in html and "Where the plan stands" in html and "<svg" in html
    only = client.get(f"/plans/{reviewed.lt_plan.id}/feedback?criterion=feasibility").get_data(as_text=True)
    assert "Who pays?" in only and "Make it shorter." not in only
    item_id = reviewed.items[1]["id"]
    bad = client.post(f"/feedback/{item_id}/answer", data={"csrf_token": token, "status": "declined", "response": "", "plan_id": reviewed.lt_plan.id},
                      follow_redirects=True)
    assert "A reason is required when declining." in bad.get_data(as_text=True)
    ok = client.post(f"/feedback/{item_id}/answer", data={"csrf_token": token, "status": "declined", "response": "Budget is fixed",
                                                          "plan_id": reviewed.lt_plan.id})
    assert ok.status_code == 302
    assert db.session.get(FeedbackItem, item_id).status == "declined"
    assert db.session.query(FeedbackChange).filter_by(feedback_id=item_id, action="answered").count() == 1


def test_dossier_and_timeline_pages(reviewed, client, login):
    login(reviewed.facilitator)
    dossier = client.get(f"/plans/{reviewed.lt_plan.id}/dossier").get_data(as_text=True)
    assert "Make it shorter." in dossier and "Executive summary" in dossier
    timeline = client.get(f"/workshops/{reviewed.workshop.id}/timeline").get_data(as_text=True)
    assert "opened with 1 rooms" in timeline and "gave a suggestion on Plan of KLAIPEDA" in timeline
    assert_inert(timeline)
    token = client.environ_base["HTTP_X_CSRFTOKEN"]
    response = client.post(f"/workshops/{reviewed.workshop.id}/general-feedback", data={
        "csrf_token": token, "section_key": "executive-summary", "kind": "suggestion", "body": "Readable by outsiders."})
    assert response.status_code == 302
    assert db.session.query(FeedbackItem).filter_by(body="Readable by outsiders.").count() == 3


def test_general_feedback_from_the_board_to_a_section_or_the_whole_plan(reviewed, client, login):
    """The board offers the sections the plans have plus 'Whole plan' (no hand-typed key); a
    plan-wide remark reaches every plan; a refused post shows the form again with the text."""
    token = login(reviewed.facilitator)
    board = client.get(f"/workshops/{reviewed.workshop.id}/board").get_data(as_text=True)
    assert '<option value="whole-plan"' in board and '<option value="action-1"' in board and "Action 1 (3 plans)" in board
    assert 'id="general-feedback"' in client.get(f"/workshops/{reviewed.workshop.id}").get_data(as_text=True)
    response = client.post(f"/workshops/{reviewed.workshop.id}/general-feedback", data={
        "csrf_token": token, "back": "board", "section_key": "whole-plan", "kind": "concern",
        "body": "Finalisation is a long process."})
    assert response.status_code == 302 and "/board" in response.headers["Location"]
    items = db.session.query(FeedbackItem).filter_by(body="Finalisation is a long process.").all()
    assert sorted(i.plan_id for i in items) == sorted([reviewed.lt_plan.id, reviewed.pl_plan.id, reviewed.hu_plan.id])
    refused = client.post(f"/workshops/{reviewed.workshop.id}/general-feedback", data={
        "csrf_token": token, "back": "board", "section_key": "Executive Summary", "kind": "suggestion",
        "body": "Readable by *outsiders*, please."}, follow_redirects=True)
    html = refused.get_data(as_text=True)
    assert "Readable by *outsiders*, please.</textarea>" in html
    login(reviewed.lt_member)
    history_page = client.get(f"/plans/{reviewed.lt_plan.id}/feedback").get_data(as_text=True)
    assert "Whole plan" in history_page and "Finalisation is a long process." in history_page


def test_csv_names_its_charset_once(reviewed, client, login):
    login(reviewed.lt_member)
    response = client.get(f"/api/v1/plans/{reviewed.lt_plan.id}/feedback.csv")
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"


def test_dossier_chart_and_timeline_speak_the_readers_words(reviewed, client, login):
    """Criterion labels (not keys) in the dossier's chart, with a clean screen-reader text; section
    titles and room names (not internal keys) in the timeline; a reply is not 'a question'."""
    reply = post(reviewed, reviewed.lt_member, parent_id=reviewed.items[0]["id"], kind=None, criterion=None, rating=None, body="Thanks!")
    assert reply["kind"] is None
    login(reviewed.facilitator)
    dossier = client.get(f"/plans/{reviewed.lt_plan.id}/dossier").get_data(as_text=True)
    assert "Feasibility (who does what)" in dossier and ", )" not in dossier
    assert "1 open)" in dossier
    timeline = client.get(f"/workshops/{reviewed.workshop.id}/timeline").get_data(as_text=True)
    assert "section Executive summary" in timeline and "in A" in timeline
    assert "section executive-summary" not in timeline
    assert "replied" in timeline


def test_an_export_lets_the_live_rooms_run_at_least_every_two_hundred_items(reviewed, monkeypatch):
    """An export is prepared and written in batches with a pause between: a batch of 1,000
    items held the event loop, and every live room with it, for 130-430 ms."""
    for n in range(397):
        post(reviewed, reviewed.pl_member, body=f"Point {n}")
    rows_at_pause: list[int] = []
    rows = []
    monkeypatch.setattr(history, "pause", lambda: rows_at_pause.append(len(rows)))
    for row in history.export_rows([reviewed.lt_plan.id], history.filters_from({})):
        rows.append(row)
    assert len(rows) == 400
    assert [later - earlier for earlier, later in zip([0, *rows_at_pause], rows_at_pause)] == [200, 200]

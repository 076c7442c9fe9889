"""After the workshop, in a real browser: the plan owner works through the feedback on her plan.

The real server starts with the demo data. The facilitator opens the demo round over
Socket.IO and Tomasz (RRDA, Room 2) posts structured feedback on Klaipėda's plan, as he
would from the room. Then Rūta (KLAIPEDA, the plan's owner) opens the feedback history in
headless Chromium: she filters it, answers items with the form (also by keyboard), gets a
clear error when she declines without a reason, downloads the CSV, and opens the printable
dossier and the workshop timeline. No page may log a CSP refusal or a script error.

Screenshots on a laptop and a phone go to tests/artifacts/history-*.png, and the dossier as
printed to tests/artifacts/dossier.pdf, for a human to look at.
"""
from __future__ import annotations

import csv
import io
import re
import uuid
from urllib.parse import parse_qs, urlparse


from collab.demo_content import GENERAL_FEEDBACK
from tests.browser.demo import FACILITATOR, LAPTOP, PASSWORD, PHONE, RUTA, TOMASZ, shot, watch_console
from tests.support.axe import check_accessibility
from tests.support.browser import ARTIFACTS_DIR, sign_in
from tests.support.live_client import LiveClient

RUTA_NAME = "Rūta Jankauskienė"
PLAN_TITLE = "Delivering KEDS: Klaipėda Action Plan for Investment, Talent and City Marketing"

# What Tomasz says about Klaipėda's plan: (section, kind, criterion, rating, body, quote).
REVIEW = [
    ("executive-summary", "suggestion", "readability", 3,
     "Say in one plain sentence what KEDS is before the numbers: readers outside Klaipėda do not know it.",
     "Lithuania's third-largest city and its only seaport"),
    ("action-1", "concern", "feasibility", 2,
     "Who pays for the **delivery dashboard** after 2027? The costs name no source for its upkeep.", None),
    ("action-2", "strength", "feasibility", 5,
     "The spouse programme answers the real reason specialists leave. We would like to copy it in Rzeszów.", None),
    ("monitoring", "question", "monitoring", 3,
     "Who collects the data for the 47 KLAMUN measures, and how often?", None),
    ("endorsement", "concern", "adoption", 2,
     "Is the Council resolution planned before Phase 2 starts? Please give the date.", None),
    ("action-3", "suggestion", "design", None,
     "Add photos of the joint campaigns: the final version should look like a brochure, not a report.", None),
]

GENERAL = ("**Plans must be easy to read for everyone**, also for readers who do not know your region or the policy "
           "instrument, especially the executive summary.")


def _shot(page, name: str) -> None:
    """The first screen as the user sees it (history-NAME.png) and the whole page (history-NAME-full.png)."""
    shot(page, f"history-{name}")
    shot(page, f"history-{name}-full", full_page=True)


def _ok(ack: dict) -> dict:
    assert ack.get("ok"), ack
    return ack


def _seed(server) -> dict:
    """Open the demo round, post Tomasz's review of Klaipėda's plan, add a reply and a version 2.

    Returns the plan id and the ids of the items, in the order of REVIEW.
    """
    facilitator = server.login(FACILITATOR, PASSWORD)
    workshop = facilitator.get(f"{server.url}/api/v1/workshops/1", timeout=10).json()
    round_1 = workshop["rounds"][0]
    room_2 = next(r for r in round_1["rooms"] if r["name"] == "Room 2")
    control = LiveClient(server, facilitator)
    _ok(control.call("open_round", {"round_id": round_1["id"]}))

    klaipeda = next(p for p in workshop["partners"] if p["short_name"] == "KLAIPEDA")
    tomasz = LiveClient(server, server.login(TOMASZ, PASSWORD))
    joined = _ok(tomasz.call("join_room", {"room_id": room_2["id"]}))
    plan = next(p for p in joined["plans"] if p["partner_id"] == klaipeda["id"])
    assert plan["title"] == PLAN_TITLE

    ids = []
    for section, kind, criterion, rating, body, quote in REVIEW:
        payload = {"client_id": str(uuid.uuid4()), "room_id": room_2["id"], "plan_id": plan["id"],
                   "section_key": section, "kind": kind, "body": body}
        if criterion:
            payload["criterion"] = criterion
        if rating:
            payload["rating"] = rating
        if quote:
            payload["quote"] = quote
        ids.append(_ok(tomasz.call("submit_feedback", payload))["feedback"]["id"])

    # Rūta answers the monitoring question in the room, then publishes version 2 that addresses it.
    ruta_http = server.login(RUTA, PASSWORD)
    ruta = LiveClient(server, ruta_http)
    _ok(ruta.call("join_room", {"room_id": room_2["id"]}))
    _ok(ruta.call("submit_feedback", {
        "client_id": str(uuid.uuid4()), "room_id": room_2["id"], "plan_id": plan["id"], "section_key": "monitoring",
        "kind": "question", "parent_id": ids[3], "body": "Klaipėda ID collects it every quarter; we will say so in the plan."}))
    current = ruta_http.get(f"{server.url}/api/v1/plans/{plan['id']}", timeout=10).json()
    sections = [{"key": s["key"], "title": s["title"], "body": s["body"]} for s in current["sections"]]
    for s in sections:
        if s["key"] == "monitoring":
            s["body"] += "\n\n**Data collection:** Klaipėda ID gathers the indicator data every quarter."
    r = ruta_http.post(f"{server.url}/api/v1/plans/{plan['id']}/versions",
                       json={"base_version": current["latest_version"], "sections": sections, "note": "Monitoring: who collects the data"},
                       timeout=10)
    assert r.status_code == 201, r.text
    _ok(ruta.call("respond_feedback", {"feedback_id": ids[3], "status": "addressed", "addressed_in_version": r.json()["version"]}))

    # Back in plenary, the Lead Partner's general feedback goes to every plan (on Klaipėda's v2).
    r = facilitator.post(f"{server.url}/api/v1/workshops/1/general-feedback", json={
        "client_id": str(uuid.uuid4()), "section_key": "executive-summary", "kind": "suggestion", "criterion": "readability",
        "body": GENERAL}, timeout=10)
    assert r.status_code == 201, r.text
    for client in (control, tomasz, ruta):
        client.close()
    return {"plan_id": plan["id"], "ids": ids}


def test_owner_filters_answers_and_exports_the_feedback(collab_server, browser_page, expect, tmp_path):
    server = collab_server(demo=True)
    seeded = _seed(server)
    plan_id, ids = seeded["plan_id"], seeded["ids"]
    problems: list[str] = []

    page = browser_page(server.url, viewport=LAPTOP, accept_downloads=True)
    watch_console(page, problems)
    sign_in(page, server.url, RUTA, PASSWORD)
    page.goto(f"/plans/{plan_id}/feedback")
    expect(page.get_by_role("heading", level=1)).to_have_text("Feedback history")
    # and today's general feedback, and the past session's (demo data)
    expect(page.locator("article.fb-item")).to_have_count(len(REVIEW) + 1 + len(GENERAL_FEEDBACK))
    expect(page.locator(".readiness svg.chart")).to_have_count(2)  # items on v1, the general one on v2
    quoted = page.locator(f"#item-{ids[0]}")
    expect(quoted.locator(".quote")).to_contain_text("only seaport")
    expect(page.locator(f"#item-{ids[3]} .replies")).to_contain_text("every quarter")
    expect(page.locator(f"#item-{ids[3]} .answer")).to_contain_text("in version 2")

    # Filter by a criterion: only the feasibility items stay (two from the room, one from the past session).
    filters = page.get_by_role("form", name="Filter feedback")
    filters.get_by_label("Criterion").select_option("feasibility")
    filters.get_by_role("button", name="Filter").click()
    page.wait_for_url(re.compile(r"criterion=feasibility"))
    items = page.locator("article.fb-item")
    expect(items).to_have_count(3)
    expect(page.locator(".match-count")).to_have_text("3 items match these filters.")
    expect(page.locator(f"#item-{ids[1]}")).to_be_visible()
    expect(page.locator(f"#item-{ids[2]}")).to_be_visible()
    expect(page.locator(f"#item-{ids[0]}")).to_have_count(0)
    assert set(items.locator(".chip").all_inner_texts()) == {"Feasibility (who does what)"}
    expect(filters.get_by_label("Criterion")).to_have_value("feasibility")

    # Declining without a reason is refused with a message at the item (where the page lands),
    # the choice kept; nothing changes (issue 11.9).
    concern = page.locator(f"#item-{ids[1]}")
    concern.get_by_label("Declined").check()
    concern.get_by_role("button", name="Save answer").click()
    concern = page.locator(f"#item-{ids[1]}")
    error = concern.locator(".field-error")
    expect(error).to_be_visible()
    expect(error).to_be_in_viewport()
    expect(error).to_contain_text("A reason is required when declining.")
    expect(concern.get_by_label("Declined")).to_be_checked()
    expect(page.locator(".flash-error")).to_have_count(0)
    expect(concern.locator(".badge.status-open")).to_be_visible()
    expect(concern.locator(".answer")).to_have_count(0)

    # Decline with a reason, by keyboard only: the radio, the reason, Enter.
    page.goto(f"/plans/{plan_id}/feedback?criterion=feasibility")
    concern = page.locator(f"#item-{ids[1]}")
    concern.get_by_label("Declined").focus()
    page.keyboard.press("Space")
    expect(concern.get_by_label("Declined")).to_be_checked()
    reason = concern.get_by_label(re.compile("Reason or note"))
    reason.focus()
    page.keyboard.type("The dashboard runs on the municipal IT budget; its upkeep is in the 2027 budget line.")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(rf"#item-{ids[1]}$"))
    expect(page.locator(".flash-success")).to_contain_text("Answer saved.")
    concern = page.locator(f"#item-{ids[1]}")
    expect(concern.locator(".fb-head .badge.status-declined")).to_be_visible()
    answer = concern.locator(".answer")
    expect(answer).to_contain_text("Declined")
    expect(answer).to_contain_text("municipal IT budget")
    expect(answer).to_contain_text(RUTA_NAME)
    assert parse_qs(urlparse(page.url).query).get("criterion") == ["feasibility"], page.url
    # An answered item keeps its form folded away; the keyboard unfolds it.
    change = concern.locator("details.answer-change")
    expect(change.locator(".answer-form")).to_be_hidden()
    change.locator("summary").focus()
    page.keyboard.press("Enter")
    expect(change.get_by_label("Declined")).to_be_checked()
    expect(change.get_by_label(re.compile("Reason or note"))).to_have_value(re.compile("municipal IT budget"))
    expect(change.get_by_label("Reopen")).to_be_visible()

    # The CSV link downloads what is shown: UTF-8 with a BOM, every letter kept, the new status.
    with page.expect_download() as info:
        page.get_by_role("link", name="CSV", exact=True).click()
    download = info.value
    assert download.suggested_filename == f"feedback-plan-{plan_id}.csv"
    path = tmp_path / download.suggested_filename
    download.save_as(path)
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf"), raw[:20]
    text = raw.decode("utf-8-sig")
    assert "Klaipėda" in text
    rows = list(csv.DictReader(io.StringIO(text)))
    assert {r["plan_title"] for r in rows} == {PLAN_TITLE}
    # The filter applies to the export too: the room's two feasibility items and the past session's one.
    assert {r["criterion"] for r in rows} == {"feasibility"} and len(rows) == 3
    assert {ids[1], ids[2]} <= {int(r["id"]) for r in rows}
    declined = next(r for r in rows if int(r["id"]) == ids[1])
    assert declined["status"] == "declined" and declined["responded_by"] == RUTA_NAME
    assert "municipal IT budget" in declined["response"]
    assert next(r for r in rows if int(r["id"]) == ids[2])["status"] == "open"

    # The printable dossier: the latest version with the whole record of its feedback and answers.
    page.get_by_role("link", name="Printable dossier").click()
    page.wait_for_url(re.compile(rf"/plans/{plan_id}/dossier"))
    expect(page.get_by_role("heading", level=1)).to_have_text(PLAN_TITLE)
    expect(page.locator(".dossier-section")).to_have_count(8)
    expect(page.locator(".dossier-feedback").first).to_be_visible()
    dossier_feedback = " ".join(page.locator(".dossier-feedback").all_inner_texts())
    assert "Plans must be easy to read" in dossier_feedback and "spouse programme" in dossier_feedback, dossier_feedback
    assert "Who pays for the" in dossier_feedback and "municipal IT budget" in dossier_feedback, dossier_feedback

    # The workshop as it happened.
    page.goto("/workshops/1/timeline")
    expect(page.get_by_role("heading", level=1)).to_have_text("The workshop as it happened")
    timeline = page.locator("ol.timeline")
    expect(timeline).to_contain_text("opened with 3 rooms")
    # Section titles and room names, not internal keys (issue 11.17).
    expect(timeline).to_contain_text(
        f"Tomasz Szczepański gave a concern on {PLAN_TITLE}, section Action 1 – KEDS delivery dashboard (KLAMUN). (in Room 2)")
    expect(timeline.locator("li.event-feedback_updated")).not_to_have_count(0)

    assert not problems, problems


def test_history_pages_on_laptop_phone_and_paper(collab_server, browser_page, expect):
    """Screenshots of the feedback history, the dossier and the timeline for a human to check."""
    server = collab_server(demo=True)
    seeded = _seed(server)
    plan_id = seeded["plan_id"]
    problems: list[str] = []

    laptop = browser_page(server.url, viewport=LAPTOP)
    phone = browser_page(server.url, viewport=PHONE, is_mobile=True, has_touch=True, device_scale_factor=2)
    for page, device in ((laptop, "laptop"), (phone, "phone")):
        watch_console(page, problems)
        sign_in(page, server.url, RUTA, PASSWORD)
        page.goto(f"/plans/{plan_id}/feedback")
        expect(page.locator(".readiness svg.chart")).to_have_count(2)  # v1 and v2
        # Nothing may be wider than the screen (no sideways scrolling on a phone).
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= page.viewport_size["width"], f"{device}: page is {width}px wide"
        _shot(page, f"feedback-{device}")
        check_accessibility(page, f"feedback ({device})")
        page.goto(f"/plans/{plan_id}/feedback?criterion=feasibility&status=open")
        expect(page.locator("article.fb-item")).to_have_count(3)
        assert page.evaluate("document.documentElement.scrollWidth") <= page.viewport_size["width"], device
        _shot(page, f"feedback-filtered-{device}")
        check_accessibility(page, f"feedback-filtered ({device})")
        page.goto(f"/plans/{plan_id}/dossier")
        expect(page.locator(".dossier-section").first).to_be_visible()
        assert page.evaluate("document.documentElement.scrollWidth") <= page.viewport_size["width"], device
        _shot(page, f"dossier-{device}")
        check_accessibility(page, f"dossier ({device})")
        page.goto("/workshops/1/timeline")
        expect(page.locator("ol.timeline li.event").first).to_be_visible()
        assert page.evaluate("document.documentElement.scrollWidth") <= page.viewport_size["width"], device
        _shot(page, f"timeline-{device}")
        check_accessibility(page, f"timeline ({device})")

    # The dossier on paper (Chromium prints with the print style sheet).
    laptop.goto(f"/plans/{plan_id}/dossier")
    laptop.emulate_media(media="print")
    expect(laptop.locator(".topbar")).to_be_hidden()
    expect(laptop.locator(".screen-only").first).to_be_hidden()
    _shot(laptop, "dossier-print")
    pdf = ARTIFACTS_DIR / "dossier.pdf"
    laptop.pdf(path=str(pdf), format="A4", print_background=True)
    data = pdf.read_bytes()
    assert data.startswith(b"%PDF") and len(data) > 10_000, len(data)

    assert not problems, problems

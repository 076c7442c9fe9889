"""Live structured feedback in a breakout room, in real browsers, with nothing lost.

Room 2 of the demo workshop pairs KLAIPEDA (Rūta) and RRDA (Tomasz). The round is opened
through the facilitator's socket to keep the tests short. Screenshots of the room (laptop
and phone) and of the board go to tests/artifacts/feedback-*.png for a human to look at.
"""
from __future__ import annotations

import json
import re


from tests.browser.demo import FACILITATOR, LAPTOP, PASSWORD, PHONE, RUTA, TOMASZ, shot, watch_console
from tests.support.axe import check_accessibility
from tests.support.browser import sign_in

PENDING = re.compile(r"\bis-pending\b")

def _broken(problems: list[str]) -> list[str]:
    return [p for p in problems if "Content Security Policy" in p or "pageerror" in p]


def _open_round(server):
    """Open the demo's pending round as the facilitator; returns (session, Room 2)."""
    facilitator = server.login(FACILITATOR, PASSWORD)
    workshop = facilitator.get(f"{server.url}/api/v1/workshops/1", timeout=10).json()
    round_1 = workshop["rounds"][0]
    control = server.socketio_client(facilitator)
    ack = control.call("open_round", {"round_id": round_1["id"]}, timeout=10)
    assert ack["ok"], ack
    return facilitator, next(r for r in round_1["rooms"] if r["name"] == "Room 2")


def _enter(page, server, email: str, room_id: int, expect, problems: list[str]) -> None:
    watch_console(page, problems)
    sign_in(page, server.url, email, PASSWORD)
    page.goto(f"/rooms/{room_id}")
    expect(page.locator("#live-status")).to_have_attribute("data-state", "connected")


def _outbox(page, room_id: int) -> list:
    return page.evaluate(f"JSON.parse(localStorage.getItem('collab.outbox.{room_id}') || '[]')")


def _feedback_events(facilitator, server) -> list[dict]:
    r = facilitator.get(f"{server.url}/api/v1/workshops/1/events", params={"limit": 500}, timeout=10)
    assert r.status_code == 200, r.text
    return [e for e in r.json()["items"] if e["type"] == "feedback_added"]


def test_feedback_sent_offline_arrives_once_and_is_answered(collab_server, browser_page, expect):
    server = collab_server(demo=True)
    problems: list[str] = []
    facilitator, room = _open_round(server)
    room_id = room["id"]

    board = browser_page(server.url, viewport=LAPTOP)
    watch_console(board, problems)
    sign_in(board, server.url, FACILITATOR, PASSWORD)
    board.goto("/workshops/1/board")
    expect(board.locator("#live-status")).to_have_attribute("data-state", "connected")
    room_card = board.locator(f'.board-room[data-room-id="{room_id}"]')
    expect(room_card.locator("[data-feedback-count]")).to_have_text("0")

    ruta = browser_page(server.url, viewport=LAPTOP)
    tomasz = browser_page(server.url, viewport=PHONE, is_mobile=True, has_touch=True, device_scale_factor=2)
    _enter(ruta, server, RUTA, room_id, expect, problems)
    _enter(tomasz, server, TOMASZ, room_id, expect, problems)

    # Rūta presents her plan; Tomasz's page follows it.
    ruta.get_by_role("button", name="Present this plan").click()
    presented = ruta.locator(".room-plan.is-presented")
    expect(presented).to_be_visible()
    plan_id = presented.get_attribute("data-plan-id")
    key = presented.locator(".plan-section").first.get_attribute("data-section-key")
    expect(tomasz.locator(f"#tab-{plan_id}")).to_have_attribute("aria-selected", "true")

    # The plan's own partner does not post items on it (but may on the peer's plan).
    expect(ruta.locator(f"#plan-{plan_id} [data-fb-action=give]")).to_have_count(0)
    assert ruta.locator(".room-plan:not(.is-presented) [data-fb-action=give]").count() > 0

    # Tomasz's network is cut. He writes an item anyway and presses Send.
    tomasz.context.set_offline(True)
    expect(tomasz.locator("#live-status")).to_have_attribute("data-state", "reconnecting")
    section = tomasz.locator(f"#plan-{plan_id}-{key}")
    section.get_by_role("button", name="Give feedback").click()
    form = section.locator("form[data-fb-form=main]")
    expect(form).to_be_visible()
    expect(form.locator("input[name=kind]").first).to_be_focused()  # keyboard users start typing there
    text = "Who in KLAMUN owns each of the 47 measures? Name a person per measure."
    form.get_by_label("Concern").check()
    form.get_by_label("Criterion").select_option("feasibility")
    form.get_by_label("Rating").select_option("2")
    form.get_by_label("Your feedback").fill(text)
    shot(tomasz, "feedback-form-phone", form)
    check_accessibility(tomasz, "feedback form with a criterion and rating, phone")
    form.get_by_role("button", name="Send").click()

    # It shows at once as "sending…", and it is in the outbox on the device.
    expect(form).to_have_count(0)
    pending = section.locator(".lf-item", has_text=text)
    expect(pending).to_have_class(PENDING)
    expect(pending.locator("[data-pending-state]")).to_have_text("Sending…")
    queued = _outbox(tomasz, room_id)
    assert len(queued) == 1, queued
    payload = queued[0]["payload"]
    assert payload["body"] == text and payload["kind"] == "concern" and payload["criterion"] == "feasibility"
    assert payload["rating"] == 2 and payload["plan_id"] == int(plan_id) and payload["section_key"] == key
    assert re.fullmatch(r"[0-9a-f-]{36}", payload["client_id"])
    shot(tomasz, "feedback-offline-pending-phone", pending)
    ruta.wait_for_timeout(1000)
    expect(ruta.locator(".lf-item", has_text=text)).to_have_count(0)

    # He closes the page while still offline; back online, he opens the room again.
    context = tomasz.context
    tomasz.close()
    context.set_offline(False)
    tomasz = context.new_page()
    watch_console(tomasz, problems)
    tomasz.goto(f"/rooms/{room_id}")
    expect(tomasz.locator("#live-status")).to_have_attribute("data-state", "connected")

    # The outbox is resent: the item reaches Rūta exactly once and leaves the outbox.
    on_ruta = ruta.locator(".lf-item", has_text=text)
    expect(on_ruta).to_have_count(1)
    mine = tomasz.locator(".lf-item", has_text=text)
    expect(mine).to_have_count(1)
    expect(mine).not_to_have_class(PENDING)
    tomasz.wait_for_function(f"localStorage.getItem('collab.outbox.{room_id}') === null")
    shot(tomasz, "feedback-toc-phone", tomasz.locator(f"#plan-{plan_id} .toc"))
    ruta.wait_for_timeout(1500)
    expect(on_ruta).to_have_count(1)
    assert len([e for e in _feedback_events(facilitator, server) if e["data"]["feedback"]["body"] == text]) == 1

    # Rūta sees it under the section, with its kind, criterion, rating and author; the table
    # of contents counts it.
    ruta_section = ruta.locator(f"#plan-{plan_id}-{key}")
    expect(ruta_section.locator(".lf-item", has_text=text)).to_have_count(1)
    expect(on_ruta.locator(".lf-kind")).to_have_text("Concern")
    expect(on_ruta.locator(".lf-criterion")).to_have_text("Feasibility (who does what)")
    expect(on_ruta.locator(".lf-rating")).to_contain_text("2")
    expect(on_ruta.locator(".lf-author")).to_have_text(re.compile("Tomasz"))
    expect(on_ruta.locator("[data-fb-status]")).to_have_text("Open")
    toc_count = ruta.locator(f'.toc a[data-plan-id="{plan_id}"][data-section-key="{key}"] [data-toc-count]')
    expect(toc_count).to_be_visible()
    expect(toc_count).to_have_attribute("data-count", "1")
    expect(ruta_section.locator("[data-section-count]")).to_have_text("1")

    # The board counted it live: one item in Room 2, one for "feasibility".
    expect(room_card.locator("[data-feedback-count]")).to_have_text("1")
    expect(room_card.locator('[data-criterion="feasibility"] [data-crit-count]')).to_have_text("1")
    expect(room_card.locator('[data-criterion="readability"] [data-crit-count]')).to_have_text("0")

    # (b) Rūta declines it; a reason is required.
    on_ruta.get_by_role("button", name="Answer").click()
    answer = on_ruta.locator("form[data-fb-form=answer]")
    answer.get_by_label("Decline").check()
    answer.get_by_role("button", name="Save answer").click()
    expect(answer.locator("[data-form-error]")).to_contain_text("reason")
    reason = "Owners are named in the measure passports (annex 2), not in the plan itself."
    answer.get_by_label("Reason for declining").fill(reason)
    answer.get_by_role("button", name="Save answer").click()
    expect(answer).to_have_count(0)
    expect(on_ruta.locator("[data-fb-status]")).to_have_text("Declined")

    # Tomasz's page shows the status and the reason, live.
    expect(mine.locator("[data-fb-status]")).to_have_text("Declined")
    expect(mine.locator("[data-fb-response]")).to_contain_text(reason)
    expect(mine.locator("[data-fb-response]")).to_contain_text("Rūta")

    # He replies; the reply shows nested under the item on Rūta's page.
    mine.get_by_role("button", name="Reply").click()
    reply_form = mine.locator("form[data-fb-form=reply]")
    # A reply has no kind unless one is chosen (issue 11.8).
    expect(reply_form.get_by_label("Kind")).to_have_value("")
    reply = "Could annex 2 be linked from the action description?"
    reply_form.get_by_label("Your reply").fill(reply)
    reply_form.get_by_role("button", name="Send reply").click()
    expect(on_ruta.locator(".lf-replies .lf-item", has_text=reply)).to_have_count(1)
    expect(on_ruta.locator(".lf-replies .lf-item", has_text=reply).locator(".lf-kind")).to_have_count(0)
    expect(mine.locator(".lf-replies .lf-item", has_text=reply)).not_to_have_class(PENDING)
    # Replies are not items of their own: the counts stay at one.
    expect(toc_count).to_have_attribute("data-count", "1")
    expect(room_card.locator("[data-feedback-count]")).to_have_text("1")

    shot(tomasz, "feedback-declined-phone", mine)
    shot(ruta, "feedback-answered-laptop", on_ruta)
    shot(board, "feedback-board-counts-laptop", room_card)

    # The board's counts also come from the page itself after a reload.
    board.reload()
    expect(board.locator("#live-status")).to_have_attribute("data-state", "connected")
    expect(room_card.locator("[data-feedback-count]")).to_have_text("1")
    expect(room_card.locator('[data-criterion="feasibility"] [data-crit-count]')).to_have_text("1")
    board.set_viewport_size(PHONE)
    shot(board, "feedback-board-counts-phone", room_card)
    check_accessibility(board, "board with feedback counts, phone")

    assert not _broken(problems), problems


def test_quote_a_selection_edit_withdraw_and_refusals(collab_server, browser_page, expect):
    server = collab_server(demo=True)
    problems: list[str] = []
    facilitator, room = _open_round(server)
    room_id = room["id"]

    board = browser_page(server.url, viewport=LAPTOP)
    watch_console(board, problems)
    sign_in(board, server.url, FACILITATOR, PASSWORD)
    board.goto("/workshops/1/board")
    expect(board.locator("#live-status")).to_have_attribute("data-state", "connected")
    room_card = board.locator(f'.board-room[data-room-id="{room_id}"]')

    ruta = browser_page(server.url, viewport=LAPTOP)
    tomasz = browser_page(server.url, viewport=PHONE, is_mobile=True, has_touch=True, device_scale_factor=2)
    _enter(ruta, server, RUTA, room_id, expect, problems)
    _enter(tomasz, server, TOMASZ, room_id, expect, problems)

    # (c) Rūta reads RRDA's plan and selects part of a paragraph of its policy context.
    rrda_panel = ruta.locator('.room-plan[data-owned="false"]')
    rrda_plan = rrda_panel.get_attribute("data-plan-id")
    ruta.locator(f"#tab-{rrda_plan}").click()
    section = ruta.locator(f"#plan-{rrda_plan}-policy-context")
    paragraph = section.locator(".prose p").first
    paragraph.scroll_into_view_if_needed()
    box = paragraph.bounding_box()
    ruta.mouse.move(box["x"] + 3, box["y"] + 10)
    ruta.mouse.down()
    ruta.mouse.move(box["x"] + box["width"] * 0.55, box["y"] + 10 + 24, steps=8)
    ruta.mouse.up()
    selected = ruta.evaluate("window.getSelection().toString().trim()")
    assert len(selected) > 20, selected
    quote_button = ruta.get_by_role("button", name="Quote and comment")
    expect(quote_button).to_be_visible()
    shot(ruta, "feedback-selection-laptop")
    quote_button.click()

    form = section.locator("form[data-fb-form=main]")
    expect(form.locator("[data-quote-text]")).to_have_text(selected)
    form.get_by_label("Suggestion").check()
    form.get_by_label("Criterion").select_option("readability")
    body = "Say in one sentence what this instrument **funds**, for readers outside Podkarpackie."
    form.get_by_label("Your feedback").fill(body)
    shot(ruta, "feedback-quote-form-laptop", form)
    check_accessibility(ruta, "feedback form quoting a selection")
    form.get_by_role("button", name="Send").click()
    on_ruta = section.locator(".lf-item", has_text="Say in one sentence")
    expect(on_ruta).not_to_have_class(PENDING)

    # Tomasz sees it on his plan with the quote; he may answer, not add items to his own plan.
    tomasz.locator(f"#tab-{rrda_plan}").click()
    item = tomasz.locator(f"#plan-{rrda_plan}-policy-context .lf-item", has_text="Say in one sentence")
    expect(item).to_have_count(1)
    expect(item.locator("[data-fb-quote]")).to_have_text(selected)
    expect(item.locator(".lf-body strong")).to_have_text("funds")  # Markdown rendered by the server
    expect(item.get_by_role("button", name="Answer")).to_be_visible()
    expect(item.get_by_role("button", name="Edit")).to_have_count(0)
    expect(tomasz.locator(f"#plan-{rrda_plan} [data-fb-action=give]")).to_have_count(0)
    shot(tomasz, "feedback-quoted-phone", item)
    expect(room_card.locator('[data-criterion="readability"] [data-crit-count]')).to_have_text("1")

    # Tomasz replies with markup: raw HTML is dropped (cmark's safe mode), nothing runs.
    item.get_by_role("button", name="Reply").click()
    reply_form = item.locator("form[data-fb-form=reply]")
    reply_form.get_by_label("Your reply").fill('Fair point <img src=x onerror="window.__xss=1"> we will add it.')
    reply_form.get_by_role("button", name="Send reply").click()
    reply = on_ruta.locator(".lf-replies .lf-item", has_text="Fair point")
    expect(reply).to_contain_text("Fair point")
    expect(reply).to_contain_text("we will add it.")
    expect(reply.locator("img")).to_have_count(0)
    assert ruta.evaluate("window.__xss") is None and tomasz.evaluate("window.__xss") is None

    # Rūta edits her item; Tomasz's page follows.
    on_ruta.locator(":scope > .lf-card").get_by_role("button", name="Edit").click()
    edit = on_ruta.locator("form[data-fb-form=main]")
    expect(edit.locator("[data-quote-text]")).to_have_text(selected)
    edit.get_by_label("Your feedback").fill("Say in one sentence what this instrument pays for.")
    edit.get_by_role("button", name="Save").click()
    expect(item.locator(":scope > .lf-card .lf-body")).to_have_text("Say in one sentence what this instrument pays for.")

    # She withdraws it: it stays visible as withdrawn, and the counts drop to zero.
    on_ruta.locator(":scope > .lf-card").get_by_role("button", name="Withdraw").click()
    on_ruta.get_by_role("button", name="Yes, withdraw it").click()
    expect(item.locator(":scope > .lf-card [data-fb-status]")).to_have_text("Withdrawn")
    expect(item.get_by_role("button", name="Answer")).to_have_count(0)
    expect(room_card.locator("[data-feedback-count]")).to_have_text("0")
    expect(room_card.locator('[data-criterion="readability"] [data-crit-count]')).to_have_text("0")
    toc_count = ruta.locator(f'.toc a[data-plan-id="{rrda_plan}"][data-section-key="policy-context"] [data-toc-count]')
    expect(toc_count).to_be_hidden()

    # An item the server refuses for good (here: a quote that is not in the section) leaves
    # the outbox, and its text stays on screen with the reason, until dismissed.
    bad = {
        "client_id": "0b7c6f2e-1d3a-4c5b-9e8f-123456789abc", "room_id": room_id, "plan_id": int(rrda_plan),
        "section_key": "policy-context", "kind": "question", "body": "Text worth keeping.",
        "quote": "words that are nowhere in this section",
    }
    entry = {"user_id": ruta.evaluate("Number(document.getElementById('live').dataset.myUserId)"), "queued_at": "", "payload": bad}
    ruta.evaluate(f"localStorage.setItem('collab.outbox.{room_id}', {json.dumps(json.dumps([entry]))})")
    ruta.reload()
    expect(ruta.locator("#live-status")).to_have_attribute("data-state", "connected")
    ruta.locator(f"#tab-{rrda_plan}").click()
    # What the page was rendered with (items from its data attribute) is all there.
    again = section.locator(".lf-item", has_text="pays for")
    expect(again.locator(":scope > .lf-card [data-fb-status]")).to_have_text("Withdrawn")
    expect(again.locator(":scope > .lf-card [data-fb-quote]")).to_have_text(selected)
    expect(again.locator(".lf-replies .lf-item")).to_contain_text("Fair point")
    failed = ruta.locator(".lf-item.is-failed")
    expect(failed).to_have_count(1)
    expect(failed).to_contain_text("Text worth keeping.")
    expect(failed.locator(".lf-note")).to_contain_text("not in this section")
    assert _outbox(ruta, room_id) == []
    shot(ruta, "feedback-refused-laptop", failed)
    check_accessibility(ruta, "room with a refused item")
    ruta.reload()  # still there after a reload: the text is not lost
    expect(ruta.locator("#room-status")).to_contain_text("could not be sent")
    ruta.locator(f"#tab-{rrda_plan}").click()
    expect(ruta.locator(".lf-item.is-failed")).to_have_count(1)
    ruta.locator(".lf-item.is-failed").get_by_role("button", name="Dismiss").click()
    expect(ruta.locator(".lf-item.is-failed")).to_have_count(0)
    assert ruta.evaluate(f"localStorage.getItem('collab.failed.{room_id}')") is None

    assert not _broken(problems), problems

"""The facilitator's room tools in real browsers (issue 13): a member raises a hand, the board
sees which room asks, who and since when, answers with a message to that room only and lowers
the hand, which clears it on both pages; the room page shows its call link and the workshop's
resources. Two rooms are open in two pages, so a message to one is seen not to reach the other.

Screenshots of the board and the room, on a laptop and a phone, go to tests/artifacts/room-tools-*.png.
"""
from __future__ import annotations

import re

from tests.browser.demo import FACILITATOR, LAPTOP, PASSWORD, PHONE, RUTA, shot, watch_console
from tests.support.axe import check_accessibility
from tests.support.browser import sign_in

KATARZYNA = "katarzyna.zajac@acep.collab.example"  # ACEP, Room 1
CALL_BASE = "https://meet.jit.si/collab-"


def test_hand_message_call_link_and_resources(collab_server, browser_page, expect):
    server = collab_server(demo=True, VIDEO_CALL_BASE_URL=CALL_BASE)
    problems: list[str] = []

    def person(email: str, **options):
        page = browser_page(server.url, **({"viewport": LAPTOP} | options))
        watch_console(page, problems)
        sign_in(page, server.url, email, PASSWORD)
        return page

    board, ruta, katarzyna = person(FACILITATOR), person(RUTA), person(KATARZYNA)
    board.goto("/workshops/1/board")
    expect(board.locator("#live-status")).to_have_attribute("data-state", "connected")
    board.get_by_role("button", name="Open round").first.click()
    expect(board.locator(".board-room")).to_have_count(3)
    expect(board.locator("#live-status")).to_have_attribute("data-state", "connected")
    room_ids = {card.get_attribute("data-room-name"): card.get_attribute("data-room-id") for card in board.locator(".board-room").all()}
    room1, room2 = room_ids["Room 1"], room_ids["Room 2"]
    card1, card2 = (board.locator(f'.board-room[data-room-id="{rid}"]') for rid in (room1, room2))

    ruta.goto(f"/rooms/{room2}")
    katarzyna.goto(f"/rooms/{room1}")
    for page in (ruta, katarzyna):
        expect(page.locator("#live-status")).to_have_attribute("data-state", "connected")

    # The room's call link (made from the configured base, the room's id and a token) and the
    # workshop's resources are in the room.
    call = ruta.get_by_role("link", name=re.compile("Join the call"))
    expect(call).to_have_attribute("href", re.compile(rf"^{re.escape(CALL_BASE)}{room2}-[0-9a-f]{{12}}$"))
    expect(call).to_have_attribute("target", "_blank")
    expect(call).to_have_attribute("rel", "noopener noreferrer")
    resources = ruta.locator(".room-side #resource-list")
    expect(resources).to_contain_text("Recording: the partners' first presentations")
    expect(resources).to_contain_text("Study visit to Klaipėda")
    expect(resources.get_by_role("link").first).to_have_attribute("rel", "noopener noreferrer")
    assert katarzyna.get_by_role("link", name=re.compile("Join the call")).get_attribute("href") != call.get_attribute("href")

    # Rūta raises the hand: her room sees it, the board says which room asks, who and since when.
    toggle = ruta.get_by_role("button", name="Raise hand")
    expect(toggle).to_have_attribute("aria-pressed", "false")
    toggle.click()
    expect(toggle).to_have_attribute("aria-pressed", "true")
    expect(ruta.locator("#hand-line")).to_be_visible()
    expect(ruta.locator("#hand-line")).to_contain_text("Help asked by Rūta")
    hand = card2.locator("[data-hand-box]")
    expect(hand).to_be_visible()
    expect(hand).to_contain_text("Help asked by Rūta")
    expect(hand.locator("[data-hand-ago]")).to_have_text("just now")
    expect(card2).to_have_class(re.compile(r"\bhas-hand\b"))
    expect(board.locator("#hands-announcer")).to_have_text("Room 2 asks for help.")
    expect(card1.locator("[data-hand-box]")).to_be_hidden()
    expect(katarzyna.locator("#hand-line")).to_be_hidden()
    expect(hand.get_by_role("link", name="Join room")).to_have_attribute("href", f"/rooms/{room2}")
    expect(card2.get_by_role("link", name=re.compile("Join the call"))).to_have_attribute("href", call.get_attribute("href"))
    # A reload of the board keeps the hand, and its time keeps moving.
    board.reload()
    expect(board.locator("#live-status")).to_have_attribute("data-state", "connected")
    expect(hand).to_be_visible()
    expect(hand.locator("[data-hand-ago]")).to_have_text("just now")
    shot(board, "room-tools-board-hand-laptop", card2)
    check_accessibility(board, "room-tools-board-hand-laptop")
    shot(ruta, "room-tools-room-hand-laptop")
    check_accessibility(ruta, "room-tools-room-hand-laptop")

    # The facilitator answers with a message to Room 2 only.
    hand.get_by_role("button", name="Message this room").click()
    message = card2.get_by_label("Message to Room 2 only")
    expect(message).to_be_focused()
    message.fill("I am joining Room 2 in a minute.")
    card2.get_by_role("button", name="Send to Room 2").click()
    expect(board.locator("#board-status")).to_contain_text("Message sent to Room 2 only.")
    banner = ruta.locator("#announcement-banner")
    expect(banner).to_be_visible()
    expect(banner).to_contain_text("I am joining Room 2 in a minute.")
    expect(banner).to_contain_text("To this room only")
    expect(ruta.locator("#announcements")).to_contain_text("I am joining Room 2")
    expect(board.locator("#announcements")).to_contain_text("To Room 2 only")
    # Room 1 hears a broadcast sent after it, not the message before it.
    board.locator("#broadcast-form textarea").fill("Ten minutes left for every room.")
    board.locator("#broadcast-form").get_by_role("button", name="Send").click()
    expect(katarzyna.locator("#announcements")).to_contain_text("Ten minutes left")
    expect(katarzyna.locator("#announcements .announcement")).to_have_count(1)
    expect(katarzyna.locator("#announcement-banner")).not_to_contain_text("Room 2")
    expect(ruta.locator("#announcements .announcement")).to_have_count(2)

    ruta.set_viewport_size(PHONE)
    shot(ruta, "room-tools-room-message-phone")
    check_accessibility(ruta, "room-tools-room-message-phone")
    ruta.set_viewport_size(LAPTOP)

    # Lowering the hand on the board clears it on the board and in the room.
    hand.get_by_role("button", name="Lower hand").click()
    expect(hand).to_be_hidden()
    expect(card2).not_to_have_class(re.compile(r"\bhas-hand\b"))
    expect(ruta.locator("#hand-line")).to_be_hidden()
    expect(toggle).to_have_attribute("aria-pressed", "false")
    # And a reload of the room shows it down.
    ruta.reload()
    expect(ruta.locator("#live-status")).to_have_attribute("data-state", "connected")
    expect(ruta.locator("#hand-line")).to_be_hidden()
    expect(ruta.get_by_role("button", name="Raise hand")).to_have_attribute("aria-pressed", "false")
    expect(ruta.locator("#announcements")).to_contain_text("I am joining Room 2")
    shot(board, "room-tools-board-laptop")
    check_accessibility(board, "room-tools-board-laptop")
    board.set_viewport_size(PHONE)
    shot(board, "room-tools-board-phone", card2)
    check_accessibility(board, "room-tools-board-phone")

    # The workshop page lists the resources, with the facilitator's form to add more.
    board.set_viewport_size(LAPTOP)
    board.goto("/workshops/1")
    listed = board.locator("#resources .resource")
    expect(listed).to_have_count(4)
    expect(board.locator("#resources").get_by_role("button", name="Add resource")).to_be_visible()
    shot(board, "room-tools-workshop-resources-laptop", board.locator("#resources"))
    check_accessibility(board, "room-tools-workshop-resources-laptop")

    assert problems == []

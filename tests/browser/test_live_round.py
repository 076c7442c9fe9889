"""A live breakout round in real browsers: the facilitator opens it from the board, two
partners are taken from the plenary into their room, one presents and the other follows,
the board sees what is on screen, and closing the round brings everyone back.

Three users at once in headless Chromium (Debian's), against the real server started with
the demo data. Screenshots of the board, the room and the closing countdown, on a laptop
and a phone, go to tests/artifacts/ for a human to look at.
"""
from __future__ import annotations

import re


from tests.browser.demo import FACILITATOR, LAPTOP, PASSWORD, PHONE, RUTA, TOMASZ, shot, watch_console
from tests.support.axe import check_accessibility
from tests.support.browser import sign_in

ROOM_URL = re.compile(r"/rooms/(\d+)$")
PLENARY_URL = re.compile(r"/workshops/1$")


def test_breakout_round_end_to_end(collab_server, browser_page, expect):
    server = collab_server(demo=True, ROUND_GRACE_SECONDS=3)
    problems: list[str] = []

    board = browser_page(server.url, viewport=LAPTOP)
    ruta = browser_page(server.url, viewport=LAPTOP)
    tomasz = browser_page(server.url, viewport=PHONE, is_mobile=True, has_touch=True, device_scale_factor=2)
    for page in (board, ruta, tomasz):
        watch_console(page, problems)
    sign_in(board, server.url, FACILITATOR, PASSWORD)
    sign_in(ruta, server.url, RUTA, PASSWORD)
    sign_in(tomasz, server.url, TOMASZ, PASSWORD)

    # Both partners wait in the plenary; each sees the other arrive.
    for page in (ruta, tomasz):
        page.goto("/workshops/1")
        expect(page.locator("#live-status")).to_have_attribute("data-state", "connected")
    expect(ruta.locator("#plenary-presence")).to_contain_text("Tomasz")
    expect(tomasz.locator("#plenary-presence")).to_contain_text("Rūta")
    shot(tomasz, "live-plenary-phone")
    shot(ruta, "live-plenary-laptop")

    # The facilitator opens the pending round from the board.
    board.goto("/workshops/1/board")
    expect(board.locator("#live-status")).to_have_attribute("data-state", "connected")
    shot(board, "live-board-pending-laptop")
    board.get_by_role("button", name="Open round").first.click()
    expect(board.locator(".board-room")).to_have_count(3)

    # The plenary pages take both partners into Room 2 by themselves.
    expect(ruta).to_have_url(ROOM_URL)
    expect(tomasz).to_have_url(ROOM_URL)
    room_id = int(ROOM_URL.search(ruta.url).group(1))
    assert tomasz.url == ruta.url
    for page in (ruta, tomasz):
        expect(page.get_by_role("heading", level=1)).to_have_text("Room 2")
        expect(page.locator("#live-status")).to_have_attribute("data-state", "connected")
    expect(ruta.locator("#room-presence")).to_contain_text("Tomasz")
    expect(tomasz.locator("#room-presence")).to_contain_text("Rūta")
    shot(ruta, "live-room-arrived-laptop")
    shot(tomasz, "live-room-arrived-phone")
    room_card = board.locator(f'.board-room[data-room-id="{room_id}"]')
    expect(room_card.locator(".presence")).to_contain_text("Rūta")
    expect(room_card.locator(".presence")).to_contain_text("Tomasz")

    # Rūta presents her plan (the only one she may present) and moves to the next section.
    ruta.get_by_role("button", name="Present this plan").click()
    presented = ruta.locator(".room-plan.is-presented")
    expect(presented).to_be_visible()
    plan_id = presented.get_attribute("data-plan-id")
    keys = presented.locator(".plan-section").evaluate_all("els => els.map(e => e.dataset.sectionKey)")
    assert len(keys) >= 2, keys
    first, second = keys[0], keys[1]
    tomasz_first = tomasz.locator(f'.plan-section[data-plan-id="{plan_id}"][data-section-key="{first}"]')
    expect(tomasz_first).to_have_class(re.compile(r"\bis-current\b"))
    expect(tomasz.locator("#presenting")).to_contain_text("KLAIPEDA")

    ruta.get_by_role("button", name="Next section").click()

    # Tomasz's page follows: his view switches to Rūta's plan and shows the same section.
    tomasz_second = tomasz.locator(f'.plan-section[data-plan-id="{plan_id}"][data-section-key="{second}"]')
    expect(tomasz_second).to_have_class(re.compile(r"\bis-current\b"))
    expect(tomasz_second).to_be_in_viewport()
    expect(tomasz_first).not_to_have_class(re.compile(r"\bis-current\b"))
    expect(tomasz.locator(f'#tab-{plan_id}')).to_have_attribute("aria-selected", "true")
    expect(ruta.locator(f'.plan-section[data-plan-id="{plan_id}"][data-section-key="{second}"]')).to_be_in_viewport()

    # The board shows what Room 2 has on screen.
    on_screen = room_card.locator("[data-on-screen]")
    expect(on_screen).to_have_attribute("data-section-key", second)
    expect(on_screen).to_contain_text("KLAIPEDA")

    shot(board, "live-board-live-laptop")
    shot(ruta, "live-room-presenter-laptop")
    shot(tomasz, "live-room-follower-phone")
    board.set_viewport_size(PHONE)
    shot(board, "live-board-live-phone")
    check_accessibility(board, "board with a live presentation, phone")
    board.set_viewport_size(LAPTOP)

    # A broadcast reaches the room as a visible banner.
    board.locator("#broadcast-form textarea").fill("Five more minutes, then back to plenary.")
    board.locator("#broadcast-form").get_by_role("button", name="Send").click()
    expect(tomasz.locator("#announcement-banner")).to_be_visible()
    expect(tomasz.locator("#announcement-banner")).to_contain_text("Five more minutes")
    # The sticky bar, taller now with the banner, never hides the heading of a section brought
    # into view (issue 11.11): sections scroll to below the bar's real height.
    section = tomasz.locator(".room-plan:not([hidden]) .plan-section").last
    section.evaluate("s => s.scrollIntoView()")
    tomasz.wait_for_timeout(300)
    bar = tomasz.locator(".room-sticky").bounding_box()
    heading = section.locator("h2").bounding_box()
    assert heading["y"] >= bar["y"] + bar["height"] - 1, (heading, bar)

    # The facilitator closes the round with a 5 second countdown.
    board.get_by_label("Countdown (seconds)").fill("5")
    board.get_by_role("button", name="Close round").click()
    for page in (ruta, tomasz):
        banner = page.locator("#closing-banner")
        expect(banner).to_be_visible()
        expect(banner).to_contain_text(re.compile(r"Room closes in [1-5] s"))
    shot(ruta, "live-countdown-laptop")
    shot(tomasz, "live-countdown-phone")
    check_accessibility(tomasz, "room closing, phone")

    # When the countdown ends, both pages return to the plenary by themselves.
    expect(ruta).to_have_url(PLENARY_URL, timeout=20_000)
    expect(tomasz).to_have_url(PLENARY_URL, timeout=20_000)
    for page in (ruta, tomasz):
        expect(page.locator("#live-status")).to_have_attribute("data-state", "connected")
        expect(page.locator("[data-no-round]")).to_be_visible()
    # The board drops the closed round.
    expect(board.locator(".board-room")).to_have_count(0)

    csp = [p for p in problems if "Content Security Policy" in p or "pageerror" in p]
    assert not csp, csp


def test_room_catches_up_after_a_lost_connection(collab_server, browser_page, expect):
    """Events sent while a page was offline arrive after it reconnects, once; a reload does
    not replay what the page had already handled."""
    server = collab_server(demo=True, ROUND_GRACE_SECONDS=3)
    problems: list[str] = []
    facilitator = server.login(FACILITATOR, PASSWORD)
    workshop = facilitator.get(f"{server.url}/api/v1/workshops/1", timeout=10).json()
    round_1 = workshop["rounds"][0]
    control = server.socketio_client(facilitator)
    ack = control.call("open_round", {"round_id": round_1["id"]}, timeout=10)
    assert ack["ok"], ack

    ruta = browser_page(server.url, viewport=LAPTOP)
    tomasz = browser_page(server.url, viewport=PHONE, is_mobile=True, has_touch=True)
    for page, email in ((ruta, RUTA), (tomasz, TOMASZ)):
        watch_console(page, problems)
        sign_in(page, server.url, email, PASSWORD)
        # Opened before they arrived: the plenary takes them to their room all the same (issue 11.16).
        page.goto("/workshops/1")
        expect(page).to_have_url(ROOM_URL)
        expect(page.locator("#live-status")).to_have_attribute("data-state", "connected")

    # Back to the plenary on purpose: the page stays there and offers the room.
    tomasz.get_by_role("link", name="Back to the plenary").click()
    expect(tomasz).to_have_url(PLENARY_URL)
    expect(tomasz.locator("#live-status")).to_have_attribute("data-state", "connected")
    link = tomasz.locator("#my-room-link")
    expect(link).to_contain_text("Room 2")
    shot(tomasz, "live-plenary-round-open-phone")
    link.click()
    expect(tomasz).to_have_url(ROOM_URL)
    expect(tomasz.locator("#live-status")).to_have_attribute("data-state", "connected")

    # Tomasz's connection drops; meanwhile the facilitator broadcasts and Rūta presents.
    tomasz.evaluate("Live.connection.socket.disconnect()")
    expect(tomasz.locator("#live-status")).to_have_attribute("data-state", "reconnecting")
    ack = control.call("broadcast", {"workshop_id": 1, "message": "Wrap up your last section."}, timeout=10)
    assert ack["ok"], ack
    ruta.get_by_role("button", name="Present this plan").click()
    presented = ruta.locator(".room-plan.is-presented")
    expect(presented).to_be_visible()
    plan_id = presented.get_attribute("data-plan-id")
    ruta.get_by_role("button", name="Next section").click()
    expect(ruta.locator("#driving [data-action=prev]")).to_be_enabled()
    second = presented.locator(".plan-section").nth(1).get_attribute("data-section-key")
    expect(tomasz.locator("#announcement-banner")).to_be_hidden()

    # Back online: the page joins again, catches up, and shows what it missed.
    tomasz.evaluate("Live.connection.socket.connect()")
    expect(tomasz.locator("#live-status")).to_have_attribute("data-state", "connected")
    expect(tomasz.locator("#announcement-banner")).to_contain_text("Wrap up your last section.")
    current = tomasz.locator(f'.plan-section[data-plan-id="{plan_id}"][data-section-key="{second}"]')
    expect(current).to_have_class(re.compile(r"\bis-current\b"))
    expect(tomasz.locator("#announcements .announcement")).to_have_count(1)

    # A second drop with nothing new in between replays nothing twice.
    tomasz.evaluate("Live.connection.socket.disconnect()")
    expect(tomasz.locator("#live-status")).to_have_attribute("data-state", "reconnecting")
    tomasz.evaluate("Live.connection.socket.connect()")
    expect(tomasz.locator("#live-status")).to_have_attribute("data-state", "connected")
    expect(tomasz.locator("#announcements .announcement")).to_have_count(1)

    # After a reload the page lists the round's announcement as rendered (issue 11.2), once, and
    # does not flash it again as news; the presentation comes from the room's state.
    tomasz.reload()
    expect(tomasz.locator("#live-status")).to_have_attribute("data-state", "connected")
    expect(current).to_have_class(re.compile(r"\bis-current\b"))
    expect(tomasz.locator("#announcements .announcement")).to_have_count(1)
    expect(tomasz.locator("#announcements")).to_contain_text("Wrap up your last section.")
    expect(tomasz.locator("#announcement-banner")).to_be_hidden()

    # The facilitator moves RRDA to Room 3: Tomasz's page follows his partner there.
    rrda = next(p["id"] for p in workshop["partners"] if p["short_name"] == "RRDA")
    room_3 = next(r["id"] for r in round_1["rooms"] if r["name"] == "Room 3")
    ack = control.call("move_partner", {"round_id": round_1["id"], "partner_id": rrda, "to_room_id": room_3}, timeout=10)
    assert ack["ok"], ack
    expect(tomasz).to_have_url(re.compile(rf"/rooms/{room_3}$"))
    expect(tomasz.get_by_role("heading", level=1)).to_have_text("Room 3")
    expect(tomasz.locator("#live-status")).to_have_attribute("data-state", "connected")
    expect(ruta.locator("#room-presence")).not_to_contain_text("Tomasz")

    # A refusal from the server is shown on the board, not swallowed: a second round cannot
    # open while the first one runs.
    r = facilitator.post(f"{server.url}/api/v1/workshops/1/rounds",
                         json={"name": "Breakout round 2", "minutes": 10, "auto": {"size": 2}}, timeout=10)
    assert r.status_code == 201, r.text
    board = browser_page(server.url, viewport=LAPTOP)
    watch_console(board, problems)
    sign_in(board, server.url, FACILITATOR, PASSWORD)
    board.goto("/workshops/1/board")
    expect(board.locator("#live-status")).to_have_attribute("data-state", "connected")
    board.get_by_role("button", name="Open round").click()
    status = board.locator("#board-status")
    expect(status).to_have_class(re.compile(r"\bis-error\b"))
    expect(status).to_contain_text("close it first")
    expect(board.locator(".board-room")).to_have_count(3)
    shot(board, "live-board-error-laptop")

    assert not [p for p in problems if "Content Security Policy" in p or "pageerror" in p], problems

"""A presentation in the plenary, in real browsers: the facilitator starts KLAIPEDA's with a
one-minute limit from the workshop page, the whole workshop follows Rūta through her plan,
the presenter's clock is amber at once (and shows the time over once past), and Tomasz's feedback given there shows in the plan's
feedback history as given in the plenary.

Screenshots of the plenary's presentation on a laptop and a phone go to tests/artifacts/.
"""
from __future__ import annotations

import re

from tests.browser.demo import FACILITATOR, LAPTOP, PASSWORD, PHONE, RUTA, TOMASZ, shot, watch_console
from tests.support.axe import check_accessibility
from tests.support.browser import sign_in


def test_plenary_presentation_with_the_presenters_clock(collab_server, browser_page, expect):
    server = collab_server(demo=True)
    problems: list[str] = []
    facilitator = browser_page(server.url, viewport=LAPTOP)
    ruta = browser_page(server.url, viewport=LAPTOP)
    tomasz = browser_page(server.url, viewport=PHONE, is_mobile=True, has_touch=True, device_scale_factor=2)
    for page, email in ((facilitator, FACILITATOR), (ruta, RUTA), (tomasz, TOMASZ)):
        watch_console(page, problems)
        sign_in(page, server.url, email, PASSWORD)
        page.goto("/workshops/1")
        expect(page.locator("#live-status")).to_have_attribute("data-state", "connected")
    expect(tomasz.locator("[data-no-presentation]")).to_be_visible()

    # The facilitator has KLAIPEDA present, with a limit of one minute: the last minute at once.
    form = facilitator.locator("#present-form")
    who = form.get_by_label("Who presents")
    who.select_option(who.locator("option", has_text="KLAIPEDA").get_attribute("value"))
    form.get_by_label("Time limit (minutes)").fill("1")
    form.get_by_role("button", name="Start the presentation").click()

    # Every plenary page loads the plan and follows it; the presenter's clock warns in words too.
    for page in (facilitator, ruta, tomasz):
        expect(page.locator("#presenting")).to_contain_text("KLAIPEDA is presenting")
        clock = page.locator("#talk-clock")
        expect(clock).to_have_class(re.compile(r"\bis-amber\b"))
        expect(clock).to_contain_text("last minute")
    # Past the limit it shows the time over (the same clock, given a start 95 s before a 1-minute limit,
    # on the server's clock as the page keeps it).
    over = tomasz.evaluate("""() => {
      const box = document.getElementById('talk-clock').cloneNode(true);
      new Live.TalkClock(box).set({started_at: new Date(Live.now() - 95000).toISOString(), limit_minutes: 1});
      return [box.className, box.textContent];
    }""")
    assert "is-over" in over[0] and "+0:35 over" in over[1], over
    panel = tomasz.locator("#plenary-presentation .room-plan")
    plan_id = panel.get_attribute("data-plan-id")
    keys = panel.locator(".plan-section").evaluate_all("sections => sections.map(s => s.dataset.sectionKey)")
    expect(tomasz.locator(f"#plan-{plan_id}-{keys[0]}")).to_have_class(re.compile(r"\bis-current\b"))
    expect(tomasz.locator("#driving")).to_be_hidden()  # others follow; the presenter drives

    # Rūta (KLAIPEDA) moves on; Tomasz's page follows to the section on screen.
    ruta.get_by_role("button", name="Next section").click()
    current = tomasz.locator(f"#plan-{plan_id}-{keys[1]}")
    expect(current).to_have_class(re.compile(r"\bis-current\b"))
    expect(current.locator("[data-on-screen-badge]")).to_be_visible()
    shot(ruta, "plenary-presentation-laptop")
    check_accessibility(ruta, "plenary-presentation-laptop")
    facilitator.locator("#plenary-presentation-title").evaluate("el => window.scrollTo(0, el.getBoundingClientRect().top + window.scrollY - 16)")
    shot(facilitator, "plenary-facilitator-laptop")
    check_accessibility(facilitator, "plenary-facilitator-laptop")

    # Tomasz gives feedback on the section on screen.
    text = "Which body adopts the plan, and when? Name the council decision."
    current.get_by_role("button", name="Give feedback").click()
    feedback_form = current.locator("form[data-fb-form=main]")
    feedback_form.get_by_label("Question").check()
    feedback_form.get_by_label("Criterion").select_option("adoption")
    feedback_form.get_by_label("Your feedback").fill(text)
    feedback_form.get_by_role("button", name="Send").click()
    mine = current.locator(".lf-item", has_text=text)
    expect(mine).to_have_attribute("data-feedback-id", re.compile(r"^\d+$"))
    expect(ruta.locator(f"#plan-{plan_id}-{keys[1]} .lf-item", has_text=text)).to_have_count(1)
    shot(tomasz, "plenary-presentation-phone", current)
    check_accessibility(tomasz, "plenary-presentation-phone")

    # The plan's feedback history shows it as given in the plenary.
    ruta.goto(f"/plans/{plan_id}/feedback")
    ruta.get_by_label("Room").select_option("plenary")
    ruta.get_by_role("button", name="Filter").click()
    item = ruta.locator(".fb-item", has_text=text)
    expect(item).to_have_count(1)
    expect(item.locator(".place-plenary")).to_have_text("Plenary")
    assert problems == [], problems

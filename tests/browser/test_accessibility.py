"""axe-core finds no serious or critical violation on the pages the whole-workshop test does
not walk through (tests/browser/test_whole_workshop.py checks the live ones as it goes), on a
laptop and on a phone; and the plan page's adoption tracker, read and updated in the browser.

Screenshots: tests/artifacts/a11y-adoption-*.png (the stepper, the form refusing a date, the dossier).
"""
from __future__ import annotations

import re

from tests.browser.demo import FACILITATOR, LAPTOP, PASSWORD, PHONE, RUTA, shot, watch_console
from tests.support.axe import check_accessibility
from tests.support.browser import sign_in

KLAIPEDA_PLAN = "/plans/3"  # Rūta's partner's plan in the demo


def _pages() -> dict[str, list[str]]:
    """Who visits what: the facilitator (an admin) and Rūta (a partner member)."""
    return {
        FACILITATOR: ["/", "/partners", "/partners/3", "/admin/users", "/workshops/new", "/workshops/2",
                      "/workshops/1/board", "/workshops/2/timeline", f"{KLAIPEDA_PLAN}/dossier"],
        RUTA: ["/", "/preferences", KLAIPEDA_PLAN, f"{KLAIPEDA_PLAN}/edit", "/plans/new?partner_id=3", f"{KLAIPEDA_PLAN}/feedback",
               "/plans/999"],
    }


def test_no_serious_violation_on_any_other_page(collab_server, browser_page, expect):
    server = collab_server(demo=True)
    problems: list[str] = []
    for name, viewport in (("laptop", LAPTOP), ("phone", PHONE)):
        options = {"viewport": viewport} | ({"is_mobile": True, "has_touch": True} if viewport is PHONE else {})
        visitor = browser_page(server.url, **options)
        watch_console(visitor, problems)
        visitor.goto("/login")
        check_accessibility(visitor, f"login ({name})")
        for email, urls in _pages().items():
            page = browser_page(server.url, **options)
            watch_console(page, problems)
            sign_in(page, server.url, email, PASSWORD)
            for url in urls:
                page.goto(url)
                if url.endswith("/board"):
                    expect(page.locator("#live-status")).to_have_attribute("data-state", "connected")
                check_accessibility(page, f"{url} as {email} ({name})")
    # /plans/999 is the error page: a 404 logs a failed load, nothing else may.
    assert not [p for p in problems if "404" not in p], problems


def test_the_plan_page_shows_and_updates_the_adoption_steps(collab_server, browser_page, expect):
    server = collab_server(demo=True)
    ruta = browser_page(server.url, viewport=LAPTOP)
    sign_in(ruta, server.url, RUTA, PASSWORD)
    ruta.goto(KLAIPEDA_PLAN)
    stepper = ruta.locator("#adoption .stepper")
    expect(stepper.locator("li")).to_have_count(3)
    expect(stepper.locator('[aria-current="step"]')).to_contain_text("KEDS Steering Group")
    expect(stepper.locator('[aria-current="step"]')).to_contain_text("Drafted")

    # Sent before it was drafted: refused, naming the date, with what was typed kept.
    ruta.get_by_text("Update the adoption steps").click()
    sent = ruta.get_by_role("group", name="Sent to the policy-responsible body")
    sent.get_by_label("Organisation or body").fill("Klaipėda City Municipal Council")
    sent.get_by_label("Date").fill("2026-02-01")
    sent.get_by_label("Note (optional)").fill("Strategic Planning Committee on 12 March")
    ruta.get_by_role("button", name="Save the adoption steps").click()
    sent = ruta.get_by_role("group", name="Sent to the policy-responsible body")
    expect(sent.locator(".field-error")).to_contain_text("Not before the step before it")
    expect(sent.get_by_label("Date")).to_have_value("2026-02-01")
    check_accessibility(ruta, "plan page with adoption errors")
    shot(ruta, "a11y-adoption-form-error", sent)

    sent.get_by_label("Date").fill("2026-03-02")
    ruta.get_by_role("button", name="Save the adoption steps").click()
    expect(ruta.locator(".flash-success")).to_contain_text("Adoption steps saved.")
    expect(ruta).to_have_url(re.compile(r"#adoption$"))
    current = stepper.locator('[aria-current="step"]')
    expect(current).to_contain_text("Klaipėda City Municipal Council")
    expect(current).to_contain_text("Strategic Planning Committee on 12 March")
    expect(current.locator("time")).to_have_attribute("datetime", "2026-03-02")
    shot(ruta, "a11y-adoption-laptop", ruta.locator("#adoption"))
    check_accessibility(ruta, "plan page with a message")

    phone = browser_page(server.url, viewport=PHONE, is_mobile=True, has_touch=True)
    sign_in(phone, server.url, RUTA, PASSWORD)
    phone.goto(f"{KLAIPEDA_PLAN}/dossier")
    expect(phone.locator('.dossier-adoption [aria-current="step"]')).to_contain_text("Klaipėda City Municipal Council")
    shot(phone, "a11y-adoption-dossier-phone", phone.locator(".dossier-adoption"))
    phone.goto(KLAIPEDA_PLAN)
    shot(phone, "a11y-adoption-phone", phone.locator("#adoption"))

"""What the browser tests share: the demo's people, screen sizes, screenshots, console watching."""
from __future__ import annotations

from tests.support.browser import ARTIFACTS_DIR

PASSWORD = "workshop-demo-2026"
FACILITATOR = "facilitator@collab.example"
RUTA = "ruta.jankauskiene@klaipeda.collab.example"  # KLAIPEDA, Room 2 of the demo round
TOMASZ = "tomasz.szczepanski@rrda.collab.example"  # RRDA, Room 2
LAPTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}
WAIT_MS = 10_000

# Resolves once the page has not scrolled for 150 ms (a smooth scroll to a section has ended).
SCROLL_SETTLED = """() => new Promise(done => {
  let last = null;
  const check = () => {
    if (last === window.scrollY) return done(true);
    last = window.scrollY;
    setTimeout(check, 150);
  };
  check();
})"""


def shot(page, name: str, locator=None, *, full_page: bool = False) -> None:
    """Save what the user sees (after scrolling `locator` into view, once scrolling settles)
    as tests/artifacts/NAME.png, for a human to look at."""
    ARTIFACTS_DIR.mkdir(parents=True, exist_ok=True)
    if locator is not None:
        locator.evaluate("el => el.scrollIntoView({block: 'center'})")
    page.evaluate(SCROLL_SETTLED)
    page.screenshot(path=str(ARTIFACTS_DIR / f"{name}.png"), full_page=full_page)


def watch_console(page, problems: list[str]) -> None:
    """Collect what would show a broken page: CSP refusals, failed loads, script errors."""

    def on_console(msg) -> None:
        if msg.type == "error":
            problems.append(f"{page.url}: {msg.text} ({(msg.location or {}).get('url', '')})")

    page.on("console", on_console)
    page.on("pageerror", lambda exc: problems.append(f"{page.url}: pageerror: {exc}"))

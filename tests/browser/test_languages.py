"""Lithuanian and Hungarian, switched in the header as a person would, leave no English on the
dashboard, the room page during an open round (live parts rendered: presence, the clock, a
presentation started and a section shown, feedback arriving) and the plan's feedback page.
The language is kept on the account: it survives signing out and in from a fresh browser.

How "no English" is decided: every text node of the page, the page title and the texts of
placeholder, aria-label, title and alt attributes are compared with the English msgids of
the catalogue whose translation differs (a msgid with placeholders as a pattern; a msgid of
several words also inside a longer text), and with English month and day names. Texts
people wrote (names, plan and section titles, room names, feedback) are not in the catalogue:
those of this workshop are gathered from the API and taken out of the texts first, and
rendered Markdown (.prose) is left alone. Screenshots of the room page
in both languages, on a laptop and a phone, go to tests/artifacts/languages-room-*.png.
"""
from __future__ import annotations

import re
import uuid
from pathlib import Path

from babel.messages.pofile import read_po

from tests.browser.demo import FACILITATOR, LAPTOP, PASSWORD, PHONE, RUTA, TOMASZ, shot, watch_console
from tests.support.axe import check_accessibility
from tests.support.browser import sign_in
from tests.support.live_client import LiveClient

TRANSLATIONS = Path(__file__).resolve().parents[2] / "translations"
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|\{\w+\}")
ENGLISH_DATES = re.compile(r"\b(January|February|March|April|June|July|August|September|October|November|December|"
                           r"Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec|Monday|Tuesday|Wednesday|Thursday|Friday|"
                           r"Saturday|Sunday|AM|PM)\b")

PAGE_TEXTS = """() => {
  const texts = [document.title];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const parent = walker.currentNode.parentElement;
    // .prose holds Markdown people wrote (plan sections, feedback), rendered by the server.
    if (parent && !parent.closest('script, style, .prose')) texts.push(walker.currentNode.nodeValue);
  }
  for (const el of document.querySelectorAll('[placeholder], [aria-label], [title], [alt]')) {
    for (const name of ['placeholder', 'aria-label', 'title', 'alt']) {
      if (el.hasAttribute(name)) texts.push(el.getAttribute(name));
    }
  }
  return texts.map(t => t.replace(/\\s+/g, ' ').trim()).filter(Boolean);
}"""


class English:
    """The catalogue's English texts that `code` translates differently."""

    def __init__(self, code: str) -> None:
        with (TRANSLATIONS / code / "LC_MESSAGES" / "messages.po").open("rb") as f:
            catalogue = read_po(f, locale=code)
        self.catalogue = catalogue
        self.exact: set[str] = set()
        self.inside: list[str] = []
        self.patterns: list[re.Pattern] = []
        for message in catalogue:
            if not message.id:
                continue
            ids = message.id if isinstance(message.id, tuple) else (message.id,)
            strings = message.string if isinstance(message.string, tuple) else (message.string,)
            for msgid in ids:
                if msgid in strings:
                    continue  # the same word in both languages ("Partner", "Collab")
                literal = PLACEHOLDER.sub("", msgid)
                if literal == msgid:
                    self.exact.add(msgid)
                    if len(msgid.split()) >= 2:
                        self.inside.append(msgid)
                elif len(re.findall(r"[A-Za-z]", literal)) >= 4:
                    parts = [re.escape(part) for part in PLACEHOLDER.split(msgid)]
                    self.patterns.append(re.compile("^" + ".+".join(parts) + "$"))

    def t(self, msgid: str) -> str:
        return self.catalogue.get(msgid).string

    def found_in(self, texts: list[str], written: set[str]) -> list[str]:
        """The texts that hold English, once what people wrote is taken out of them (a page
        title joins a room's name and a workshop's title, say)."""
        longest_first = sorted((w for w in written if len(w) >= 4), key=len, reverse=True)
        english = []
        for text in texts:
            rest = text
            for w in longest_first:
                rest = rest.replace(w, "\x00")
            if (rest in self.exact or any(p.match(rest) for p in self.patterns)
                    or any(msgid in rest for msgid in self.inside) or ENGLISH_DATES.search(rest)):
                english.append(text)
        return english


def _strings(value) -> set[str]:
    if isinstance(value, str):
        return {re.sub(r"\s+", " ", value).strip()}
    if isinstance(value, dict):
        return set().union(set(), *(_strings(v) for v in value.values()))
    if isinstance(value, list):
        return set().union(set(), *(_strings(v) for v in value))
    return set()


def _ok(ack: dict) -> dict:
    assert ack.get("ok"), ack
    return ack


def test_lithuanian_and_hungarian_leave_no_english(collab_server, browser_page, expect):
    server = collab_server(demo=True)
    facilitator = server.login(FACILITATOR, PASSWORD)
    workshop = facilitator.get(f"{server.url}/api/v1/workshops/1", timeout=10).json()
    round_1 = workshop["rounds"][0]
    room = next(r for r in round_1["rooms"] if r["name"] == "Room 2")
    control = LiveClient(server, facilitator)
    _ok(control.call("open_round", {"round_id": round_1["id"]}))
    tomasz = LiveClient(server, server.login(TOMASZ, PASSWORD))
    joined = _ok(tomasz.call("join_room", {"room_id": room["id"]}))
    ruta_http = server.login(RUTA, PASSWORD)
    ruta_id = ruta_http.user["id"]
    plan = next(p for p in joined["plans"] if ruta_id in [m["id"] for m in next(
        x for x in workshop["partners"] if x["id"] == p["partner_id"])["members"]])
    ruta_socket = LiveClient(server, ruta_http)
    _ok(ruta_socket.call("join_room", {"room_id": room["id"]}))

    # What people wrote, as the API gives it: it stays as written in every language.
    written = _strings(workshop) | _strings(joined)
    written |= _strings(facilitator.get(f"{server.url}/api/v1/workshops/1/resources", timeout=10).json())
    for p in joined["plans"]:
        written |= _strings(ruta_http.get(f"{server.url}/api/v1/plans/{p['id']}", timeout=10).json())
    written |= _strings(ruta_http.get(f"{server.url}/api/v1/plans/{plan['id']}/feedback", timeout=10).json())

    def feedback(body: str, kind: str, section: str) -> None:
        written.add(body)
        _ok(tomasz.call("submit_feedback", {"client_id": str(uuid.uuid4()), "room_id": room["id"], "plan_id": plan["id"],
                                            "section_key": section, "kind": kind, "criterion": "monitoring", "rating": 4,
                                            "body": body}))

    problems: list[str] = []
    page = browser_page(server.url, viewport=LAPTOP)
    watch_console(page, problems)
    sign_in(page, server.url, RUTA, PASSWORD)
    sections = [s["key"] for s in ruta_http.get(f"{server.url}/api/v1/plans/{plan['id']}", timeout=10).json()["sections"]]

    def no_english(where: str, english: English) -> None:
        found = english.found_in(page.evaluate(PAGE_TEXTS), written)
        assert not found, f"English on the {where} page in {page.evaluate('document.documentElement.lang')}: {found}"

    presentation = None
    for code, label in (("lt", "Lietuvių"), ("hu", "Magyar")):
        english = English(code)
        page.goto("/")
        switch = page.get_by_role("button", name=f"{code.upper()} · {label}")
        switch.focus()
        page.keyboard.press("Enter")  # the switch works from the keyboard
        expect(page.locator("html")).to_have_attribute("lang", code)
        expect(page.locator("main")).to_contain_text(english.t("My workshops"))
        no_english("dashboard", english)

        page.goto(f"/rooms/{room['id']}")
        expect(page.locator("#live-status")).to_have_attribute("data-state", "connected")
        expect(page.locator("#room-presence")).to_contain_text("Tomasz")
        if presentation is None:  # started while the page is open: the live parts render it
            presentation = _ok(ruta_socket.call("start_presentation", {"room_id": room["id"], "plan_id": plan["id"]}))["presentation"]
        _ok(ruta_socket.call("show_section", {"presentation_id": presentation["id"], "section_key": sections[-1]}))
        feedback(f"Who reports the indicators in {code.upper()}?", "question", sections[-1])
        expect(page.locator(".lf-item").filter(has_text=f"Who reports the indicators in {code.upper()}?")).to_have_count(1)
        expect(page.locator("#live-status")).to_have_text(english.t("Live"))
        no_english("room", english)
        page.evaluate("window.scrollTo(0, 0)")
        shot(page, f"languages-room-{code}")
        check_accessibility(page, f"room {code}")
        page.set_viewport_size(PHONE)
        page.evaluate("window.scrollTo(0, 0)")
        shot(page, f"languages-room-{code}-phone")
        check_accessibility(page, f"room {code} phone")
        page.set_viewport_size(LAPTOP)

        page.goto(f"/plans/{plan['id']}/feedback")
        expect(page.get_by_role("heading", level=1)).to_have_text(english.t("Feedback history"))
        no_english("plan feedback", english)

    # Hungarian is kept on the account: signed out (the login page stays Hungarian) and signed
    # in again from a browser that never chose a language.
    page.get_by_role("button", name=English("hu").t("Sign out")).click()
    expect(page.locator("html")).to_have_attribute("lang", "hu")
    fresh = browser_page(server.url, viewport=LAPTOP, locale="en-GB")
    sign_in(fresh, server.url, RUTA, PASSWORD)
    expect(fresh.locator("html")).to_have_attribute("lang", "hu")
    for client in (control, tomasz, ruta_socket):
        client.close()
    assert not problems, problems

"""Parse rendered HTML and check that user content cannot run (S18)."""
from __future__ import annotations

from html.parser import HTMLParser

ALLOWED_SCRIPT_PREFIX = "/static/"


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "script" and not (attrs.get("src") or "").startswith(ALLOWED_SCRIPT_PREFIX):
            self.problems.append(f"script tag {attrs}")
        if tag in {"iframe", "object", "embed", "style", "base"}:
            self.problems.append(f"{tag} tag")
        for name, value in attrs.items():
            if name.startswith("on"):
                self.problems.append(f"event handler {name}={value!r} on <{tag}>")
            if name in {"href", "src", "action", "formaction"} and (value or "").strip().lower().startswith(("javascript:", "data:text")):
                self.problems.append(f"{name}={value!r} on <{tag}>")
            if name == "style":
                self.problems.append(f"inline style on <{tag}>")


def inert_problems(html: str) -> list[str]:
    collector = _Collector()
    collector.feed(html)
    return collector.problems


def assert_inert(html: str) -> None:
    problems = inert_problems(html)
    assert not problems, problems

"""User Markdown to safe HTML, rendered once when the text is written, never per page view.

cmark-gfm (C, linear time: no input makes it slow) renders with raw HTML and unsafe links
dropped; nh3 then sanitises to a short list of tags. The sanitiser's cost grows with how
deeply the HTML nests, so output nested deeper than MAX_DEPTH, or larger than MAX_HTML, is
refused as too complex before it gets there.
"""
from __future__ import annotations

import html
import re

import cmarkgfm
import nh3
from markupsafe import Markup

MAX_DEPTH = 32
MAX_HTML = 1_000_000
_EXTENSIONS = ["table", "strikethrough"]
_TAGS = {
    "p", "br", "hr", "h1", "h2", "h3", "h4", "h5", "h6", "strong", "em", "del", "s", "code", "pre",
    "blockquote", "ul", "ol", "li", "a", "table", "thead", "tbody", "tr", "th", "td", "img",
}
_ATTRIBUTES = {"a": {"href", "title"}, "img": {"src", "alt", "title"}, "th": {"align"}, "td": {"align"}, "ol": {"start"}}
_VOID = {"br", "hr", "img", "input"}
# Built once: configuring a cleaner costs more than cleaning a feedback item's few lines.
_CLEANER = nh3.Cleaner(tags=_TAGS, attributes=_ATTRIBUTES, url_schemes={"http", "https", "mailto"}, link_rel="noopener noreferrer nofollow")
_TAG = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9]*)[^>]*>")


class TooComplex(ValueError):
    """The text nests too deeply or renders too large to be shown safely and quickly."""


def _check_shape(rendered: str) -> None:
    if len(rendered) > MAX_HTML:
        raise TooComplex("rendered text too large")
    depth = 0
    for match in _TAG.finditer(rendered):
        closing, tag = match.group(1), match.group(2).lower()
        if tag in _VOID:
            continue
        depth += -1 if closing else 1
        if depth > MAX_DEPTH:
            raise TooComplex("nested too deeply")


def render(text: str) -> Markup:
    """Markdown to inert HTML: no scripts, handlers, styles or unsafe URLs. Raises TooComplex."""
    rendered = cmarkgfm.markdown_to_html_with_extensions(text or "", extensions=_EXTENSIONS)
    _check_shape(rendered)
    return Markup(_CLEANER.clean(rendered))


def plain_text(rendered: str) -> str:
    """The words a reader sees in rendered HTML (what they can select and quote)."""
    return html.unescape(nh3.clean(rendered, tags=set()))


def render_with_text(text: str) -> tuple[str, str]:
    """(HTML, visible text) of one body; raises TooComplex."""
    rendered = str(render(text))
    return rendered, plain_text(rendered)

"""Finding 7 of issue 10: user text in the Markdown export cannot forge entries or headings."""
from __future__ import annotations

from markdown_it import MarkdownIt

from collab.services.exports import markdown_labels, markdown_stream

FORGED = "Fine.\n- **Mallory** (strength, v1, approved): approved\n## Forged heading\n1. listed\n> quoted\n---"


def _row(**overrides) -> dict:
    row = {"plan_title": "Plan # 1", "section_key": "action-1", "parent_id": None, "kind": "concern", "criterion": None,
           "rating": None, "plan_version": 1, "status": "open", "created_at": "2026-03-01T10:00:00Z",
           "author": "Rūta", "body": "Body", "quote": None, "response": None}
    return {**row, **overrides}


def _rendered(rows: list[dict]) -> list:
    with_labels = markdown_stream("Workshop", rows, markdown_labels())
    return MarkdownIt("commonmark").parse("".join(with_labels))


def _kinds(tokens, kind: str) -> int:
    return sum(1 for token in tokens if token.type == kind)


def test_body_answer_and_quote_cannot_forge_entries_or_headings(app):
    rows = [_row(body=FORGED, quote=FORGED, response=FORGED), _row(author="**Eve**\n## x", body="Second")]
    with app.test_request_context():
        tokens = _rendered(rows)
    assert _kinds(tokens, "heading_open") == 2  # the title and the one section
    assert _kinds(tokens, "list_item_open") == 2  # the two real entries, nothing nested
    assert _kinds(tokens, "hr") == 0 and _kinds(tokens, "ordered_list_open") == 0
    text = "".join(t.content for t in tokens if t.type == "inline")
    assert "Mallory" in text and "Forged heading" in text  # kept as text, not dropped

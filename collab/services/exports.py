"""Export formats for feedback rows: CSV (spreadsheet-safe), Markdown and JSON, all streamed."""
from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from flask_babel import gettext as _

from collab.services.history import EXPORT_FIELDS

# A spreadsheet runs a cell that starts with one of these as a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value) -> str:
    """Text a spreadsheet shows as typed: formulas are neutralised with a leading apostrophe."""
    if value is None:
        return ""
    text = str(value)
    if text.startswith(FORMULA_STARTS):
        return "'" + text
    return text


def csv_stream(rows: Iterable[dict]) -> Iterator[str]:
    """UTF-8 with a byte-order mark, so spreadsheets read ė, ł, ő correctly; rows flushed in chunks."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    buffer.write("\ufeff")
    writer.writerow(EXPORT_FIELDS)
    count = 0
    for row in rows:
        writer.writerow([safe_cell(row[field]) for field in EXPORT_FIELDS])
        count += 1
        if count % 500 == 0:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()


def _md_text(value) -> str:
    return "" if value is None else str(value).replace("\r", "")


@dataclass(frozen=True)
class MarkdownLabels:
    feedback: str
    answer: str


def markdown_labels() -> MarkdownLabels:
    """The export's words in the reader's language, looked up during the request.

    Translating inside the stream would ask the locale selector for `current_user.locale`
    after the view returned, when nothing the stream touches may depend on request objects.
    """
    return MarkdownLabels(feedback=_("Feedback"), answer=_("Answer"))


def markdown_stream(title: str, rows: Iterable[dict], labels: MarkdownLabels) -> Iterator[str]:
    yield f"# {labels.feedback}: {_md_text(title)}\n\n"
    section = None
    for row in rows:
        heading = (row["plan_title"], row["section_key"])
        if heading != section:
            section = heading
            yield f"\n## {_md_text(row['plan_title'])} — {row['section_key']}\n\n"
        indent = "  " if row["parent_id"] else ""
        meta = ", ".join(str(x) for x in (row["kind"], row["criterion"], f"{row['rating']}/5" if row["rating"] else None,
                                          f"v{row['plan_version']}", row["status"]) if x)
        body = _md_text(row["body"]).replace("\n", f"\n{indent}  ")
        yield f"{indent}- **{_md_text(row['author'])}** ({meta}, {row['created_at']}): {body}\n"
        if row["quote"]:
            yield f"{indent}  > {_md_text(row['quote'])}\n"
        if row["response"]:
            yield f"{indent}  *{labels.answer}:* {_md_text(row['response'])}\n"


def json_stream(rows: Iterable[dict]) -> Iterator[str]:
    yield '{"items": ['
    first = True
    for row in rows:
        yield ("" if first else ",") + json.dumps(row, ensure_ascii=False)
        first = False
    yield "]}"

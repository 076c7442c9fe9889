"""Export formats for feedback rows: CSV (spreadsheet-safe), Markdown and JSON, all streamed."""
from __future__ import annotations

import csv
import io
import json
import re
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


# What makes a line Markdown structure rather than text: a heading, list item, quote, rule,
# setext underline, table row, fence or HTML block at its start.
_LINE_MARKER = re.compile(r"^(\s*)(?:([#>*+\-=|<`~_])|(\d{1,9})([.)]))")
_INLINE_MARKUP = re.compile(r"([\\`*_\[\]<>#|])")


def _escape_line(line: str) -> str:
    match = _LINE_MARKER.match(line)
    if match is None:
        return line
    if match.group(2):
        return line[:match.start(2)] + "\\" + line[match.start(2):]
    return line[:match.start(4)] + "\\" + line[match.start(4):]  # "1\." is text, "1." a list


def _md_block(value, indent: str) -> str:
    """User text inside an entry: each line indented under it and escaped where it would start
    structure, so a body with `\n- **Name** …` or `\n## …` cannot forge an entry or a heading."""
    return f"\n{indent}".join(_escape_line(line) for line in _md_text(value).split("\n"))


def _md_inline(value) -> str:
    """A name or title on one line with its markup characters escaped."""
    return _INLINE_MARKUP.sub(r"\\\1", " ".join(_md_text(value).split("\n")))


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
    yield f"# {labels.feedback}: {_md_inline(title)}\n\n"
    section = None
    for row in rows:
        heading = (row["plan_title"], row["section_key"])
        if heading != section:
            section = heading
            yield f"\n## {_md_inline(row['plan_title'])} — {row['section_key']}\n\n"
        indent = "  " if row["parent_id"] else ""
        meta = ", ".join(str(x) for x in (row["kind"], row["criterion"], f"{row['rating']}/5" if row["rating"] else None,
                                          f"v{row['plan_version']}", row["status"]) if x)
        yield f"{indent}- **{_md_inline(row['author'])}** ({meta}, {row['created_at']}): {_md_block(row['body'], indent + '  ')}\n"
        if row["quote"]:
            yield f"{indent}  > {_md_block(row['quote'], indent + '  > ')}\n"
        if row["response"]:
            yield f"{indent}  *{labels.answer}:* {_md_block(row['response'], indent + '  ')}\n"


def json_stream(rows: Iterable[dict]) -> Iterator[str]:
    yield '{"items": ['
    first = True
    for row in rows:
        yield ("" if first else ",") + json.dumps(row, ensure_ascii=False)
        first = False
    yield "]}"

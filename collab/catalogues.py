"""The translation catalogues: extraction, and what each language still lacks.

    python -m collab.catalogues missing    # what to translate, per language (exit 1 if any)
    python -m collab.catalogues extract    # translations/messages.pot
    python -m collab.catalogues compile    # the .mo files

scripts/translations.sh wraps this and pybabel (extract, update, compile). Strings are taken
from collab/ and templates/ (babel.cfg); the browser's texts are in the catalogues too, since
live pages hand them to static/js as data-t-* attributes written with _() in templates.
tests/test_catalogues.py runs the same check, so a catalogue that lacks a string fails CI.
"""
from __future__ import annotations

import re
import subprocess
import sys
import tempfile
from pathlib import Path

from babel.messages.catalog import Catalog, Message
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parent.parent
TRANSLATIONS = ROOT / "translations"
TEMPLATE = TRANSLATIONS / "messages.pot"
# The default keywords (_, gettext, ngettext, ...) and our lazy ones.
EXTRACT_OPTIONS = ["-F", "babel.cfg", "-k", "_l", "-k", "lazy_gettext", "--add-comments=Translators:",
                   "--add-location=file", "--sort-by-file", "--no-wrap", "--project=Collab"]
PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]|\{(\w+)\}")


def extract(target: Path) -> None:
    """Write every translatable string of the code and templates into the template `target`."""
    # Run from the root, so that locations read "templates/..." wherever the clone lives.
    subprocess.run([sys.executable, "-m", "babel.messages.frontend", "-q", "extract", *EXTRACT_OPTIONS,
                    "-o", str(target), "."], cwd=ROOT, check=True)


def compile_all() -> None:
    """The .mo files the service reads, from the .po files (build output, not committed)."""
    subprocess.run([sys.executable, "-m", "babel.messages.frontend", "-q", "compile", "-d", str(TRANSLATIONS)], check=True)


def languages() -> list[str]:
    from config import Config

    return [code for code in Config.LANGUAGES if code != Config.BABEL_DEFAULT_LOCALE]


def _placeholders(text: str) -> set[str]:
    return {a or b for a, b in PLACEHOLDER.findall(text)}


def _forms(value: str | tuple | list) -> list[str]:
    return list(value) if isinstance(value, (tuple, list)) else [value]


def _problem(wanted: Message, found: Message | None) -> str | None:
    if found is None:
        return "missing"
    if found.fuzzy:
        return "fuzzy"
    translations = _forms(found.string)
    if not all(translations):
        return "untranslated"
    expected = set().union(*(_placeholders(text) for text in _forms(wanted.id)))
    for text in translations:
        if _placeholders(text) != expected:
            return f"placeholders {sorted(_placeholders(text))} instead of {sorted(expected)}"
    return None


def problems(template: Catalog, catalogue: Catalog) -> list[tuple[str, str]]:
    """(msgid, what is wrong) for each string of `template` that `catalogue` does not translate well."""
    found = []
    for wanted in template:
        if not wanted.id:
            continue  # the header
        problem = _problem(wanted, catalogue.get(wanted.id, wanted.context))
        if problem:
            found.append((_forms(wanted.id)[0], problem))
    return found


def read(path: Path, locale: str | None = None) -> Catalog:
    with path.open("rb") as f:
        return read_po(f, locale=locale)


def missing() -> dict[str, list[tuple[str, str]]]:
    """Per language, what the catalogue lacks against a fresh extraction of the code."""
    with tempfile.TemporaryDirectory() as scratch:
        fresh = Path(scratch) / "messages.pot"
        extract(fresh)
        template = read(fresh)
    return {code: problems(template, read(TRANSLATIONS / code / "LC_MESSAGES" / "messages.po", code)) for code in languages()}


def main(argv: list[str]) -> int:
    if argv == ["extract"]:
        extract(TEMPLATE)
        return 0
    if argv == ["compile"]:
        compile_all()
        return 0
    if argv != ["missing"]:
        print("usage: python -m collab.catalogues extract|compile|missing", file=sys.stderr)
        return 2
    report = missing()
    for code, lacking in report.items():
        for msgid, problem in lacking:
            print(f"{code}\t{problem}\t{msgid!r}")
    total = sum(len(lacking) for lacking in report.values())
    print(f"{total} strings to translate" if total else "every catalogue is complete", file=sys.stderr)
    return 1 if total else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

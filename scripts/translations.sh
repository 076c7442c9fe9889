#!/usr/bin/env bash
# The translation catalogues (translations/<lang>/LC_MESSAGES/messages.po), with pybabel.
#
#   bash scripts/translations.sh extract   # code and templates -> translations/messages.pot
#   bash scripts/translations.sh update    # extract, then merge new strings into every .po
#   bash scripts/translations.sh missing   # what each language lacks (missing, empty, fuzzy,
#                                          # placeholders changed); exit 1 if anything
#   bash scripts/translations.sh compile   # .po -> .mo (serve.sh and the tests do this)
#   bash scripts/translations.sh init LANG # a new language (also add it to config.LANGUAGES)
#
# The .mo files are build output (not committed): serve.sh, serve-cluster.sh and the test
# session (tests/conftest.py) compile them before the service starts.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
PY=.venv/bin/python
POT=translations/messages.pot

extract() {
    "$PY" -m collab.catalogues extract
}

case "${1:-}" in
    extract) extract ;;
    update)
        extract
        "$PY" -m babel.messages.frontend -q update -i "$POT" -d translations --ignore-obsolete --no-wrap
        ;;
    missing) "$PY" -m collab.catalogues missing ;;
    compile) "$PY" -m collab.catalogues compile ;;
    init)
        [ -n "${2:-}" ] || { echo "usage: $0 init LANG" >&2; exit 2; }
        extract
        "$PY" -m babel.messages.frontend -q init -i "$POT" -d translations -l "$2" --no-wrap
        ;;
    *)
        echo "usage: $0 extract|update|missing|compile|init LANG" >&2
        exit 2
        ;;
esac

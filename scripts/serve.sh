#!/usr/bin/env bash
# The project's run command (README): install, create the schema, load the demo, serve.
#
#   bash scripts/serve.sh
#
# Runs on the embedded default (SQLite in ./instance), no other server needed.
# HOST, PORT, DATABASE_URL and the other variables of the README apply.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

if ! .venv/bin/python -c "import sys" >/dev/null 2>&1; then
    echo "serve.sh: creating .venv"
    rm -rf .venv
    python3 -m venv .venv
fi
.venv/bin/python -m pip install -q --disable-pip-version-check -r requirements.txt

export PYTHONWARNINGS="${PYTHONWARNINGS:-ignore::DeprecationWarning}"
bash scripts/translations.sh compile
.venv/bin/flask --app wsgi init-db
.venv/bin/flask --app wsgi demo
exec .venv/bin/python wsgi.py

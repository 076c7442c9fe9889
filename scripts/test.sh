#!/usr/bin/env bash
# The project's test command (README; .ci/run calls it with CI=true).
#
#   bash scripts/test.sh [pytest args...]
#
# Installs what the tests need (Debian packages, the venv), then runs pytest.
# It starts no servers: the pytest fixtures in tests/support/ start fresh,
# isolated redis/postgres/app servers on free loopback ports for each run.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

CI="${CI:-}"
APT_PACKAGES=(chromium redis-server postgresql)

warn() { echo "test.sh: warning: $*" >&2; }
die() { echo "test.sh: error: $*" >&2; exit 1; }

is_installed() {
    dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "install ok installed"
}

# --- (a) Debian packages ----------------------------------------------------
missing=()
if command -v dpkg-query >/dev/null 2>&1; then
    for pkg in "${APT_PACKAGES[@]}"; do
        is_installed "$pkg" || missing+=("$pkg")
    done
else
    missing=("${APT_PACKAGES[@]}")
fi

if [ "${#missing[@]}" -gt 0 ]; then
    if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
        echo "test.sh: installing Debian packages: ${missing[*]}"
        export DEBIAN_FRONTEND=noninteractive
        if ! { apt-get update -qq && apt-get install -y -qq "${missing[@]}" >/dev/null; }; then
            if [ "$CI" = "true" ]; then
                die "apt-get install ${missing[*]} failed"
            fi
            warn "apt-get install ${missing[*]} failed; tests needing them will be skipped"
        fi
    elif [ "$CI" = "true" ]; then
        die "missing Debian packages (${missing[*]}) and cannot install them (need root and apt-get)"
    else
        warn "missing Debian packages (${missing[*]}) and not root or no apt-get;" \
             "tests needing them will be skipped"
    fi
fi

# --- (b) Python virtual environment ------------------------------------------
if ! .venv/bin/python -c "import sys" >/dev/null 2>&1; then
    echo "test.sh: creating .venv"
    rm -rf .venv
    python3 -m venv .venv
fi
.venv/bin/python -m pip install -q --disable-pip-version-check -r requirements-dev.txt

# --- (c) In CI, tests that need chromium/redis/postgres fail instead of skip --
if [ "$CI" = "true" ]; then
    export COLLAB_REQUIRE_SERVICES=1
fi

# --- (d) lint, then pytest -------------------------------------------------------
.venv/bin/python -m ruff check --quiet .

set +e
.venv/bin/python -m pytest "$@"
rc=$?
set -e
if [ "$rc" -eq 5 ]; then
    echo "test.sh: error: pytest collected no tests (exit 5); treating as failure" >&2
    exit 1
fi
exit "$rc"

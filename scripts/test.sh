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
# npm only when there is none: Node.js from elsewhere (e.g. NodeSource) brings its own.
command -v npm >/dev/null 2>&1 || missing+=(npm)

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

# --- (c) axe-core, from the npm registry, for the browser tests' accessibility checks --
# Into a gitignored scratch folder (tests/support/axe.py reads it), only when not there yet.
AXE_VERSION=4.14.1
AXE_DIR=tests/.node
if ! grep -qs "\"version\": \"$AXE_VERSION\"" "$AXE_DIR/node_modules/axe-core/package.json"; then
    if command -v npm >/dev/null 2>&1 && \
        npm install --prefix "$AXE_DIR" --no-save --no-audit --no-fund --loglevel=error "axe-core@$AXE_VERSION"; then
        :
    elif [ "$CI" = "true" ]; then
        die "could not install axe-core@$AXE_VERSION with npm"
    else
        warn "could not install axe-core@$AXE_VERSION with npm; accessibility checks will be skipped"
    fi
fi

# --- (d) In CI, tests that need chromium/redis/postgres fail instead of skip --
if [ "$CI" = "true" ]; then
    export COLLAB_REQUIRE_SERVICES=1
fi

# --- (e) lint, then pytest -------------------------------------------------------
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

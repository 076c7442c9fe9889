#!/usr/bin/env bash
# Collab as a cluster on this machine (README): N workers on PostgreSQL + Redis behind nginx.
#
#   bash scripts/serve-cluster.sh [N]          (N workers, default 2)
#
# Starts, all private and on 127.0.0.1: a PostgreSQL cluster (initdb in a scratch folder),
# redis-server, `python wsgi.py` N times on ports CLUSTER_PORT+1..N, then runs init-db and
# demo once, and finally nginx (deploy/nginx.conf.template) in the foreground on CLUSTER_PORT
# (default 8080). Ctrl-C stops everything it started and removes the scratch folder.
#
# CLUSTER_PORT   where nginx listens (default 8080)
# CLUSTER_DIR    scratch folder to use (default: a new temporary one)
# CLUSTER_DEMO   0 skips loading the demo (default 1)
# SECRET_KEY     shared by every worker (default: a random one for this run)
# SOCKETIO_ASYNC_MODE and the README's other variables pass through to the workers.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT=$(pwd)

WORKERS="${1:-2}"
PORT="${CLUSTER_PORT:-8080}"
PY="$ROOT/.venv/bin/python"
APT_PACKAGES=(postgresql redis-server nginx)

die() { echo "serve-cluster.sh: error: $*" >&2; exit 1; }
say() { echo "serve-cluster.sh: $*"; }

[[ "$WORKERS" =~ ^[1-9][0-9]*$ ]] || die "N must be a positive number of workers, not '$WORKERS'"

# --- what it needs: Debian packages (installed when root) and the venv -------
missing=()
for pkg in "${APT_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
if [ "${#missing[@]}" -gt 0 ]; then
    [ "$(id -u)" -eq 0 ] || die "install the Debian packages ${missing[*]} first (as root)"
    say "installing Debian packages: ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq && apt-get install -y -qq "${missing[@]}" >/dev/null
fi
if ! "$PY" -c "import sys" >/dev/null 2>&1; then
    say "creating .venv"
    rm -rf .venv
    python3 -m venv .venv
fi
"$PY" -m pip install -q --disable-pip-version-check -r requirements.txt

PGBIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
[ -x "$PGBIN/initdb" ] || die "PostgreSQL server binaries not found in /usr/lib/postgresql/*/bin"

# --- scratch folder and clean-up ------------------------------------------------
if [ -n "${CLUSTER_DIR:-}" ]; then
    RUN="$CLUSTER_DIR"; mkdir -p "$RUN"; KEEP_RUN=1
else
    RUN=$(mktemp -d -t collab-cluster-XXXXXX); KEEP_RUN=0
fi
chmod 755 "$RUN"   # nginx's workers (user nobody when started as root) use its temp folders
PIDS=()
cleanup() {
    trap - EXIT INT TERM
    say "stopping"
    for pid in "${PIDS[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
    for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
    [ "$KEEP_RUN" = 1 ] || rm -rf "$RUN"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

free_port() { "$PY" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

wait_for() {  # wait_for WHAT LOG COMMAND...: up to 60 s; shows the end of LOG if it never answers
    local what=$1 log=$2; shift 2
    for _ in $(seq 600); do "$@" >/dev/null 2>&1 && return 0; sleep 0.1; done
    tail -n 20 "$log" >&2 || true
    die "$what did not start; logs are in $RUN"
}

# --- PostgreSQL: a private cluster, run as the postgres user when we are root ---
PGPORT=$(free_port)
AS_PG=()
if [ "$(id -u)" -eq 0 ]; then
    AS_PG=(runuser -u postgres --)
    mkdir -p "$RUN/pg" && chown postgres: "$RUN/pg"
fi
"${AS_PG[@]}" "$PGBIN/initdb" -D "$RUN/pg/data" -U postgres --auth=trust -E UTF8 --no-locale >"$RUN/initdb.log" 2>&1 \
    || die "initdb failed; see $RUN/initdb.log"
"${AS_PG[@]}" "$PGBIN/postgres" -D "$RUN/pg/data" -p "$PGPORT" -k "$RUN/pg" -c listen_addresses=127.0.0.1 \
    -c max_connections=$((40 * WORKERS + 20)) >"$RUN/postgres.log" 2>&1 &
PIDS+=($!)
wait_for PostgreSQL "$RUN/postgres.log" "$PGBIN/pg_isready" -q -h 127.0.0.1 -p "$PGPORT"
"$PGBIN/createdb" -h 127.0.0.1 -p "$PGPORT" -U postgres collab

# --- Redis: joins the workers' Socket.IO rooms ---------------------------------
REDISPORT=$(free_port)
redis-server --port "$REDISPORT" --bind 127.0.0.1 --save "" --appendonly no --dir "$RUN" >"$RUN/redis.log" 2>&1 &
PIDS+=($!)
wait_for Redis "$RUN/redis.log" redis-cli -p "$REDISPORT" ping

# --- the workers ----------------------------------------------------------------
export DATABASE_URL="postgresql://postgres@127.0.0.1:$PGPORT/collab"
export SOCKETIO_MESSAGE_QUEUE="redis://127.0.0.1:$REDISPORT/0"
export SECRET_KEY="${SECRET_KEY:-$("$PY" -c 'import secrets; print(secrets.token_urlsafe(48))')}"
export COLLAB_INSTANCE="$RUN/instance"
export PYTHONWARNINGS="${PYTHONWARNINGS:-ignore::DeprecationWarning}"
"$PY" -m collab.catalogues compile
"$PY" -m flask --app wsgi init-db >"$RUN/init-db.log" 2>&1 || die "init-db failed; see $RUN/init-db.log"
if [ "${CLUSTER_DEMO:-1}" = 1 ]; then
    "$PY" -m flask --app wsgi demo >"$RUN/demo.log" 2>&1 || die "demo failed; see $RUN/demo.log"
fi

UPSTREAMS=""
for i in $(seq "$WORKERS"); do
    WPORT=$((PORT + i))
    HOST=127.0.0.1 PORT=$WPORT "$PY" wsgi.py >"$RUN/worker-$i.log" 2>&1 &
    PIDS+=($!)
    echo $! >"$RUN/worker-$i.pid"   # for monitoring (the scaleout benchmark reads their CPU)
    UPSTREAMS+="server 127.0.0.1:$WPORT; "
done
for i in $(seq "$WORKERS"); do
    wait_for "worker $i" "$RUN/worker-$i.log" curl -fsS "http://127.0.0.1:$((PORT + i))/healthz"
done

# --- nginx in front, in the foreground -----------------------------------------
mkdir -p "$RUN/nginx/tmp" && chmod 1777 "$RUN/nginx/tmp"
conf=$(<deploy/nginx.conf.template)
conf=${conf//@LISTEN@/127.0.0.1:$PORT}
conf=${conf//@RUNDIR@/$RUN/nginx}
conf=${conf//@UPSTREAM_SERVERS@/$UPSTREAMS}
printf '%s\n' "$conf" >"$RUN/nginx/nginx.conf"
nginx -t -q -e stderr -p "$RUN/nginx" -c "$RUN/nginx/nginx.conf" || die "nginx rejected $RUN/nginx/nginx.conf"
nginx -e stderr -p "$RUN/nginx" -c "$RUN/nginx/nginx.conf" -g "daemon off;" &
PIDS+=($!)
wait_for nginx /dev/null curl -fsS "http://127.0.0.1:$PORT/healthz"

say "$WORKERS workers on PostgreSQL (port $PGPORT) + Redis (port $REDISPORT) behind nginx"
say "DATABASE_URL=$DATABASE_URL"
say "logs in $RUN"
echo "Collab cluster is serving on http://127.0.0.1:$PORT/  (Ctrl-C stops it)"
if [ "${CLUSTER_DEMO:-1}" = 1 ]; then
    echo "Sign in as facilitator@collab.example, password workshop-demo-2026"
fi
wait -n "${PIDS[@]}" || true
die "a process of the cluster exited; logs are in $RUN"

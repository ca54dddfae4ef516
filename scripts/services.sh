#!/usr/bin/env bash
# Local development services for Vigor: a throwaway PostgreSQL cluster and Azurite
# (blob, queue, table). Everything binds to 127.0.0.1 only.
#
#   scripts/services.sh start  [pg|azurite]   start (idempotent), then write and print .vigor/env
#   scripts/services.sh stop   [pg|azurite]   stop (no-op when already stopped)
#   scripts/services.sh status [pg|azurite]   print up/down; exit 0 when all asked-for services are up, 3 otherwise
#   scripts/services.sh reset                 stop, then wipe the PostgreSQL cluster and the Azurite data
#
# Environment (defaults in brackets):
#   VIGOR_PG_PORT [55491]  VIGOR_AZURITE_BLOB_PORT [10000]  VIGOR_AZURITE_QUEUE_PORT [10001]
#   VIGOR_AZURITE_TABLE_PORT [10002]
set -euo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)
VIGOR_DIR="$REPO/.vigor"
PG_PORT="${VIGOR_PG_PORT:-55491}"
BLOB_PORT="${VIGOR_AZURITE_BLOB_PORT:-10000}"
QUEUE_PORT="${VIGOR_AZURITE_QUEUE_PORT:-10001}"
TABLE_PORT="${VIGOR_AZURITE_TABLE_PORT:-10002}"
AZ_DIR="$VIGOR_DIR/azurite"
AZ_PID_FILE="$VIGOR_DIR/azurite.pid"
AZ_LOG="$VIGOR_DIR/azurite.log"
PG_ROOT_FILE="$VIGOR_DIR/pg-root"   # remembers where the cluster lives (repo or /tmp fallback)
ENV_FILE="$VIGOR_DIR/env"
AZ_START_TIMEOUT="${VIGOR_AZURITE_START_TIMEOUT:-60}"
AZURITE_KEY='Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw=='

log() { printf '[services] %s\n' "$*" >&2; }
die() { printf '[services] ERROR: %s\n' "$*" >&2; exit 1; }

is_root() { [ "$(id -u)" -eq 0 ]; }

for v in VIGOR_PG_PORT:$PG_PORT VIGOR_AZURITE_BLOB_PORT:$BLOB_PORT VIGOR_AZURITE_QUEUE_PORT:$QUEUE_PORT VIGOR_AZURITE_TABLE_PORT:$TABLE_PORT; do
  p=${v#*:}
  if ! [[ "$p" =~ ^[0-9]+$ ]] || [ "$p" -lt 1 ] || [ "$p" -gt 65535 ]; then
    die "invalid port in ${v%%:*}: '$p'"
  fi
done

# True when something accepts TCP connections on 127.0.0.1:$1.
port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# Run a privileged command (apt-get, useradd): directly as root, via sudo otherwise.
as_admin() {
  if is_root; then "$@"
  elif command -v sudo >/dev/null 2>&1; then sudo "$@"
  else die "need root or sudo to run: $*"
  fi
}

# ---------------------------------------------------------------- PostgreSQL

ensure_pg_installed() {
  if ! compgen -G '/usr/lib/postgresql/*/bin/initdb' >/dev/null; then
    log "PostgreSQL not found under /usr/lib/postgresql/*/bin; installing the Debian package"
    as_admin apt-get update -qq
    as_admin env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
    compgen -G '/usr/lib/postgresql/*/bin/initdb' >/dev/null || die "postgresql installed but initdb not found"
  fi
  if is_root && ! id postgres >/dev/null 2>&1; then
    useradd --system --no-create-home --shell /usr/sbin/nologin postgres
  fi
}

# The OS user that owns and runs the cluster: postgres when we are root (initdb refuses
# root), the current user otherwise.
pg_os_user() { if is_root; then echo postgres; else id -un; fi; }

as_pg() {
  # cd /: the caller's cwd may not be readable by postgres (pg_ctl would warn).
  if is_root; then (cd / && runuser -u postgres -- "$@"); else "$@"; fi
}

# Binaries matching an existing cluster's major version, else the newest installed.
pg_bin() {
  local root="$1" ver
  if [ -f "$root/data/PG_VERSION" ]; then
    ver=$(cat "$root/data/PG_VERSION")
    if [ -x "/usr/lib/postgresql/$ver/bin/postgres" ]; then echo "/usr/lib/postgresql/$ver/bin"; return; fi
    die "cluster in $root/data is PostgreSQL $ver but /usr/lib/postgresql/$ver is not installed; run scripts/services.sh reset"
  fi
  local bins
  bins=$(compgen -G '/usr/lib/postgresql/*/bin/initdb' | sed 's#/initdb$##' | sort -V | tail -1)
  [ -n "$bins" ] || die "no PostgreSQL binaries under /usr/lib/postgresql"
  echo "$bins"
}

fallback_pg_root() {
  local h
  h=$(printf '%s' "$REPO" | sha256sum | cut -c1-12)
  echo "/tmp/vigor-pg-$h"
}

# Where the cluster lives. Recorded in .vigor/pg-root on first start so that stop/status
# find it again. With create=1 it is decided (and parents made traversable) if not recorded.
pg_root() {
  local create="${1:-0}"
  if [ -f "$PG_ROOT_FILE" ]; then
    local recorded
    recorded=$(cat "$PG_ROOT_FILE")
    # Ignore a record copied along from another checkout.
    if [ "$recorded" = "$VIGOR_DIR/pg" ] || [ "$recorded" = "$(fallback_pg_root)" ]; then
      echo "$recorded"; return
    fi
  fi
  if [ "$create" != 1 ]; then echo "$VIGOR_DIR/pg"; return; fi

  local root="$VIGOR_DIR/pg"
  # Unix socket path limit (108 bytes incl. NUL) for "$root/.s.PGSQL.$port".
  if [ $((${#root} + 18)) -gt 100 ]; then
    root=$(fallback_pg_root); log "repo path is long; using $root for the PostgreSQL cluster"
  elif is_root; then
    case "$REPO/" in
      /root/*) root=$(fallback_pg_root); log "repo is under /root (not traversable by postgres); using $root" ;;
      *)
        # Every parent of the cluster dir must be traversable (x) by the postgres user.
        # Walk top-down so that a fixed parent does not make its children look untraversable.
        local d="$VIGOR_DIR" fixed=0 chain=()
        while [ "$d" != "/" ] && [ -n "$d" ]; do chain=("$d" "${chain[@]}"); d=$(dirname "$d"); done
        for d in "${chain[@]}"; do
          if ! runuser -u postgres -- test -x "$d" 2>/dev/null; then
            log "making $d traversable for the postgres user (chmod o+x)"
            chmod o+x "$d" || true
            fixed=1
          fi
        done
        if ! runuser -u postgres -- test -x "$VIGOR_DIR" 2>/dev/null; then
          root=$(fallback_pg_root); log "$VIGOR_DIR not traversable by postgres (fixed=$fixed); using $root"
        fi
        ;;
    esac
  fi
  mkdir -p "$VIGOR_DIR"
  printf '%s\n' "$root" > "$PG_ROOT_FILE"
  echo "$root"
}

# Port our running cluster listens on (line 4 of postmaster.pid), empty if not running.
pg_running_port() {
  local root="$1" bin
  [ -f "$root/data/postmaster.pid" ] || return 0
  bin=$(pg_bin "$root")
  if as_pg "$bin/pg_ctl" -D "$root/data" status >/dev/null 2>&1; then
    sed -n 4p "$root/data/postmaster.pid"
  fi
}

pg_ready() { "$1/pg_isready" -q -h 127.0.0.1 -p "$2" -t 2 >/dev/null 2>&1; }

pg_start() {
  ensure_pg_installed
  mkdir -p "$VIGOR_DIR"
  chmod 711 "$VIGOR_DIR"
  local root bin running
  root=$(pg_root 1)
  bin=$(pg_bin "$root")

  running=$(pg_running_port "$root")
  if [ -n "$running" ]; then
    if [ "$running" = "$PG_PORT" ] && pg_ready "$bin" "$PG_PORT"; then
      log "postgres already running on 127.0.0.1:$PG_PORT ($root)"
      pg_ensure_db "$bin"
      return
    fi
    log "postgres cluster is running on port $running but VIGOR_PG_PORT=$PG_PORT; restarting it"
    pg_stop
  fi

  if port_open "$PG_PORT"; then
    die "port 127.0.0.1:$PG_PORT is already in use by something that is not this repo's cluster ($root). Stop it or choose another port: VIGOR_PG_PORT=<port> scripts/services.sh start"
  fi

  if [ ! -f "$root/data/PG_VERSION" ]; then
    log "initialising throwaway cluster in $root/data"
    rm -rf "$root/data"
    mkdir -p "$root"
    if is_root; then chown postgres:postgres "$root"; fi
    chmod 700 "$root"
    as_pg "$bin/initdb" -D "$root/data" -U postgres --auth=trust -E UTF8 --no-locale --no-sync >"$VIGOR_DIR/initdb.log" 2>&1 \
      || { cat "$VIGOR_DIR/initdb.log" >&2; die "initdb failed"; }
    # Throwaway settings: loopback only, socket inside the cluster dir, durability off.
    as_pg tee -a "$root/data/postgresql.conf" >/dev/null <<EOF

# --- Vigor throwaway dev/test cluster (scripts/services.sh); NOT for real data ---
listen_addresses = '127.0.0.1'
unix_socket_directories = '$root'
fsync = off
synchronous_commit = off
full_page_writes = off
max_connections = 200
EOF
  fi

  log "starting postgres on 127.0.0.1:$PG_PORT"
  if ! as_pg "$bin/pg_ctl" -D "$root/data" -l "$root/server.log" -w -t 60 \
      -o "-c listen_addresses=127.0.0.1 -p $PG_PORT -k '$root'" start >/dev/null; then
    tail -n 40 "$root/server.log" >&2 || true
    die "postgres failed to start (log: $root/server.log)"
  fi
  pg_ready "$bin" "$PG_PORT" || { tail -n 40 "$root/server.log" >&2 || true; die "postgres started but does not answer on 127.0.0.1:$PG_PORT"; }
  pg_ensure_db "$bin"
}

pg_ensure_db() {
  local bin="$1"
  if [ "$("$bin/psql" -X -h 127.0.0.1 -p "$PG_PORT" -U postgres -d postgres -qAtc "SELECT 1 FROM pg_database WHERE datname='vigor'")" != 1 ]; then
    "$bin/psql" -X -h 127.0.0.1 -p "$PG_PORT" -U postgres -d postgres -qAtc "CREATE DATABASE vigor" >/dev/null
    log "created database vigor"
  fi
}

pg_stop() {
  local root bin
  root=$(pg_root 0)
  [ -f "$root/data/postmaster.pid" ] || { log "postgres not running"; return 0; }
  compgen -G '/usr/lib/postgresql/*/bin/pg_ctl' >/dev/null || return 0
  bin=$(pg_bin "$root")
  if as_pg "$bin/pg_ctl" -D "$root/data" status >/dev/null 2>&1; then
    log "stopping postgres"
    as_pg "$bin/pg_ctl" -D "$root/data" -m fast -w -t 60 stop >/dev/null
  else
    log "postgres not running"
  fi
}

pg_status() {
  local root running
  root=$(pg_root 0)
  if compgen -G '/usr/lib/postgresql/*/bin/pg_ctl' >/dev/null; then
    running=$(pg_running_port "$root")
  else
    running=
  fi
  if [ -n "$running" ] && pg_ready "$(pg_bin "$root")" "$running"; then
    echo "postgres: up (127.0.0.1:$running, cluster $root/data)"
    [ "$running" = "$PG_PORT" ] || { echo "postgres: note: running on $running but VIGOR_PG_PORT=$PG_PORT"; return 1; }
    return 0
  fi
  echo "postgres: down"
  return 1
}

# ------------------------------------------------------------------- Azurite

az_pid() {
  local pid
  [ -f "$AZ_PID_FILE" ] || return 1
  pid=$(cat "$AZ_PID_FILE")
  [[ "$pid" =~ ^[0-9]+$ ]] || return 1
  kill -0 "$pid" 2>/dev/null || return 1
  # Make sure the pid was not recycled by an unrelated process.
  tr '\0' ' ' < "/proc/$pid/cmdline" 2>/dev/null | grep -q azurite || return 1
  echo "$pid"
}

az_answers() { port_open "$TABLE_PORT" && port_open "$BLOB_PORT" && port_open "$QUEUE_PORT"; }

az_start() {
  local pid
  if pid=$(az_pid); then
    if az_wait "$pid" 15; then
      log "azurite already running (pid $pid)"
      return
    fi
    log "azurite (pid $pid) does not answer; restarting it"
    az_stop
  fi
  rm -f "$AZ_PID_FILE"

  local var
  for var in VIGOR_AZURITE_BLOB_PORT:$BLOB_PORT VIGOR_AZURITE_QUEUE_PORT:$QUEUE_PORT VIGOR_AZURITE_TABLE_PORT:$TABLE_PORT; do
    if port_open "${var#*:}"; then
      die "port 127.0.0.1:${var#*:} is already in use by something that is not this repo's Azurite. Stop it or choose another port: ${var%%:*}=<port> scripts/services.sh start"
    fi
  done

  if [ ! -e "$REPO/node_modules/azurite/package.json" ] || [ ! -x "$REPO/node_modules/.bin/azurite" ]; then
    command -v npm >/dev/null 2>&1 || die "npm not found (Node 20 + npm are required for Azurite)"
    log "installing Azurite (npm ci)"
    (cd "$REPO" && npm ci --no-audit --no-fund >&2)
  fi

  mkdir -p "$AZ_DIR"
  log "starting azurite (blob $BLOB_PORT, queue $QUEUE_PORT, table $TABLE_PORT)"
  # setsid: own session, so it survives the calling shell; the .bin shim execs node, so $! is node's pid.
  setsid nohup "$REPO/node_modules/.bin/azurite" \
    --location "$AZ_DIR" \
    --blobHost 127.0.0.1 --blobPort "$BLOB_PORT" \
    --queueHost 127.0.0.1 --queuePort "$QUEUE_PORT" \
    --tableHost 127.0.0.1 --tablePort "$TABLE_PORT" \
    --disableTelemetry --silent --skipApiVersionCheck \
    >"$AZ_LOG" 2>&1 </dev/null &
  pid=$!
  echo "$pid" > "$AZ_PID_FILE"
  if ! az_wait "$pid" "$AZ_START_TIMEOUT"; then
    echo "----- $AZ_LOG -----" >&2; cat "$AZ_LOG" >&2 || true; echo "-----" >&2
    kill -TERM "$pid" 2>/dev/null || true
    rm -f "$AZ_PID_FILE"
    die "azurite did not answer on 127.0.0.1:$TABLE_PORT within ${AZ_START_TIMEOUT}s"
  fi
}

# Wait until all three ports answer while the process is alive.
az_wait() {
  local pid="$1" timeout="$2" deadline
  deadline=$((SECONDS + timeout))
  while [ "$SECONDS" -lt "$deadline" ]; do
    kill -0 "$pid" 2>/dev/null || return 1
    az_answers && return 0
    sleep 0.2
  done
  return 1
}

az_stop() {
  local pid _
  if ! pid=$(az_pid); then
    rm -f "$AZ_PID_FILE"
    log "azurite not running"
    return 0
  fi
  log "stopping azurite (pid $pid)"
  kill -TERM "$pid" 2>/dev/null || true
  for _ in $(seq 1 50); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.2
  done
  if kill -0 "$pid" 2>/dev/null; then
    log "azurite did not exit within 10s; sending SIGKILL"
    kill -KILL "$pid" 2>/dev/null || true
    sleep 0.2
  fi
  rm -f "$AZ_PID_FILE"
}

az_status() {
  local pid
  if pid=$(az_pid) && az_answers; then
    echo "azurite: up (pid $pid, blob 127.0.0.1:$BLOB_PORT, queue 127.0.0.1:$QUEUE_PORT, table 127.0.0.1:$TABLE_PORT)"
    return 0
  elif pid=$(az_pid); then
    echo "azurite: down (pid $pid alive but not answering on all ports)"
    return 1
  fi
  echo "azurite: down"
  return 1
}

# ----------------------------------------------------------------------- env

write_env() {
  local storage="DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=$AZURITE_KEY;BlobEndpoint=http://127.0.0.1:$BLOB_PORT/devstoreaccount1;QueueEndpoint=http://127.0.0.1:$QUEUE_PORT/devstoreaccount1;TableEndpoint=http://127.0.0.1:$TABLE_PORT/devstoreaccount1;"
  local tmp="$ENV_FILE.tmp.$$"
  cat > "$tmp" <<EOF
export VIGOR_TEST_PG="Host=127.0.0.1;Port=$PG_PORT;Username=postgres;Database=postgres"
export Database__ConnectionString="Host=127.0.0.1;Port=$PG_PORT;Username=postgres;Database=vigor"
export VIGOR_TEST_STORAGE="$storage"
export Storage__ConnectionString="$storage"
EOF
  mv -f "$tmp" "$ENV_FILE"
  cat "$ENV_FILE"
}

# ---------------------------------------------------------------------- main

usage() { echo "usage: $0 start|stop|status [pg|azurite] | reset" >&2; exit 2; }

cmd="${1:-}"
which="${2:-all}"
case "$which" in all|pg|postgres|azurite) ;; *) usage ;; esac
want_pg() { [ "$which" = all ] || [ "$which" = pg ] || [ "$which" = postgres ]; }
want_az() { [ "$which" = all ] || [ "$which" = azurite ]; }

case "$cmd" in
  start)
    mkdir -p "$VIGOR_DIR"
    if want_pg; then pg_start; fi
    if want_az; then az_start; fi
    write_env
    ;;
  stop)
    if want_az; then az_stop; fi
    if want_pg; then pg_stop; fi
    ;;
  status)
    rc=0
    if want_pg; then pg_status || rc=3; fi
    if want_az; then az_status || rc=3; fi
    exit "$rc"
    ;;
  reset)
    az_stop
    pg_stop
    root=$(pg_root 0)
    if [ "$root" != "$VIGOR_DIR/pg" ] && [ "$root" != "$(fallback_pg_root)" ]; then
      die "refusing to wipe unexpected cluster path '$root'"
    fi
    log "wiping PostgreSQL cluster $root and Azurite data $AZ_DIR"
    rm -rf "$root" "$AZ_DIR" "$PG_ROOT_FILE" "$ENV_FILE" "$AZ_LOG" "$VIGOR_DIR/initdb.log"
    log "done (dev secrets in $VIGOR_DIR/dev-secrets.json are kept); run scripts/services.sh start"
    ;;
  *) usage ;;
esac

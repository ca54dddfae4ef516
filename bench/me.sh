#!/usr/bin/env bash
# Benchmark authenticated GET /api/me against the local host (Vigor.LocalHost, Release).
# See bench/README.md. Everything runs on 127.0.0.1 and is bounded in time (~1-2 min
# after the build).
#
#   bench/me.sh
#
# Environment: VIGOR_BENCH_PORT [7081], VIGOR_BENCH_USERS [50], VIGOR_BENCH_DURATION [20s],
#   VIGOR_BENCH_WARMUP [5s], VIGOR_BENCH_THREADS [2], VIGOR_BENCH_CONNECTIONS [32],
#   VIGOR_BENCH_STRICT [0] (1 = exit 1 when a goal is missed), plus the VIGOR_PG_PORT /
#   VIGOR_AZURITE_*_PORT variables of scripts/services.sh.
set -euo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)
cd "$REPO"

PORT="${VIGOR_BENCH_PORT:-7081}"
USERS="${VIGOR_BENCH_USERS:-50}"
DURATION="${VIGOR_BENCH_DURATION:-20s}"
WARMUP="${VIGOR_BENCH_WARMUP:-5s}"
THREADS="${VIGOR_BENCH_THREADS:-2}"
CONNS="${VIGOR_BENCH_CONNECTIONS:-32}"
STRICT="${VIGOR_BENCH_STRICT:-0}"
GOAL_RPS=5000 GOAL_P99_MS=25 GOAL_RSS_MB=250
# shellcheck source=bench/lib.sh
. "$REPO/bench/lib.sh"

bench_prereqs
bench_init
bench_services_and_build
bench_start_host

TOKENS="$WORK/tokens.txt"
bench_register_users "$USERS" "$TOKENS"

# ------------------------------------------------------------------ wrk script
LUA="$WORK/me.lua"
{
  bench_lua_tokens "$TOKENS"
  cat <<'EOF'
init = function(args) seed_thread() end
request = function()
  return wrk.format("GET", "/api/me", { ["Authorization"] = "Bearer " .. next_token() })
end
EOF
  bench_lua_done
} > "$LUA"

# ------------------------------------------------------------------ run
log "warming up ($WARMUP)"
wrk -t"$THREADS" -c"$CONNS" -d"$WARMUP" -s "$LUA" "$BASE/api/me" >/dev/null

bench_rss_start

LOAD_BEFORE=$(bench_load)
log "running wrk -t$THREADS -c$CONNS -d$DURATION --latency"
WRK_OUT="$WORK/wrk.txt"
wrk -t"$THREADS" -c"$CONNS" -d"$DURATION" --latency --timeout 5s -s "$LUA" "$BASE/api/me" | tee "$WRK_OUT" >&2

bench_rss_stop
LOAD_AFTER=$(bench_load)
bench_host_alive
hwm_mb=$(bench_hwm_mb)
sampled_mb=$RSS_SAMPLED_MB

# ------------------------------------------------------------------ report
val() { bench_val "$WRK_OUT" "$1"; }
rps=$(val rps); p50=$(val p50_ms); p95=$(val p95_ms); p99=$(val p99_ms); maxms=$(val max_ms)
reqs=$(val requests); non2xx=$(val errors_status); etimeout=$(val errors_timeout)
econn=$(val errors_connect); eread=$(val errors_read); ewrite=$(val errors_write)
if [ -z "$rps" ] || [ -z "$p99" ]; then die "could not parse wrk output"; fi
rss_mb=$(awk -v a="$hwm_mb" -v b="$sampled_mb" 'BEGIN{printf "%.1f", (a>b)?a:b}')

verdict() { bench_verdict "$@"; }
g_rps=$(verdict "$rps" "$GOAL_RPS" ge); g_p99=$(verdict "$p99" "$GOAL_P99_MS" le); g_rss=$(verdict "$rss_mb" "$GOAL_RSS_MB" le)
errors_total=$((non2xx + etimeout + econn + eread + ewrite))
overall=OK
for g in "$g_rps" "$g_p99" "$g_rss"; do [ "$g" = OK ] || overall=MISSED; done
[ "$errors_total" -eq 0 ] || overall="INVALID (errors)"
[ "${reqs:-0}" -gt 0 ] || overall="INVALID (no requests)"

STAMP=$(date -u +%Y%m%dT%H%M%SZ)
mkdir -p "$REPO/bench/results"
RESULT="$REPO/bench/results/me-$STAMP.txt"
{
  echo "== Vigor bench: GET /api/me (authenticated, $USERS users) =="
  echo "date:        $(date -u '+%Y-%m-%d %H:%M:%S UTC')  commit: $(git rev-parse --short HEAD 2>/dev/null || echo n/a)"
  echo "machine:     $(bench_machine)"
  echo "loadavg:     before $LOAD_BEFORE; after $LOAD_AFTER (1/5/15 min)"
  echo "load:        wrk -t$THREADS -c$CONNS -d$DURATION (after ${WARMUP} warm-up), $BASE/api/me"
  echo "requests:    $reqs (errors: non-2xx $non2xx, timeout $etimeout, connect $econn, read $eread, write $ewrite)"
  printf 'requests/s:  %-12s goal >= %-8s %s\n' "$rps" "$GOAL_RPS" "$g_rps"
  printf 'p50 latency: %s ms\n' "$p50"
  printf 'p95 latency: %s ms\n' "$p95"
  printf 'p99 latency: %-12s goal <= %-8s %s\n' "$p99 ms" "$GOAL_P99_MS ms" "$g_p99"
  printf 'max latency: %s ms\n' "$maxms"
  printf 'peak RSS:    %-12s goal <= %-8s %s   (VmHWM; max sampled VmRSS %s MB)\n' "$rss_mb MB" "$GOAL_RSS_MB MB" "$g_rss" "$sampled_mb"
  echo "goals:       $overall"
  echo
  echo "---- wrk output ----"
  cat "$WRK_OUT"
} > "$RESULT"

echo
sed -n '1,/^goals:/p' "$RESULT"
echo "saved:       ${RESULT#"$REPO"/}"

if [ "$errors_total" -ne 0 ]; then exit 1; fi
if [ "$STRICT" = 1 ] && [ "$overall" != OK ]; then exit 1; fi
exit 0

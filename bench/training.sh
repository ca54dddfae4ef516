#!/usr/bin/env bash
# Benchmark the training endpoints against the local host (Vigor.LocalHost, Release):
#   Run B: GET /api/progress?weeks=12 for users with a year of logs (~200 sessions each)
#   Run A: POST /api/workouts/logs for the same users (performedAt within the last year)
# See bench/README.md. Everything runs on 127.0.0.1 and is bounded in time (~2-3 min
# after the build). B runs before A so that both start on users with ~200 sessions
# (A only adds sessions).
#
#   bench/training.sh
#
# Environment: VIGOR_BENCH_PORT [7081], VIGOR_BENCH_USERS [32], VIGOR_BENCH_SESSIONS [200],
#   VIGOR_BENCH_DURATION [20s], VIGOR_BENCH_WARMUP [5s], VIGOR_BENCH_THREADS [2],
#   VIGOR_BENCH_CONNECTIONS [32], VIGOR_BENCH_STRICT [0] (1 = exit 1 when a goal is missed),
#   plus the VIGOR_PG_PORT / VIGOR_AZURITE_*_PORT variables of scripts/services.sh.
set -euo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)
cd "$REPO"

PORT="${VIGOR_BENCH_PORT:-7081}"
USERS="${VIGOR_BENCH_USERS:-32}"
SESSIONS="${VIGOR_BENCH_SESSIONS:-200}"
DURATION="${VIGOR_BENCH_DURATION:-20s}"
WARMUP="${VIGOR_BENCH_WARMUP:-5s}"
THREADS="${VIGOR_BENCH_THREADS:-2}"
CONNS="${VIGOR_BENCH_CONNECTIONS:-32}"
STRICT="${VIGOR_BENCH_STRICT:-0}"
GOAL_LOG_RPS=2000 GOAL_LOG_P99_MS=30 GOAL_PROGRESS_P95_MS=20
PROGRESS_PATH="/api/progress?weeks=12"
LOG_PATH="/api/workouts/logs"
# shellcheck source=bench/lib.sh
. "$REPO/bench/lib.sh"
# shellcheck source=bench/training-lib.sh
. "$REPO/bench/training-lib.sh"

bench_prereqs
bench_init
bench_services_and_build
bench_start_host

TOKENS="$WORK/tokens.txt"
bench_register_users "$USERS" "$TOKENS"

# ------------------------------------------------------------------ exercises + seed data
training_seed

# ------------------------------------------------------------------ wrk scripts
# Both count the answers by status (expected: 200 for progress, 201 for logs).

PROGRESS_LUA="$WORK/progress.lua"
{
  bench_lua_tokens "$TOKENS"
  cat <<EOF
EXPECTED = 200
init = function(args) seed_thread() end
request = function()
  return wrk.format("GET", "$PROGRESS_PATH", { ["Authorization"] = "Bearer " .. next_token() })
end
EOF
  bench_lua_done
  lua_status_counts
} > "$PROGRESS_LUA"

LOG_LUA="$WORK/logs.lua"
training_log_lua "$LOG_LUA"

# Sanity: one request of each through the generated scripts would need wrk; instead check
# one hand-made log body so that a 4xx shows up before the measured run.
code=$(curl -s -o "$WORK/log.json" -w '%{http_code}' --max-time 10 -H "Authorization: Bearer $first_token" \
  -H 'Content-Type: application/json' -X POST "$BASE$LOG_PATH" \
  --data "{\"performedAt\":\"$(date -u -d '-3 days' +%Y-%m-%dT%H:%M:%S.123Z)\",\"durationMinutes\":60,\"exercises\":[{\"exerciseId\":\"${EXERCISES%% *}\",\"sets\":[{\"reps\":5,\"weightKg\":60.0,\"rir\":2}]}]}" || true)
[ "$code" = 201 ] || die "POST $LOG_PATH returned HTTP $code: $(head -c 500 "$WORK/log.json" 2>/dev/null)"

# ------------------------------------------------------------------ runs
# run NAME LUA PATH: warm-up, then the measured run; leaves WRK_OUT_<NAME>, RSS_<NAME>, LOAD_<NAME>, CPU_<NAME>.
run() {
  local name=$1 lua=$2 path=$3 out="$WORK/wrk-$1.txt"
  log "[$name] warming up ($WARMUP)"
  wrk -t"$THREADS" -c"$CONNS" -d"$WARMUP" -s "$lua" "$BASE$path" >/dev/null
  bench_rss_start
  local before
  before=$(bench_load)
  bench_cpu_begin  # bench/lib.sh: the machine's, the host's and PostgreSQL's CPU during the run
  log "[$name] running wrk -t$THREADS -c$CONNS -d$DURATION --latency $path"
  wrk -t"$THREADS" -c"$CONNS" -d"$DURATION" --latency --timeout 5s -s "$lua" "$BASE$path" | tee "$out" >&2
  bench_cpu_end "$(bench_val "$out" requests)"
  printf -v "CPU_$name" '%s' "$CPU_LINE; per request $CPU_PER_REQ"
  bench_rss_stop
  printf -v "LOAD_$name" '%s' "before $before; after $(bench_load)"
  printf -v "RSS_$name" '%s' "$RSS_SAMPLED_MB"
  bench_host_alive
}

run progress "$PROGRESS_LUA" "$PROGRESS_PATH"
run logs "$LOG_LUA" "$LOG_PATH"
# VmHWM, or the highest sampled VmRSS when that is higher (sampling and rounding differ slightly).
# shellcheck disable=SC2154  # RSS_progress / RSS_logs are set by run() via printf -v
hwm_mb=$(awk -v a="$(bench_hwm_mb)" -v b="$RSS_progress" -v c="$RSS_logs" 'BEGIN{m=a; if(b>m)m=b; if(c>m)m=c; printf "%.1f", m}')

# ------------------------------------------------------------------ report
errors_total=0 overall=OK
# block NAME TITLE: prints the figures of one run; adds to errors_total.
block() {
  local name=$1 out="$WORK/wrk-$1.txt" rps p50 p95 p99 maxms reqs non2xx eto ec er ew sexp soth errs
  val() { bench_val "$out" "$1"; }
  rps=$(val rps); p50=$(val p50_ms); p95=$(val p95_ms); p99=$(val p99_ms); maxms=$(val max_ms)
  reqs=$(val requests); non2xx=$(val errors_status); eto=$(val errors_timeout)
  ec=$(val errors_connect); er=$(val errors_read); ew=$(val errors_write)
  sexp=$(val status_expected); soth=$(val status_other)
  if [ -z "$rps" ] || [ -z "$p99" ]; then die "could not parse wrk output of run $name"; fi
  errs=$((non2xx + eto + ec + er + ew + ${soth:-0}))
  [ "${reqs:-0}" -gt 0 ] || errs=$((errs + 1)) # a run that got no answer at all measured nothing
  errors_total=$((errors_total + errs))
  local load_var="LOAD_$name" rss_var="RSS_$name" cpu_var="CPU_$name" g_rps='' g_p95='' g_p99=''
  if [ "$name" = logs ]; then
    g_rps=$(bench_verdict "$rps" "$GOAL_LOG_RPS" ge); g_p99=$(bench_verdict "$p99" "$GOAL_LOG_P99_MS" le)
    [ "$g_rps" = OK ] && [ "$g_p99" = OK ] || overall=MISSED
    echo "== Run A: POST $LOG_PATH ($USERS users, ~$SESSIONS sessions each at the start) =="
  else
    g_p95=$(bench_verdict "$p95" "$GOAL_PROGRESS_P95_MS" le)
    [ "$g_p95" = OK ] || overall=MISSED
    echo "== Run B: GET $PROGRESS_PATH ($USERS users with $SESSIONS sessions over the past year) =="
  fi
  echo "load:        wrk -t$THREADS -c$CONNS -d$DURATION (after ${WARMUP} warm-up)"
  echo "loadavg:     ${!load_var} (1/5/15 min)"
  echo "cpu:         ${!cpu_var}"
  echo "requests:    $reqs (expected status $sexp, other status $soth; errors: non-2xx $non2xx, timeout $eto, connect $ec, read $er, write $ew)"
  if [ -n "$g_rps" ]; then printf 'requests/s:  %-12s goal >= %-8s %s\n' "$rps" "$GOAL_LOG_RPS" "$g_rps"; else printf 'requests/s:  %s\n' "$rps"; fi
  printf 'p50 latency: %s ms\n' "$p50"
  if [ -n "$g_p95" ]; then printf 'p95 latency: %-12s goal <= %-8s %s\n' "$p95 ms" "$GOAL_PROGRESS_P95_MS ms" "$g_p95"; else printf 'p95 latency: %s ms\n' "$p95"; fi
  if [ -n "$g_p99" ]; then printf 'p99 latency: %-12s goal <= %-8s %s\n' "$p99 ms" "$GOAL_LOG_P99_MS ms" "$g_p99"; else printf 'p99 latency: %s ms\n' "$p99"; fi
  printf 'max latency: %s ms\n' "$maxms"
  printf 'RSS:         %s MB (max sampled VmRSS during the run)\n' "${!rss_var}"
  echo
}

STAMP=$(date -u +%Y%m%dT%H%M%SZ)
mkdir -p "$REPO/bench/results"
RESULT="$REPO/bench/results/training-$STAMP.txt"
block progress > "$WORK/block-progress.txt"
block logs > "$WORK/block-logs.txt"
[ "$errors_total" -eq 0 ] || overall="INVALID (errors)"
{
  echo "== Vigor bench: training (POST /api/workouts/logs, GET /api/progress?weeks=12) =="
  echo "date:        $(date -u '+%Y-%m-%d %H:%M:%S UTC')  commit: $(git rev-parse --short HEAD 2>/dev/null || echo n/a)"
  echo "machine:     $(bench_machine)"
  echo "seed:        $USERS users x $SESSIONS sessions (4 exercises x 3 sets) in ${SEED_SECS}s; exercises $EXERCISES"
  echo
  cat "$WORK/block-logs.txt" "$WORK/block-progress.txt"
  echo "peak RSS:    $hwm_mb MB (host VmHWM / max sampled VmRSS over the whole run, seeding included)"
  echo "goals:       $overall"
  echo
  echo "---- wrk output: Run A (logs) ----"
  cat "$WORK/wrk-logs.txt"
  echo
  echo "---- wrk output: Run B (progress) ----"
  cat "$WORK/wrk-progress.txt"
} > "$RESULT"

echo
sed -n '1,/^goals:/p' "$RESULT"
echo "saved:       ${RESULT#"$REPO"/}"

if [ "$errors_total" -ne 0 ]; then exit 1; fi
if [ "$STRICT" = 1 ] && [ "$overall" != OK ]; then exit 1; fi
exit 0

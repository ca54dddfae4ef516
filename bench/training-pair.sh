#!/usr/bin/env bash
# Paired A/B runs of POST /api/workouts/logs (bench/README.md, "Paired runs"): two hosts on the same database, A on
# VIGOR_BENCH_PORT and B on VIGOR_BENCH_PORT+2, both warmed up, then PAIR_ROUNDS rounds alternating A B, B A, ... of
# wrk -t2 -c32 with the Lua script of bench/training.sh. Both hosts see the same data at nearly the same moment, so
# a pair says more than two bench/training.sh runs minutes apart on a shared machine.
#
#   PAIR_A_ARGS="--Workouts:LogBatch:Enabled=false" bench/training-pair.sh         # settings A vs B (B: defaults)
#   PAIR_A_DIR=/tmp/old-build bench/training-pair.sh                               # another build (a copy of
#                                                       # Vigor.LocalHost/bin/Release/net10.0) vs this checkout
#
# Environment: PAIR_A_ARGS, PAIR_B_ARGS, PAIR_A_DIR, PAIR_B_DIR, PAIR_ROUNDS [3], and those of bench/training.sh
#   (VIGOR_BENCH_DURATION here defaults to 15s). One line per run: requests/s, latencies, the cores of the machine,
#   the host under test, PostgreSQL, everything else (the idle host and wrk are also given), and CPU per request.
set -euo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)
cd "$REPO"

PORT="${VIGOR_BENCH_PORT:-7081}"
USERS="${VIGOR_BENCH_USERS:-32}"
SESSIONS="${VIGOR_BENCH_SESSIONS:-200}"
DURATION="${VIGOR_BENCH_DURATION:-15s}"
WARMUP="${VIGOR_BENCH_WARMUP:-5s}"
THREADS="${VIGOR_BENCH_THREADS:-2}"
CONNS="${VIGOR_BENCH_CONNECTIONS:-32}"
PROGRESS_PATH="/api/progress?weeks=12"
LOG_PATH="/api/workouts/logs"
# shellcheck source=bench/lib.sh
. "$REPO/bench/lib.sh"
# shellcheck source=bench/training-lib.sh
. "$REPO/bench/training-lib.sh"

bench_prereqs
[ -x /usr/bin/time ] || die "/usr/bin/time is required (apt-get install time)"
bench_init
bench_services_and_build

# ------------------------------------------------------------------ two hosts on the same database
PORT_A=$PORT PORT_B=$((PORT + 2))
start_variant() { # NAME PORT ARGS DLLDIR
  PORT=$2; BASE="http://127.0.0.1:$PORT"; VIGOR_BENCH_HOST_ARGS="$3"
  if [ -n "$4" ]; then DLL="$4/Vigor.LocalHost.dll"; fi
  HOST_EXTRA_ARGS=(); bench_start_host; printf -v "PID_$1" '%s' "$HOST_PID"
}
DLL0=$DLL
start_variant A "$PORT_A" "${PAIR_A_ARGS:-}" "${PAIR_A_DIR:-}"; mv "$WORK/host.log" "$WORK/hostA.log"; HOST_LOG="$WORK/hostA.log"
DLL=$DLL0
trap 'kill -TERM $PID_A $PID_B 2>/dev/null; bench_cleanup' EXIT
start_variant B "$PORT_B" "${PAIR_B_ARGS:-}" "${PAIR_B_DIR:-}"
PORT=$PORT_A; BASE="http://127.0.0.1:$PORT"; HOST_PID=$PID_A

TOKENS="$WORK/tokens.txt"
bench_register_users "$USERS" "$TOKENS"

# ------------------------------------------------------------------ exercises + seed data
training_seed
log "seeded in ${SEED_SECS}s"

# ------------------------------------------------------------------ wrk script (run A of bench/training.sh)
LOG_LUA="$WORK/logs.lua"
training_log_lua "$LOG_LUA"

ROUNDS="${PAIR_ROUNDS:-3}"
SECS=${DURATION%s}
HZ=$(getconf CLK_TCK)
# Host A served the seeding; warm B (and A again) the same way before the first measured round.
for p in "$PORT_B" "$PORT_A" "$PORT_B"; do
  wrk -t"$THREADS" -c"$CONNS" -d"$WARMUP" -s "$LOG_LUA" "http://127.0.0.1:$p$LOG_PATH" >/dev/null
done
for r in $(seq 1 "$ROUNDS"); do
  order="A B"; [ $((r % 2)) = 0 ] && order="B A"
  for v in $order; do
    pv="PID_$v"; HOST_PID=${!pv}; [ "$v" = A ] && PORT=$PORT_A || PORT=$PORT_B
    wrk -t"$THREADS" -c"$CONNS" -d"$WARMUP" -s "$LOG_LUA" "http://127.0.0.1:$PORT$LOG_PATH" >/dev/null
    out="$WORK/wrk-$r-$v.txt"; before=$(bench_load)
    [ "$v" = A ] && OTHER=$PID_B || OTHER=$PID_A
    o0=$(bench_cpu_jiffies "$OTHER")
    bench_cpu_begin
    /usr/bin/time -f "%U %S" -o "$WORK/wrktime" wrk -t"$THREADS" -c"$CONNS" -d"$DURATION" --latency --timeout 5s -s "$LOG_LUA" "http://127.0.0.1:$PORT$LOG_PATH" > "$out"
    bench_cpu_end "$(bench_val "$out" requests)"
    o1=$(bench_cpu_jiffies "$OTHER")
    CPU_LINE="$CPU_LINE; idle host $(awk -v j=$((o1 - o0)) -v hz="$HZ" -v s="$SECS" 'BEGIN{printf "%.2f", j/hz/s}') cores; wrk $(awk -v s="$SECS" '{printf "%.2f", ($1+$2)/s}' "$WORK/wrktime") cores"
    printf 'round %s %s: %s req/s, p50 %s p95 %s p99 %s max %s ms; other status %s; %s; %s; load %s -> %s\n' "$r" "$v" \
      "$(bench_val "$out" rps)" "$(bench_val "$out" p50_ms)" "$(bench_val "$out" p95_ms)" "$(bench_val "$out" p99_ms)" "$(bench_val "$out" max_ms)" \
      "$(bench_val "$out" status_other)" "$CPU_LINE" "$CPU_PER_REQ" "$before" "$(bench_load)"
  done
done

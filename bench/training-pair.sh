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
first_token=$(head -n1 "$TOKENS")
code=$(curl -s -o "$WORK/exercises.json" -w '%{http_code}' --max-time 5 -H "Authorization: Bearer $first_token" \
  "$BASE/api/exercises?equipment=barbell&limit=20" || true)
[ "$code" = 200 ] || die "GET /api/exercises returned HTTP $code: $(head -c 500 "$WORK/exercises.json" 2>/dev/null)"
# shellcheck disable=SC2016  # JavaScript template literals, not shell
EXERCISES=$(node -e '
const ids = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8")).items.map(e => e.id).slice(0, 8);
if (ids.length < 4) { console.error(`only ${ids.length} barbell exercises`); process.exit(1); }
console.log(ids.join(" "));' "$WORK/exercises.json") || die "could not read exercise ids"
log "exercises: $EXERCISES"

log "profiles + seeding $SESSIONS sessions over the past year for each of $USERS users"
seed_start=$SECONDS
# shellcheck disable=SC2016  # JavaScript template literals, not shell
BASE="$BASE" SESSIONS="$SESSIONS" EXERCISES="$EXERCISES" timeout 600 node --input-type=module -e '
import { readFileSync } from "node:fs";
const { BASE } = process.env; const sessions = Number(process.env.SESSIONS);
const ids = process.env.EXERCISES.split(" ");
const tokens = readFileSync(process.argv[1], "utf8").split("\n").filter(Boolean);
async function call(method, path, token, body, expect) {
  const res = await fetch(`${BASE}${path}`, { method, body: JSON.stringify(body), signal: AbortSignal.timeout(30000),
    headers: { "content-type": "application/json", authorization: `Bearer ${token}` } });
  const text = await res.text();
  if (res.status !== expect) { console.error(`${method} ${path} -> HTTP ${res.status} ${text.slice(0, 500)}`); process.exit(1); }
}
const profile = { fitnessLevel: "intermediate", equipment: ["barbell", "dumbbells", "bench"], goals: ["strength"],
                  daysPerWeek: 4, sessionMinutes: 60 };
for (const t of tokens) await call("PUT", "/api/me/profile", t, profile, 200);
// ~200 sessions spread over the last 364 days, oldest first, with slowly rising loads;
// two alternating workouts of 4 exercises x 3 sets.
const now = Date.now(), day = 86400000, jobs = [];
for (const t of tokens)
  for (let k = 0; k < sessions; k++) {
    const at = new Date(now - 364 * day + (k + 0.5) * (364 * day / sessions) + Math.floor(Math.random() * 3600000));
    const half = k % 2, base = 40 + 25 * k / sessions;
    const exercises = [0, 1, 2, 3].map(j => ({
      exerciseId: ids[(half * 4 + j) % ids.length],
      sets: [0, 1, 2].map(s => ({ reps: 5 + ((k + s) % 4), weightKg: Math.round((base + 5 * j) * 2) / 2, rir: 1 + (s % 3) })) }));
    jobs.push([t, { performedAt: at.toISOString(), durationMinutes: 60, exercises }]);
  }
let next = 0;
await Promise.all(Array.from({ length: 16 }, async () => {
  while (next < jobs.length) { const [t, body] = jobs[next++]; await call("POST", "/api/workouts/logs", t, body, 201); }
}));
console.error(`[bench] seeded ${jobs.length} sessions`);
' "$TOKENS" || die "seeding failed"
log "seeded in $((SECONDS - seed_start))s"

code=$(curl -s -o "$WORK/progress.json" -w '%{http_code} %{time_total}' --max-time 10 -H "Authorization: Bearer $first_token" "$BASE$PROGRESS_PATH" || true)
[ "${code%% *}" = 200 ] || die "GET $PROGRESS_PATH returned HTTP $code: $(head -c 500 "$WORK/progress.json" 2>/dev/null)"
log "GET $PROGRESS_PATH: HTTP 200 in ${code#* }s, $(wc -c < "$WORK/progress.json") bytes"

# ------------------------------------------------------------------ wrk scripts
# Both count the answers by status (expected: 200 for progress, 201 for logs).
lua_status_counts() {
  cat <<'EOF'
local threads = {}
setup = function(thread) table.insert(threads, thread) end
expected, other = 0, 0
response = function(status, headers, body)
  if status == EXPECTED then expected = expected + 1 else other = other + 1 end
end
local base_done = done
done = function(summary, latency, requests)
  base_done(summary, latency, requests)
  local e, o = 0, 0
  for _, t in ipairs(threads) do e = e + t:get("expected"); o = o + t:get("other") end
  io.write(string.format("BENCH status_expected=%d status_other=%d\n", e, o))
end
EOF
}

LOG_LUA="$WORK/logs.lua"
{
  bench_lua_tokens "$TOKENS"
  # shellcheck disable=SC2086  # one word per exercise id
  echo "local ids = { $(printf '"%s", ' $EXERCISES) }"
  cat <<EOF
EXPECTED = 201
init = function(args) seed_thread() end
request = function()
  -- performedAt: a random moment within the last year (1 h .. 364 d ago), with milliseconds
  local at = os.time() - math.random(3600, 364 * 86400)
  local when = os.date("!%Y-%m-%dT%H:%M:%S", at) .. string.format(".%03dZ", math.random(0, 999))
  local ex = {}
  local first = math.random(#ids)
  for j = 0, 3 do
    local w = math.random(80, 130) / 2
    ex[#ex + 1] = string.format(
      '{"exerciseId":"%s","sets":[{"reps":%d,"weightKg":%.1f,"rir":2},{"reps":%d,"weightKg":%.1f,"rir":2},{"reps":%d,"weightKg":%.1f,"rir":1}]}',
      ids[(first + j - 1) % #ids + 1], math.random(5, 8), w, math.random(5, 8), w, math.random(4, 8), w)
  end
  local body = string.format('{"performedAt":"%s","durationMinutes":60,"exercises":[%s]}', when, table.concat(ex, ","))
  return wrk.format("POST", "$LOG_PATH",
    { ["Authorization"] = "Bearer " .. next_token(), ["Content-Type"] = "application/json" }, body)
end
EOF
  bench_lua_done
  lua_status_counts
} > "$LOG_LUA"

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

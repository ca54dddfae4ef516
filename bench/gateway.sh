#!/usr/bin/env bash
# Benchmark the LLM gateway: POST /api/coach/messages through the local host (HTTP, Durable orchestration,
# Table Storage counters, PostgreSQL ledger, the real OpenAI SDK) against a fake OpenAI server that answers
# at once (bench/fake-openai.mjs). Gateway overhead = end-to-end latency minus the provider call latency
# the gateway itself recorded in the ledger. See bench/README.md. Loopback only, bounded in time.
#
#   bench/gateway.sh
#
# Environment: VIGOR_BENCH_PORT [7083] (the fake uses PORT+1), VIGOR_BENCH_USERS [64],
#   VIGOR_BENCH_DURATION [20s], VIGOR_BENCH_WARMUP [10s, at full speed], VIGOR_BENCH_SETTLE_MAX [30, seconds idle at most after it: bench_settle], VIGOR_BENCH_THREADS [2],
#   VIGOR_BENCH_MODE [chat] (chat: POST coach/messages answered by the fake, each message a new conversation; thread: the
#   same, each user going on with one conversation of its own, so every request reads its history; cache: POST workouts/plans/generate
#   answered from the gateway's cache, see bench/README.md), VIGOR_BENCH_CONNECTIONS [16] (the concurrent users), VIGOR_BENCH_THINK_MS [0] (each user's mean pause between getting
#   an answer and sending the next message, drawn from an exponential distribution; 0 = a closed loop at full speed), VIGOR_BENCH_STRICT [0], plus
#   scripts/services.sh's port variables.
set -euo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)
cd "$REPO"

PORT="${VIGOR_BENCH_PORT:-7083}"
FAKE_PORT=$((PORT + 1))
USERS="${VIGOR_BENCH_USERS:-64}"
DURATION="${VIGOR_BENCH_DURATION:-20s}"
WARMUP="${VIGOR_BENCH_WARMUP:-10s}"
THREADS="${VIGOR_BENCH_THREADS:-2}"
CONNS="${VIGOR_BENCH_CONNECTIONS:-16}"
STRICT="${VIGOR_BENCH_STRICT:-0}"
THINK_MS="${VIGOR_BENCH_THINK_MS:-0}"
MODE="${VIGOR_BENCH_MODE:-chat}"
case "$MODE" in chat|thread|cache) ;; *) echo "VIGOR_BENCH_MODE must be chat, thread or cache" >&2; exit 2 ;; esac
GOAL_P50_MS=5 GOAL_P95_MS=15 GOAL_RSS_MB=300
# shellcheck source=bench/lib.sh
. "$REPO/bench/lib.sh"

bench_prereqs
command -v psql >/dev/null 2>&1 || die "psql is required (the postgresql-client package)"
bench_init
FAKE_PID='' PROVIDER_ID='' ADMIN_TOKEN=''
# shellcheck disable=SC2317  # invoked via trap
gateway_cleanup() {
  if [ -n "$PROVIDER_ID" ] && [ -n "$ADMIN_TOKEN" ]; then
    curl -fsS -o /dev/null --max-time 5 -X DELETE -H "Authorization: Bearer $ADMIN_TOKEN" "$BASE/api/admin/providers/$PROVIDER_ID" \
      || log "could not delete the bench provider $PROVIDER_ID"
  fi
  [ -z "$FAKE_PID" ] || kill "$FAKE_PID" 2>/dev/null || true
  bench_cleanup
}
trap gateway_cleanup EXIT
bench_services_and_build
port_open "$FAKE_PORT" && die "port 127.0.0.1:$FAKE_PORT is already in use"
PLAN_REPLY="$WORK/plan-reply.json"
node "$REPO/bench/fake-openai.mjs" "$FAKE_PORT" "$PLAN_REPLY" >"$WORK/fake.log" 2>&1 &
FAKE_PID=$!
HOST_EXTRA_ARGS=(--Llm:AllowHttpEndpoints=true --Jobs:Wait=00:00:10)
# As scripts/run.sh: the in-process Durable backend runs ProcessorCount work items at once (see LocalHostApp).
export DOTNET_PROCESSOR_COUNT="${DOTNET_PROCESSOR_COUNT:-8}"
bench_start_host

TOKENS="$WORK/tokens.txt"
bench_register_users "$USERS" "$TOKENS"

# ------------------------------------------------------------------ provider + tiers through the admin API
ADMIN_PASSWORD=$(node -e 'console.log(JSON.parse(require("fs").readFileSync(process.argv[1], "utf8")).Secrets["admin-password"])' "$REPO/.vigor/dev-secrets.json")
ADMIN_TOKEN=$(curl -fsS --max-time 10 -H 'content-type: application/json' \
  -d "{\"email\":\"admin@vigor.local\",\"password\":\"$ADMIN_PASSWORD\"}" "$BASE/api/auth/login" \
  | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>console.log(JSON.parse(s).accessToken))')
[ -n "$ADMIN_TOKEN" ] || die "admin login failed"
PROVIDER_ID=$(curl -fsS --max-time 10 -H 'content-type: application/json' -H "Authorization: Bearer $ADMIN_TOKEN" \
  -d "{\"name\":\"bench-fake-$RUN_ID\",\"kind\":\"openai\",\"endpoint\":\"http://127.0.0.1:$FAKE_PORT/v1\",\"model\":\"gpt-4o-mini\",\"priority\":1,\"enabled\":true,\"tiers\":[\"free\",\"premium\",\"unlimited\"],\"inputPricePerMillion\":0.01,\"outputPricePerMillion\":0.01,\"timeoutSeconds\":10}" \
  "$BASE/api/admin/providers" | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>console.log(JSON.parse(s).id))')
[ -n "$PROVIDER_ID" ] || die "could not create the bench provider"
curl -fsS -o /dev/null --max-time 10 -X PUT -H 'content-type: application/json' -H "Authorization: Bearer $ADMIN_TOKEN" \
  -d '{"apiKey":"sk-bench-fake-key"}' "$BASE/api/admin/providers/$PROVIDER_ID/secret" || die "could not store the bench provider's key"
log "provider $PROVIDER_ID -> fake on 127.0.0.1:$FAKE_PORT; moving $USERS users to the unlimited tier"
while IFS= read -r t; do
  id=$(node -e 'console.log(JSON.parse(Buffer.from(process.argv[1].split(".")[1],"base64url")).sub)' "$t")
  curl -fsS -o /dev/null --max-time 10 -X PUT -H 'content-type: application/json' -H "Authorization: Bearer $ADMIN_TOKEN" \
    -d '{"tier":"unlimited"}' "$BASE/api/admin/users/$id/tier" || die "could not change the tier of $id"
done < "$TOKENS"

first=$(head -n1 "$TOKENS")
CONVERSATIONS="$WORK/conversations.txt"
if [ "$MODE" != cache ]; then
  TARGET=/api/coach/messages
  probe=$(curl -fsS --max-time 20 -H 'content-type: application/json' -H "Authorization: Bearer $first" \
    -d '{"message":"How many sets should I do for my back?"}' "$BASE$TARGET")
  grep -q "\"source\":\"bench-fake-$RUN_ID\"" <<<"$probe" || die "the probe was not answered by the fake provider: $probe"
  if [ "$MODE" = thread ]; then
    # One conversation per user, begun here; the run goes on with it (its history: the last 10 messages, as the app sends).
    : > "$CONVERSATIONS"
    while IFS= read -r t; do
      curl -fsS --max-time 20 -H 'content-type: application/json' -H "Authorization: Bearer $t" \
        -d '{"message":"I want to get stronger at squats. Where do I start?"}' "$BASE$TARGET" \
        | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>{const id=JSON.parse(s).conversationId;if(!id)process.exit(1);console.log(id)})' \
        >> "$CONVERSATIONS" || die "could not begin a conversation"
    done < "$TOKENS"
    log "began $(wc -l < "$CONVERSATIONS") conversations, one per user"
  fi
else
  # Cache hits: plan generation is the feature whose requests carry nothing personal. Every user gets the same profile,
  # so every request has the same cache key. The fake has no plan yet, so the first request falls back to the offline
  # coach; its plan (valid for this profile) becomes the fake's JSON reply; the second request is answered by the fake,
  # passes the validator and fills the cache; the third must be a cache hit.
  TARGET=/api/workouts/plans/generate
  BASE="$BASE" timeout 300 node --input-type=module -e '
    import { readFileSync } from "node:fs";
    const tokens = readFileSync(process.argv[1], "utf8").split("\n").filter(Boolean);
    const profile = { fitnessLevel: "intermediate", equipment: ["barbell", "dumbbells", "bench"], goals: ["strength"], daysPerWeek: 4, sessionMinutes: 60 };
    for (const t of tokens) {
      const res = await fetch(`${process.env.BASE}/api/me/profile`, { method: "PUT", body: JSON.stringify(profile),
        headers: { "content-type": "application/json", authorization: `Bearer ${t}` } });
      if (res.status !== 200) { console.error(`PUT /api/me/profile -> ${res.status} ${await res.text()}`); process.exit(1); }
    }' "$TOKENS" || die "could not set the bench users' profiles"
  generate() { curl -fsS --max-time 30 -H 'content-type: application/json' -H "Authorization: Bearer $first" -d '{}' "$BASE$TARGET"; }
  # An earlier run on the same database may have left the plan in the cache (llm_cache, 24 h): then it hits at once.
  hit=''
  for step in 1 2 3; do
    answer=$(generate) || die "plan generation failed"
    if grep -q '"source":"cache"' <<<"$answer"; then hit=yes; break; fi
    if grep -q '"source":"offline"' <<<"$answer"; then
      node -e 'const plan = JSON.parse(process.argv[1]);
        if (!Array.isArray(plan.days)) { console.error("no plan in: " + process.argv[1].slice(0, 300)); process.exit(1); }
        process.stdout.write(JSON.stringify({ name: plan.name, goal: plan.goal, days: plan.days.map(d => ({ name: d.name,
          exercises: d.exercises.map(e => ({ exerciseId: e.exerciseId, sets: e.sets, repsMin: e.repsMin, repsMax: e.repsMax,
            targetRir: e.targetRir, restSeconds: e.restSeconds })) })) }));' "$answer" > "$PLAN_REPLY" || die "could not read the offline plan"
    elif ! grep -q "\"source\":\"bench-fake-$RUN_ID\"" <<<"$answer"; then
      die "plan $step was neither offline, the fake's nor a cache hit: ${answer:0:300}"
    fi
  done
  [ -n "$hit" ] || die "no cache hit after three plan requests"
  GOAL_P50_MS=3 GOAL_P95_MS=3
  log "plan generation: offline, then the fake's plan (cached), then a cache hit"
fi

LUA="$WORK/coach.lua"
{
  bench_lua_tokens "$TOKENS"
  cat <<'LUA_EOF'
local n = 0
init = function(args) seed_thread() end
LUA_EOF
  echo "local TARGET = \"$TARGET\""
  if [ "$MODE" = chat ]; then
    echo 'local BODY_FORMAT = "{\"message\":\"How should I progress my squat, question %d-%d?\"}"'
  elif [ "$MODE" = thread ]; then
    echo 'local conversations = {'
    while IFS= read -r c; do printf '  "%s",\n' "$c"; done < "$CONVERSATIONS"
    echo '}'
    echo 'local BODY_FORMAT = "{\"message\":\"How should I progress my squat, question %d-%d?\",\"conversationId\":\"%s\"}"'
  else
    echo 'local BODY_FORMAT = ""'
  fi
  # Think times are exponential with mean THINK_MS (capped at 5x): users are not in step. A constant pause kept the
  # 16 connections in step, so they arrived as bursts of 16 and measured the burst's queue rather than a user's wait.
  [ "$THINK_MS" -gt 0 ] && echo "delay = function() return math.min(5 * $THINK_MS, math.floor(-$THINK_MS * math.log(1 - math.random()))) end"
  cat <<'LUA_EOF'
request = function()
  n = n + 1
  local token = next_token()
  local body = BODY_FORMAT == "" and "{}" or conversations and string.format(BODY_FORMAT, i, n, conversations[i]) or string.format(BODY_FORMAT, i, n)
  return wrk.format("POST", TARGET,
    { ["Authorization"] = "Bearer " .. token, ["Content-Type"] = "application/json" }, body)
end
LUA_EOF
  bench_lua_done
} > "$LUA"

DB_URL=$(bench_db_url)

# The warm-up runs at full speed whatever the think time: with pauses, 5 s was ~80 requests, so the measured window
# still ran methods the JIT had not yet optimised (its tier-1 code comes after 30 calls, on a background thread).
log "warming up ($WARMUP, no think time)"
grep -v '^delay = ' "$LUA" > "$WORK/warm.lua"
wrk -t"$THREADS" -c"$CONNS" -d"$WARMUP" -s "$WORK/warm.lua" "$BASE$TARGET" >/dev/null
bench_settle "${VIGOR_BENCH_SETTLE_MAX:-30}"
log "settled after ${SETTLED_S}s idle (the JIT's tiering done: the host under 3 % of a core)"
FROM=$(psql "$DB_URL" -Atc "SELECT now()")

bench_rss_start
LOAD_BEFORE=$(bench_load)
bench_cpu_begin
log "running wrk -t$THREADS -c$CONNS -d$DURATION --latency"
WRK_OUT="$WORK/wrk.txt"
wrk -t"$THREADS" -c"$CONNS" -d"$DURATION" --latency --timeout 10s -s "$LUA" "$BASE$TARGET" | tee "$WRK_OUT" >&2
bench_cpu_end "$(bench_val "$WRK_OUT" requests)"
bench_rss_stop
LOAD_AFTER=$(bench_load)
bench_host_alive
hwm_mb=$(bench_hwm_mb)

# ------------------------------------------------------------------ provider time from the ledger
read -r calls prov_p50 prov_p95 not_ok <<<"$(psql "$DB_URL" -AtF' ' -c "
  SELECT count(*), coalesce(percentile_cont(0.5) WITHIN GROUP (ORDER BY coalesce(latency_us / 1000.0, latency_ms)), 0),
         coalesce(percentile_cont(0.95) WITHIN GROUP (ORDER BY coalesce(latency_us / 1000.0, latency_ms)), 0),
         count(*) FILTER (WHERE outcome <> 'ok')
  FROM llm_calls WHERE provider_id = '$PROVIDER_ID' AND created_at >= '$FROM'")"

cache_hits=$(psql "$DB_URL" -Atc "SELECT count(*) FROM llm_calls WHERE cache_hit AND created_at >= '$FROM'")

val() { bench_val "$WRK_OUT" "$1"; }
rps=$(val rps); p50=$(val p50_ms); p95=$(val p95_ms); p99=$(val p99_ms); maxms=$(val max_ms)
reqs=$(val requests); non2xx=$(val errors_status); etimeout=$(val errors_timeout)
[ -n "$rps" ] && [ -n "$p95" ] || die "could not parse wrk output"
over_p50=$(awk -v a="$p50" -v b="$prov_p50" 'BEGIN{printf "%.2f", a-b}')
over_p95=$(awk -v a="$p95" -v b="$prov_p95" 'BEGIN{printf "%.2f", a-b}')
rss_mb=$(awk -v a="$hwm_mb" -v b="$RSS_SAMPLED_MB" 'BEGIN{printf "%.1f", (a>b)?a:b}')
g50=$(bench_verdict "$over_p50" "$GOAL_P50_MS" le); g95=$(bench_verdict "$over_p95" "$GOAL_P95_MS" le); grss=$(bench_verdict "$rss_mb" "$GOAL_RSS_MB" le)
overall=OK
for g in "$g50" "$g95" "$grss"; do [ "$g" = OK ] || overall=MISSED; done
[ "$((non2xx + etimeout))" -eq 0 ] || overall="INVALID (errors)"
[ "${reqs:-0}" -gt 0 ] || overall="INVALID (no requests)"

STAMP=$(date -u +%Y%m%dT%H%M%SZ)
mkdir -p "$REPO/bench/results"
RESULT="$REPO/bench/results/gateway-$STAMP.txt"
{
  echo "== Vigor bench: POST $TARGET through the gateway ($USERS users, instant fake OpenAI, mode $MODE) =="
  echo "date:        $(date -u '+%Y-%m-%d %H:%M:%S UTC')  commit: $(git rev-parse --short HEAD 2>/dev/null || echo n/a)"
  echo "machine:     $(bench_machine)"
  echo "loadavg:     before $LOAD_BEFORE; after $LOAD_AFTER (1/5/15 min)"
  echo "load:        wrk -t$THREADS -c$CONNS -d$DURATION (after ${WARMUP} warm-up, then ${SETTLED_S}s idle); think time ${THINK_MS} ms"
  echo "cpu:         $CPU_LINE"
  echo "cpu/request: $CPU_PER_REQ"
  echo "requests:    $reqs (non-2xx $non2xx, timeouts $etimeout); provider calls in the ledger: $calls (not ok: $not_ok); cache hits in the ledger: $cache_hits"
  printf 'requests/s:  %s\n' "$rps"
  printf 'end to end:  p50 %s ms, p95 %s ms, p99 %s ms, max %s ms\n' "$p50" "$p95" "$p99" "$maxms"
  printf 'provider:    p50 %.3f ms, p95 %.3f ms (latency of the calls as the gateway measured them: ledger latency_us)\n' "$prov_p50" "$prov_p95"
  printf 'overhead p50: %-10s goal <= %-6s %s\n' "$over_p50 ms" "$GOAL_P50_MS ms" "$g50"
  printf 'overhead p95: %-10s goal <= %-6s %s\n' "$over_p95 ms" "$GOAL_P95_MS ms" "$g95"
  printf 'peak RSS:    %-12s goal <= %-8s %s   (VmHWM; max sampled VmRSS %s MB)\n' "$rss_mb MB" "$GOAL_RSS_MB MB" "$grss" "$RSS_SAMPLED_MB"
  echo "goals:       $overall"
  echo
  echo "---- wrk output ----"
  cat "$WRK_OUT"
} > "$RESULT"

echo
sed -n '1,/^goals:/p' "$RESULT"
echo "saved:       ${RESULT#"$REPO"/}"
[ "$((non2xx + etimeout))" -eq 0 ] || exit 1
if [ "$STRICT" = 1 ] && [ "$overall" != OK ]; then exit 1; fi
exit 0

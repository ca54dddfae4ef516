#!/usr/bin/env bash
# Usage rollup benchmark: 1,000,000 ledger rows (generate_series) in a throwaway database, then one
# POST /admin/functions/RollUpUsage on a Release local host. Prints the wall time of the rollup and the host's
# peak RSS against the goals (60 s, 300 MB), and checks the month's spend (rollup) against SQL.
#
#   bench/rollup.sh            VIGOR_BENCH_ROWS [1000000]  VIGOR_BENCH_USERS [10000]  VIGOR_BENCH_PORT [7082]
set -euo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)
cd "$REPO"

ROWS="${VIGOR_BENCH_ROWS:-1000000}"
USERS="${VIGOR_BENCH_USERS:-10000}"
PORT="${VIGOR_BENCH_PORT:-7082}"
GOAL_SECONDS=60 GOAL_RSS_MB=300
BASE="http://127.0.0.1:$PORT"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

log() { printf '[bench] %s\n' "$*" >&2; }
die() { printf '[bench] ERROR: %s\n' "$*" >&2; exit 1; }
port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

WORK=$(mktemp -d /tmp/vigor-bench-rollup.XXXXXX)
HOST_PID='' SAMPLER_PID='' DB='' PG_URL=''
started=()

cleanup() {
  local rc=$? _
  if [ -n "$SAMPLER_PID" ]; then kill "$SAMPLER_PID" 2>/dev/null || true; wait "$SAMPLER_PID" 2>/dev/null || true; fi
  if [ -n "$HOST_PID" ] && kill -0 "$HOST_PID" 2>/dev/null; then
    kill -TERM "$HOST_PID" 2>/dev/null || true
    for _ in $(seq 1 50); do kill -0 "$HOST_PID" 2>/dev/null || break; sleep 0.2; done
    kill -KILL "$HOST_PID" 2>/dev/null || true
    wait "$HOST_PID" 2>/dev/null || true
  fi
  if [ -n "$DB" ]; then psql "$PG_URL/postgres" -qc "DROP DATABASE IF EXISTS \"$DB\" WITH (FORCE)" >/dev/null 2>&1 || true; fi
  for s in "${started[@]}"; do scripts/services.sh stop "$s" || true; done
  rm -rf "$WORK"
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

command -v psql >/dev/null 2>&1 || die "psql is required (the postgresql-client package)"
scripts/services.sh status pg >/dev/null 2>&1 || started+=(pg)
scripts/services.sh status azurite >/dev/null 2>&1 || started+=(azurite)
scripts/services.sh start >/dev/null
node scripts/dev-secrets.mjs >&2
. "$REPO/.vigor/env"

log "building Vigor.LocalHost (Release)"
dotnet build Vigor.LocalHost -c Release -nologo -v q -clp:ErrorsOnly >&2 || die "build failed"
DLL="$REPO/Vigor.LocalHost/bin/Release/net10.0/Vigor.LocalHost.dll"
port_open "$PORT" && die "port 127.0.0.1:$PORT is already in use; set VIGOR_BENCH_PORT=<port>"

RUN_ID="$(date -u +%Y%m%d%H%M%S)$(od -An -N2 -tx1 /dev/urandom | tr -d ' \n')"
DB="vigor_bench_rollup_$RUN_ID"
DB_CS="${Database__ConnectionString%Database=*}Database=$DB"
PG_URL="$(sed -E 's/.*Host=([^;]+);Port=([^;]+);Username=([^;]+);.*/postgresql:\/\/\3@\1:\2/' <<<"$VIGOR_TEST_PG")"
DB_URL="$PG_URL/$DB"
psql "$PG_URL/postgres" -qc "CREATE DATABASE \"$DB\"" >/dev/null

HOST_LOG="$WORK/host.log"
log "starting host on $BASE (database $DB)"
(cd "$REPO/Vigor.LocalHost/bin/Release/net10.0" && exec dotnet "$DLL" \
  --urls "$BASE" \
  --LocalHost:SecretsFile="$REPO/.vigor/dev-secrets.json" \
  --Admin:Email=admin@vigor.local \
  --Database:ConnectionString="$DB_CS" \
  --Storage:TablePrefix="bench$RUN_ID" \
  --Timers:UsageRollupSchedule="0 0 0 1 1 *" \
  --Timers:BudgetWatchSchedule="0 0 0 1 1 *" \
  --Logging:LogLevel:Default=Warning \
  --Logging:LogLevel:Vigor.Functions.Usage=Information) >"$HOST_LOG" 2>&1 </dev/null &
HOST_PID=$!
deadline=$((SECONDS + 90))
until curl -fsS -o /dev/null --max-time 2 "$BASE/api/health" 2>/dev/null; do
  kill -0 "$HOST_PID" 2>/dev/null || { cat "$HOST_LOG" >&2; die "host exited during startup"; }
  [ "$SECONDS" -lt "$deadline" ] || { tail -n 50 "$HOST_LOG" >&2; die "host did not answer within 90s"; }
  sleep 0.25
done

# Thirty days up to now, in id order as a live ledger is: USERS users over three tiers, a tenth cache hits, a fifth
# of the requests failing over to a second attempt (the offline coach), three paid providers.
log "inserting $ROWS ledger rows ($USERS users, last 30 days)"
insert_start=$SECONDS
psql "$DB_URL" -v ON_ERROR_STOP=1 -q <<SQL
INSERT INTO llm_calls (job_id, attempt, user_id, tier, feature, provider_id, provider_kind, model, input_tokens, output_tokens,
                       cost_usd, latency_ms, outcome, cache_hit, created_at)
SELECT 'bench-' || i, a.attempt,
       ('00000000-0000-4000-8000-' || lpad(to_hex(u), 12, '0'))::uuid,
       (ARRAY['free', 'premium', 'unlimited'])[1 + u % 3],
       (ARRAY['coach_chat', 'plan_generation', 'workout_analysis'])[1 + (i / 7) % 3],
       CASE WHEN cache THEN NULL WHEN a.attempt = 2 THEN '00000000-0000-0000-0000-00000000c0ac'::uuid
            ELSE ('0b000000-0000-0000-0000-00000000000' || (1 + i % 3))::uuid END,
       CASE WHEN cache THEN 'cache' WHEN a.attempt = 2 THEN 'offline' ELSE 'openai' END, 'bench-model',
       CASE WHEN cache THEN 0 ELSE 200 + i % 1800 END, CASE WHEN cache THEN 0 ELSE 50 + i % 700 END,
       CASE WHEN cache OR a.attempt = 2 THEN 0 ELSE (1 + i % 9000) / 1000000.0 END,
       100, CASE WHEN a.attempt = 2 THEN 'ok' WHEN fails THEN 'error' ELSE 'ok' END, cache,
       now() - interval '30 days' + least(1, i / ($ROWS / 1.2)) * interval '30 days'
FROM generate_series(1, $ROWS) AS i,
     LATERAL (SELECT (hashint4(i) & 2147483647) % $USERS AS u, i % 10 = 0 AS cache, i % 5 = 1 AS fails) AS r,
     LATERAL (SELECT 1 AS attempt UNION ALL SELECT 2 WHERE r.fails AND NOT r.cache) AS a
LIMIT $ROWS;
VACUUM ANALYZE llm_calls;
SQL
rows=$(psql "$DB_URL" -Atc "SELECT count(*) FROM llm_calls")
log "inserted $rows rows in $((SECONDS - insert_start)) s"

RSS_FILE="$WORK/rss.txt"
base_kb=$(awk '/^VmRSS:/{print $2}' "/proc/$HOST_PID/status")
( max=0; while kill -0 "$HOST_PID" 2>/dev/null; do
    kb=$(awk '/^VmRSS:/{print $2}' "/proc/$HOST_PID/status" 2>/dev/null || echo 0)
    [ "${kb:-0}" -gt "$max" ] && max=$kb; echo "$max" > "$RSS_FILE"; sleep 0.25
  done ) &
SAMPLER_PID=$!

log "rolling up"
t0=$(date +%s.%N)
code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 900 -XPOST "$BASE/admin/functions/RollUpUsage")
t1=$(date +%s.%N)
[ "$code" = 202 ] || { tail -n 50 "$HOST_LOG" >&2; die "RollUpUsage answered HTTP $code"; }
hwm_kb=$(awk '/^VmHWM:/{print $2}' "/proc/$HOST_PID/status")
rolled=$(grep -o 'Rolled up [0-9]* ledger rows in [0-9]* batches' "$HOST_LOG" | tail -1)

# Exactness at scale: this month's spend from the rollups (the budget watch reads them plus any newer ledger rows,
# none here) against SQL over the ledger.
curl -s -o /dev/null --max-time 120 -XPOST "$BASE/admin/functions/WatchBudgets"
watched=$(grep -o 'Budget watch: [0-9.]* USD spent' "$HOST_LOG" | tail -1 | awk '{print $3}')
expected=$(psql "$DB_URL" -Atc "SELECT coalesce(sum(cost_usd), 0) FROM llm_calls WHERE created_at >= date_trunc('month', now() AT TIME ZONE 'UTC') AT TIME ZONE 'UTC'")

seconds=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f", b - a }')
rss_mb=$(awk -v k="$hwm_kb" 'BEGIN { printf "%.1f", k / 1024 }')
base_mb=$(awk -v k="$base_kb" 'BEGIN { printf "%.1f", k / 1024 }')
ok_time=$(awk -v s="$seconds" -v g="$GOAL_SECONDS" 'BEGIN { print (s <= g) ? "OK" : "MISSED" }')
ok_rss=$(awk -v r="$rss_mb" -v g="$GOAL_RSS_MB" 'BEGIN { print (r <= g) ? "OK" : "MISSED" }')
ok_sum=$(awk -v a="$watched" -v b="$expected" 'BEGIN { print (a + 0 == b + 0) ? "OK" : "MISMATCH" }')
mkdir -p bench/results
{
  echo "ledger rows:   $rows ($USERS users, 30 days)"
  echo "rollup:        ${rolled:-?}"
  echo "wall time:     $seconds s      goal <= $GOAL_SECONDS s    $ok_time"
  echo "peak RSS:      $rss_mb MB     goal <= $GOAL_RSS_MB MB   $ok_rss   (host VmHWM; $base_mb MB before the rollup)"
  echo "month spend:   rollup $watched USD, SQL $expected USD   $ok_sum"
} | tee "bench/results/rollup-$RUN_ID.txt"
[ "$ok_sum" = OK ] || exit 1

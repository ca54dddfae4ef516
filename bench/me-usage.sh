#!/usr/bin/env bash
# Benchmark authenticated GET /api/me/usage against the local host (Vigor.LocalHost, Release): the caller's
# requests per day/week/month and spend this month, summed from their ledger rows. See bench/README.md.
#
#   bench/me-usage.sh
#
# Each bench user gets VIGOR_BENCH_LEDGER_MONTH [200] ledger rows this month (a free user's monthly quota) and
# VIGOR_BENCH_LEDGER_OLD [1000] in earlier months, so the query has real rows to sum and old rows to skip; the
# rows are deleted again at the end. Before the run one answer is checked against SQL over the ledger.
#
# Environment: as bench/me.sh (VIGOR_BENCH_PORT [7083] here, VIGOR_BENCH_USERS [50], VIGOR_BENCH_DURATION [20s],
#   VIGOR_BENCH_WARMUP [5s], VIGOR_BENCH_THREADS [2], VIGOR_BENCH_CONNECTIONS [32], VIGOR_BENCH_STRICT [0]).
set -euo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)
cd "$REPO"

PORT="${VIGOR_BENCH_PORT:-7083}"
USERS="${VIGOR_BENCH_USERS:-50}"
DURATION="${VIGOR_BENCH_DURATION:-20s}"
WARMUP="${VIGOR_BENCH_WARMUP:-5s}"
THREADS="${VIGOR_BENCH_THREADS:-2}"
CONNS="${VIGOR_BENCH_CONNECTIONS:-32}"
STRICT="${VIGOR_BENCH_STRICT:-0}"
MONTH_ROWS="${VIGOR_BENCH_LEDGER_MONTH:-200}"
OLD_ROWS="${VIGOR_BENCH_LEDGER_OLD:-1000}"
GOAL_P95_MS=10 GOAL_RSS_MB=250
# shellcheck source=bench/lib.sh
. "$REPO/bench/lib.sh"

bench_prereqs
command -v psql >/dev/null 2>&1 || die "psql is required (the postgresql-client package)"
bench_init
bench_services_and_build
bench_start_host

TOKENS="$WORK/tokens.txt"
bench_register_users "$USERS" "$TOKENS"

# ------------------------------------------------------------------ ledger rows of the bench users
DB_URL=$(bench_db_url)
MONTH_START="(date_trunc('month', now() AT TIME ZONE 'UTC') AT TIME ZONE 'UTC')"
log "seeding ledger rows: $MONTH_ROWS this month and $OLD_ROWS earlier per user"
psql "$DB_URL" -v ON_ERROR_STOP=1 -q <<SQL
INSERT INTO llm_calls (job_id, attempt, user_id, tier, feature, provider_id, provider_kind, model, input_tokens, output_tokens,
                       cost_usd, latency_ms, outcome, cache_hit, created_at)
SELECT 'bench-$RUN_ID-' || u.id || '-' || i, 1, u.id, 'free', 'coach_chat', NULL, 'openai', 'bench-model', 300 + i % 700, 50 + i % 400,
       ((i * 7919) % 20000) / 1000000.0, 100, 'ok', false,
       CASE WHEN i <= $MONTH_ROWS
            THEN $MONTH_START + (now() - $MONTH_START) * (i::float8 / ($MONTH_ROWS + 1))
            ELSE $MONTH_START - make_interval(hours => i) END
FROM users u, generate_series(1, $MONTH_ROWS + $OLD_ROWS) AS i
WHERE u.email LIKE 'bench-$RUN_ID-%';
ANALYZE llm_calls;
SQL
cleanup_ledger() { psql "$DB_URL" -qc "DELETE FROM llm_calls WHERE job_id LIKE 'bench-$RUN_ID-%'" >/dev/null || true; }

first=$(head -n1 "$TOKENS")
spent=$(curl -fsS --max-time 5 -H "Authorization: Bearer $first" "$BASE/api/me/usage" | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>console.log(JSON.parse(s).budget.spentUsd))')
first_id=$(node -e 'const p=process.argv[1].split(".")[1];console.log(JSON.parse(Buffer.from(p,"base64url")).sub)' "$first")
expected=$(psql "$DB_URL" -Atc "SELECT trim_scale(sum(cost_usd)) FROM llm_calls WHERE user_id = '$first_id' AND created_at >= $MONTH_START")
[ "$(printf '%s' "$spent" | sed 's/0*$//;s/\.$//')" = "$(printf '%s' "$expected" | sed 's/0*$//;s/\.$//')" ] \
  || { cleanup_ledger; die "me/usage spentUsd $spent differs from the ledger sum $expected"; }
log "me/usage spentUsd $spent equals the ledger sum"

# ------------------------------------------------------------------ wrk script
LUA="$WORK/me-usage.lua"
{
  bench_lua_tokens "$TOKENS"
  cat <<'EOF2'
init = function(args) seed_thread() end
request = function()
  return wrk.format("GET", "/api/me/usage", { ["Authorization"] = "Bearer " .. next_token() })
end
EOF2
  bench_lua_done
} > "$LUA"

# ------------------------------------------------------------------ run
log "warming up ($WARMUP)"
wrk -t"$THREADS" -c"$CONNS" -d"$WARMUP" -s "$LUA" "$BASE/api/me/usage" >/dev/null

bench_rss_start
LOAD_BEFORE=$(bench_load)
log "running wrk -t$THREADS -c$CONNS -d$DURATION --latency"
WRK_OUT="$WORK/wrk.txt"
wrk -t"$THREADS" -c"$CONNS" -d"$DURATION" --latency --timeout 5s -s "$LUA" "$BASE/api/me/usage" | tee "$WRK_OUT" >&2
bench_rss_stop
LOAD_AFTER=$(bench_load)
bench_host_alive
hwm_mb=$(bench_hwm_mb)
sampled_mb=$RSS_SAMPLED_MB
cleanup_ledger

# ------------------------------------------------------------------ report
val() { bench_val "$WRK_OUT" "$1"; }
rps=$(val rps); p50=$(val p50_ms); p95=$(val p95_ms); p99=$(val p99_ms); maxms=$(val max_ms)
reqs=$(val requests); non2xx=$(val errors_status); etimeout=$(val errors_timeout)
econn=$(val errors_connect); eread=$(val errors_read); ewrite=$(val errors_write)
if [ -z "$rps" ] || [ -z "$p95" ]; then die "could not parse wrk output"; fi
rss_mb=$(awk -v a="$hwm_mb" -v b="$sampled_mb" 'BEGIN{printf "%.1f", (a>b)?a:b}')

g_p95=$(bench_verdict "$p95" "$GOAL_P95_MS" le); g_rss=$(bench_verdict "$rss_mb" "$GOAL_RSS_MB" le)
errors_total=$((non2xx + etimeout + econn + eread + ewrite))
overall=OK
for g in "$g_p95" "$g_rss"; do [ "$g" = OK ] || overall=MISSED; done
[ "$errors_total" -eq 0 ] || overall="INVALID (errors)"
[ "${reqs:-0}" -gt 0 ] || overall="INVALID (no requests)"

STAMP=$(date -u +%Y%m%dT%H%M%SZ)
mkdir -p "$REPO/bench/results"
RESULT="$REPO/bench/results/me-usage-$STAMP.txt"
{
  echo "== Vigor bench: GET /api/me/usage (authenticated, $USERS users, $MONTH_ROWS ledger rows this month + $OLD_ROWS older each) =="
  echo "date:        $(date -u '+%Y-%m-%d %H:%M:%S UTC')  commit: $(git rev-parse --short HEAD 2>/dev/null || echo n/a)"
  echo "machine:     $(bench_machine)"
  echo "loadavg:     before $LOAD_BEFORE; after $LOAD_AFTER (1/5/15 min)"
  echo "load:        wrk -t$THREADS -c$CONNS -d$DURATION (after ${WARMUP} warm-up), $BASE/api/me/usage"
  echo "requests:    $reqs (errors: non-2xx $non2xx, timeout $etimeout, connect $econn, read $eread, write $ewrite)"
  printf 'requests/s:  %s\n' "$rps"
  printf 'p50 latency: %s ms\n' "$p50"
  printf 'p95 latency: %-12s goal <= %-8s %s\n' "$p95 ms" "$GOAL_P95_MS ms" "$g_p95"
  printf 'p99 latency: %s ms\n' "$p99"
  printf 'max latency: %s ms\n' "$maxms"
  printf 'peak RSS:    %-12s goal <= %-8s %s   (VmHWM; max sampled VmRSS %s MB)\n' "$rss_mb MB" "$GOAL_RSS_MB MB" "$g_rss" "$sampled_mb"
  echo "exactness:   spentUsd $spent = ledger sum $expected (first bench user)"
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

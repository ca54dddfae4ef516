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
BASE="http://127.0.0.1:$PORT"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

log() { printf '[bench] %s\n' "$*" >&2; }
die() { printf '[bench] ERROR: %s\n' "$*" >&2; exit 1; }

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# ------------------------------------------------------------------ prerequisites
if ! command -v wrk >/dev/null 2>&1; then
  log "installing wrk (apt)"
  if [ "$(id -u)" -eq 0 ]; then SUDO=(); elif command -v sudo >/dev/null 2>&1; then SUDO=(sudo); else die "wrk missing and no root/sudo to install it"; fi
  "${SUDO[@]}" apt-get update -qq
  "${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null
fi
command -v curl >/dev/null 2>&1 || die "curl is required"
command -v node >/dev/null 2>&1 || die "node is required"

WORK=$(mktemp -d /tmp/vigor-bench.XXXXXX)
HOST_PID='' SAMPLER_PID=''
started=()

# shellcheck disable=SC2317  # invoked via trap
cleanup() {
  local rc=$? _
  if [ -n "$SAMPLER_PID" ]; then kill "$SAMPLER_PID" 2>/dev/null || true; wait "$SAMPLER_PID" 2>/dev/null || true; fi
  if [ -n "$HOST_PID" ] && kill -0 "$HOST_PID" 2>/dev/null; then
    log "stopping host (pid $HOST_PID)"
    kill -TERM "$HOST_PID" 2>/dev/null || true
    for _ in $(seq 1 50); do kill -0 "$HOST_PID" 2>/dev/null || break; sleep 0.2; done
    kill -0 "$HOST_PID" 2>/dev/null && { log "host did not exit in 10s; SIGKILL"; kill -KILL "$HOST_PID" 2>/dev/null || true; }
    wait "$HOST_PID" 2>/dev/null || true
  fi
  for s in "${started[@]}"; do scripts/services.sh stop "$s" || true; done
  rm -rf "$WORK"
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# ------------------------------------------------------------------ services + build
scripts/services.sh status pg >/dev/null 2>&1 || started+=(pg)
scripts/services.sh status azurite >/dev/null 2>&1 || started+=(azurite)
scripts/services.sh start >/dev/null
node scripts/dev-secrets.mjs >&2
# shellcheck source=/dev/null
. "$REPO/.vigor/env"

[ -d Vigor.LocalHost ] || die "Vigor.LocalHost project not found in $REPO"
log "building Vigor.LocalHost (Release)"
dotnet build Vigor.LocalHost -c Release -nologo -v q -clp:ErrorsOnly >&2 || die "build failed"
DLL="$REPO/Vigor.LocalHost/bin/Release/net10.0/Vigor.LocalHost.dll"
[ -f "$DLL" ] || die "$DLL not found after build"

port_open "$PORT" && die "port 127.0.0.1:$PORT is already in use; set VIGOR_BENCH_PORT=<port>"

# ------------------------------------------------------------------ start host
HOST_LOG="$WORK/host.log"
log "starting host on $BASE"
(cd "$REPO/Vigor.LocalHost/bin/Release/net10.0" && exec dotnet "$DLL" \
  --urls "$BASE" \
  --LocalHost:SecretsFile="$REPO/.vigor/dev-secrets.json" \
  --Admin:Email=admin@vigor.local \
  --Auth:Throttle:PerClientPerMinute=100000 \
  --Logging:LogLevel:Default=Warning) >"$HOST_LOG" 2>&1 </dev/null &
HOST_PID=$!

deadline=$((SECONDS + 90))
until curl -fsS -o /dev/null --max-time 2 "$BASE/api/health" 2>/dev/null; do
  if ! kill -0 "$HOST_PID" 2>/dev/null; then cat "$HOST_LOG" >&2; die "host exited during startup"; fi
  if [ "$SECONDS" -ge "$deadline" ]; then tail -n 50 "$HOST_LOG" >&2; die "host did not answer $BASE/api/health within 90s"; fi
  sleep 0.25
done
log "host is healthy (pid $HOST_PID)"

# ------------------------------------------------------------------ users + tokens
RUN_ID="$(date -u +%Y%m%d%H%M%S)-$(od -An -N2 -tx1 /dev/urandom | tr -d ' \n')"
TOKENS="$WORK/tokens.txt"
log "registering $USERS users (run $RUN_ID)"
# shellcheck disable=SC2016  # JavaScript template literals, not shell
BASE="$BASE" RUN_ID="$RUN_ID" USERS="$USERS" node --input-type=module -e '
import { randomBytes } from "node:crypto";
import { writeFileSync } from "node:fs";
const { BASE, RUN_ID } = process.env; const n = Number(process.env.USERS);
const tokens = [];
for (let i = 1; i <= n; i++) {
  const body = { email: `bench-${RUN_ID}-${i}@example.com`, password: `Bx9!${randomBytes(12).toString("base64url")}aZ`,
                 displayName: `Bench ${i}`, birthYear: 1990 };
  const res = await fetch(`${BASE}/api/auth/register`, { method: "POST", headers: { "content-type": "application/json" },
                          body: JSON.stringify(body), signal: AbortSignal.timeout(10000) });
  const text = await res.text();
  let token; try { token = JSON.parse(text).accessToken; } catch {}
  if (!res.ok || typeof token !== "string" || !token) {
    console.error(`register #${i} failed: HTTP ${res.status} ${text.slice(0, 500)}`); process.exit(1);
  }
  tokens.push(token);
}
writeFileSync(process.argv[1], tokens.join("\n") + "\n");
' "$TOKENS" || die "user registration failed"

first_token=$(head -n1 "$TOKENS")
code=$(curl -s -o "$WORK/me.json" -w '%{http_code}' --max-time 5 -H "Authorization: Bearer $first_token" "$BASE/api/me" || true)
[ "$code" = 200 ] || die "GET /api/me with a fresh token returned HTTP $code: $(head -c 500 "$WORK/me.json" 2>/dev/null)"

# ------------------------------------------------------------------ wrk script
LUA="$WORK/me.lua"
{
  echo 'local tokens = {'
  while IFS= read -r t; do printf '  "%s",\n' "$t"; done < "$TOKENS"
  cat <<'EOF'
}
local i = 0
init = function(args)
  math.randomseed(os.time() + tonumber(tostring({}):match("0x(%x+)") or "0", 16) % 100000)
  i = math.random(#tokens) - 1
end
request = function()
  i = i % #tokens + 1
  return wrk.format("GET", "/api/me", { ["Authorization"] = "Bearer " .. tokens[i] })
end
done = function(summary, latency, requests)
  local secs = summary.duration / 1e6
  local e = summary.errors
  io.write(string.format("BENCH requests=%d seconds=%.3f rps=%.1f\n", summary.requests, secs, summary.requests / secs))
  io.write(string.format("BENCH p50_ms=%.3f p95_ms=%.3f p99_ms=%.3f max_ms=%.3f\n",
    latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000, latency.max / 1000))
  io.write(string.format("BENCH errors_connect=%d errors_read=%d errors_write=%d errors_status=%d errors_timeout=%d\n",
    e.connect, e.read, e.write, e.status, e.timeout))
end
EOF
} > "$LUA"

# ------------------------------------------------------------------ run
log "warming up ($WARMUP)"
wrk -t"$THREADS" -c"$CONNS" -d"$WARMUP" -s "$LUA" "$BASE/api/me" >/dev/null

RSS_FILE="$WORK/rss.txt"
(
  max=0
  while kill -0 "$HOST_PID" 2>/dev/null; do
    kb=$(awk '/^VmRSS:/{print $2}' "/proc/$HOST_PID/status" 2>/dev/null || echo 0)
    [ "${kb:-0}" -gt "$max" ] && max=$kb
    echo "$max" > "$RSS_FILE"
    sleep 0.5
  done
) &
SAMPLER_PID=$!

log "running wrk -t$THREADS -c$CONNS -d$DURATION --latency"
WRK_OUT="$WORK/wrk.txt"
wrk -t"$THREADS" -c"$CONNS" -d"$DURATION" --latency --timeout 5s -s "$LUA" "$BASE/api/me" | tee "$WRK_OUT" >&2

kill "$SAMPLER_PID" 2>/dev/null || true; wait "$SAMPLER_PID" 2>/dev/null || true; SAMPLER_PID=
kill -0 "$HOST_PID" 2>/dev/null || { tail -n 50 "$HOST_LOG" >&2; die "host died during the benchmark"; }
hwm_kb=$(awk '/^VmHWM:/{print $2}' "/proc/$HOST_PID/status")
sampled_kb=$(cat "$RSS_FILE" 2>/dev/null || echo 0)

# ------------------------------------------------------------------ report
val() { sed -n "s/^BENCH.*[[:space:]]$1=\([0-9.]*\).*/\1/p" "$WRK_OUT" | head -n1; }
rps=$(val rps); p50=$(val p50_ms); p95=$(val p95_ms); p99=$(val p99_ms); maxms=$(val max_ms)
reqs=$(val requests); non2xx=$(val errors_status); etimeout=$(val errors_timeout)
econn=$(val errors_connect); eread=$(val errors_read); ewrite=$(val errors_write)
if [ -z "$rps" ] || [ -z "$p99" ]; then die "could not parse wrk output"; fi
rss_mb=$(awk -v a="$hwm_kb" -v b="$sampled_kb" 'BEGIN{m=(a>b)?a:b; printf "%.1f", m/1024}')
sampled_mb=$(awk -v b="$sampled_kb" 'BEGIN{printf "%.1f", b/1024}')

verdict() { awk -v v="$1" -v g="$2" -v dir="$3" 'BEGIN{ ok = (dir == "ge") ? (v >= g) : (v <= g); print ok ? "OK" : "MISSED" }'; }
g_rps=$(verdict "$rps" "$GOAL_RPS" ge); g_p99=$(verdict "$p99" "$GOAL_P99_MS" le); g_rss=$(verdict "$rss_mb" "$GOAL_RSS_MB" le)
errors_total=$((non2xx + etimeout + econn + eread + ewrite))
overall=OK
for g in "$g_rps" "$g_p99" "$g_rss"; do [ "$g" = OK ] || overall=MISSED; done
[ "$errors_total" -eq 0 ] || overall="INVALID (errors)"

STAMP=$(date -u +%Y%m%dT%H%M%SZ)
mkdir -p "$REPO/bench/results"
RESULT="$REPO/bench/results/me-$STAMP.txt"
{
  echo "== Vigor bench: GET /api/me (authenticated, $USERS users) =="
  echo "date:        $(date -u '+%Y-%m-%d %H:%M:%S UTC')  commit: $(git rev-parse --short HEAD 2>/dev/null || echo n/a)"
  echo "machine:     $(nproc) cores, $(awk '/MemTotal/{printf "%.1f GiB", $2/1048576}' /proc/meminfo), $(dotnet --version 2>/dev/null | head -n1) SDK"
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

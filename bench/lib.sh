# shellcheck shell=bash
# Shared helpers of the bench/*.sh scripts (sourced, not run). The caller sets
# `set -euo pipefail`, REPO (repository root, already cd'ed into) and PORT, then:
#
#   . "$REPO/bench/lib.sh"
#   bench_prereqs; bench_init          # temp dir + cleanup trap (host, sampler, services we started)
#   bench_services_and_build           # scripts/services.sh start, dev secrets, Release build
#   bench_start_host                   # Vigor.LocalHost on $BASE, waits for /api/health
#   bench_register_users N FILE        # N fresh users, one accessToken per line in FILE
#   ...write a wrk Lua script with bench_lua_tokens / bench_lua_done...
#   bench_rss_start; wrk ...; bench_rss_stop   # sets RSS_SAMPLED_MB (max VmRSS while sampling)
#   bench_val FILE key; bench_verdict value goal ge|le
#
# shellcheck disable=SC2034  # globals read by the sourcing scripts
# Globals set here: BASE, WORK, HOST_PID, HOST_LOG, SAMPLER_PID, RUN_ID, started.

BASE="http://127.0.0.1:$PORT"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

log() { printf '[bench] %s\n' "$*" >&2; }
die() { printf '[bench] ERROR: %s\n' "$*" >&2; exit 1; }

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

bench_prereqs() {
  if ! command -v wrk >/dev/null 2>&1; then
    log "installing wrk (apt)"
    local sudo=()
    if [ "$(id -u)" -ne 0 ]; then
      if command -v sudo >/dev/null 2>&1; then sudo=(sudo); else die "wrk missing and no root/sudo to install it"; fi
    fi
    "${sudo[@]}" apt-get update -qq
    "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null
  fi
  command -v curl >/dev/null 2>&1 || die "curl is required"
  command -v node >/dev/null 2>&1 || die "node is required"
}

bench_init() {
  WORK=$(mktemp -d /tmp/vigor-bench.XXXXXX)
  HOST_PID='' SAMPLER_PID='' started=()
  RUN_ID="$(date -u +%Y%m%d%H%M%S)-$(od -An -N2 -tx1 /dev/urandom | tr -d ' \n')"
  trap bench_cleanup EXIT
  trap 'exit 130' INT TERM
}

# shellcheck disable=SC2317  # invoked via trap
bench_cleanup() {
  local rc=$? _ s
  bench_rss_stop
  if [ -n "$HOST_PID" ] && kill -0 "$HOST_PID" 2>/dev/null; then
    log "stopping host (pid $HOST_PID)"
    kill -TERM "$HOST_PID" 2>/dev/null || true
    for _ in $(seq 1 50); do kill -0 "$HOST_PID" 2>/dev/null || break; sleep 0.2; done
    kill -0 "$HOST_PID" 2>/dev/null && { log "host did not exit in 10s; SIGKILL"; kill -KILL "$HOST_PID" 2>/dev/null || true; }
    wait "$HOST_PID" 2>/dev/null || true
  fi
  for s in "${started[@]}"; do scripts/services.sh stop "$s" || true; done
  [ -n "${VIGOR_BENCH_KEEP_LOG:-}" ] && cp "$WORK/host.log" "$VIGOR_BENCH_KEEP_LOG" 2>/dev/null; rm -rf "$WORK"
  exit "$rc"
}

bench_services_and_build() {
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
}

# The psql URL of the services' database, from the Npgsql connection string in .vigor/env.
bench_db_url() {
  sed -E 's/.*Host=([^;]+);Port=([^;]+);Username=([^;]+);Database=([^;]+).*/postgresql:\/\/\3@\1:\2\/\4/' <<<"$Database__ConnectionString"
}

# HOST_EXTRA_ARGS (array, optional): more --Key=Value settings for the host.
bench_start_host() {
  [ -n "${HOST_EXTRA_ARGS+x}" ] || HOST_EXTRA_ARGS=()
  # VIGOR_BENCH_DB_EXTRA: more Npgsql connection-string keywords for the host (e.g. "Maximum Pool Size=4"), for A/B runs.
  [ -z "${VIGOR_BENCH_DB_EXTRA:-}" ] || HOST_EXTRA_ARGS+=("--Database:ConnectionString=$Database__ConnectionString;$VIGOR_BENCH_DB_EXTRA")
  # VIGOR_BENCH_HOST_ARGS: more --Key=Value settings for the host, space-separated (e.g. "--Progress:Cache=false").
  # shellcheck disable=SC2206  # word splitting intended
  [ -z "${VIGOR_BENCH_HOST_ARGS:-}" ] || HOST_EXTRA_ARGS+=(${VIGOR_BENCH_HOST_ARGS})
  port_open "$PORT" && die "port 127.0.0.1:$PORT is already in use; set VIGOR_BENCH_PORT=<port>"
  HOST_LOG="$WORK/host.log"
  log "starting host on $BASE"
  (cd "$REPO/Vigor.LocalHost/bin/Release/net10.0" && exec dotnet "$DLL" \
    --urls "$BASE" \
    --LocalHost:SecretsFile="$REPO/.vigor/dev-secrets.json" \
    --Admin:Email=admin@vigor.local \
    --Auth:Throttle:PerClientPerMinute=100000 \
    --Logging:LogLevel:Default=Warning \
    "${HOST_EXTRA_ARGS[@]}") >"$HOST_LOG" 2>&1 </dev/null &
  HOST_PID=$!

  local deadline=$((SECONDS + 90))
  until curl -fsS -o /dev/null --max-time 2 "$BASE/api/health" 2>/dev/null; do
    if ! kill -0 "$HOST_PID" 2>/dev/null; then cat "$HOST_LOG" >&2; die "host exited during startup"; fi
    if [ "$SECONDS" -ge "$deadline" ]; then tail -n 50 "$HOST_LOG" >&2; die "host did not answer $BASE/api/health within 90s"; fi
    sleep 0.25
  done
  log "host is healthy (pid $HOST_PID)"
}

# bench_register_users N FILE: registers bench-<run>-<i>@example.com, writes one accessToken per line.
bench_register_users() {
  local n=$1 out=$2
  log "registering $n users (run $RUN_ID)"
  # shellcheck disable=SC2016  # JavaScript template literals, not shell
  BASE="$BASE" RUN_ID="$RUN_ID" USERS="$n" node --input-type=module -e '
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
' "$out" || die "user registration failed"

  local first code
  first=$(head -n1 "$out")
  code=$(curl -s -o "$WORK/me.json" -w '%{http_code}' --max-time 5 -H "Authorization: Bearer $first" "$BASE/api/me" || true)
  [ "$code" = 200 ] || die "GET /api/me with a fresh token returned HTTP $code: $(head -c 500 "$WORK/me.json" 2>/dev/null)"
}

# Lua: `local tokens = {...}` from a token file, plus a per-thread random start index `i`.
bench_lua_tokens() {
  echo 'local tokens = {'
  while IFS= read -r t; do printf '  "%s",\n' "$t"; done < "$1"
  cat <<'EOF'
}
local i = 0
local function seed_thread()
  math.randomseed(os.time() + tonumber(tostring({}):match("0x(%x+)") or "0", 16) % 100000)
  i = math.random(#tokens) - 1
end
local function next_token()
  i = i % #tokens + 1
  return tokens[i]
end
EOF
}

# Lua: a done() hook printing BENCH key=value lines (parsed by bench_val).
bench_lua_done() {
  cat <<'EOF'
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
}

# Samples the host's VmRSS every 0.5 s until bench_rss_stop; RSS_SAMPLED_MB = max seen.
bench_rss_start() {
  RSS_FILE="$WORK/rss.$RANDOM.txt"
  echo 0 > "$RSS_FILE"
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
}

bench_rss_stop() {
  if [ -n "${SAMPLER_PID:-}" ]; then kill "$SAMPLER_PID" 2>/dev/null || true; wait "$SAMPLER_PID" 2>/dev/null || true; SAMPLER_PID=; fi
  if [ -n "${RSS_FILE:-}" ] && [ -f "$RSS_FILE" ]; then
    RSS_SAMPLED_MB=$(awk '{printf "%.1f", $1/1024}' "$RSS_FILE")
  fi
}

# The host's peak RSS over its lifetime (VmHWM), in MB.
bench_hwm_mb() { awk '/^VmHWM:/{printf "%.1f", $2/1024}' "/proc/$HOST_PID/status"; }

bench_host_alive() { kill -0 "$HOST_PID" 2>/dev/null || { tail -n 50 "$HOST_LOG" >&2; die "host died during the benchmark"; }; }

# bench_val FILE KEY: the value of KEY in the BENCH lines of a wrk output.
bench_val() { sed -n "s/^BENCH.*[[:space:]]$2=\([0-9.]*\).*/\1/p" "$1" | head -n1; }

# bench_verdict VALUE GOAL ge|le -> OK / MISSED
bench_verdict() { awk -v v="$1" -v g="$2" -v dir="$3" 'BEGIN{ ok = (dir == "ge") ? (v >= g) : (v <= g); print ok ? "OK" : "MISSED" }'; }

bench_machine() {
  echo "$(nproc) cores, $(awk '/MemTotal/{printf "%.1f GiB", $2/1048576}' /proc/meminfo), $(dotnet --version 2>/dev/null | head -n1) SDK"
}

bench_load() { awk '{print $1", "$2", "$3}' /proc/loadavg; }

# ------------------------------------------------------------------ CPU accounting
# Who had the cores during a measured run: the share of the machine that was busy (/proc/stat), and the CPU time of
# the host and of this checkout's PostgreSQL cluster (postmaster found by its -p port, plus its children).
bench_cpu_stat() { awk '/^cpu /{t=0; for(i=2;i<=NF;i++) t+=$i; print t, $5+$6}' /proc/stat; }   # total jiffies, idle+iowait
bench_cpu_jiffies() {
  local sum=0 p j
  for p in "$@"; do j=$(awk '{print $14+$15}' "/proc/$p/stat" 2>/dev/null) && sum=$((sum + j)); done
  echo "$sum"
}
bench_pg_pids() {
  local pm; pm=$(pgrep -f -- "-p ${VIGOR_PG_PORT:-55491} " | head -n1 || true)
  if [ -n "$pm" ]; then echo "$pm"; pgrep -P "$pm" || true; fi
}
# bench_settle [MAX_SECONDS]: after a warm-up, waits (idle, up to MAX_SECONDS, default 30) until the host has used less
# than 3 % of a core for two seconds in a row. A warm-up that saturates both cores starves the JIT's tiering thread, which
# then catches up during the measured window: 9 % of all CPU samples in a 16 users x 1 s run started right after the
# warm-up (perf), ~500 methods compiled in its first seconds (dotnet-counters), while a server that has been running
# for a while compiles next to nothing. Sets SETTLED_S (seconds waited).
bench_settle() {
  local max=${1:-30} hz prev now quiet=0
  hz=$(getconf CLK_TCK); prev=$(bench_cpu_jiffies "$HOST_PID"); SETTLED_S=0
  while [ "$SETTLED_S" -lt "$max" ]; do
    sleep 1; SETTLED_S=$((SETTLED_S + 1)); now=$(bench_cpu_jiffies "$HOST_PID")
    if [ $(((now - prev) * 100)) -lt $((3 * hz)) ]; then quiet=$((quiet + 1)); else quiet=0; fi
    prev=$now
    [ "$quiet" -ge 2 ] && return 0
  done
  log "the host was still busy after ${max}s idle; measuring anyway"
}

# bench_cpu_begin: remembers the counters; bench_cpu_end REQUESTS: sets CPU_LINE (cores used) and CPU_PER_REQ (ms per request).
bench_cpu_begin() {
  mapfile -t CPU_PG_PIDS < <(bench_pg_pids)
  CPU_STAT0=$(bench_cpu_stat); CPU_HOST0=$(bench_cpu_jiffies "$HOST_PID"); CPU_PG0=$(bench_cpu_jiffies "${CPU_PG_PIDS[@]}"); CPU_START=$(date +%s.%N)
}
bench_cpu_end() {
  local reqs=$1 hz cores stat1 host1 pg1 secs
  hz=$(getconf CLK_TCK); cores=$(nproc); stat1=$(bench_cpu_stat); host1=$(bench_cpu_jiffies "$HOST_PID"); pg1=$(bench_cpu_jiffies "${CPU_PG_PIDS[@]}")
  secs=$(awk -v a="$CPU_START" -v b="$(date +%s.%N)" 'BEGIN{print b - a}')
  CPU_LINE=$(awk -v s0="$CPU_STAT0" -v s1="$stat1" -v h=$((host1 - CPU_HOST0)) -v p=$((pg1 - CPU_PG0)) -v hz="$hz" -v n="$cores" -v secs="$secs" 'BEGIN {
    split(s0, a, " "); split(s1, b, " "); total = b[1] - a[1]; idle = b[2] - a[2]
    busy = total > 0 ? 100 * (total - idle) / total : 0
    printf "machine busy %.0f%% of %d cores; host %.2f cores, PostgreSQL %.2f cores, everything else %.2f cores",
      busy, n, h / hz / secs, p / hz / secs, n * busy / 100 - (h + p) / hz / secs }')
  CPU_PER_REQ=$(awk -v h=$((host1 - CPU_HOST0)) -v p=$((pg1 - CPU_PG0)) -v hz="$hz" -v r="$reqs" 'BEGIN {
    if (r > 0) printf "host %.2f ms, PostgreSQL %.2f ms", 1000 * h / hz / r, 1000 * p / hz / r; else printf "n/a" }')
}

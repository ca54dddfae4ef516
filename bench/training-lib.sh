# shellcheck shell=bash
# shellcheck disable=SC2034  # first_token, EXERCISES and SEED_SECS are read by the sourcing scripts
# Shared by bench/training.sh and bench/training-pair.sh (sourced after bench/lib.sh, with BASE, WORK, TOKENS,
# SESSIONS, PROGRESS_PATH and LOG_PATH set).

# training_seed: profiles and ~SESSIONS logged sessions over the past year for every user of TOKENS, then one progress
# read. Sets first_token, EXERCISES (the barbell exercise ids used) and SEED_SECS.
training_seed() {
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
  SEED_SECS=$((SECONDS - seed_start))

  code=$(curl -s -o "$WORK/progress.json" -w '%{http_code} %{time_total}' --max-time 10 -H "Authorization: Bearer $first_token" "$BASE$PROGRESS_PATH" || true)
  [ "${code%% *}" = 200 ] || die "GET $PROGRESS_PATH returned HTTP $code: $(head -c 500 "$WORK/progress.json" 2>/dev/null)"
  log "GET $PROGRESS_PATH: HTTP 200 in ${code#* }s, $(wc -c < "$WORK/progress.json") bytes"
}

# lua_status_counts: wrk Lua that counts the answers by status (EXPECTED: the status the script expects).
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

# training_log_lua FILE: the wrk script of run A (POST workouts/logs with a random session of the past year).
training_log_lua() {
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
  } > "$1"
}

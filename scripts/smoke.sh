#!/usr/bin/env bash
# Smoke test of a deployed Vigor API (a staging slot before the swap, or any environment):
#   scripts/smoke.sh https://<app>-staging.azurewebsites.net      (with or without the trailing /api)
#
# Steps: wait for GET /api/health, then GET /api/health/ready, register a throwaway user, log in, GET /api/me,
# POST /api/coach/messages (200/202; with SMOKE_EXPECT_OFFLINE_COACH=1 the answer's `source` must be "offline"),
# then delete the throwaway user (best effort). Needs curl and node (JSON parsing); no jq.
#
# Environment (defaults in brackets):
#   SMOKE_WAIT_SECONDS [300]        how long to wait for the first healthy answer (cold start, slot warm-up)
#   SMOKE_TIMEOUT_SECONDS [30]      per request
#   SMOKE_EXPECT_OFFLINE_COACH [0]  1: the coach answer must come from the offline coach
#   SMOKE_REGISTER_PATH [auth/register]  SMOKE_LOGIN_PATH [auth/login]  SMOKE_ME_PATH [me]
#   SMOKE_COACH_PATH [coach/messages]
set -euo pipefail

if [ "$#" -ne 1 ] || [ -z "$1" ]; then
  echo "usage: $0 <base url, e.g. https://myapp-staging.azurewebsites.net>" >&2
  exit 2
fi
command -v curl >/dev/null || { echo "smoke: curl is required" >&2; exit 2; }
command -v node >/dev/null || { echo "smoke: node is required (JSON parsing)" >&2; exit 2; }

base=${1%/}
base=${base%/api}
api="$base/api"
wait_seconds=${SMOKE_WAIT_SECONDS:-300}
timeout=${SMOKE_TIMEOUT_SECONDS:-30}
register_path=${SMOKE_REGISTER_PATH:-auth/register}
login_path=${SMOKE_LOGIN_PATH:-auth/login}
me_path=${SMOKE_ME_PATH:-me}
coach_path=${SMOKE_COACH_PATH:-coach/messages}

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
body="$tmp/body"
headers="$tmp/headers"

step() { printf '\n== %s\n' "$*"; }
fail() { printf 'SMOKE FAILED: %s\n' "$*" >&2; [ -s "$body" ] && { echo "--- response body:" >&2; head -c 2000 "$body" >&2; echo >&2; }; exit 1; }

# request METHOD PATH [JSON BODY] [BEARER TOKEN] -> prints the HTTP status; body in $body, headers in $headers.
request() {
  local method=$1 path=$2 data=${3:-} token=${4:-}
  local args=(-sS -o "$body" -D "$headers" -w '%{http_code}' --max-time "$timeout" -X "$method"
    -H 'Accept: application/json')
  [ -n "$data" ] && args+=(-H 'Content-Type: application/json' --data "$data")
  [ -n "$token" ] && args+=(-H "Authorization: Bearer $token")
  case "$path" in http*) ;; /*) path="$base$path" ;; *) path="$api/$path" ;; esac
  # On a connection failure curl still prints 000 for %{http_code}.
  curl "${args[@]}" "$path" || true
}

# json FIELD[|FIELD...] -> first non-empty field of the JSON in $body (dot paths allowed), or nothing.
json() {
  node -e '
    const fs = require("fs");
    let doc; try { doc = JSON.parse(fs.readFileSync(process.argv[1], "utf8")); } catch { process.exit(0); }
    for (const path of process.argv[2].split("|")) {
      let v = doc;
      for (const k of path.split(".")) v = v == null ? undefined : v[k];
      if (v !== undefined && v !== null && v !== "") { process.stdout.write(typeof v === "object" ? JSON.stringify(v) : String(v)); break; }
    }' "$body" "$1"
}

header() { awk -v name="$1" 'BEGIN { IGNORECASE = 1 } tolower($0) ~ "^" tolower(name) ":" { sub(/^[^:]*:[ \t]*/, ""); sub(/\r$/, ""); v = $0 } END { print v }' "$headers"; }

# wait_for_200 PATH: poll until 200 or SMOKE_WAIT_SECONDS pass (cold start, slot warm-up, dependencies).
wait_for_200() {
  local path=$1 status deadline=$((SECONDS + wait_seconds))
  step "GET $api/$path (waiting up to ${wait_seconds}s for 200)"
  while :; do
    status=$(request GET "$path")
    [ "$status" = 200 ] && { echo "  200"; return; }
    [ "$SECONDS" -ge "$deadline" ] && fail "GET /api/$path did not answer 200 within ${wait_seconds}s (last status $status)"
    echo "  status $status, retrying"
    sleep 10
  done
}

wait_for_200 health
wait_for_200 health/ready

email="smoke+$(date +%Y%m%d%H%M%S)-$RANDOM$RANDOM@vigor.example"
password="Smoke-$(node -e 'process.stdout.write(require("crypto").randomBytes(18).toString("base64url"))')-9a"
credentials=$(node -e 'process.stdout.write(JSON.stringify({ email: process.argv[1], password: process.argv[2], displayName: "Smoke Test" }))' "$email" "$password")

step "POST $api/$register_path ($email)"
status=$(request POST "$register_path" "$credentials")
case "$status" in 200 | 201) echo "  $status" ;; *) fail "register answered $status" ;; esac

step "POST $api/$login_path"
status=$(request POST "$login_path" "$credentials")
[ "$status" = 200 ] || fail "login answered $status"
token=$(json 'accessToken|access_token|token|tokens.accessToken')
[ -n "$token" ] || fail "login answered 200 without an access token"
echo "  200, got an access token"

cleanup_user() {
  local s
  s=$(request DELETE "$me_path" "" "$token")
  echo "  DELETE /api/$me_path -> $s (best effort; throwaway user $email)"
}

step "GET $api/$me_path"
status=$(request GET "$me_path" "" "$token")
[ "$status" = 200 ] || fail "GET /api/$me_path answered $status"
me_email=$(json 'email|user.email')
if [ -n "$me_email" ] && [ "${me_email,,}" != "${email,,}" ]; then
  fail "GET /api/$me_path returned $me_email, expected $email"
fi
echo "  200 ($me_email)"

step "POST $api/$coach_path"
status=$(request POST "$coach_path" '{"message":"Smoke test: suggest a 10 minute warm-up."}' "$token")
case "$status" in
  404)
    echo "  404: the coach route is not deployed in this build yet; skipping the coach check"
    ;;
  200 | 202)
    if [ "$status" = 202 ]; then
      location=$(header Location)
      echo "  202, polling ${location:-<no Location header>}"
      if [ -n "$location" ]; then
        for _ in $(seq 1 30); do
          sleep 2
          poll=$(request GET "$location" "" "$token")
          state=$(json 'status|state')
          if [ "$poll" = 200 ] && [ -n "$(json 'source|result.source|answer.source')" ]; then break; fi
          echo "  job: HTTP $poll ${state:+($state)}"
        done
      fi
    fi
    source=$(json 'source|result.source|answer.source')
    echo "  answer source: ${source:-<none>}"
    if [ "${SMOKE_EXPECT_OFFLINE_COACH:-0}" = 1 ] && [ "$source" != offline ]; then
      cleanup_user
      fail "expected the offline coach (source \"offline\"), got \"${source:-<none>}\""
    fi
    ;;
  *)
    cleanup_user
    fail "POST /api/$coach_path answered $status"
    ;;
esac

step "cleanup"
cleanup_user

printf '\nSMOKE PASSED: %s\n' "$api"

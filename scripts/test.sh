#!/usr/bin/env bash
# Run the whole Vigor test suite: start PostgreSQL + Azurite (scripts/services.sh),
# run `dotnet test` (Microsoft.Testing.Platform, opted in via global.json), then print
# the plain "N passed, N failed[, N skipped]" line.
#
#   scripts/test.sh [extra dotnet test args...]      e.g. scripts/test.sh --filter "ClassName~Auth"
#
# Output is also written to TestResults/test.log, TRX files to TestResults/.
# Services that this script started are stopped again on exit; services that were
# already running are left alone. Exit code: dotnet test's (non-zero on any failure,
# including MTP exit 8 "zero tests ran"); 1 when dotnet test exited 0 but the summary
# shows no test ran or was not found.
set -euo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)
cd "$REPO"

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

# Solution: VIGOR_SOLUTION, else Vigor.sln, else Vigor.slnx.
SLN="${VIGOR_SOLUTION:-}"
if [ -z "$SLN" ]; then
  if [ -f Vigor.sln ]; then SLN=Vigor.sln
  elif [ -f Vigor.slnx ]; then SLN=Vigor.slnx
  else echo "test.sh: no Vigor.sln or Vigor.slnx in $REPO (set VIGOR_SOLUTION)" >&2; echo "0 passed, 1 failed"; exit 1
  fi
fi

# Remember which services were already up, so only the ones we start get stopped.
started=()
scripts/services.sh status pg >/dev/null 2>&1 || started+=(pg)
scripts/services.sh status azurite >/dev/null 2>&1 || started+=(azurite)

cleanup() {
  local s
  for s in "${started[@]}"; do
    scripts/services.sh stop "$s" || true
  done
}
trap cleanup EXIT

if ! scripts/services.sh start >/dev/null; then
  echo "test.sh: could not start the services (see above)" >&2
  echo "0 passed, 1 failed"
  exit 1
fi
# shellcheck source=/dev/null
. "$REPO/.vigor/env"

RESULTS="$REPO/TestResults"
rm -rf "$RESULTS"
mkdir -p "$RESULTS"
LOG="$RESULTS/test.log"

set +e
dotnet test --solution "$SLN" -c Release --results-directory "$RESULTS" --report-trx \
  --no-ansi --no-progress "$@" 2>&1 | tee "$LOG"
rc=${PIPESTATUS[0]}
set -e

if [ "$rc" -ne 0 ]; then
  echo "test.sh: dotnet test exited with code $rc (MTP exit codes: https://aka.ms/testingplatform/exitcodes)" >&2
fi
summary_ok=0
summary=$(scripts/mtp-summary.sh "$LOG" "$rc") || summary_ok=$?
[ -n "$summary" ] || { summary="0 passed, 1 failed"; summary_ok=1; }
if [ "$rc" -eq 0 ] && [ "$summary_ok" -ne 0 ]; then
  echo "test.sh: dotnet test exited 0 but no test ran or no test summary was found" >&2
  rc=1
fi

# Stop what we started now, so that the plain summary line is the last line printed.
cleanup
trap - EXIT
echo
echo "$summary"
exit "$rc"

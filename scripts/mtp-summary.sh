#!/usr/bin/env bash
# Print the plain "N passed, N failed[, N skipped]" line for a Microsoft.Testing.Platform
# (MTP) log, as written by `dotnet test` on .NET 10 or by running test apps directly.
#
#   scripts/mtp-summary.sh LOGFILE [EXIT_CODE]
#
# It reads every "Test run summary:" block and its counters (total/failed/succeeded/
# skipped/error). `dotnet test` prints one aggregate block for all test projects
# ("Test run summary: Passed!"); a test app run directly prints a per-assembly block
# ("Test run summary: Passed! - <path>.dll (net10.0|x64)"). Aggregate blocks are summed
# when present, otherwise the per-assembly blocks are summed, so nothing is counted twice.
#
# "error: N" (test apps that crashed, ran zero tests, or exited non-zero without a failed
# test) counts as failed, and a non-zero EXIT_CODE never prints "0 failed", so the line
# never looks green for a red run. With no summary block at all it prints "0 passed, 1 failed".
#
# Exit status: 0 when the run is green (summary found, at least one test ran, nothing
# failed, EXIT_CODE 0 or absent), 1 otherwise.
set -euo pipefail

log="${1:?usage: mtp-summary.sh LOGFILE [EXIT_CODE]}"
rc="${2:-0}"
[ -r "$log" ] || { echo "0 passed, 1 failed"; exit 1; }

# Strip ANSI colour/cursor sequences and carriage returns before parsing.
sed -e 's/\x1b\[[0-9;?]*[A-Za-z]//g' -e 's/\r$//' -e 's/.*\r//' "$log" | awk -v rc="$rc" '
  function add(kind, key, val) { sum[kind, key] += val }
  /^Test run summary:/ {
    kind = ($0 ~ / - /) ? "asm" : "agg"
    blocks[kind]++
    inblk = 1
    next
  }
  inblk && /^  total: *[0-9]+/     { add(kind, "total",     $2 + 0); next }
  inblk && /^  failed: *[0-9]+/    { add(kind, "failed",    $2 + 0); next }
  inblk && /^  succeeded: *[0-9]+/ { add(kind, "succeeded", $2 + 0); next }
  inblk && /^  skipped: *[0-9]+/   { add(kind, "skipped",   $2 + 0); next }
  inblk && /^  error: *[0-9]+/     { add(kind, "error",     $2 + 0); next }
  inblk && /^  duration:/          { inblk = 0; next }
  END {
    k = (blocks["agg"] > 0) ? "agg" : ((blocks["asm"] > 0) ? "asm" : "")
    if (k == "") { print "0 passed, 1 failed"; exit 1 }
    passed  = sum[k, "succeeded"] + 0
    failed  = sum[k, "failed"] + sum[k, "error"]
    skipped = sum[k, "skipped"] + 0
    total   = sum[k, "total"] + 0
    if (rc != 0 && failed == 0) failed = 1
    line = passed " passed, " failed " failed"
    if (skipped > 0) line = line ", " skipped " skipped"
    print line
    exit (failed == 0 && total > 0 && rc == 0) ? 0 : 1
  }'

#!/usr/bin/env bash
# Offline validation of infra-bicep/: compiles every .bicep (main + modules) and every .bicepparam, lints them
# with the rules in infra-bicep/bicepconfig.json, and fails on any error OR warning (bicep exits 0 on warnings,
# e.g. BCP081 "type not available" or BCP318 "may be null", which would otherwise slip through).
# Also proves the linter configuration is in force with a canary file that must fail.
set -uo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
bicep=$("$root/tools/bicep.sh") || { echo "validate-infra: could not get the Bicep CLI" >&2; exit 1; }

# Work on a copy: `build --pattern` writes .json next to each source, and main.bicepparam would overwrite
# main.bicep's main.json.
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp -r "$root/infra-bicep" "$work/infra-bicep"
cd "$work/infra-bicep" || exit 1

failed=0
run_step() {
  local label=$1; shift
  local start end out rc
  start=$(date +%s%N)
  out=$("$@" 2>&1); rc=$?
  end=$(date +%s%N)
  local secs
  secs=$(awk -v ns=$((end - start)) 'BEGIN { printf "%.1f", ns / 1e9 }')
  if [ "$rc" -ne 0 ] || grep -qE ': (Error|Warning) ' <<<"$out"; then
    echo "FAIL  $label (${secs}s, exit $rc)"
    printf '%s\n' "$out" | sed "s#$work/infra-bicep/#infra-bicep/#g" | awk '!seen[$0]++'
    failed=1
  else
    echo "ok    $label (${secs}s)"
  fi
}

templates=$(find . -name '*.bicep' | sort)
params=$(find . -name '*.bicepparam' | sort)
echo "Bicep: $("$bicep" --version)"
echo "Templates: $(echo "$templates" | tr '\n' ' ')"
echo "Parameter files: $(echo "$params" | tr '\n' ' ')"

run_step "build all templates" "$bicep" build --pattern '**/*.bicep'
run_step "build all parameter files" "$bicep" build-params --pattern '**/*.bicepparam'
run_step "lint main.bicep" "$bicep" lint main.bicep
run_step "lint all templates and parameter files" "$bicep" lint --pattern '**/*.bicep*'

# Canary: an unused parameter must be an error under this directory's bicepconfig.json.
mkdir -p .canary
printf "param unusedCanary string\n" > .canary/canary.bicep
if "$bicep" lint .canary/canary.bicep >/dev/null 2>&1; then
  echo "FAIL  linter canary: an unused parameter passed lint; is infra-bicep/bicepconfig.json still raising rules to error?"
  failed=1
else
  echo "ok    linter canary (bicepconfig.json rules are errors)"
fi

if [ "$failed" -ne 0 ]; then
  echo "validate-infra: FAILED"
  exit 1
fi
echo "validate-infra: all templates and parameter files build and lint clean"

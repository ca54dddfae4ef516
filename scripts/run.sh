#!/usr/bin/env bash
# Run the Vigor API locally (Vigor.LocalHost, Release) against local PostgreSQL + Azurite.
# Needs: Debian 12 (or similar), .NET 10 SDK, Node 20 + npm. Installs PostgreSQL via apt
# and Azurite via npm on first use.
#
#   scripts/run.sh                 API on http://127.0.0.1:7071/api  (VIGOR_PORT to change)
#   scripts/services.sh stop       stop PostgreSQL + Azurite afterwards
set -euo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)
cd "$REPO"
PORT="${VIGOR_PORT:-7071}"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

scripts/services.sh start >/dev/null
node scripts/dev-secrets.mjs
# shellcheck source=/dev/null
. "$REPO/.vigor/env"

echo "Vigor API starting on http://localhost:$PORT/api — docs at http://localhost:$PORT/api/docs, health at /api/health; admin admin@vigor.local, password in .vigor/dev-secrets.json; stop services with scripts/services.sh stop"
dotnet build Vigor.LocalHost -c Release -nologo -v q -clp:ErrorsOnly
# The in-process Durable backend runs ProcessorCount work items at once (see LocalHostApp); AI jobs mostly wait
# on I/O, so the local host counts 8 processors whatever the machine has. Set only for the host, not the build.
export DOTNET_PROCESSOR_COUNT="${DOTNET_PROCESSOR_COUNT:-8}"
exec dotnet run --no-build --project Vigor.LocalHost -c Release -- \
  --urls "http://127.0.0.1:$PORT" \
  --LocalHost:SecretsFile="$REPO/.vigor/dev-secrets.json" \
  --Admin:Email=admin@vigor.local

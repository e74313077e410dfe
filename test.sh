#!/usr/bin/env bash
# Runs every test on a fresh machine: installs Azurite from package-lock.json when it is missing or stale,
# then builds and runs the .NET tests (which restore their own packages). Extra arguments go to dotnet test.
set -euo pipefail
cd "$(dirname "$0")"

if [ ! -x node_modules/.bin/azurite ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund --loglevel=error
fi

dotnet test ServerlessML.sln "$@"

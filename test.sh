#!/usr/bin/env bash
# Runs every test on a fresh machine: installs Azurite from package-lock.json when it is missing or stale and Chromium
# for the browser tests when it is missing, builds and runs the .NET tests (which restore their own packages), then
# tests ./run.sh itself (scripts/test-run.sh).
# Extra arguments go to dotnet test, and then only the .NET tests they select run.
set -euo pipefail
cd "$(dirname "$0")"

scripts/install-azurite.sh
scripts/install-chromium.sh
dotnet test ServerlessML.sln "$@"

if [ $# -eq 0 ]; then
  scripts/test-run.sh
fi

#!/usr/bin/env bash
# Installs Azurite (the storage emulator) from package-lock.json when it is missing or the lock file changed.
# Used by ./run.sh and ./test.sh; needs Node.js 20+ and npm.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
  echo "Node.js 20+ with npm is needed for Azurite, the storage emulator: https://nodejs.org" >&2
  exit 1
fi

if [ ! -x node_modules/.bin/azurite ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "Installing Azurite (npm ci)…"
  npm ci --no-audit --no-fund --loglevel=error
fi

#!/usr/bin/env bash
# Installs Debian's Chromium for the dashboard's browser tests when it is missing (Playwright's own browser download
# reaches a CDN that this project's machines cannot). Used by ./test.sh; needs apt-get, as root or through sudo.
set -euo pipefail

if [ -x /usr/bin/chromium ]; then
  exit 0
fi

if ! command -v apt-get >/dev/null; then
  echo "The browser tests need Chromium at /usr/bin/chromium; install it with your package manager." >&2
  exit 1
fi

echo "Installing Chromium for the browser tests (apt-get)…"
sudo=""
[ "$(id -u)" = 0 ] || sudo=sudo
$sudo apt-get update -q >/dev/null
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q chromium >/dev/null

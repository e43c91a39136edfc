#!/usr/bin/env bash
# Debian's Chromium for the Playground screenshots (never a downloaded browser build).
set -euo pipefail
if [ -x /usr/bin/chromium ]; then exit 0; fi
if [ "$(id -u)" -ne 0 ]; then
  echo "Chromium is missing. Install it with: sudo apt-get install chromium" >&2
  exit 1
fi
apt-get update -qq
apt-get install -y -qq chromium >/dev/null
echo "Installed $(/usr/bin/chromium --version)"

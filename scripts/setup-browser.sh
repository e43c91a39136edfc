#!/usr/bin/env bash
# Debian's Chromium for the browser tests (the tab, axe-core) and the screenshots, never a
# downloaded browser build. `npm test` runs this first (pretest): installed with apt when it is
# missing and we are root, otherwise it says what to run.
set -euo pipefail
if [ -x /usr/bin/chromium ]; then exit 0; fi
if [ "$(id -u)" -ne 0 ]; then
  echo "Chromium is missing. Install it with: sudo apt-get install chromium" >&2
  exit 1
fi
apt-get update -qq
apt-get install -y -qq chromium >/dev/null
echo "Installed $(/usr/bin/chromium --version)"

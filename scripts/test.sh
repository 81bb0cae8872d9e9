#!/usr/bin/env bash
# Install everything the test suite needs on a fresh Debian machine, then run the whole suite.
# Used by the README's quick start and by .ci/run; each step is skipped when already done.
#   apt: chromium (driven by Playwright), fonts, Java (for the Nu Html Checker), Node.js + npm
#   npm: vnu-jar, axe-core, lighthouse, pinned by package-lock.json
#   pip: the project with its [test] extra (pytest, lxml, playwright, hypothesis ...) into .venv/
set -euo pipefail
cd "$(dirname "$0")/.."

as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium)
dpkg -s fonts-liberation >/dev/null 2>&1 || missing+=(fonts-liberation)
command -v java >/dev/null 2>&1 || missing+=(default-jre-headless)
command -v npm >/dev/null 2>&1 || missing+=(nodejs npm)
if [ ${#missing[@]} -gt 0 ]; then
  echo "test.sh: installing with apt: ${missing[*]}"
  as_root apt-get update -q
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}"
fi

# --ignore-scripts: vnu-jar's postinstall would try to download a Java runtime.
lock_sum=$(sha256sum package-lock.json | cut -d' ' -f1)
if [ "$(cat node_modules/.installed-from-lock 2>/dev/null)" != "$lock_sum" ]; then
  npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
  echo "$lock_sum" > node_modules/.installed-from-lock
fi

# The project and its [test] extra go into .venv/ (see install.sh: Debian's Python refuses
# pip install into the system, PEP 668); the suite runs with that venv's Python.
bash scripts/install.sh test
.venv/bin/python -m pytest "$@"

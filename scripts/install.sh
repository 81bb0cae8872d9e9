#!/usr/bin/env bash
# Install the generator into .venv/ (a virtual environment in the project folder), from the
# README's quick start and from scripts/test.sh. `bash scripts/install.sh test` adds the
# [test] extra. Run it again at any time: each step is skipped when already done.
#
# Why a venv: Debian 12's own Python refuses `pip install` into the system
# ("externally-managed-environment", PEP 668), and its `python3 -m venv` needs the
# python3-venv package, which a stock install lacks; this installs it with apt (as root,
# or through sudo). Everything then runs from .venv/bin, whatever Python the machine has.
set -euo pipefail
cd "$(dirname "$0")/.."

as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

has_venv() { [ -x .venv/bin/python ] && .venv/bin/python -m pip --version >/dev/null 2>&1; }

if ! has_venv; then
  rm -rf .venv  # a venv made without ensurepip has no pip: start again
  if ! python3 -m venv .venv >/dev/null 2>&1; then
    rm -rf .venv
    version=$(python3 -c 'import sys; print(f"{sys.version_info[0]}.{sys.version_info[1]}")')
    echo "install.sh: python3 -m venv needs Debian's venv package; installing it with apt"
    as_root apt-get update -q
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
      python3-venv "python${version}-venv"
    python3 -m venv .venv
  fi
fi

extra=${1:+[$1]}
.venv/bin/python -m pip install --quiet --disable-pip-version-check -e ".${extra}"

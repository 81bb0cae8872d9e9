"""Find the external tools the browser and validator tests need, or fail saying how to install them.

Tests never skip for a missing tool: CI must prove the site, so a missing tool is a failure
whose message names the install command.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

PROJECT = Path(__file__).resolve().parents[2]
NODE_MODULES = PROJECT / "node_modules"
CHROMIUM = Path("/usr/bin/chromium")
INSTALL_HINT = "run `bash scripts/test.sh` (it installs chromium and Java with apt, and `npm ci` the validators)"
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic",
]


def require_file(path: Path, what: str) -> Path:
    """Return ``path`` if it exists, else fail the test naming the install command."""
    if not path.exists():
        pytest.fail(f"{what} not found at {path}: {INSTALL_HINT}", pytrace=False)
    return path


def chromium() -> str:
    return str(require_file(CHROMIUM, "Debian's chromium"))


def java() -> str:
    found = shutil.which("java")
    if not found:
        pytest.fail(f"java not found on PATH: {INSTALL_HINT}", pytrace=False)
    return found


def vnu_jar() -> Path:
    return require_file(NODE_MODULES / "vnu-jar" / "build" / "dist" / "vnu.jar", "the Nu Html Checker (npm vnu-jar)")


def axe_script() -> Path:
    return require_file(NODE_MODULES / "axe-core" / "axe.min.js", "axe-core (npm)")


def lighthouse() -> Path:
    return require_file(NODE_MODULES / ".bin" / "lighthouse", "lighthouse (npm)")

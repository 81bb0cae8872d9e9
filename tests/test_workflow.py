"""The pull request workflow (#17), proved without a forge.

It is valid against GitHub's workflow schema (check-jsonschema ships it), zizmor finds nothing
unsafe in it (offline), and every step that runs the generator is run here, as written, in a
folder laid out like the job's: the pull request's content at the top, the base branch's in
base/, with GITHUB_ACTIONS=true and a job summary file.
"""

from __future__ import annotations

import os
import re
import shutil
import struct
import subprocess
import sys
from pathlib import Path

import lxml.html
import pytest
import yaml

from conftest import FIXTURE_SITE, PROJECT

WORKFLOW = PROJECT / ".github" / "workflows" / "site.yml"
NOT_RUN_HERE = {
    "Install the generator": "scripts/install.sh: the suite runs in what it installed",
    "Run the tests (installs chromium, Java and the validators)": "this suite",
    "Install the base branch's generator": "the base is built with this checkout's generator here",
}
"""The PR job's run steps this test does not run, and why; any other run step it runs."""
EXPRESSIONS = {"PREVIEW_BASE_URL": "https://example.org/previews/", "PR_NUMBER": "17"}
"""Values for the step env entries that GitHub fills from ${{ … }} expressions."""


def tool(name: str) -> str:
    """A command-line tool of the test extra, beside this Python (the venv's bin/), else on PATH."""
    found = Path(sys.executable).parent / name
    if found.is_file():
        return str(found)
    which = shutil.which(name)
    if which is None:
        pytest.fail(f"{name} is not installed: pip install -e '.[test]' (scripts/test.sh does)", pytrace=False)
    return which


def workflow() -> dict:
    return yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))


def pr_steps() -> list[dict]:
    return workflow()["jobs"]["test"]["steps"]


def schema_check(path: Path) -> subprocess.CompletedProcess:
    return subprocess.run([tool("check-jsonschema"), "--builtin-schema", "vendor.github-workflows", str(path)],
                          capture_output=True, text=True, timeout=120)


def zizmor(path: Path) -> subprocess.CompletedProcess:
    return subprocess.run([tool("zizmor"), "--offline", "--no-progress", str(path)],
                          capture_output=True, text=True, timeout=120)


def test_the_workflow_is_valid_against_githubs_schema(tmp_path):
    result = schema_check(WORKFLOW)
    assert result.returncode == 0, result.stdout + result.stderr
    broken = tmp_path / "broken.yml"  # the check catches a mistake: a job without runs-on
    broken.write_text(WORKFLOW.read_text().replace("    runs-on: ubuntu-24.04\n", "    runs_on: ubuntu-24.04\n", 1))
    assert schema_check(broken).returncode != 0


def test_zizmor_finds_nothing_unsafe(tmp_path):
    result = zizmor(WORKFLOW)
    assert result.returncode == 0, result.stdout + result.stderr
    unsafe = tmp_path / "unsafe.yml"  # and it catches the usual mistakes
    unsafe.write_text(WORKFLOW.read_text()
                      .replace("          persist-credentials: false\n", "          fetch-depth: 1\n", 1)
                      .replace("run: .venv/bin/karabakh-site check",
                               'run: .venv/bin/karabakh-site check && echo "${{ github.head_ref }}"'))
    found = zizmor(unsafe)
    assert found.returncode != 0
    assert "template-injection" in found.stdout + found.stderr and "artipacked" in found.stdout + found.stderr


def test_the_pull_request_job_summarises_previews_and_uploads():
    steps = pr_steps()
    checkouts = [step for step in steps if step.get("uses", "").startswith("actions/checkout@")]
    assert len(checkouts) == 2 and all(step["with"]["persist-credentials"] is False for step in checkouts)
    assert checkouts[1]["with"]["ref"] == "${{ github.event.pull_request.base.sha }}"
    assert all(re.fullmatch(r"[\w-]+/[\w-]+@[0-9a-f]{40}", step["uses"]) for step in steps if "uses" in step)
    runs = "\n".join(step.get("run", "") for step in steps)
    assert '--format markdown >> "$GITHUB_STEP_SUMMARY"' in runs
    assert "${{" not in runs  # expressions reach a shell only through env:
    uploads = {step["with"]["name"]: step["with"]["path"] for step in steps
               if step.get("uses", "").startswith("actions/upload-artifact@")}
    assert uploads == {"site": "build/", "site-preview": "build-preview/", "screenshots": "build-artifacts/screenshots/",
                       "changed-pages": "build-artifacts/changed-pages/"}


def _shim(path: Path, command: list[str]) -> None:
    """An executable standing for the venv's: runs this checkout's generator with this Python."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("#!/bin/sh\n" + " ".join(command) + ' "$@"\n')
    path.chmod(0o755)


def _workspace(root: Path) -> Path:
    """The job's folder: the pull request (a fixed typo) at the top, its base in base/."""
    base, head = root / "base", root
    shutil.copytree(FIXTURE_SITE, base / "content")
    speech = base / "content" / "articles" / "kalbajar-speech.md"
    speech.write_text(speech.read_text().replace("are being built", "are bieng built"))
    shutil.copytree(FIXTURE_SITE, head / "content")
    (head / "scripts").symlink_to(PROJECT / "scripts")
    generator = [sys.executable, "-m", "karabakh_site"]
    _shim(head / ".venv" / "bin" / "karabakh-site", generator)
    _shim(base / ".venv" / "bin" / "karabakh-site", generator)
    _shim(head / ".venv" / "bin" / "python", [sys.executable])
    return head


def _png_width(path: Path) -> int:
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">I", data[16:20])[0]


def test_every_step_that_runs_the_generator_runs_here(tmp_path):
    workspace = _workspace(tmp_path / "job")
    summary = tmp_path / "summary.md"
    env = {**os.environ, "GITHUB_ACTIONS": "true", "GITHUB_STEP_SUMMARY": str(summary),
           "PYTHONPATH": os.pathsep.join([str(PROJECT / "src"), os.environ.get("PYTHONPATH", "")])}
    outputs = {}
    for step in pr_steps():
        if "run" not in step or step["name"] in NOT_RUN_HERE:
            continue
        step_env = {key: EXPRESSIONS[key] if "${{" in str(value) else str(value)
                    for key, value in step.get("env", {}).items()}
        result = subprocess.run(["bash", "-e", "-c", step["run"]], cwd=workspace, env={**env, **step_env},
                                capture_output=True, text=True, timeout=300)
        assert result.returncode == 0, (step["name"], result.stdout, result.stderr)
        outputs[step["name"]] = result.stdout
    assert set(outputs) == {"Check the content", "Build the site", "Build the site for a preview address",
                            "Build the base branch", "Summarise the change", "Screenshot the changed pages"}

    # Inside Actions, check annotates without being asked (the sample's figures article has no summary).
    assert "::warning file=content/articles/figures.md,line=2,col=1::article has no 'summary'" in \
        outputs["Check the content"]
    # The job summary names the changed article, the word and nothing it did not change.
    markdown = summary.read_text(encoding="utf-8")
    assert markdown.startswith("## What this change does to the site\n")
    assert "- **changed** `articles/kalbajar-speech/` — Speech in Kalbajar" in markdown
    assert "… Lachin and Fuzuli are ~~bieng~~ **being** built\\. Road Length Ganja– …" in markdown
    assert "### Figures" not in markdown
    # The preview build's addresses are the preview's; the plain build works from disk.
    page = lxml.html.parse(str(workspace / "build-preview" / "articles" / "kalbajar-speech" / "index.html")).getroot()
    assert page.cssselect('link[rel="canonical"]')[0].get("href") == \
        "https://example.org/previews/pr-17/articles/kalbajar-speech/"
    home = lxml.html.parse(str(workspace / "build" / "index.html")).getroot()
    links = [a.get("href") for a in home.iter("a") if a.get("href") and "://" not in a.get("href")]
    assert links and all(not href.startswith("/") for href in links)
    # Screenshots of the changed pages, at both widths.
    listed = (workspace / "build-artifacts" / "changed-pages.txt").read_text().split()
    assert listed[0] == "articles/kalbajar-speech/index.html"
    shots = workspace / "build-artifacts" / "changed-pages"
    for page_path in listed:
        stem = page_path.removesuffix("index.html").strip("/").replace("/", "-") or "home"
        assert _png_width(shots / f"{stem}-390.png") == 390
        assert _png_width(shots / f"{stem}-1280.png") == 1280

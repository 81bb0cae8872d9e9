"""The error report as an editor reads it: file:line:column, the source line, a caret, a hint (#14).

A broken copy of the real content is checked once; its terminal output is kept in
build-artifacts/errors/ as a log and as a screenshot, so a reviewer sees the report without
running anything.
"""

from __future__ import annotations

import html
import shutil
from pathlib import Path

import pytest

from karabakh_site.commands.cli import main
from karabakh_site.errors import ContentError, format_error

from conftest import PROJECT
from support import tools

ARTIFACTS = PROJECT / "build-artifacts" / "errors"


def test_the_caret_stands_under_the_column_and_the_hint_follows():
    error = ContentError("content/a.md", 12, "unknown territory 'shsha' in territories", "did you mean 'shusha'?",
                         column=15, source_line="territories: [shsha]")
    assert format_error(error).splitlines() == [
        "content/a.md:12:15: unknown territory 'shsha' in territories",
        "    12 | territories: [shsha]",
        "       |               ^",
        "       = hint: did you mean 'shusha'?",
    ]


def test_a_tab_is_shown_and_pointed_at():
    error = ContentError("content/a.md", 4, "invalid YAML: found character that cannot start any token",
                         "tabs are not allowed for indentation in YAML; use spaces", column=1, source_line="\tname: X")
    assert format_error(error).splitlines()[1:3] == ["    4 | →name: X", "      | ^"]


def test_a_long_line_is_cut_around_the_column():
    line = "word " * 100 + "shsha " + "word " * 100
    column = line.index("shsha") + 1
    shown, caret = format_error(ContentError("a.md", 1, "m", column=column, source_line=line)).splitlines()[1:3]
    assert len(shown) < 120 and shown.startswith("    1 | …") and shown.endswith("…")
    assert shown[caret.index("^"):].startswith("shsha")


def test_without_a_known_line_nothing_is_quoted():
    assert format_error(ContentError("content/a.md", None, "empty file")) == "content/a.md: empty file"


BREAKAGES = {
    # file -> (text to replace, replacement): one mistake per stage at least.
    "articles/hajiyev-apa-statement.md": ('speakers: ["Hikmat Hajiyev"]\n', 'speakers: ["Hikmat Hajiyev"]\n\ttags: [x]\n'),
    "articles/aliyev-shusha-media-forum-2023.md": ("title: ", "title: Shusha: "),
    "articles/aliyev-kalbajar-return-speech-2025.md": ("territories: [kalbajar, lachin, shusha]",
                                                       "territories: [kalbajar, lachn, shusha]"),
    "articles/aliyev-aztv-interview-zangezur.md": ("date: ", "dat: "),
    "chronology.yaml": ("      - article: occupation-in-figures\n", "      - article: occupation-in-figure\n"),
    "pages/about.md": ("title: ", "titel: "),
}


@pytest.fixture(scope="module")
def broken_check_log(tmp_path_factory) -> str:
    """Run `check` on a copy of content/ with the BREAKAGES; return its terminal output, paths as written."""
    workdir = tmp_path_factory.mktemp("broken")
    content = workdir / "content"
    shutil.copytree(PROJECT / "content", content)
    for name, (old, new) in BREAKAGES.items():
        path = content / name
        text = path.read_text(encoding="utf-8")
        assert old in text, name
        path.write_text(text.replace(old, new, 1), encoding="utf-8")
    capture = pytest.MonkeyPatch()
    capture.chdir(workdir)  # paths are shown relative to the working folder, as an editor runs it
    try:
        import contextlib
        import io
        err = io.StringIO()
        with contextlib.redirect_stderr(err):
            code = main(["check", "-q", "--no-cache", "--content", "content", "--theme", str(PROJECT / "templates"),
                         "--static", str(PROJECT / "static")])
    finally:
        capture.undo()
    assert code == 1
    log = f"$ karabakh-site check\n{err.getvalue()}$ echo $?\n1\n"
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    (ARTIFACTS / "check-broken-content.log").write_text(log, encoding="utf-8")
    return log


def test_check_on_broken_content_reports_every_stage_with_lines_and_carets(broken_check_log):
    locations = [line.split(": ", 1)[0] for line in broken_check_log.splitlines() if line.startswith("content/")]
    assert locations == [
        "content/articles/aliyev-aztv-interview-zangezur.md:5:1",   # model: unknown key 'dat'
        "content/articles/aliyev-kalbajar-return-speech-2025.md:12:25",  # link: unknown territory
        "content/articles/aliyev-shusha-media-forum-2023.md:2:14",  # load: colon in a plain value
        "content/articles/hajiyev-apa-statement.md:11:1",  # load: a tab
        "content/chronology.yaml:135",  # link: an unknown article (the quote's line: no column)
        "content/pages/about.md:2:1",  # model: missing title
        "content/pages/about.md:2:1",  # model: unknown key 'titel'
    ]
    assert "       = hint: tabs are not allowed for indentation in YAML; use spaces" in broken_check_log.splitlines()
    assert "    11 | →tags: [x]" in broken_check_log.splitlines()
    assert broken_check_log.splitlines()[-3] == "7 errors."


def test_the_report_is_kept_as_a_screenshot(broken_check_log, browser):
    """Render the log as a terminal would show it (monospace, dark) into a PNG beside it."""
    page_html = ("<!doctype html><meta charset='utf-8'><body style='margin:0;background:#1e1e1e'>"
                 "<pre style='margin:0;padding:16px;color:#e6e6e6;font:14px/1.4 \"DejaVu Sans Mono\",monospace'>"
                 f"{html.escape(broken_check_log)}</pre>")
    target = ARTIFACTS / "check-broken-content.png"
    page = browser.new_page(viewport={"width": 1100, "height": 400})  # the session's one Chromium
    try:
        page.set_content(page_html)
        page.locator("pre").screenshot(path=str(target))
    finally:
        page.close()
    assert target.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and target.stat().st_size > 10_000

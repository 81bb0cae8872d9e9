"""Screenshot the pages a pull request changes, at a phone's and a desktop's width (#17).

    karabakh-site diff build-base build --list-changed > changed-pages.txt
    python scripts/screenshot_pages.py build changed-pages.txt build-artifacts/changed-pages

Reads the list of pages (paths inside the built folder, one a line, as `diff --list-changed`
prints them: those whose words changed first), opens each from disk (file://, as a reviewer
opens the unzipped artifact) in Debian's Chromium driven by Playwright, and writes
``<page>-390.png`` and ``<page>-1280.png`` (full page) into the output folder. At most
``--max`` pages (20): a template change touches every page, and the first ones show it.
Needs the [test] extra (Playwright) and /usr/bin/chromium (scripts/test.sh installs both).
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

WIDTHS = (390, 1280)
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]


def shot_name(page: str, width: int) -> str:
    """``articles/x/index.html`` at 390 px -> ``articles-x-390.png``; the home page is ``home``."""
    stem = page.removesuffix("index.html").removesuffix(".html").strip("/").replace("/", "-") or "home"
    return f"{stem}-{width}.png"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("site", type=Path, help="the built folder (karabakh-site build --out)")
    parser.add_argument("pages", type=Path, help="file listing the pages, one path a line ('-': standard input)")
    parser.add_argument("out", type=Path, help="folder to write the screenshots into")
    parser.add_argument("--max", type=int, default=20, help="screenshot at most this many pages (default: 20)")
    args = parser.parse_args(argv)
    listed = sys.stdin.read() if str(args.pages) == "-" else args.pages.read_text(encoding="utf-8")
    pages = [line.strip() for line in listed.splitlines() if line.strip().endswith(".html")]
    site = args.site.resolve()
    chosen = [page for page in pages if (site / page).is_file()][:args.max]
    args.out.mkdir(parents=True, exist_ok=True)
    if not chosen:
        print("screenshot_pages: no changed page to screenshot")
        return 0
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            for width in WIDTHS:
                context = browser.new_context(viewport={"width": width, "height": 800})
                tab = context.new_page()
                for page in chosen:
                    tab.goto((site / page).as_uri(), wait_until="load")
                    tab.screenshot(path=str(args.out / shot_name(page, width)), full_page=True)
                context.close()
        finally:
            browser.close()
    left = len(pages) - len(chosen)
    print(f"screenshot_pages: {len(chosen)} pages at {' and '.join(map(str, WIDTHS))} px into {args.out}"
          + (f"; {left} more not taken (--max {args.max})" if left > 0 else ""))
    return 0


if __name__ == "__main__":
    sys.exit(main())

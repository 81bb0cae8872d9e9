"""The search index builds wherever build() is called from."""

from __future__ import annotations

import asyncio
import concurrent.futures

from karabakh_site.commands.build import build
from karabakh_site.output.search import SEARCH_FOLDER, index_search

from conftest import FIXTURE_SITE, options_for


def test_the_index_builds_inside_a_running_event_loop(tmp_path):
    out = tmp_path / "build"
    build(options_for(FIXTURE_SITE, out))

    async def caller_with_a_loop() -> int:  # e.g. a notebook, or Playwright's sync API
        return index_search(out, "en")

    # On a thread of its own: this test's thread may already run Playwright's loop.
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        assert pool.submit(asyncio.run, caller_with_a_loop()).result() > 3
    assert (out / SEARCH_FOLDER / "pagefind-entry.json").is_file()

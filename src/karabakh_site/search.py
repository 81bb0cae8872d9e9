"""Full-text search: index the written pages with Pagefind, before they are swapped in.

Pagefind (from PyPI, with its binary) reads the pages' HTML: only elements marked
``data-pagefind-body`` are indexed (document titles and texts), with the filters and
metadata the templates mark. Its index is the one part of build/ that may differ
between two builds of the same input, where Pagefind itself varies.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
from pathlib import Path

from pagefind.index import IndexConfig, PagefindIndex

SEARCH_FOLDER = "pagefind"


def index_search(site_dir: Path, language: str) -> int:
    """Write the search index into ``site_dir/pagefind``; return the number of pages indexed.

    Pagefind's Python API is asynchronous. Where this thread already runs an event loop
    (a notebook, a Playwright session in the same process) the index is built on a
    thread of its own, since ``asyncio.run`` cannot nest.
    """
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(_index(site_dir, language))
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, _index(site_dir, language)).result()


async def _index(site_dir: Path, language: str) -> int:
    config = IndexConfig(
        force_language=language.split("-")[0],
        keep_index_url=True,
        output_path=str(site_dir / SEARCH_FOLDER),
    )
    async with PagefindIndex(config) as index:
        result = await index.add_directory(str(site_dir))
    return int(result["page_count"])

"""Full-text search: index the written pages with Pagefind, before they are swapped in.

Pagefind (from PyPI, with its binary) reads the pages' HTML: only elements marked
``data-pagefind-body`` are indexed (document titles and texts), with the filters and
metadata the templates mark. Its index is the one part of build/ that may differ
between two builds of the same input, where Pagefind itself varies.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import os
import shutil
import tempfile
from pathlib import Path

from pagefind.index import IndexConfig, PagefindIndex

from karabakh_site.output.output_folder import STAGING, swap_in

SEARCH_FOLDER = "pagefind"


def index_search(site_dir: Path, language: str | None, output: Path | None = None) -> int:
    """Write the search index into ``site_dir/pagefind``; return the number of pages indexed.

    ``language`` forces one language on every page; with None, Pagefind groups the pages by
    their ``<html lang>`` and writes an index for each, and a search page loads the index of
    its own language (#16: a search in /hy/ looks through the Armenian pages' words).

    Pagefind's Python API is asynchronous. Where this thread already runs an event loop
    (a notebook, a Playwright session in the same process) the index is built on a
    thread of its own, since ``asyncio.run`` cannot nest.
    """
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(_index(site_dir, language, output))
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, _index(site_dir, language, output)).result()


async def _index(site_dir: Path, language: str | None, output: Path | None = None) -> int:
    forced = {"force_language": language.split("-")[0]} if language else {}
    config = IndexConfig(keep_index_url=True, output_path=str(output or site_dir / SEARCH_FOLDER), **forced)
    async with PagefindIndex(config) as index:
        result = await index.add_directory(str(site_dir))
    return int(result["page_count"])


def refresh_search(site_dir: Path, language: str | None) -> int:
    """Index a served folder again, replacing its index in one step (``serve``, #13).

    The new index is written beside the old one and exchanged with it, so readers
    searching meanwhile keep the last good index; a failure leaves it in place.
    """
    staging = Path(tempfile.mkdtemp(prefix=f".{SEARCH_FOLDER}.{STAGING}-", dir=site_dir))
    try:
        pages = index_search(site_dir, language, staging)
        os.chmod(staging, 0o755)
        replaced = swap_in(staging, site_dir / SEARCH_FOLDER)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    if replaced is not None:
        shutil.rmtree(replaced, ignore_errors=True)
    return pages

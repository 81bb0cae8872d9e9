"""Spread independent work (Markdown bodies, pages) over the machine's cores.

Worker processes are forked, so the function and its data (parsers, templates, the
linked site) are inherited rather than pickled; only results travel back. Below a few
hundred items, or with one core, the work runs in this process: forking costs more.
"""

from __future__ import annotations

import ctypes
import gc
import multiprocessing
import os
import signal
import sys
from collections.abc import Callable, Iterator, Sequence
from typing import TypeVar

Item = TypeVar("Item")
Result = TypeVar("Result")

MIN_ITEMS = 200


def default_workers() -> int:
    """One worker per core this process may use."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)


def map_in_processes(function: Callable[[Item], Result], items: Sequence[Item], workers: int) -> list[Result]:
    """``[function(item) for item in items]``, in forked processes when it pays off; order kept."""
    return list(imap_in_processes(function, items, workers))


def imap_in_processes(function: Callable[[Item], Result], items: Sequence[Item], workers: int) -> Iterator[Result]:
    """Yield ``function(item)`` for each item in order, as the workers finish them.

    Results arrive one chunk at a time, so a caller that writes each result away holds
    only a few in memory (#13: pages are written as they are rendered).
    """
    if workers <= 1 or len(items) < MIN_ITEMS or "fork" not in multiprocessing.get_all_start_methods():
        yield from (function(item) for item in items)
        return
    context = multiprocessing.get_context("fork")
    gc.freeze()  # see below
    try:
        with context.Pool(workers, _start_worker, (os.getpid(), function, items)) as pool:
            chunk = max(1, min(64, len(items) // (workers * 16)))
            yield from pool.imap(_run, range(len(items)), chunksize=chunk)
    finally:
        gc.unfreeze()


# Why gc.freeze() before forking: the workers inherit the linked site (10,000 bodies, a
# million small objects) copy-on-write; a garbage collection in a worker walks every
# tracked object and writes to its header, copying nearly every inherited page (#13: the
# build and its two workers held 2.1 GiB between them). Frozen objects are left out of
# collections, so the pages stay shared; the parent unfreezes them when the pool is done.


_WORKER_TASK: tuple[Callable, Sequence] | None = None
"""In a worker only: the function and items it was forked with (inherited, never pickled)."""


def _start_worker(parent: int, function: Callable, items: Sequence) -> None:
    """Set up a forked worker: die with the parent, remember the task."""
    global _WORKER_TASK
    _die_with_parent(parent)
    gc.enable()  # off in a parent making its objects (collector.py); the inherited ones are frozen
    _WORKER_TASK = (function, items)


def _run(index: int):
    function, items = _WORKER_TASK
    return function(items[index])


PR_SET_PDEATHSIG = 1


def _die_with_parent(parent: int) -> None:
    """Make this worker die when the build that forked it dies (#11).

    A killed build (SIGKILL, an out-of-memory kill) cannot stop its pool, and a worker
    waiting for tasks would live on; Linux's parent-death signal ends it at once.
    """
    if sys.platform.startswith("linux"):
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != parent:  # the parent died before the signal was armed
        os._exit(1)

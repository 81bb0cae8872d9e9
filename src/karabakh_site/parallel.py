"""Spread independent work (Markdown bodies, pages) over the machine's cores.

Worker processes are forked, so the function and its data (parsers, templates, the
linked site) are inherited rather than pickled; only results travel back. Below a few
hundred items, or with one core, the work runs in this process: forking costs more.
"""

from __future__ import annotations

import ctypes
import multiprocessing
import os
import signal
import sys
from collections.abc import Callable, Sequence
from typing import TypeVar

Item = TypeVar("Item")
Result = TypeVar("Result")

MIN_ITEMS = 200
_TASK: tuple[Callable, Sequence] | None = None


def default_workers() -> int:
    """One worker per core this process may use."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)


def map_in_processes(function: Callable[[Item], Result], items: Sequence[Item], workers: int) -> list[Result]:
    """``[function(item) for item in items]``, in forked processes when it pays off; order kept."""
    global _TASK
    if workers <= 1 or len(items) < MIN_ITEMS or "fork" not in multiprocessing.get_all_start_methods():
        return [function(item) for item in items]
    _TASK = (function, items)
    try:
        with multiprocessing.get_context("fork").Pool(workers, _die_with_parent, (os.getpid(),)) as pool:
            chunk = max(1, len(items) // (workers * 16))
            return pool.map(_run, range(len(items)), chunksize=chunk)
    finally:
        _TASK = None


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


def _run(index: int):
    function, items = _TASK
    return function(items[index])

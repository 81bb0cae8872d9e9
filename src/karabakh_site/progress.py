"""Progress of long work: a bar on a terminal, plain lines elsewhere (CI logs), or nothing.

Stages report what they did; the bar moves while pages render. Output goes to stderr so
that stdout stays for results (and for `check --format github` annotations).
"""

from __future__ import annotations

import sys
import time
from typing import TextIO


class Progress:
    """Reports stages and counts; ``level`` 0 = quiet, 1 = normal, 2 = verbose."""

    def __init__(self, level: int = 1, stream: TextIO | None = None):
        self.level = level
        self.stream = stream or sys.stderr
        self.is_terminal = self.stream.isatty()
        self._started = time.perf_counter()
        self._last_draw = 0.0

    def stage(self, name: str, detail: str) -> None:
        """One stage finished: shown in verbose mode, and in CI logs where no bar is drawn."""
        if self.level >= 2 or (self.level == 1 and not self.is_terminal):
            seconds = time.perf_counter() - self._started
            self._write(f"{name:<7} {detail} ({seconds:.2f} s)\n")

    def advance(self, done: int, total: int, label: str) -> None:
        """Move the bar (terminals only, at most 20 times a second)."""
        if self.level < 1 or not self.is_terminal:
            return
        now = time.perf_counter()
        if done < total and now - self._last_draw < 0.05:
            return
        self._last_draw = now
        width = 30
        filled = width * done // max(total, 1)
        end = "\n" if done >= total else ""
        self._write(f"\r{label} [{'#' * filled}{'.' * (width - filled)}] {done}/{total}{end}")

    def _write(self, text: str) -> None:
        self.stream.write(text)
        self.stream.flush()


QUIET = Progress(level=0)

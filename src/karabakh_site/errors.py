"""Content errors that name a file and line, and a collector that reports them together.

Every stage returns its value together with the problems it found, so an editor sees
all the mistakes of one pull request in one run instead of fixing them one by one.
Bugs in the generator are not ContentErrors: they raise with a traceback.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from collections.abc import Iterable


@dataclass(frozen=True, order=True)
class ContentError:
    """One problem in the content, located as precisely as the input allows."""

    path: str
    """The file, relative to the project and in POSIX form, e.g. ``content/articles/x.md``."""
    line: int | None
    """1-based line in that file, or None when the problem concerns the whole file."""
    message: str
    """What is wrong, quoting the bad value and saying what was expected."""
    hint: str = ""
    """An optional suggestion, e.g. ``did you mean 'shusha'?``."""

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        text = f"{where}: {self.message}"
        return f"{text} ({self.hint})" if self.hint else text

    def _sort_key(self) -> tuple[str, int, str]:
        return (self.path, self.line or 0, self.message)


@dataclass
class Problems:
    """Collects ContentErrors from one stage; sorted, counted and formatted together."""

    items: list[ContentError] = field(default_factory=list)

    def add(self, path: str, line: int | None, message: str, hint: str = "") -> None:
        """Record one problem."""
        self.items.append(ContentError(path, line, message, hint))

    def extend(self, other: Iterable[ContentError]) -> None:
        """Record problems found by another step."""
        self.items.extend(other)

    def __bool__(self) -> bool:
        return bool(self.items)

    def __len__(self) -> int:
        return len(self.items)

    def sorted(self) -> list[ContentError]:
        """Return the problems ordered by file, line and message, without duplicates."""
        return sorted(set(self.items), key=ContentError._sort_key)

    def raise_if_any(self) -> None:
        """Stop the build here if this stage found problems."""
        if self.items:
            raise BuildFailed(self.sorted())


class UsageError(ValueError):
    """A command-line value is unusable (not a content error: no file to name)."""


class BuildFailed(Exception):
    """The content has errors; the build stopped before writing anything."""

    def __init__(self, errors: list[ContentError]):
        self.errors = errors
        super().__init__(format_errors(errors))


PRINTED_ERRORS = 200
"""At most this many problems are printed; the rest are counted (#13: a thousand broken files
should not bury the terminal). ``--format github`` still annotates every one."""


def format_errors(errors: list[ContentError], limit: int = PRINTED_ERRORS) -> str:
    """Format problems as numbered lines followed by a count, for the terminal."""
    lines = [f"{number}. {error}" for number, error in enumerate(errors[:limit], 1)]
    if len(errors) > limit:
        rest = len(errors) - limit
        lines.append(f"… and {rest} more {'error' if rest == 1 else 'errors'}, not printed here "
                     f"(every one is listed by `check --format github`).")
    noun = "error" if len(errors) == 1 else "errors"
    lines.append(f"{len(errors)} {noun}; nothing written, the output folder is unchanged.")
    return "\n".join(lines)


def did_you_mean(value: str, choices: Iterable[str]) -> str:
    """Return a 'did you mean ...?' hint for a misspelt value, or '' when nothing is close."""
    matches = difflib.get_close_matches(value, sorted(choices), n=1, cutoff=0.6)
    return f"did you mean {matches[0]!r}?" if matches else ""

"""Content errors that name a file, line and column, and a collector that reports them together.

Every stage returns its value together with the problems it found, so an editor sees
all the mistakes of one pull request in one run instead of fixing them one by one.
Bugs in the generator are not ContentErrors: they raise with a traceback.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace


@dataclass(frozen=True)
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
    column: int | None = None
    """1-based column (in characters) of the bad value on ``line``, when the input tells it."""
    source_line: str | None = None
    """The text of ``line``, quoted under the message; attached by ``quote_source_lines``."""

    def __str__(self) -> str:
        """``file:line:column: message (hint)``, the one-line form (GitHub, ``serve``, logs)."""
        text = f"{self.location()}: {self.message}"
        return f"{text} ({self.hint})" if self.hint else text

    def location(self) -> str:
        """``file:line:column``, as compilers write it, so editors and terminals can jump there."""
        if not self.line:
            return self.path
        return f"{self.path}:{self.line}:{self.column}" if self.column else f"{self.path}:{self.line}"

    def _sort_key(self) -> tuple[str, int, int, str, str]:
        return (self.path, self.line or 0, self.column or 0, self.message, self.hint)


@dataclass
class Problems:
    """Collects ContentErrors from one stage; sorted, counted and formatted together."""

    items: list[ContentError] = field(default_factory=list)

    def add(self, path: str, line: int | None, message: str, hint: str = "", column: int | None = None) -> None:
        """Record one problem."""
        self.items.append(ContentError(path, line, message, hint, column))

    def extend(self, other: Iterable[ContentError]) -> None:
        """Record problems found by another step."""
        self.items.extend(other)

    def __bool__(self) -> bool:
        return bool(self.items)

    def __len__(self) -> int:
        return len(self.items)

    def sorted(self) -> list[ContentError]:
        """Return the problems ordered by file, line, column and message, without duplicates.

        Why duplicates can occur: since every stage runs (#14), two stages may find the same
        problem; the editor should read it once.
        """
        return sorted(set(self.items), key=ContentError._sort_key)

    def raise_if_any(self) -> None:
        """Stop the build here if this stage found problems."""
        if self.items:
            raise BuildFailed(self.sorted())


class UsageError(ValueError):
    """A command-line value is unusable (not a content error: no file to name)."""


class BuildFailed(Exception):
    """The content has errors; the build stopped before writing anything."""

    def __init__(self, errors: list[ContentError], warnings: list[ContentError] | None = None):
        self.errors = errors
        self.warnings = warnings or []
        """What the stages found worth a look besides the errors (content_warnings.py, #17)."""
        super().__init__(format_errors(errors))


def quote_source_lines(errors: Iterable[ContentError], text_of: Callable[[str], str | None]) -> list[ContentError]:
    """Give each error with a line the text of that line, from ``text_of(path)`` (None: not known).

    Why after all stages: the stages record positions only; the text is looked up once per
    file that has problems, not kept with every value.
    """
    lines_of: dict[str, list[str]] = {}
    quoted = []
    for error in errors:
        if error.line and error.path not in lines_of:
            text = text_of(error.path)
            lines_of[error.path] = text.split("\n") if text is not None else []
        lines = lines_of.get(error.path, [])
        if error.line and error.line <= len(lines):
            line = lines[error.line - 1]
            error = replace(error, source_line=line, column=error.column or _quoted_value_column(error.message, line))
        quoted.append(error)
    return quoted


_QUOTED = re.compile(r"'([^'\n]{2,})'")


def _quoted_value_column(message: str, line: str) -> int | None:
    """The column of the last value the message quotes that the line holds exactly once.

    Why: a reference checked after the model (``unknown territory 'shsha'``) knows its line but
    not where on it the id is; the id itself, written once on that line, says where. The last
    quoted value is the offending one ("event 'e' cites unknown article 'x'"), earlier ones name
    the key or the owner.
    """
    for value in reversed(_QUOTED.findall(message)):
        if line.count(value) == 1:
            return line.index(value) + 1
    return None


PRINTED_ERRORS = 200
"""At most this many problems are printed; the rest are counted (#13: a thousand broken files
should not bury the terminal). ``--format github`` still annotates every one."""

BUILD_OUTCOME = "nothing written, the output folder is unchanged."
"""What a failed build says after the count; ``check`` writes nothing in any case and says nothing."""

QUOTED_WIDTH = 100
"""Source lines longer than this are cut around the column, so a long paragraph stays one line."""


def format_errors(errors: list[ContentError], limit: int = PRINTED_ERRORS, outcome: str = BUILD_OUTCOME,
                  warnings: list[ContentError] = ()) -> str:
    """Format problems for the terminal: each with its source line and caret, then the warnings, then a count."""
    blocks = [format_error(error) for error in errors[:limit]]
    if len(errors) > limit:
        rest = len(errors) - limit
        blocks.append(f"… and {rest} more {'error' if rest == 1 else 'errors'}, not printed here "
                      f"(every one is listed by `check --format github`).")
    blocks += [format_error(warning, "warning") for warning in warnings[:limit]]
    noun = "error" if len(errors) == 1 else "errors"
    count = f"{len(errors)} {noun}" + (f", {count_warnings(warnings)}" if warnings else "")
    blocks.append(f"{count}; {outcome}" if outcome else f"{count}.")
    return "\n\n".join(blocks)


def count_warnings(warnings: list[ContentError]) -> str:
    """``1 warning``, ``3 warnings``: for the closing line of a build or check."""
    return f"{len(warnings)} {'warning' if len(warnings) == 1 else 'warnings'}"


def format_error(error: ContentError, severity: str = "") -> str:
    """``file:line:column: message``, then the source line, a caret under the column, the hint.

    The layout is a compiler's (rustc, clang): the first line is what editors and terminals
    recognise as a location; the quoted line shows what the editor wrote without opening the file.
    A warning (``severity="warning"``) reads ``file:line:column: warning: message``, as a compiler's does.
    """
    lines = [f"{error.location()}: {severity + ': ' if severity else ''}{error.message}"]
    gutter = " " * (len(str(error.line)) + 4)
    if error.source_line is not None:
        shown, column = _shown_source(error.source_line, error.column)
        lines.append(f"    {error.line} | {shown}".rstrip())
        if column:
            lines.append(f"{gutter} | {_caret(shown, column)}")
    if error.hint:
        lines.append(f"{gutter} = hint: {error.hint}")
    return "\n".join(lines)


def _shown_source(line: str, column: int | None) -> tuple[str, int | None]:
    """The source line as printed: tabs made visible (→), cut to QUOTED_WIDTH around the column."""
    shown = line.replace("\t", "→")
    if len(shown) <= QUOTED_WIDTH:
        return shown, column
    start = max(0, min((column or 1) - 1 - QUOTED_WIDTH // 2, len(shown) - QUOTED_WIDTH))
    cut = ("…" if start else "") + shown[start:start + QUOTED_WIDTH] + ("…" if start + QUOTED_WIDTH < len(shown) else "")
    return cut, (column - start + (1 if start else 0)) if column else None


def _caret(shown: str, column: int) -> str:
    """Spaces up to the column, then ``^`` (a column past the end points just after the text)."""
    return " " * (min(column, len(shown) + 1) - 1) + "^"


def did_you_mean(value: str, choices: Iterable[str]) -> str:
    """Return a 'did you mean ...?' hint for a misspelt value, or '' when nothing is close."""
    matches = difflib.get_close_matches(value, sorted(choices), n=1, cutoff=0.6)
    return f"did you mean {matches[0]!r}?" if matches else ""

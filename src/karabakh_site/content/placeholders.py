"""Find what `new` and `import` leave for an editor, so that nothing unfinished is published (#14).

`new` writes every front matter key, most of them empty, and a source note that starts
with "TODO:"; `import` writes a ``todo`` list of what an editor must do and, when it had
to make the title from the first sentence, ``title_confirmed: false``. A document keeps
them while it is a draft (``draft: true``); outside a draft, each one is a problem at its
line. The body is never checked: it is the reproduced text, the evidence.
"""

from __future__ import annotations

import re

from karabakh_site.errors import Problems
from karabakh_site.content.load import LineDict

TODO_MARKER = re.compile(r"\bTODO\b")
"""The marker `new` and `import` put in a value the editor must write (e.g. the source note)."""
MAX_SHOWN = 60

_DRAFT_HINT = "or keep 'draft: true' until it is done"
_REPORTED_ELSEWHERE = frozenset({"title"})
"""Keys whose emptiness model.py already reports as a missing required value."""


def check_placeholders(front_matter: LineDict, path: str, problems: Problems) -> None:
    """Report every placeholder left in a published document's front matter, each at its line."""
    if "todo" in front_matter:
        count = len(front_matter["todo"]) if isinstance(front_matter["todo"], list) else 0
        left = f"still lists {count} {'thing' if count == 1 else 'things'} an editor must do" if count else "is left"
        problems.add(path, front_matter.line_of("todo"),
                     f"'todo' {left} before the document is published",
                     f"do each, then delete the 'todo' list, {_DRAFT_HINT}")
    if front_matter.get("title_confirmed") is False:
        problems.add(path, front_matter.line_of("title_confirmed"),
                     "the title was written by import from the text's first sentence and has not been confirmed",
                     f"check the title, then delete 'title_confirmed: false', {_DRAFT_HINT}")
    _check_mapping(front_matter, "", path, problems)


def _check_mapping(mapping: LineDict, prefix: str, path: str, problems: Problems) -> None:
    for key, value in mapping.items():
        if key in ("todo", "title_confirmed") and not prefix:
            continue
        name = f"{prefix}{key}"
        line = mapping.line_of(key)
        if value is None and name not in _REPORTED_ELSEWHERE:
            problems.add(path, line, f"{name!r} is empty",
                         f"give its value or delete the key, {_DRAFT_HINT}")
        elif isinstance(value, str):
            _check_text(value, name, line, path, problems)
        elif isinstance(value, LineDict):
            _check_mapping(value, f"{name}.", path, problems)
        elif isinstance(value, list):
            for index, item in enumerate(value):
                if isinstance(item, str):
                    _check_text(item, f"{name}[{index + 1}]", mapping.line_of_item(key, index), path, problems)
                elif isinstance(item, LineDict):
                    _check_mapping(item, f"{name}[{index + 1}].", path, problems)


def _check_text(value: str, name: str, line: int, path: str, problems: Problems) -> None:
    if TODO_MARKER.search(value):
        shown = value if len(value) <= MAX_SHOWN else value[:MAX_SHOWN] + "…"
        problems.add(path, line, f"{name!r} still holds a TODO placeholder: {shown!r}",
                     f"write the real value, {_DRAFT_HINT}")

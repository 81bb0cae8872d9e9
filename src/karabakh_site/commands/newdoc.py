"""Start a new article or page: a file with every front matter key, ready to fill in.

The file is a draft (``draft: true``): ``serve`` and ``build --drafts`` show it with a
"Draft" banner, ``build`` and ``check`` leave it out. Its ``source`` note starts with
"TODO:" and its other values are empty; once ``draft: true`` is deleted, each of these
placeholders is an error at its line until an editor fills it in or deletes it (#14).
"""

from __future__ import annotations

import os
from pathlib import Path

import yaml

from karabakh_site.content.model import RESERVED_PAGE_SLUGS
from karabakh_site.text.slugs import slugify

MAX_SLUG_LENGTH = 60
KINDS = {"article": "articles", "page": "pages"}
"""The kinds of document `new` can start, and the folder of content/ each goes in."""

TODO_SOURCE_NOTE = "TODO: name the outlet, or say why it is unknown"

_DATE_HELP = """\
# date: EDTF, at the precision the text gives, never more; leave it out when undated.
#   "2025-07-19" a day, "2021-07" a month, "1994" a year, "2021-07~" approximate,
#   "1993-04-02?" uncertain, "1988/1992" a range, "2023-07-21/2023-07-22" a range of days
# date: "YYYY-MM-DD"
"""

DRAFT_LINE = "draft: true                # delete when it is ready: then every TODO and empty key is an error (#14)\n"

_ARTICLE_TEMPLATE = """\
---
{modeline}
{draft}title: {title}
title_by: source           # "source": the text's own headline; "archive": the text has none, the archive wrote it
type:                      # speech, interview, news-report, statement or table: only where the text makes it plain
{date_help}date_note:                 # why the date is approximate or absent
source:
  name:                    # the outlet, only if the text names it
  via:                     # an agency or outlet the report cites
  url:                     # only a real, known address; never invented
  note: {todo}
original:                  # the file in content/sources/ it was made from
speakers: []
tags: []
territories: []            # territory ids from chronology.yaml
summary:                   # one or two sentences in attributive voice: "The report says ..."
edits: []                  # every repair of the original: - {{from: "...", to: "...", why: "..."}}
# language: en             # the language the text was received in, when not site.yaml's language (#16)
---

"""

_PAGE_TEMPLATE = """\
---
{modeline}
{draft}title: {title}
summary:                   # optional description for search engines
---

"""


def new_document(content_dir: Path, kind: str, title: str) -> Path:
    """Write a new article or page titled ``title`` under ``content_dir`` and return its path."""
    if kind not in KINDS:
        raise ValueError(f"unknown kind {kind!r}; expected one of {', '.join(KINDS)}")
    if not title.strip():
        raise ValueError("the title is empty; give the document's title, e.g. new article \"Title\"")
    title = " ".join(title.split())
    slug = slug_for_title(title, fallback=kind)
    if kind == "page" and slug in RESERVED_PAGE_SLUGS:
        raise ValueError(f"page slug {slug!r} is reserved for the site's own pages; choose another title")
    path = content_dir / KINDS[kind] / f"{slug}.md"
    template = _ARTICLE_TEMPLATE if kind == "article" else _PAGE_TEMPLATE
    text = template.format(modeline=schema_modeline(path, kind), title=yaml_scalar(title), date_help=_DATE_HELP,
                           todo=yaml_scalar(TODO_SOURCE_NOTE), draft=DRAFT_LINE)
    write_new_file(path, text)
    return path


def schema_modeline(path: Path, kind: str) -> str:
    """The YAML comment naming the schema of a new file: schemas/<kind>.json beside the content folder.

    A YAML language server reads it where it sees the front matter as YAML (#14); the
    loader reads it as the comment it is. The path is relative, so it works in any clone.
    """
    schema = path.parent.parent.parent / "schemas" / f"{kind}.json"
    return f"# yaml-language-server: $schema={Path(os.path.relpath(schema, path.parent)).as_posix()}"


def slug_for_title(title: str, fallback: str = "untitled") -> str:
    """Make a file name from a title in any script: readable ASCII, cut at a hyphen to 60 characters."""
    slug = slugify(title, fallback=fallback)
    if len(slug) <= MAX_SLUG_LENGTH:
        return slug
    cut = slug[:MAX_SLUG_LENGTH + 1]
    head, hyphen, _tail = cut.rpartition("-")
    return head if hyphen and head else slug[:MAX_SLUG_LENGTH].rstrip("-")


def yaml_scalar(value: str) -> str:
    """Write text as one double-quoted YAML scalar on one line, whatever quotes, colons or script it has."""
    dumped = yaml.safe_dump(value, allow_unicode=True, default_style='"', width=float("inf"))
    return dumped.removesuffix("\n").removesuffix("\n...")


def refuse_existing(path: Path) -> None:
    """Raise FileExistsError if ``path`` or a name differing from it only by case exists."""
    if path.exists():
        raise FileExistsError(f"{path} already exists; not overwritten")
    if path.parent.is_dir():
        for other in path.parent.iterdir():
            if other.name.casefold() == path.name.casefold():
                raise FileExistsError(f"{other} already exists (its name differs from {path.name} only by "
                                      "case, which is the same file on macOS and Windows); not overwritten")


def write_new_file(path: Path, text: str) -> None:
    """Create ``path`` (and its folder) with ``text``, never replacing an existing file."""
    refuse_existing(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("x", encoding="utf-8", newline="\n") as file:
        file.write(text)

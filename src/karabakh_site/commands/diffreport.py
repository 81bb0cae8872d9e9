"""Write a SiteDiff for its readers: the terminal, a pull request's job summary, scripts (#17).

``human`` is for a terminal, ``markdown`` for ``$GITHUB_STEP_SUMMARY`` (GitHub-flavoured:
tables, ~~struck~~ removed and **bold** added words), ``json`` for scripts, and the list of
changed pages for the screenshot script. The words quoted are the pages' own: the report adds
none of its own about the content.
"""

from __future__ import annotations

import json
import re
from dataclasses import asdict

from karabakh_site.commands.datadiff import FigureChange
from karabakh_site.commands.sitediff import KINDS, EditChange, FileChange, SiteDiff, TextChange

KIND_TITLES = {"documents": "Documents", "territories": "Territories", "chronology": "Chronology",
               "indexes": "Indexes", "feeds": "Feeds", "data": "Data", "other": "Other pages and files"}
MAX_FILES_PER_KIND = 40
"""Files listed per group in the Markdown summary; the rest are counted (a template change
touches every page, and GitHub cuts a job summary at 1 MiB)."""
SUBJECTS = {"territory": "Territory", "event": "Event", "document": "Document"}
FIELDS = {"area_km2": "area", "name": "name", "date": "date"}


def counts_line(diff: SiteDiff) -> str:
    """``2 pages changed, 1 added, 0 removed; 3 changed in markup only; 2 other files changed``."""
    pages = [change for change in diff.files if change.is_page]
    by_status = {status: sum(1 for c in pages if c.status == status) for status in ("changed", "added", "removed", "markup")}
    line = f"{by_status['changed']} {'page' if by_status['changed'] == 1 else 'pages'} changed, " \
           f"{by_status['added']} added, {by_status['removed']} removed"
    if by_status["markup"]:
        line += f"; {by_status['markup']} changed in markup only"
    others = len(diff.files) - len(pages)
    if others:
        line += f"; {others} other {'file' if others == 1 else 'files'} changed"
    return line


def figure_row(change: FigureChange) -> tuple[str, str, str]:
    """(what, before, after) of one figure, e.g. ("Territory kalbajar (Kalbajar): area", "3,054 km²", "3,100 km²")."""
    unit = " km²" if change.field in ("area_km2", "km2") else ""
    before = f"{change.before}{unit}" if change.before is not None else "—"
    after = f"{change.after}{unit}" if change.after is not None else "—"
    if change.subject == "total":
        return change.label, before, after
    what = f"{SUBJECTS[change.subject]} {change.id}" + (f" ({change.label})" if change.label else "")
    if change.field in ("added", "removed"):
        return f"{what}: {change.field}", before, after
    return f"{what}: {FIELDS[change.field]}", before, after


def human_report(diff: SiteDiff, old_name: str, new_name: str) -> str:
    """The report for a terminal: git's word-diff markers ([-removed-]{+added+})."""
    if diff.is_empty:
        return f"{old_name} and {new_name} show the same site ({diff.compared} files compared; pagefind/ aside)."
    lines = [f"{old_name} → {new_name}: {counts_line(diff)}."]
    if diff.figures:
        lines += ["", "Figures"]
        lines += [f"  {what}: {before} → {after}" for what, before, after in map(figure_row, diff.figures)]
    for kind in KINDS:
        changes = diff.of_kind(kind)
        if not changes:
            continue
        lines += ["", f"{KIND_TITLES[kind]} ({len(changes)})"]
        for change in changes:
            lines.append(f"  {change.status:<8} {change.shown_path}" + (f"  “{change.title}”" if change.title else ""))
            lines += [f"      {_plain_change(text)}" for text in change.text_changes]
            if change.more_changes:
                lines.append(f"      … and {change.more_changes} more {_changes(change.more_changes)}")
            lines += [f"      edits: {_plain_edit(edit)}" for edit in change.edit_changes]
    return "\n".join(lines)


def _plain_change(change: TextChange) -> str:
    removed = f"[-{' '.join(change.removed)}-]" if change.removed else ""
    added = f"{{+{' '.join(change.added)}+}}" if change.added else ""
    return " ".join(part for part in ("…", *change.before, removed + added, *change.after, "…") if part)


def _plain_edit(edit: EditChange) -> str:
    original, replacement, why = (*edit.row, "", "", "")[:3]
    text = f"{edit.status}: “{original}” → {replacement}" + (f" ({why})" if why else "")
    if edit.status == "changed" and edit.previous is not None and len(edit.previous) > 1:
        text += f"; was: {edit.previous[1]}"
    return text


def _changes(count: int) -> str:
    return "change" if count == 1 else "changes"


# --- Markdown, for the pull request's job summary ----------------------------------------

_MARKDOWN_ACTIVE = re.compile(r"([\\`*_{}\[\]<>()#+\-.!|~])")


def escape(text: str) -> str:
    """Text shown as itself in GitHub Markdown: every Markdown-active character escaped."""
    return _MARKDOWN_ACTIVE.sub(r"\\\1", text)


def markdown_report(diff: SiteDiff, heading: str = "What this change does to the site") -> str:
    """The report for ``$GITHUB_STEP_SUMMARY``: counts, figures in a table, changed pages by kind."""
    lines = [f"## {escape(heading)}", ""]
    if diff.is_empty:
        lines.append(f"No page, file or figure differs ({diff.compared} files compared; the search index aside).")
        return "\n".join(lines) + "\n"
    lines += [f"**{escape(counts_line(diff))}** (the search index, pagefind/, is not compared).", ""]
    if diff.figures:
        lines += ["### Figures", "", "| Figure | Before | After |", "| --- | --- | --- |"]
        lines += ["| " + " | ".join(map(escape, row)) + " |" for row in map(figure_row, diff.figures)]
        lines.append("")
    for kind in KINDS:
        changes = diff.of_kind(kind)
        if not changes:
            continue
        lines += [f"### {KIND_TITLES[kind]} ({len(changes)})", ""]
        for change in changes[:MAX_FILES_PER_KIND]:
            lines += _markdown_file(change)
        if len(changes) > MAX_FILES_PER_KIND:
            lines.append(f"- … and {len(changes) - MAX_FILES_PER_KIND} more")
        lines.append("")
    return "\n".join(lines)


def _markdown_file(change: FileChange) -> list[str]:
    status = "changed in markup only" if change.status == "markup" else change.status
    title = f" — {escape(change.title)}" if change.title else ""
    lines = [f"- **{status}** `{change.shown_path}`{title}"]
    lines += [f"  - {_markdown_change(text)}" for text in change.text_changes]
    if change.more_changes:
        lines.append(f"  - … and {change.more_changes} more {_changes(change.more_changes)}")
    for edit in change.edit_changes:
        original, replacement, why = (*edit.row, "", "", "")[:3]
        text = f"  - Recorded edit {edit.status}: “{escape(original)}” → {escape(replacement)}"
        if edit.status == "changed" and edit.previous is not None and len(edit.previous) > 1:
            text += f" (was: {escape(edit.previous[1])})"
        lines.append(text + (f" — {escape(why)}" if why else ""))
    return lines


def _markdown_change(change: TextChange) -> str:
    removed = f"~~{escape(' '.join(change.removed))}~~" if change.removed else ""
    added = f"**{escape(' '.join(change.added))}**" if change.added else ""
    context = [escape(" ".join(change.before)), " ".join(filter(None, (removed, added))), escape(" ".join(change.after))]
    return "… " + " ".join(part for part in context if part) + " …"


def json_report(diff: SiteDiff) -> str:
    """Everything, for scripts: the files with their word changes, the figures, the changed pages."""
    data = asdict(diff)
    data["changed_pages"] = diff.changed_pages()
    return json.dumps(data, ensure_ascii=False, indent=2)

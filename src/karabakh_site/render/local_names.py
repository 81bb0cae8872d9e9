"""A territory's name as each interface shows it: in the interface's language, with the site's alongside (#16).

Why alongside and not instead: the documents are not translated, so a reader of the Russian
interface meets "Kalbajar" in the texts; "Кельбаджар (Kalbajar)" names the territory in their
language and in the texts' at once. Where chronology.yaml gives no name in a language, the
interface shows the site's name alone rather than a spelling the archive did not choose.
"""

from __future__ import annotations

from markupsafe import Markup, escape


def local_name(subject: object, language: str) -> str | None:
    """The name ``subject`` (a territory) has in ``language``, when it differs from its own."""
    name_in = getattr(subject, "name_in", None)
    local = name_in(language) if name_in is not None else None
    return local if local and local != subject.name else None


def shown_name(subject: object, language: str) -> str:
    """The name as plain text, for titles, descriptions and charts: 'Кельбаджар (Kalbajar)'."""
    local = local_name(subject, language)
    return f"{local} ({subject.name})" if local else subject.name


def shown_name_html(subject: object, language: str, default: str) -> Markup:
    """The name as HTML, the site's name marked with its language ``default`` for screen readers."""
    local = local_name(subject, language)
    if local is None:
        return escape(subject.name)
    return Markup('{} (<span lang="{}">{}</span>)').format(local, default, subject.name)

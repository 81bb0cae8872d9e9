"""Citations of a document: a plain reference and a BibTeX entry, from its metadata only.

Nothing is invented: a missing outlet or date is left out (or said to be missing),
and the archive page's own URL is the address cited.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from karabakh_site.text.dates import EdtfDate, format_date
from karabakh_site.render.strings import date_words
from karabakh_site.content.model import Article, SiteConfig

_BIBTEX_SPECIAL = re.compile(r"([{}\\&%$#_^~])")
_RAW_FIELDS = ("url", "date")
"""Fields written as they are: biber parses an EDTF ``date`` itself, so '2021-07~' must stay
'2021-07~' (escaped as '2021-07\\~' it is no date), and the only EDTF characters, 0-9 - / . ~ ? %,
cannot end a braced BibTeX value early."""
ARCHIVE_TITLE_NOTE = "Title given by the archive"
"""Said in a BibTeX entry's ``note`` beside the bracketed title (BibTeX entries are in English)."""
_ENDS_A_SENTENCE = re.compile(r"[.!?…][”’\"'»]*$")
"""A part already ending in a full stop, question or exclamation mark or ellipsis, also inside closing
quotes ('… AZERTAC.”', '“Why?”'), takes no second stop: '“… AZERTAC.”.' doubled it (#15). A bracket
closes an aside, not the sentence: '(approx.)' is still followed by one."""
_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")


def plain_citation(article: Article, site: SiteConfig, url: str, strings: Mapping[str, object]) -> str:
    """E.g. 'Title. News.Az, citing AZERTAC, 21 August 2025. Speakers: …. In: Karabakh Archive. URL.'"""
    parts = [_sentence(_cited_title(article, "“{}”"))]
    via = f"{strings['citing']} {article.source.via}" if article.source.via else None
    source = ", ".join(filter(None, [article.source.name, via]))
    when = format_date(article.date, words=date_words(strings))
    parts.append(_sentence(", ".join(filter(None, [source, when]))))
    if article.speakers:
        parts.append(_sentence(f"{strings['cite_speakers']}: " + ", ".join(article.speakers)))
    parts.append(_sentence(f"{strings['cite_in']}: {site.title}"))
    parts.append(url)
    return " ".join(parts)


def _cited_title(article: Article, headline_form: str) -> str:
    """The title as cited: a headline in ``headline_form``, a title the archive gave in square brackets.

    Why brackets: citation styles (Chicago, APA) bracket a title the citer supplied, so no reader
    takes it for the publisher's headline (#12).
    """
    return f"[{article.title}]" if article.title_by == "archive" else headline_form.format(article.title)


def _sentence(text: str) -> str:
    """The part ended with a full stop, unless its own punctuation already ends it."""
    return text if _ENDS_A_SENTENCE.search(text) else text + "."


def bibtex_citation(article: Article, site: SiteConfig, url: str) -> str:
    """A @misc entry keyed by the slug; dates go in biblatex's EDTF-aware ``date`` field."""
    fields = [("title", _cited_title(article, "{}"))]
    publisher = ", ".join(filter(None, [article.source.name, f"citing {article.source.via}" if article.source.via else None]))
    if publisher:
        fields.append(("howpublished", publisher))
    fields += _date_fields(article.date)
    notes = [ARCHIVE_TITLE_NOTE] if article.title_by == "archive" else []
    notes += ["Speakers: " + ", ".join(article.speakers)] if article.speakers else []
    if notes:
        fields.append(("note", ". ".join(notes)))
    fields += [("organization", site.title), ("url", url)]
    body = ",\n".join(_bibtex_field(name, value) for name, value in fields)
    return f"@misc{{{article.slug},\n{body}\n}}"


def _bibtex_field(name: str, value: str) -> str:
    if name == "month":
        return f"  month = {value}"
    return f"  {name} = {{{value if name in _RAW_FIELDS else _escape(value)}}}"


def _date_fields(date: EdtfDate | None) -> list[tuple[str, str]]:
    """The EDTF date as written, which biblatex reads (``2021-07~``, ``2021-07-20/..``).

    ``year`` and ``month``, for BibTeX styles that know no ``date``, only for an exact date:
    they cannot say "approximately" or "or later", so there they would state more than the text.
    """
    if date is None:
        return []
    fields = [("date", date.text)]
    if date.is_exact:
        fields.append(("year", str(date.start.year)))
        if date.start.month:
            fields.append(("month", _MONTHS[date.start.month - 1]))
    return fields


def _escape(value: str) -> str:
    return _BIBTEX_SPECIAL.sub(r"\\\1", value)

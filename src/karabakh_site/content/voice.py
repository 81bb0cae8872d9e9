"""The archive's own voice: contested terms may appear in archive-written text only as quotations.

The archive reproduces published texts and attributes; it never states contested facts
itself (issue 12). Words such as "occupation", "liberation" or "terrorist" take a side
when the archive uses them, and are evidence when a source does. So in every text the
archive writes (event titles and notes, territory notes, summaries, notes on sources and
dates, the reasons for edits, titles it gives, its pages and its interface strings) such a
word must stand inside quotation marks, where it is the source's word and the text says
whose. The reproduced texts and their own headlines are never checked: they are the evidence.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator

import yaml

from karabakh_site.errors import Problems
from karabakh_site.content.load import LineDict, RawContent, RawDocument

CONTESTED_TERMS_BY_LANGUAGE: dict[str, tuple[tuple[str, str], ...]] = {
    "en": (
        ("occupation", r"occupations?|occup(?:y|ies|ied|ying)|occupiers?|occupants?"),
        ("de-occupation", r"deoccupation"),
        ("liberation", r"liberat(?:e|es|ed|ing|ion|ions|or|ors)"),
        ("aggression", r"aggressions?|aggressors?"),
        ("invasion", r"invasions?|invad(?:e|es|ed|ing|er|ers)"),
        ("annexation", r"annex(?:ation|ed|ing)"),
        ("junta", r"juntas?"),
        ("genocide", r"genocides?|genocidal"),
        ("massacre", r"massacres?|massacred|pogroms?"),
        ("ethnic cleansing", r"ethnic(?:ally)?\s+cleans(?:ing|ed)"),
        ("deportation", r"deportations?|deported"),
        ("terrorist", r"(?:anti|counter)?-?terror(?:ism|ist|ists)?"),
        ("separatist", r"separatis(?:t|ts|m)"),
        ("capitulation", r"capitulat(?:e|es|ed|ing|ion)"),
        ("surrender", r"surrender(?:s|ed|ing)?"),
        ("puppet", r"puppets?"),
        ("illegal", r"illegal(?:ly)?"),
        ("so-called", r"so-called|self-proclaimed"),
        ("enemy", r"enem(?:y|ies)"),
        ("martyr", r"martyrs?|martyrdom"),
        ("victory", r"victor(?:y|ies|ious)"),
        ("war crime", r"war\s+crimes?"),
        ("Patriotic War", r"patriotic\s+war"),
        ("Zangezur corridor", r"zangezur\s+corridor"),
        ("Artsakh", r"artsakh"),
        ("Western Azerbaijan", r"western\s+azerbaijan"),
    ),
    # Russian stems, folded: ё is е and й is и (NFKD drops their marks), so Азербайджан is 'азербаиджан'.
    "ru": (
        ("оккупация", r"(?:де)?оккупа\w*|оккупир\w*"),
        ("освобождение", r"освобожд\w*|освобод\w*"),
        ("агрессия", r"агресс\w*"),
        ("вторжение", r"вторж\w*|вторг\w*"),
        ("аннексия", r"аннекс\w*"),
        ("хунта", r"хунт\w*"),
        ("геноцид", r"геноцид\w*"),
        ("резня", r"резн\w*|погром\w*"),
        ("этническая чистка", r"этническ\w*\s+чистк\w*"),
        ("депортация", r"депорт\w*"),
        ("терроризм", r"(?:анти|контр)?-?террор\w*"),
        ("сепаратизм", r"сепаратис\w*"),
        ("капитуляция", r"капитул\w*|сдач\w*"),
        ("марионетка", r"марионет\w*"),
        ("незаконный", r"незаконн\w*|нелегальн\w*"),
        ("так называемый", r"так\s+называем\w*|самопровозглаш\w*"),
        ("враг", r"враг\w*|вражеск\w*"),
        ("шехид", r"шехид\w*|мученик\w*|мученич\w*"),
        ("победа", r"побед\w*"),
        ("военные преступления", r"военн\w*\s+преступлен\w*"),
        ("Отечественная война", r"отечественн\w*\s+воин\w*"),
        ("Зангезурский коридор", r"зангезурск\w*\s+коридор\w*"),
        ("Арцах", r"арцах\w*"),
        ("Западный Азербайджан", r"западн\w*\s+азербаидж\w*"),
    ),
    # Azerbaijani stems, folded: işğal is 'isgal', təcavüz 'tecavuz', şəhid 'sehid' (ı and ə by _EXTRA_FOLDS).
    "az": (
        ("işğal", r"(?:de)?isgal\w*"),
        ("azad etmə", r"azad\w*"),
        ("təcavüz", r"tecavuz\w*"),
        ("istila", r"istila\w*"),
        ("ilhaq", r"ilhaq\w*|anneks\w*"),
        ("xunta", r"xunta\w*"),
        ("soyqırım", r"soyqirim\w*|genosid\w*"),
        ("qırğın", r"qirgin\w*|qetliam\w*|pogrom\w*"),
        ("etnik təmizləmə", r"etnik\s+temizl\w*"),
        ("deportasiya", r"deport\w*|surgun\w*"),
        ("terror", r"(?:anti)?-?terror\w*"),
        ("separatçı", r"separat(?:c|izm)\w*"),
        ("kapitulyasiya", r"kapitul\w*|teslim\w*"),
        ("kukla", r"kukla\w*"),
        ("qanunsuz", r"qanunsuz\w*|qeyri-?qanuni\w*"),
        ("sözdə", r"sozde|qondarma\w*|ozunu\s+elan\s+etm\w*"),
        ("düşmən", r"dusmen\w*"),
        ("şəhid", r"sehid\w*"),
        ("qələbə", r"qelebe\w*|zefer\w*"),
        ("hərbi cinayət", r"herbi\s+cinayet\w*"),
        ("Vətən müharibəsi", r"veten\s+muharibe\w*"),
        ("Zəngəzur dəhlizi", r"zengezur\w*\s+dehliz\w*"),
        ("Artsax", r"ar(?:t)?sax\w*"),
        ("Qərbi Azərbaycan", r"qerbi\s+azerbaycan\w*"),
    ),
    # Armenian stems, folded: the ligature և is եւ (NFKD), so Արևմտյան is 'արեւմտյան'.
    "hy": (
        ("օկուպացիա", r"օկուպա\w*|գրավյալ\w*|զավթ\w*"),
        ("ազատագրում", r"ազատագր\w*"),
        ("ագրեսիա", r"ագրես\w*"),
        ("ներխուժում", r"ներխուժ\w*"),
        ("բռնակցում", r"բռնակց\w*|անեքս\w*"),
        ("խունտա", r"խունտա\w*"),
        ("ցեղասպանություն", r"ցեղասպան\w*|գենոցիդ\w*"),
        ("ջարդ", r"ջարդ\w*|կոտորած\w*|պոգրոմ\w*"),
        ("էթնիկ զտում", r"էթնիկ\w*\s+զտ\w*"),
        ("արտաքսում", r"արտաքս\w*|դեպորտաց\w*"),
        ("ահաբեկչություն", r"(?:հակա)?ահաբեկ\w*|տեռոր\w*"),
        ("անջատողական", r"անջատողակ\w*|սեպարատիս\w*"),
        ("կապիտուլյացիա", r"կապիտուլյաց\w*|հանձնվ\w*"),
        ("խամաճիկ", r"խամաճիկ\w*"),
        ("ապօրինի", r"ապօրինի\w*|անօրինական\w*"),
        ("այսպես կոչված", r"այսպես\s+կոչված\w*|ինքնահռչակ\w*"),
        ("թշնամի", r"թշնամ\w*"),
        ("նահատակ", r"նահատակ\w*|շահիդ\w*|շեհիդ\w*"),
        ("հաղթանակ", r"հաղթանակ\w*"),
        ("ռազմական հանցագործություն", r"ռազմական\s+հանցագործ\w*"),
        ("Հայրենական պատերազմ", r"հայրենական\s+պատերազմ\w*"),
        ("Զանգեզուրի միջանցք", r"զանգեզուր\w*\s+միջանցք\w*"),
        ("Արցախ", r"արցախ\w*"),
        ("Արևմտյան Ադրբեջան", r"արեւմտյան\s+ադրբեջան\w*"),
    ),
}
"""Words that take a side in the conflict, in each language the archive writes, with their forms,
matched as whole words in any case and with diacritics folded (``fold``).

Why these: each names or characterises what the sides dispute (who holds land by right, who
attacked, who is a criminal, what a war or a region is called), so the archive may use them
only when quoting a source. Neutral words for the same things exist: "control", "forces",
"the 2020 war", "the operation of 19–20 September 2023" (or the source's words in quotes).
Names of places are not listed: the chronology records each territory's names in all languages.
Every text is checked against every language's list: an English note may quote a Russian word,
and a strings file is not trusted to hold only its own language. The stems are broad on purpose
(Azerbaijani azad also means "free"): a neutral word is always at hand, a missed term is not.
"""
CONTESTED_TERMS: tuple[tuple[str, str], ...] = tuple(
    term for terms in CONTESTED_TERMS_BY_LANGUAGE.values() for term in terms)
"""Every language's terms in one list, as the check uses them."""

_TERM_PATTERN = re.compile(r"(?<!\w)(?:" + "|".join(f"(?:{p})" for _, p in CONTESTED_TERMS) + r")(?!\w)")
_EXTRA_FOLDS = {"ı": "i", "ə": "e", "ß": "ss", "ø": "o", "đ": "d", "ł": "l"}
QUOTE_PAIRS = {"“": "”", "«": "»", "‘": "’", '"': '"'}
"""Opening and closing quotation marks; '"' both opens and closes. Pairs may nest."""
_MARKDOWN_CODE = re.compile(r"`+[^`]*`+")
_MARKDOWN_LINK_TARGET = re.compile(r"\]\([^)\s]*(?:\s+\"[^\"]*\")?\)|<https?://[^>]*>")

HINT = ("quote the source's own words in “…” and say whose they are, e.g. “occupation”, as "
        "“The Occupation in Figures” calls it; or use neutral words")


def fold(text: str) -> tuple[str, list[int]]:
    """``text`` in lower case without diacritics, and for each folded character its index in ``text``.

    Why per character: a match in the folded text must be reported, and looked up in the
    quotation spans, at its place in the text the editor wrote.
    """
    folded, origins = [], []
    for index, character in enumerate(text):
        plain = _fold_character(character)
        folded.append(plain)
        origins.extend([index] * len(plain))
    return "".join(folded), origins


def _fold_character(character: str) -> str:
    plain = _EXTRA_FOLDS.get(character.lower())
    if plain is None:
        decomposed = unicodedata.normalize("NFKD", character)
        plain = "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()
    return plain


class _FoldTable(dict):
    """``str.translate`` table giving each character its fold, worked out once per character:
    ``text.translate(_FOLDS)`` is ``fold(text)[0]`` at the speed of C."""

    def __missing__(self, code: int) -> str:
        self[code] = _fold_character(chr(code))
        return self[code]


_FOLDS = _FoldTable()


def quoted_spans(text: str) -> list[tuple[int, int]]:
    """The (start, end) index of every quotation in ``text``, marks included; an unclosed one is none.

    Why a stack: quotations nest (“the junta … calls itself “presidents””), and an apostrophe
    (’) closes nothing unless a ‘ is open.
    """
    spans, open_marks = [], []
    for index, character in enumerate(text):
        if open_marks and character == QUOTE_PAIRS[text[open_marks[-1]]]:
            spans.append((open_marks.pop(), index))
        elif character in QUOTE_PAIRS:
            open_marks.append(index)
    return spans


def unquoted_terms(text: str) -> Iterator[tuple[int, str]]:
    """Each contested term of ``text`` outside quotation marks: its index and the word as written.

    Most texts hold no contested term at all: the folded text is searched first, and the
    place of each folded character in the text worked out only when it holds one (#13:
    the check of 10,000 summaries took a second)."""
    if _TERM_PATTERN.search(text.translate(_FOLDS)) is None:
        return
    folded, origins = fold(text)
    spans = quoted_spans(text)
    for found in _TERM_PATTERN.finditer(folded):
        start, end = origins[found.start()], origins[found.end() - 1] + 1
        if not any(open_at < start and end <= close_at for open_at, close_at in spans):
            yield start, text[start:end]


def check_text(text: object, path: str, line: int, what: str, problems: Problems) -> None:
    """Report each contested term outside quotation marks in one archive-written value.

    ``line`` is the line of the value's key; a term on a later line of a multi-line value
    (a page body, a literal block) is reported at its own line.
    """
    if not isinstance(text, str):
        return  # a value of the wrong type is reported by model.py
    for start, word in unquoted_terms(text):
        problems.add(path, line + text.count("\n", 0, start),
                     f"{what} uses the contested term {word!r} outside quotation marks, in the "
                     "archive's own voice", HINT)


def check_voice(raw: RawContent) -> Problems:
    """Check every archive-written text of the content: site, chronology, articles, pages."""
    problems = Problems()
    if raw.site is not None:
        _check_fields(raw.site, ("title", "description"), raw.site_path, "the site", problems)
    if raw.chronology is not None:
        _check_chronology(raw.chronology, raw.chronology_path, problems)
    for document in raw.articles:
        _check_article(document, problems)
    for document in raw.pages:
        _check_page(document, problems)
    return problems


def _check_fields(mapping: object, keys: tuple[str, ...], path: str, what: str, problems: Problems) -> None:
    if isinstance(mapping, LineDict):
        for key in keys:
            check_text(mapping.get(key), path, mapping.line_of(key), f"{key!r} of {what}", problems)


def _items(mapping: LineDict, key: str) -> list[LineDict]:
    value = mapping.get(key)
    return [item for item in value if isinstance(item, LineDict)] if isinstance(value, list) else []


CHRONOLOGY_FIELDS = {
    "territories": ("note",), "places": ("note",), "not_mentions": ("why",),
    "events": ("title", "note", "date_basis"),
}
"""The archive-written keys of each list in chronology.yaml (names, ids and quotes are not prose)."""
CHRONOLOGY_ITEM_NAMES = {"territories": "territory", "places": "place", "not_mentions": "not_mentions phrase",
                         "events": "event"}
EVENT_SOURCE_FIELDS = ("date_basis", "note")


def _check_chronology(chronology: LineDict, path: str, problems: Problems) -> None:
    for list_key, keys in CHRONOLOGY_FIELDS.items():
        for item in _items(chronology, list_key):
            singular = CHRONOLOGY_ITEM_NAMES[list_key]
            what = f"{singular} {item.get('id')!r}" if isinstance(item.get("id"), str) else singular
            _check_fields(item, keys, path, what, problems)
            if list_key == "events":
                for cited in _items(item, "sources"):
                    _check_fields(cited, EVENT_SOURCE_FIELDS, path, f"a source of {what}", problems)


def _check_article(document: RawDocument, problems: Problems) -> None:
    front, path = document.front_matter, document.source_path
    keys = ("summary", "date_note", "title") if front.get("title_by") == "archive" else ("summary", "date_note")
    _check_fields(front, keys, path, "the article", problems)
    _check_fields(front.get("source"), ("note",), path, "the article's source", problems)
    edits = front.get("edits")
    for edit in edits if isinstance(edits, list) else []:
        _check_fields(edit, ("why",), path, "an edit", problems)


def _check_page(document: RawDocument, problems: Problems) -> None:
    """A page is the archive's own text throughout: its title, summary and body are checked.

    In the body, code (`occupation`, a kind's name) counts as quoted, and link targets
    (occupation-in-figures.md) are not words.
    """
    _check_fields(document.front_matter, ("title", "summary"), document.source_path, "the page", problems)
    body = _MARKDOWN_LINK_TARGET.sub(lambda found: "\n" * found.group().count("\n"), document.body)
    body = _MARKDOWN_CODE.sub(_as_quotation, body)
    check_text(body, document.source_path, document.body_line, "the page's text", problems)


def _as_quotation(code: re.Match) -> str:
    """A code span as a quotation of the same lines: a kind's name in code is a value, not the archive's word."""
    return "“" + re.sub(r"[^\n]", "x", code.group()[1:-1]) + "”"


def check_strings_voice(text: str, path: str) -> Problems:
    """Check every value of an interface strings file (keys are names, not shown).

    Why composed nodes: the table itself is loaded without line marks, and each problem
    must name the line of the string.
    """
    problems = Problems()
    try:
        root = yaml.compose(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except yaml.YAMLError:
        return problems  # strings.py reports the syntax error with its line
    for key, node in _string_nodes(root, ""):
        check_text(node.value, path, node.start_mark.line + 1, f"the interface string {key!r}", problems)
    return problems


def _string_nodes(node: yaml.Node | None, key: str) -> Iterator[tuple[str, yaml.ScalarNode]]:
    if isinstance(node, yaml.ScalarNode):
        yield key, node
    elif isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            yield from _string_nodes(value_node, f"{key}.{key_node.value}" if key else str(key_node.value))
    elif isinstance(node, yaml.SequenceNode):
        for number, item in enumerate(node.value):
            yield from _string_nodes(item, f"{key}[{number}]")

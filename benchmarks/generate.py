"""Write a deterministic synthetic archive in the project's content format, for benchmarks.

    python benchmarks/generate.py --docs N --out DIR [--seed S] [--force]

Writes DIR/site.yaml, DIR/chronology.yaml (40 territories, N/10 events), DIR/articles/
(N documents of 600-1,000 words) and DIR/pages/about.md, following docs/content.md: each
event quotes, from every document it cites, a sentence that states it with its date at the
date's precision (the document's opening paragraph ends with it), and nothing the archive
writes uses a contested term (src/karabakh_site/content/voice.py).
Everything comes from one ``random.Random(seed)`` drawing from fixed, sorted lists, so
the same arguments always give byte-identical files. Only the standard library is used.
"""

from __future__ import annotations

import argparse
import calendar
import json
import random
import shutil
import sys
import time
from dataclasses import dataclass
from pathlib import Path

TERRITORY_COUNT = 40
SPEAKER_COUNT = 200
TAG_COUNT = 150
MIN_WORDS, MAX_WORDS = 600, 1000
FIRST_YEAR, LAST_YEAR = 1988, 2025
EVENT_KINDS = ("occupation", "return", "agreement", "resolution", "statement", "other")

# Plain lowercase English words for the running text; none of them is a territory name
# (territory names are built from SYLLABLES and checked against this list).
WORDS = tuple("""
about above across after again against agency agreement air along also among and answer
any area around as at authority back because been before behind between border both
bridge building but by call camp capital case central change city civil clear coast
come commission committee common community conference could council country course
court crossing day decision delegation development did district down during each early
east economic electricity end energy every family far field first for foreign former
forum from future general given government great group had has have he health her here
high highway his history home hospital house however if important in information into
is issue it its joint just land large last late law leader least less line local long
made main many market may meeting member might mine ministry more morning most mountain
much must nation national near need never new news next night north not now number of
office official often old on once one only open or order other our out over own part
party peace people place plan point policy political power present president press
process program project public question rail region report representative return right
river road rural safe said same school second security session settlement several she
should side since small social some south special spokesperson state statement still
such summer system talks than that the their them then there these they this those
three through time to today town trade transport treaty two under union until up upon
valley very village visit was water way we week were west what when where which while
who will winter with within without work world year years yet young
""".split())

SYLLABLES = (
    "ag", "ar", "bal", "bej", "ben", "dam", "dash", "dor", "fir", "gan", "gil", "gub",
    "hor", "jeb", "kal", "kar", "kel", "kend", "kes", "lach", "lu", "mar", "mir", "nor",
    "ord", "pash", "qaz", "rai", "sar", "shu", "tal", "ter", "tov", "tug", "ulu", "vard",
    "xal", "yar", "zan", "zor",
)
AZERI_LETTERS = (("sh", "ş"), ("ch", "ç"), ("gh", "ğ"), ("a", "ə"), ("i", "ı"), ("o", "ö"), ("u", "ü"), ("g", "ğ"))
CYRILLIC = (
    ("sh", "ш"), ("ch", "ч"), ("zh", "ж"), ("kh", "х"), ("gh", "г"),
    ("a", "а"), ("b", "б"), ("d", "д"), ("e", "е"), ("f", "ф"), ("g", "г"), ("h", "х"),
    ("i", "и"), ("j", "дж"), ("k", "к"), ("l", "л"), ("m", "м"), ("n", "н"), ("o", "о"),
    ("p", "п"), ("q", "г"), ("r", "р"), ("s", "с"), ("t", "т"), ("u", "у"), ("v", "в"),
    ("x", "х"), ("y", "й"), ("z", "з"),
)
ALIAS_PREFIXES = ("Upper", "Lower", "New", "Old", "Greater")

FIRST_NAMES = (
    "Anar", "Anna", "Ayşə", "Brian", "Carlos", "Claire", "Çingiz", "David", "Elena",
    "Elmar", "Farid", "Gülnarə", "Hikmət", "Ilkin", "James", "Kamal", "Leyla", "Maria",
    "Nigar", "Olga", "Rauf", "Sevinc", "Şahin", "Tural", "Ulviyyə", "Vusal", "Zaur",
)
LAST_NAMES = (
    "Abbasov", "Aliyeva", "Bayramov", "Brown", "Dubois", "Əhmədov", "Garcia", "Hasanli",
    "Həsənov", "Ismayilova", "Jafarov", "Karimova", "Mammadov", "Müller", "Novak",
    "Quliyeva", "Rahimov", "Rossi", "Safarova", "Smith", "Təhməzov", "Yılmaz",
)
CYRILLIC_FIRST_NAMES = ("Алексей", "Анна", "Ирина", "Сергей", "Ольга")
CYRILLIC_LAST_NAMES = ("Петров", "Иванов", "Смирнов", "Кузнецов")
TAG_ADJECTIVES = (
    "Border", "Civil", "Cultural", "Economic", "Energy", "Environmental", "Humanitarian",
    "International", "Legal", "Local", "Maritime", "Military", "Regional", "Rural",
    "Social", "Urban", "Water", "Youth",
)
TAG_NOUNS = (
    "agreements", "archives", "cooperation", "corridors", "courts", "delimitation",
    "demining", "education", "elections", "heritage", "infrastructure", "media",
    "negotiations", "reconstruction", "refugees", "resettlement", "rights", "sanctions",
    "security", "trade",
)
OUTLETS = (
    "Caspian Daily", "Northern Herald", "Valley Times", "Harbour Post", "Mountain Courier",
    "Evening Bulletin", "Plain Dealer Review", "Regional Wire", "Bakı Xəbər", "Qafqaz Press",
    "The Morning Ledger", "Capital Observer", "Southern Gazette", "Eastern Monitor",
    "Новости Кавказа", "Weekly Dispatch", "Coastal Record", "City Reporter", "Open Forum",
    "The Review",
)
AGENCIES = ("Central Press Agency", "Regional News Agency", "State Information Service", "Xəbər Agentliyi", "Wire Service")
UNNAMED_NOTE = "The text does not name the outlet that published it."
TITLE_PATTERNS = (
    "Statement on {topic} in {place}", "Report on {topic}", "{speaker} on {topic}",
    "Interview with {speaker} about {place}", "Remarks on {topic} and {place}",
    "Briefing on {topic}", "Speech at the {place} {noun}",
)
MONTH_NAMES = tuple(calendar.month_name[1:])
# Event titles are the archive's own words: no contested term (src/karabakh_site/content/voice.py), so
# an `occupation` event is titled neutrally. The sentences the cited documents carry are the
# documents' words (quoted by the events), written neutrally too.
EVENT_TITLES = {
    "occupation": "Change of control in {places}",
    "return": "Return of {places}",
    "agreement": "Agreement on {topic} covering {places}",
    "resolution": "Resolution on {places}",
    "statement": "Statement on {topic} in {places}",
    "other": "Meeting on {topic} in {places}",
}
EVENT_SENTENCES = {
    "occupation": "{when} armed forces took control of {places}.",
    "return": "{when} control of {places} passed back to the government.",
    "agreement": "{when} the sides signed an agreement on {topic} covering {places}.",
    "resolution": "{when} the council adopted a resolution on {places}.",
    "statement": "{when} the ministry issued a statement on {topic} in {places}.",
    "other": "{when} delegations met to discuss {topic} in {places}.",
}
"""The sentence each cited document gets for an event; ``{when}`` states the date at its precision."""


@dataclass(frozen=True)
class Territory:
    """One territory of chronology.yaml, with every name it is written under."""

    id: str
    name: str
    aliases: tuple[str, ...]
    area_km2: int

    @property
    def names(self) -> tuple[str, ...]:
        return (self.name, *self.aliases)


@dataclass(frozen=True)
class Pools:
    """The fixed pools documents draw from: territories, speakers, tags, slugs."""

    territories: tuple[Territory, ...]
    speakers: tuple[str, ...]
    tags: tuple[str, ...]
    slugs: tuple[str, ...]


def main(argv: list[str] | None = None) -> int:
    """Parse the arguments, write the corpus and print its size."""
    args = _parse_args(argv)
    out = Path(args.out)
    if not _prepare_out(out, args.force):
        return 2
    started = time.perf_counter()
    files = generate_corpus(args.docs, args.seed)
    for relative, text in sorted(files.items()):
        path = out / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(text.encode("utf-8"))
    (out / "sources").mkdir(exist_ok=True)
    seconds = time.perf_counter() - started
    size = sum(len(text.encode("utf-8")) for text in files.values())
    print(f"{out}: {len(files)} files, {size / 1e6:.1f} MB ({size} bytes), "
          f"{args.docs} documents, generated in {seconds:.1f} s")
    return 0


def _parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--docs", type=int, required=True, help="number of documents (articles)")
    parser.add_argument("--out", required=True, help="folder to write the content into")
    parser.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
    parser.add_argument("--force", action="store_true",
                        help="replace site.yaml, chronology.yaml, articles/, pages/, sources/ in --out")
    args = parser.parse_args(argv)
    if args.docs < 1:
        parser.error("--docs must be at least 1")
    return args


def _prepare_out(out: Path, force: bool) -> bool:
    """Refuse a non-empty folder unless --force; then remove only what this script writes."""
    if out.exists() and any(out.iterdir()):
        if not force:
            print(f"error: {out} is not empty; pass --force to replace its corpus", file=sys.stderr)
            return False
        for name in ("articles", "pages", "sources"):
            shutil.rmtree(out / name, ignore_errors=True)
        for name in ("site.yaml", "chronology.yaml"):
            (out / name).unlink(missing_ok=True)
    out.mkdir(parents=True, exist_ok=True)
    return True


def generate_corpus(docs: int, seed: int) -> dict[str, str]:
    """Return {relative path: text} for the whole corpus."""
    rng = random.Random(seed)
    pools = Pools(
        territories=make_territories(rng),
        speakers=make_speakers(rng),
        tags=make_tags(rng),
        slugs=tuple(f"doc-{number:05d}" for number in range(1, docs + 1)),
    )
    files = {"site.yaml": render_site_yaml()}
    articles = {slug: render_article(rng, pools, slug) for slug in pools.slugs}
    chronology, statements = render_chronology(rng, pools, max(1, docs // 10))
    for slug, sentence in statements:
        front, blocks = articles[slug]
        blocks[0] += " " + sentence  # the opening paragraph states the event, in the quoted words
    for slug, (front, blocks) in articles.items():
        files[f"articles/{slug}.md"] = front + "\n\n".join(blocks) + "\n"
    files["chronology.yaml"] = chronology
    files["pages/about.md"] = render_about(pools)
    return files


# -- pools --------------------------------------------------------------------------


def make_territories(rng: random.Random) -> tuple[Territory, ...]:
    """Invent 40 territories whose names and aliases are unique, case-insensitively."""
    taken = {word.casefold() for word in WORDS}
    territories: list[Territory] = []
    while len(territories) < TERRITORY_COUNT:
        name = "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 3))).capitalize()
        if name.casefold() in taken or len(name) < 5:
            continue
        candidates = [_azeri_spelling(name), _cyrillic_spelling(name), f"{rng.choice(ALIAS_PREFIXES)} {name}"]
        aliases = [a for a in candidates if a.casefold() not in taken and a != name]
        aliases = tuple(aliases[: rng.randint(1, 3)])
        if not aliases or len({a.casefold() for a in aliases}) != len(aliases):
            continue
        taken.update(n.casefold() for n in (name, *aliases))
        territory_id = _ascii_slug(name)
        territories.append(Territory(territory_id, name, aliases, rng.randint(50, 5000)))
    return tuple(territories)


def _azeri_spelling(name: str) -> str:
    """Spell a name the Azerbaijani way (sh -> ş, a -> ə ...), keeping the capital."""
    head, tail = name[0], name[1:]
    for latin, azeri in AZERI_LETTERS:
        tail = tail.replace(latin, azeri)
    return head + tail


def _cyrillic_spelling(name: str) -> str:
    text = name.lower()
    for latin, cyrillic in CYRILLIC:
        text = text.replace(latin, cyrillic)
    return text[:1].upper() + text[1:]


def _ascii_slug(text: str) -> str:
    return "-".join("".join(c if c.isascii() and c.isalnum() else " " for c in text.lower()).split())


def make_speakers(rng: random.Random) -> tuple[str, ...]:
    names = sorted(
        [f"{first} {last}" for first in FIRST_NAMES for last in LAST_NAMES]
        + [f"{first} {last}" for first in CYRILLIC_FIRST_NAMES for last in CYRILLIC_LAST_NAMES]
    )
    return tuple(rng.sample(names, SPEAKER_COUNT))


def make_tags(rng: random.Random) -> tuple[str, ...]:
    tags = sorted(f"{adjective} {noun}" for adjective in TAG_ADJECTIVES for noun in TAG_NOUNS)
    return tuple(rng.sample(tags, TAG_COUNT))


# -- YAML scalars ---------------------------------------------------------------------


def q(text: str) -> str:
    """Quote as a YAML double-quoted scalar (JSON string syntax is valid YAML)."""
    return json.dumps(text, ensure_ascii=False)


def flow_list(items: list[str] | tuple[str, ...], quote: bool = True) -> str:
    return "[" + ", ".join(q(item) if quote else item for item in items) + "]"


# -- text -----------------------------------------------------------------------------


class TextWriter:
    """Writes one document's Markdown, counting its words and drawing mentions and links."""

    def __init__(self, rng: random.Random, pools: Pools, slug: str, featured: list[Territory], target: int):
        self.rng, self.pools, self.slug, self.featured = rng, pools, slug, featured
        self.target = target
        """Words to write; sentences stop being added once it is reached."""
        self.words = 0
        self.footnotes: list[str] = []
        self.footnote_rate = 0.0
        """Chance that a sentence gets a footnote; 0 for documents without notes."""

    def territory_name(self) -> str:
        """A name or alias, mostly of the document's own territories."""
        territories = self.featured if self.featured and self.rng.random() < 0.8 else self.pools.territories
        return self.rng.choice(self.rng.choice(territories).names)

    def plain_words(self, low: int, high: int) -> list[str]:
        return [self.rng.choice(WORDS) for _ in range(self.rng.randint(low, high))]

    def sentence(self, decorate: bool = True) -> str:
        words = self.plain_words(7, 17)
        self.words += len(words)
        if self.rng.random() < 0.45:
            words.insert(self.rng.randrange(1, len(words) + 1), self.territory_name())
            self.words += 1
        if decorate:
            self._decorate(words)
        if self.rng.random() < 0.25 and len(words) > 6:
            words[len(words) // 2] += ","
        words[0] = words[0][0].upper() + words[0][1:]
        text = " ".join(words) + "."
        if decorate and self.rng.random() < self.footnote_rate:
            text += f"[^{len(self.footnotes) + 1}]"
            self.footnotes.append(self.sentence(decorate=False))
        return text

    def _decorate(self, words: list[str]) -> None:
        """Wrap a word or two in emphasis, strong or a link, in place."""
        roll = self.rng.random()
        if len(words) < 4 or roll > 0.55:
            return
        start = self.rng.randrange(1, len(words) - 2)
        span = " ".join(words[start:start + 2])
        if roll < 0.15:
            decorated = f"*{span}*"
        elif roll < 0.27:
            decorated = f"**{span}**"
        elif roll < 0.41:
            decorated = f"[{span}](https://example.org/{self.rng.choice(WORDS)}/{self.rng.randint(1, 99999)})"
        else:
            decorated = f"[{span}]({self._other_document()})"
        words[start:start + 2] = [decorated]

    def _other_document(self) -> str:
        others = self.pools.slugs
        if len(others) == 1 or self.rng.random() < 0.03:
            return "../pages/about.md"
        other = self.slug
        while other == self.slug:
            other = self.rng.choice(others)
        return f"{other}.md"

    def is_full(self) -> bool:
        return self.words >= self.target

    def sentences(self, low: int, high: int) -> list[str]:
        """Draw low..high sentences, stopping early (after one) once the word target is met."""
        wanted, found = self.rng.randint(low, high), [self.sentence()]
        while len(found) < wanted and not self.is_full():
            found.append(self.sentence())
        return found

    def paragraph(self) -> str:
        return " ".join(self.sentences(2, 6))

    def heading(self, used: set[str]) -> str:
        while True:
            words = self.plain_words(2, 5)
            if self.rng.random() < 0.2:
                words.append(self.territory_name())
            text = " ".join(words)
            text = text[0].upper() + text[1:]
            if text.casefold() not in used:
                used.add(text.casefold())
                self.words += len(words)
                return f"## {text}"

    def bullet_list(self, numbered: bool) -> str:
        items = self.sentences(3, 5)
        return "\n".join((f"{n}. " if numbered else "- ") + item for n, item in enumerate(items, 1))

    def block_quote(self) -> str:
        return "\n".join("> " + sentence for sentence in self.sentences(1, 3))

    def table(self) -> str:
        rows = ["| Territory | Area (km2) | Year | Remark |", "| --- | ---: | --- | --- |"]
        for territory in self.rng.sample(self.pools.territories, self.rng.randint(3, 6)):
            remark = " ".join(self.plain_words(2, 4))
            rows.append(f"| {self.rng.choice(territory.names)} | {territory.area_km2} "
                        f"| {self.rng.randint(FIRST_YEAR, LAST_YEAR)} | {remark} |")
            self.words += 4 + len(remark.split())
        return "\n".join(rows)


def render_body(rng: random.Random, pools: Pools, slug: str, featured: list[Territory]) -> list[str]:
    """Write 600-1,000 words: paragraphs under ## headings, with lists, quotes, tables, notes.

    Returns the Markdown blocks (joined by blank lines); the first is the opening paragraph,
    which the events citing the document extend with the sentence they quote.
    """
    # The target leaves room for the last heading and sentence, which may overshoot it.
    writer = TextWriter(rng, pools, slug, featured, target=rng.randint(MIN_WORDS + 10, MAX_WORDS - 40))
    has_table = rng.random() < 1 / 6
    writer.footnote_rate = 0.12 if rng.random() < 1 / 5 else 0.0
    blocks = [writer.paragraph()]
    headings: set[str] = set()
    while not writer.is_full():
        blocks += [writer.heading(headings), writer.paragraph()]
        roll = rng.random()
        if writer.is_full():
            break
        if has_table and (roll < 0.5 or writer.words > writer.target - 350):
            blocks.append(writer.table())
            has_table = False
        elif roll < 0.3:
            blocks.append(writer.bullet_list(numbered=False))
        elif roll < 0.45:
            blocks.append(writer.bullet_list(numbered=True))
        elif roll < 0.6:
            blocks.append(writer.block_quote())
        if not writer.is_full():
            blocks.append(writer.paragraph())
    if writer.footnotes:
        blocks.append("\n".join(f"[^{n}]: {text}" for n, text in enumerate(writer.footnotes, 1)))
    return blocks


# -- articles ---------------------------------------------------------------------------


def random_day(rng: random.Random, first_year: int = FIRST_YEAR) -> tuple[int, int, int]:
    year = rng.randint(first_year, LAST_YEAR)
    month = rng.randint(1, 12)
    return year, month, rng.randint(1, calendar.monthrange(year, month)[1])


def article_date(rng: random.Random) -> tuple[str | None, str | None]:
    """Return (EDTF date or None, date_note or None): mostly days, some vague, a few undated."""
    year, month, day = random_day(rng)
    roll = rng.random()
    if roll < 0.78:
        return f"{year}-{month:02d}-{day:02d}", None
    if roll < 0.83:
        return f"{year}-{month:02d}", "The text gives only the month."
    if roll < 0.86:
        return f"{year}", "The text gives only the year."
    if roll < 0.90:
        return f"{year}-{month:02d}~", "The text says 'about' this month."
    if roll < 0.92:
        return f"{year}~", "The text gives the year approximately."
    if roll < 0.94:
        return f"{year}-{month:02d}-{day:02d}?", "The date line is partly illegible."
    if roll < 0.96:
        end = min(day + 1, calendar.monthrange(year, month)[1])
        return f"{year}-{month:02d}-{day:02d}/{year}-{month:02d}-{end:02d}", "A report of a meeting over two days."
    return None, "The text carries no date line."


def article_source(rng: random.Random) -> list[str]:
    roll = rng.random()
    if roll < 0.1:
        return ["source:", f"  note: {q(UNNAMED_NOTE)}"]
    lines = ["source:", f"  name: {q(rng.choice(OUTLETS))}"]
    if roll < 0.45:
        lines.append(f"  via: {q(rng.choice(AGENCIES))}")
    return lines


def article_title(rng: random.Random, pools: Pools, featured: list[Territory], speakers: list[str]) -> str:
    place = featured[0].name if featured else rng.choice(pools.territories).name
    return rng.choice(TITLE_PATTERNS).format(
        topic=rng.choice(pools.tags).lower(), place=place, speaker=speakers[0],
        noun=rng.choice(("forum", "conference", "meeting", "ceremony")),
    )


def render_article(rng: random.Random, pools: Pools, slug: str) -> tuple[str, list[str]]:
    """Write one document: its front matter per docs/content.md, and the Markdown body's blocks."""
    listed = rng.sample(pools.territories, rng.randint(0, 3))
    featured = listed + rng.sample(pools.territories, rng.randint(1, 3))
    speakers = rng.sample(pools.speakers, rng.randint(1, 3))
    tags = rng.sample(pools.tags, rng.randint(1, 5))
    date, date_note = article_date(rng)
    title = article_title(rng, pools, featured, speakers)
    lines = ["---", f"title: {q(title)}"]
    if date is not None:
        lines.append(f"date: {q(date)}")
    if date_note is not None:
        lines.append(f"date_note: {q(date_note)}")
    lines += article_source(rng)
    lines += [
        f"speakers: {flow_list(speakers)}",
        f"tags: {flow_list(tags)}",
        f"territories: {flow_list([t.id for t in listed], quote=False)}",
        f"summary: {q(f'The report says that {speakers[0]} spoke about {tags[0].lower()}.')}",
        "---",
        "",
        "",
    ]
    return "\n".join(lines), render_body(rng, pools, slug, featured)


# -- chronology, site, pages --------------------------------------------------------------


def event_date(rng: random.Random) -> tuple[str, str]:
    """An EDTF date of one of the forms the archive accepts (ranges never reversed), and the
    words that state it at its precision ("On 8 May 1992", "In May 1992", "From 1990 to 1992").

    The words give the year of each end, the month's name where the date has a month and the
    day next to it where it has a day, as the quote check requires (src/karabakh_site/site/quotes.py).
    """
    year, month, day = random_day(rng)
    name = MONTH_NAMES[month - 1]
    forms = (
        lambda: (f"{year}-{month:02d}-{day:02d}", f"On {day} {name} {year}"),
        lambda: (f"{year}-{month:02d}", f"In {name} {year}"),
        lambda: (f"{year}", f"In {year}"),
        lambda: (f"{year}~", f"In about {year}"),
        lambda: (f"{year}-{month:02d}~", f"In about {name} {year}"),
        lambda: _year_range(year - rng.randint(1, 3), year),
        lambda: _day_range(rng, year, month, day),
    )
    return rng.choice(forms)()


def _year_range(first: int, last: int) -> tuple[str, str]:
    return f"{first}/{last}", f"Between {first} and {last}"


def _day_range(rng: random.Random, year: int, month: int, day: int) -> tuple[str, str]:
    end_year = min(year + rng.randint(0, 1), LAST_YEAR)
    end_month = rng.randint(month, 12) if end_year == year else rng.randint(1, 12)
    last = calendar.monthrange(end_year, end_month)[1]
    low = day if (end_year, end_month) == (year, month) else 1
    end_day = rng.randint(low, last)
    edtf = f"{year}-{month:02d}-{day:02d}/{end_year}-{end_month:02d}-{end_day:02d}"
    name, end_name = MONTH_NAMES[month - 1], MONTH_NAMES[end_month - 1]
    if (end_year, end_month) == (year, month):
        when = f"On {day} {name} {year}" if end_day == day else f"On {day}-{end_day} {name} {year}"
    elif end_year == year:
        when = f"From {day} {name} to {end_day} {end_name} {year}"
    else:
        when = f"From {day} {name} {year} to {end_day} {end_name} {end_year}"
    return edtf, when


def render_event(rng: random.Random, pools: Pools, number: int) -> tuple[list[str], list[tuple[str, str]]]:
    """One event's YAML lines, and (slug, sentence) for each document it cites.

    Each cited document is given a sentence stating the event with its date, and the event
    quotes that sentence exactly (docs/content.md, "Event sources").
    """
    kind = rng.choice(EVENT_KINDS)
    territories = rng.sample(pools.territories, rng.randint(1, 3))
    names = [t.name for t in territories]
    places = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
    topic = rng.choice(pools.tags).lower()
    title = EVENT_TITLES[kind].format(places=places, topic=topic)
    sources = rng.sample(pools.slugs, min(len(pools.slugs), rng.randint(1, 3)))
    date, when = event_date(rng)
    sentence = EVENT_SENTENCES[kind].format(when=when, places=places, topic=topic)
    lines = [
        f"  - id: event-{number:05d}",
        f"    date: {q(date)}",
        f"    title: {q(title)}",
        f"    kind: {kind}",
        f"    territories: {flow_list([t.id for t in territories], quote=False)}",
        "    sources:",
    ]
    for slug in sources:
        lines += [f"      - article: {slug}", f"        quote: {q(sentence)}"]
    if rng.random() < 0.2:
        lines.append(f"    note: {q('The sources give the date at this precision only.')}")
    return lines + [""], [(slug, sentence) for slug in sources]


def render_chronology(rng: random.Random, pools: Pools, events: int) -> tuple[str, list[tuple[str, str]]]:
    """chronology.yaml's text, and the (slug, sentence) each event's cited documents must carry."""
    statements: list[tuple[str, str]] = []
    lines = ["# Synthetic chronology written by benchmarks/generate.py.", "", "territories:"]
    for territory in pools.territories:
        lines += [
            f"  - id: {territory.id}",
            f"    name: {q(territory.name)}",
            f"    aliases: {flow_list(territory.aliases)}",
            f"    area_km2: {territory.area_km2}",
            "",
        ]
    lines.append("events:")
    for number in range(1, events + 1):
        event_lines, cited = render_event(rng, pools, number)
        lines += event_lines
        statements += cited
    return "\n".join(lines), statements


def render_site_yaml() -> str:
    return "\n".join([
        "title: Synthetic Karabakh Archive",
        "description: \"A synthetic archive for benchmarks, written by benchmarks/generate.py.\"",
        "base_url: https://example.org/synthetic-archive/",
        "language: en",
        "",
    ])


def render_about(pools: Pools) -> str:
    return "\n".join([
        "---",
        "title: About this archive",
        "summary: \"A synthetic archive for benchmarks.\"",
        "---",
        "",
        f"This archive is synthetic: {len(pools.slugs)} documents, {len(pools.territories)} territories "
        "and a chronology, written by `benchmarks/generate.py` from a fixed seed.",
        "",
        f"## Where to start\n\nRead [the first document](../articles/{pools.slugs[0]}.md).",
        "",
    ])


if __name__ == "__main__":
    sys.exit(main())

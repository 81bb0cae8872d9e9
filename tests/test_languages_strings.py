"""The Azerbaijani, Russian and Armenian interface (#16): complete strings files, CLDR dates, figures and plurals.

English is the reference: every other shipped strings file must have each of its keys and no
other, the same {placeholders} in each value, and no empty one. Dates, areas and counts are
written the language's way by CLDR (Babel), plural forms chosen by its plural rule, and English
stays as it was. The shipped content, built in each language, shows no English interface word
where a string exists.
"""

from __future__ import annotations

import re
import shutil
import string
from pathlib import Path

import lxml.html
import pytest
import yaml
from babel import Locale

from karabakh_site.commands.build import build
from karabakh_site.text.dates import DateWords, format_date, parse_date
from karabakh_site.text.languages import cldr_locale, styled_by_cldr
from karabakh_site.text.numerals import format_area, format_count
from karabakh_site.render.strings import Strings, date_words, is_plural_forms, load_strings
from karabakh_site.content.voice import check_strings_voice, unquoted_terms

from conftest import PROJECT, THEME, options_for

LANGUAGES = ("az", "ru", "hy")
ENGLISH = yaml.safe_load((THEME / "strings" / "en.yaml").read_text(encoding="utf-8"))


def table(language: str) -> dict:
    return yaml.safe_load((THEME / "strings" / f"{language}.yaml").read_text(encoding="utf-8"))


def flatten(value: object, key: str = "") -> dict[str, object]:
    """Every leaf of a strings table by dotted key; a table of plural forms is one leaf."""
    if isinstance(value, dict) and not is_plural_forms(value):
        leaves = {}
        for name, item in value.items():
            leaves |= flatten(item, f"{key}.{name}" if key else str(name))
        return leaves
    return {key: value}


def placeholders(text: object) -> set[str]:
    return {field for _, field, _, _ in string.Formatter().parse(str(text)) if field is not None}


def forms(value: object) -> list[object]:
    """The texts of a leaf: its plural forms, or itself."""
    return list(value.values()) if is_plural_forms(value) else [value]


# --- The files are complete --------------------------------------------------------------

@pytest.mark.parametrize("language", LANGUAGES)
def test_every_english_key_and_no_other_is_translated(language):
    assert sorted(flatten(table(language))) == sorted(flatten(ENGLISH))


@pytest.mark.parametrize("language", LANGUAGES)
def test_each_value_keeps_the_english_placeholders_and_is_not_empty(language):
    english, translated = flatten(ENGLISH), flatten(table(language))
    wrong = []
    for key, value in translated.items():
        for form in forms(value):
            if isinstance(form, list):
                if len(form) != len(english[key]) or not all(str(item).strip() for item in form):
                    wrong.append((key, "list"))
            elif not str(form or "").strip():
                wrong.append((key, "empty"))
            elif placeholders(form) != set().union(*map(placeholders, forms(english[key]))):
                wrong.append((key, sorted(placeholders(form))))
    assert wrong == []


@pytest.mark.parametrize("language", LANGUAGES)
def test_plural_forms_cover_every_category_of_the_language(language):
    categories = Locale.parse(language).plural_form.tags | {"other"}
    partial = {key: sorted(categories - set(value)) for key, value in flatten(table(language)).items()
               if is_plural_forms(value) and categories - set(value)}
    assert partial == {}


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_shipped_translations_load_and_speak_only_in_attributions(language):
    path = THEME / "strings" / f"{language}.yaml"
    assert check_strings_voice(path.read_text(encoding="utf-8"), str(path)).sorted() == []
    strings, problems = load_strings([THEME], language)
    assert not problems and strings.language == language


@pytest.mark.parametrize("language, key, quoted", [
    ("ru", "kind_occupation", "«Оккупация»"), ("az", "kind_occupation", "«İşğal»"), ("hy", "kind_occupation", "«Օկուպացիա»"),
    ("ru", "home_about", "«оккупация»"), ("az", "home_about", "«işğal»"), ("hy", "home_about", "«օկուպացիա»"),
])
def test_the_contested_word_is_quoted_and_attributed_as_in_english(language, key, quoted):
    assert quoted in table(language)[key]


def test_a_missing_or_extra_key_and_a_changed_placeholder_are_found():
    broken = {**table("ru"), "extra": "x", "documents_lede": "{total} документов"}
    del broken["nav_home"]
    assert set(flatten(broken)) ^ set(flatten(ENGLISH)) == {"extra", "nav_home"}
    assert placeholders(broken["documents_lede"]) != placeholders(ENGLISH["documents_lede"])


# --- The voice rule in every language ----------------------------------------------------

@pytest.mark.parametrize("text, words", [
    ("Оккупированные районы, их освобождение и агрессор", ["Оккупированные", "освобождение", "агрессор"]),
    ("антитеррористическая операция; так называемый режим", ["антитеррористическая", "так называемый"]),
    ("İşğal olunmuş rayonlar, azad edilməsi, təcavüzkar", ["İşğal", "azad", "təcavüzkar"]),
    ("antiterror tədbirləri, Vətən müharibəsi, şəhidlər", ["antiterror", "Vətən müharibəsi", "şəhidlər"]),
    ("Օկուպացված շրջաններ, ազատագրումը, ագրեսորը", ["Օկուպացված", "ազատագրումը", "ագրեսորը"]),
    ("ահաբեկչական գործողություն, Արևմտյան Ադրբեջան", ["ահաբեկչական", "Արևմտյան Ադրբեջան"]),
    ("документы и события; sənədlər, hadisələr; փաստաթղթեր, գրավոր", []),  # ordinary words pass
])
def test_contested_terms_are_found_in_russian_azerbaijani_and_armenian(text, words):
    assert [word for _, word in unquoted_terms(text)] == words


@pytest.mark.parametrize("language, line", [
    ("ru", "kind_occupation: Оккупация\n"), ("az", "kind_occupation: İşğal\n"), ("hy", "kind_occupation: Օկուպացիա\n"),
    ("ru", "search_script:\n  none: Агрессия\n"), ("hy", "area: ահաբեկչություն\n"),
])
def test_an_unquoted_term_in_a_translation_is_refused_with_its_line(language, line):
    found = check_strings_voice("# words\n" + line, f"strings/{language}.yaml").sorted()
    assert [(problem.line, problem.message.split(" uses ")[0]) for problem in found] == [
        (line.count("\n") + 1, f"the interface string {line.split(':')[0]!r}" if line.count("\n") == 1
         else "the interface string 'search_script.none'"),
    ]


# --- Dates, figures and plural forms through CLDR ----------------------------------------

def shipped_words(language: str) -> DateWords:
    return date_words(load_strings([THEME], language)[0])


@pytest.mark.parametrize("language, text, shown", [
    ("en", "2025-08-21", "21 August 2025"), ("en", "2025-08", "August 2025"), ("en", "2025", "2025"),
    ("en", "2025-07-19/2025-07-21", "19–21 July 2025"), ("en", "1992-05/1993-04", "May 1992 – April 1993"),
    ("ru", "2025-08-21", "21 августа 2025\u202fг."), ("ru", "2025-08", "август 2025\u202fг."), ("ru", "2025", "2025"),
    ("az", "2025-08-21", "21 avqust 2025"), ("az", "2025-08", "avqust 2025"),
    ("hy", "2025-08-21", "2025 թ․ օգոստոսի 21"), ("hy", "2025-08", "2025 թ․ օգոստոս"), ("hy", "1994", "1994"),
    ("ru", "2021-07~", "июль 2021\u202fг. (прибл.)"), ("ru", "1993-04-02?", "2 апреля 1993\u202fг. (предположительно)"),
    ("az", "2021-07-20/..", "20 iyul 2021 və ya sonra"), ("hy", "2021-07-20/..", "2021 թ․ հուլիսի 20 կամ ավելի ուշ"),
    ("ru", "1988/1992", "1988—1992"), ("ru", "2025-07/2025-08", "июль — август 2025\u202fг."),
    ("hy", "2025-07/2025-08", "2025 թ․ հուլիս – օգոստոս"),
    ("az", "1992-05/1993-04", "may 1992\u2009–\u2009aprel 1993"),
    ("ru", "1993~/1994", "1993 (прибл.) — 1994"),
])
def test_dates_are_written_in_the_interface_language(language, text, shown):
    assert format_date(parse_date(text), words=shipped_words(language)) == shown


def test_english_dates_keep_the_archives_style_not_cldrs():
    assert styled_by_cldr("en") is None and styled_by_cldr("en-GB") is None
    assert shipped_words("en") == DateWords(locale=None)
    assert styled_by_cldr("ru-Latn") is None  # no Cyrillic months for a Latin-script site: the strings' months


@pytest.mark.parametrize("language, value, shown", [
    ("en", 14682, "14,682 km²"), ("en", 2.5, "2.5 km²"), ("en", None, "not stated"),
    ("ru", 14682, "14\xa0682 км²"), ("ru", 2.5, "2,5 км²"), ("az", 14682, "14.682 kv km"), ("hy", 14682, "14\xa0682 կմ²"),
])
def test_areas_are_written_the_languages_way(language, value, shown):
    assert format_area(value, styled_by_cldr(language)) == shown


def test_counts_are_grouped_the_languages_way_and_english_as_before():
    assert (format_count(1234, None), format_count(1234, cldr_locale("ru")), format_count(12, cldr_locale("az"))) == (
        1234, "1\xa0234", "12")
    assert format_count(True, cldr_locale("ru")) is True and format_count("x", cldr_locale("ru")) == "x"


@pytest.mark.parametrize("count, shown", [(1, "1 событие"), (3, "3 события"), (5, "5 событий"), (11, "11 событий"),
                                          (21, "21 событие"), (22, "22 события"), (1234, "1\xa0234 события")])
def test_russian_chooses_one_few_or_many_by_cldrs_rule(count, shown):
    strings = load_strings([THEME], "ru")[0]
    key = "count_event" if count == 1 else "count_events"  # as home.html chooses it
    assert strings.format(key, count=count) == shown


def test_plural_forms_need_a_count_and_english_keys_still_work():
    strings = Strings({"mention": {"one": "упоминание", "few": "упоминания", "many": "упоминаний", "other": "x"}}, "ru")
    with pytest.raises(KeyError, match="has plural forms .*pass count="):
        strings.format("mention")
    assert [strings.format("mention", count=n) for n in (1, 2, 5)] == ["упоминание", "упоминания", "упоминаний"]
    english = load_strings([THEME], "en")[0]
    assert (english.format("mention", count=2), english.format("documents_lede", count=1234)) == (
        "mention", "1234 documents, newest first; undated documents last.")


def test_plural_forms_without_other_are_a_problem_at_their_line(tmp_path):
    (tmp_path / "strings").mkdir()
    (tmp_path / "strings" / "ru.yaml").write_text("nav_home: Главная\ncount_event:\n  one: x\n  few: y\n", encoding="utf-8")
    problems = load_strings([tmp_path, THEME], "ru")[1].sorted()
    assert [(problem.line, problem.message) for problem in problems] == [
        (2, "the plural forms of 'count_event' need an 'other' form, used for every count the others do not cover")]


# --- The shipped content built in each language -------------------------------------------

@pytest.fixture(scope="module")
def built_in(tmp_path_factory):
    """The shipped content built once per language, from a copy whose site.yaml names it."""
    sites = {}

    def build_language(language: str) -> Path:
        if language not in sites:
            root = tmp_path_factory.mktemp(f"content-{language}")
            content = root / "content"
            shutil.copytree(PROJECT / "content", content)
            site_yaml = content / "site.yaml"
            text = site_yaml.read_text(encoding="utf-8")
            text, replaced = re.subn(r"(?m)^language:.*$", f"language: {language}", text)
            site_yaml.write_text(text if replaced else text + f"\nlanguage: {language}\n", encoding="utf-8")
            out = root / "build"
            assert build(options_for(content, out)) is not None
            sites[language] = out
        return sites[language]

    return build_language


def page(out: Path, path: str):
    return lxml.html.fromstring((out / path).read_bytes())


def first_article(out: Path) -> str:
    return next(str(path.relative_to(out)) for path in sorted((out / "articles").glob("*/index.html"))
                if path.parent.name != "page")


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_site_builds_in_the_language_with_its_words(built_in, language):
    out = built_in(language)
    strings = load_strings([THEME], language)[0]
    home = page(out, "index.html")
    assert home.get("lang") == language
    assert [a.text_content() for a in home.cssselect("nav.site-nav a")][:4] == [
        strings["nav_home"], strings["nav_documents"], strings["nav_chronology"], strings["nav_territories"]]
    assert strings["figures_heading"] in [h.text_content().strip() for h in home.cssselect("h2")]
    article = page(out, first_article(out))
    assert strings["meta_date"] in [dt.text_content().strip() for dt in article.cssselect("dl.meta dt")]
    assert article.cssselect("a.skip-link")[0].text_content() == strings["skip_link"]


ENGLISH_INTERFACE = re.compile(r"\b(?:Home|Documents|Chronology|Territories|Search the archive|Skip to main content|"
                               r"Date|Source|Speakers|Tags|Latest documents|All documents|The archive in figures|"
                               r"Timeline|Related documents|Cite this document|Editorial changes|mentions?|undated|"
                               r"January|February|March|April|June|July|August|September|October|November|December)\b")


@pytest.mark.parametrize("language", LANGUAGES)
def test_no_english_interface_word_is_left_on_the_furniture(built_in, language):
    """Headings, navigation, labels and dates: the places the interface speaks (texts stay in their language)."""
    out = built_in(language)
    left = {}
    for path in ["index.html", first_article(out), "chronology/index.html", "territories/index.html", "articles/index.html"]:
        tree = page(out, path)
        furniture = tree.cssselect("nav, h1, h2, h3, dt, th, caption, .lede, time, .doc-meta, footer, label, legend, "
                                   ".related .muted, .reason")
        words = {found for element in furniture for found in ENGLISH_INTERFACE.findall(_interface_text(element))}
        if words:
            left[path] = sorted(words)
    assert left == {}


def _interface_text(element) -> str:
    """An element's text without the archive's content in it: titles, names and quotations stay as published."""
    clone = lxml.html.fromstring(lxml.html.tostring(element, with_tail=False))
    for content in clone.cssselect("cite, .doc-title, a[href*='articles/'], a[href*='tags/'], a[href*='sources/'], "
                                   "a[href*='speakers/'], a[href*='territories/'], blockquote, q, [lang]"):
        content.drop_tree() if content is not clone else None
    return clone.text_content()


@pytest.mark.parametrize("language, area", [("ru", "км²"), ("az", "kv km"), ("hy", "կմ²")])
def test_dates_and_areas_on_the_pages_are_localized(built_in, language, area):
    out = built_in(language)
    territories = page(out, "territories/index.html")
    areas = [td.text_content() for td in territories.cssselect("td.num") if "km²" in td.text_content()
             or area in td.text_content()]
    assert areas and all(area in text and "km²" not in text.replace(area, "") for text in areas)
    times = [time.text_content() for time in page(out, "articles/index.html").cssselect("time")]
    locale = cldr_locale(language)
    months = set(locale.months["format"]["wide"].values()) | set(locale.months["stand-alone"]["wide"].values())
    assert times and any(any(month in text for month in months) for text in times)

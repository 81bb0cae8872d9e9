"""Territory mentions: a markdown-it rule on tokens, never in headings, links or code."""

import lxml.html

from karabakh_site.text.markdown import render_markdown
import re

from karabakh_site.text.mentions import (
    _FOLDER,
    MentionSettings,
    NameMatcher,
    find_mentions,
    fold,
    fold_text,
    sentence_around,
)

MATCHER = NameMatcher.from_names({
    "Kalbajar": "kalbajar", "Kəlbəcər": "kalbajar", "Fizuli": "fizuli", "Fuzuli": "fizuli",
    "Nagorno-Karabakh": "nagorno-karabakh", "Nagorno Karabakh": "nagorno-karabakh", "Khankendi": "nagorno-karabakh",
})


def render(text: str):
    body = render_markdown(text, 10, matcher=MATCHER, territory_href=lambda t: f"../t/{t}/index.html")
    return body, lxml.html.fragment_fromstring(body.html, create_parent="div")


def test_first_mention_per_section_links_and_every_mention_has_an_anchor():
    body, tree = render("KALBAJAR and Kalbajar’s roads. Then Fuzuli.\n\n## Kalbajar\n\nThe Aghdara-Kalbajar road.\n")
    links = tree.cssselect("a.mention")
    assert [(a.text, a.get("href"), a.get("id")) for a in links] == [
        ("KALBAJAR", "../t/kalbajar/index.html", "mention-kalbajar-1"),
        ("Fuzuli", "../t/fizuli/index.html", "mention-fizuli-1"),
        ("Kalbajar", "../t/kalbajar/index.html", "mention-kalbajar-3"),
    ]
    assert [(s.text, s.get("id")) for s in tree.cssselect("span.mention")] == [("Kalbajar", "mention-kalbajar-2")]
    assert tree.cssselect("h2")[0].text_content() == "Kalbajar"
    assert [(m.territory_id, m.line, m.is_link) for m in body.mentions] == [
        ("kalbajar", 10, True), ("kalbajar", 10, False), ("fizuli", 10, True), ("kalbajar", 14, True)]


def test_never_inside_links_or_code_and_whole_words_only():
    body, tree = render("[Kalbajar](x.md) `Kalbajar` Kalbajarov Fizulistan **Khankendi**\n")
    assert [m.text for m in body.mentions] == ["Khankendi"]
    assert tree.cssselect("strong > a.mention")[0].text == "Khankendi"
    assert [link.url for link in body.links] == ["x.md"]


def test_longest_name_wins_and_non_ascii_aliases_match():
    body, _ = render("Nagorno-Karabakh Autonomous Region, Nagorno Karabakh and Kəlbəcər.\n")
    assert [(m.text, m.territory_id) for m in body.mentions] == [
        ("Nagorno-Karabakh", "nagorno-karabakh"), ("Nagorno Karabakh", "nagorno-karabakh"), ("Kəlbəcər", "kalbajar")]


def test_keyword_in_context_is_the_sentence():
    text = "First sentence here. The occupation of Kalbajar was a tragedy. Last one."
    start = text.index("Kalbajar")
    assert sentence_around(text, start, start + 8) == ("The occupation of ", " was a tragedy.")
    _, tree = render("Text with <b>Kalbajar</b> in raw HTML.\n")
    assert tree.cssselect("b") == []


def test_folded_names_match_spellings_without_diacritics_but_never_inside_a_word():
    """#12: "Qubadli" finds "Qubadlı" (the dotless ı and ə need the explicit table, not NFD alone)."""
    matcher = NameMatcher.from_names({"Qubadlı": "gubadli", "Ağdam": "aghdam", "Kəlbəcər": "kalbajar"})
    body = render_markdown("Qubadli, QUBADLI, Agdam and Kelbecer; not Qubadliyev, xAgdam or Kəlbəcərli.\n", 1,
                           matcher=matcher, territory_href=lambda t: t)
    assert [(m.text, m.territory_id) for m in body.mentions] == [
        ("Qubadli", "gubadli"), ("QUBADLI", "gubadli"), ("Agdam", "aghdam"), ("Kelbecer", "kalbajar")]
    assert fold("  Şuşa   İSTİ ") == "susa isti" and len(fold_text("Qubadlı Ə")) == len("Qubadlı Ə")
    assert fold_text("Шуша й") == "шуша й"  # only Latin letters lose their marks


def test_not_mentions_phrases_hide_their_names_even_across_emphasis_and_lines():
    matcher = NameMatcher.from_names({"Shusha": "shusha"}, {"Khankendi": ("khankendi", "nagorno-karabakh")},
                                     ("Shusha Global Media Forum",))
    body = render_markdown("The Third *Shusha Global*\nMedia Forum in Khankendi, then Shusha.\n", 1,
                           matcher=matcher, territory_href=lambda t: f"{t}.html")
    assert [(m.text, m.territory_id, m.place_id, m.anchor) for m in body.mentions] == [
        ("Khankendi", "nagorno-karabakh", "khankendi", "mention-khankendi-1"),
        ("Shusha", "shusha", None, "mention-shusha-1")]
    assert body.not_mentions_found == ("shusha global media forum",)
    tree = lxml.html.fragment_fromstring(body.html, create_parent="div")
    assert [a.get("href") for a in tree.cssselect("a.mention")] == ["nagorno-karabakh.html#place-khankendi", "shusha.html"]


def test_names_are_sought_in_each_text_part_on_its_own_on_both_parsers():
    """#13: a name inside emphasis is found whatever stands around it; one split by markup is not."""
    text = "x*Kalbajar*y, Kal*bajar*, [Kalbajar](k.md) and `Fuzuli` near Fuzuli.\n"
    fast, reference = (render_markdown(text, 1, matcher=MATCHER, territory_href=lambda t: t, fast=fast)
                       for fast in (True, False))
    assert fast == reference
    assert [(m.text, m.before, m.after) for m in fast.mentions] == [
        ("Kalbajar", "x", "y, Kalbajar, Kalbajar and Fuzuli near Fuzuli."),
        ("Fuzuli", "xKalbajary, Kalbajar, Kalbajar and Fuzuli near ", "."),
    ]


def test_the_longest_of_names_sharing_a_first_letter_wins():
    matcher = NameMatcher.from_names({"Ag": "a", "Ağdam": "aghdam", "Ağdam district": "aghdam-district", "Agdere": "d"})
    body = render_markdown("Ağdam district, Agdam, Ag and Agdere; Agd.\n", 1, matcher=matcher, territory_href=str)
    assert [(m.text, m.territory_id) for m in body.mentions] == [
        ("Ağdam district", "aghdam-district"), ("Agdam", "aghdam"), ("Ag", "a"), ("Agdere", "d")]


def test_ascii_text_folds_to_its_lowercase_as_the_folder_folds_it():
    """#13: fold_text only lowercases ASCII text; the folder must agree on every ASCII character."""
    for code in range(128):
        assert chr(code).translate(_FOLDER) == chr(code).lower() == fold_text(chr(code))
    assert fold_text("Kalbajar, Qubadli") == "Kalbajar, Qubadli".translate(_FOLDER)
    assert fold_text("KƏLBƏCƏR, İsmayıllı") == "kelbecer, ismayilli"


def test_the_first_letter_lookahead_finds_what_the_plain_alternation_finds():
    """#13: the lookahead before the name groups only lets a scan skip word starts faster."""
    names = {"Kalbajar": "k", "Kəlbəcər": "k", "-dash": "d", "^caret": "c", "]bracket": "b", "\\slash": "s",
             "(paren": "p", "Ag": "a", "Ağdam district": "ad", "Шуша": "sh", "1st": "n"}
    matcher = NameMatcher.from_names(names)
    plain = re.compile(matcher.pattern.pattern.replace(
        matcher.pattern.pattern[len("(?<!\\w)"):matcher.pattern.pattern.index("(?:")], ""))
    assert plain.pattern != matcher.pattern.pattern
    text = fold_text("Kalbajar -dash x-dash ^caret ]bracket \\slash (paren ag Ağdam  district шуша 1st 21st "
                     "Kəlbəcər-Kalbajar aKalbajar Kalbajarb _Kalbajar ")
    found = [match.span() for match in matcher.pattern.finditer(text)]
    assert found == [match.span() for match in plain.finditer(text)]
    assert len(found) == 12
    assert NameMatcher.from_names({" ": "blank"}).pattern.pattern == r"(?<!\w)(?:)(?!\w)"


def test_find_mentions_reads_any_parts_whatever_their_extra_fields():
    """#13: markdown-it-py passes (type, content), the pyrs path its (type, content, extra) pieces."""
    pieces = [("text", "Near Kalbajar", None), ("softbreak", "", None), ("code_inline", "Fuzuli", None),
              ("link_open", "", {"href": "x"}), ("text", "Fuzuli", None), ("link_close", "", None),
              ("text", " and Fuzuli.", None)]
    results = []
    for parts in (pieces, [piece[:2] for piece in pieces]):
        settings = MentionSettings(MATCHER, lambda t: f"../{t}/", 5)
        results.append((find_mentions(parts, settings, set(), 7), settings.found))
    assert results[0] == results[1]
    assert [(index, start, end, href) for index, start, end, _mention, href in results[0][0]] == [
        (0, 5, 13, "../kalbajar/"), (6, 5, 11, "../fizuli/")]
    assert [(m.before, m.after) for m in results[0][1]] == [("Near ", " FuzuliFuzuli and Fuzuli."),
                                                            ("Near Kalbajar FuzuliFuzuli and ", ".")]
    lone = MentionSettings(MATCHER, lambda t: t, 1)
    assert find_mentions([("text", "Kalbajar", None)], lone, set(), 1)[0][1:3] == (0, 8)
    assert find_mentions([("code_inline", "Kalbajar", None)], lone, set(), 1) == []

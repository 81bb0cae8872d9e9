"""`new`: a new article or page with every front matter key, valid as written."""

from __future__ import annotations

import pytest
import yaml

from karabakh_site.commands.build import prepare_site
from karabakh_site.content.model import ARTICLE_KEYS, PAGE_KEYS
from karabakh_site.commands.newdoc import new_document, slug_for_title

from conftest import options_for

AWKWARD_TITLE = 'Aliyev: "Kəlbəcər" — it\'s #1 & [not] a {map}: yes?'


def front_matter(text: str) -> tuple[dict, list[str]]:
    """The front matter's values and its comment lines."""
    front = text.split("---\n")[1]
    return yaml.safe_load(front), [line.strip() for line in front.splitlines() if line.strip().startswith("#")]


def test_a_new_article_lists_every_key_and_builds(make_site, tmp_path):
    site = make_site()
    path = new_document(site, "article", AWKWARD_TITLE)
    assert path == site / "articles" / "aliyev-kelbecer-it-s-1-not-a-map-yes.md"
    values, comments = front_matter(path.read_text(encoding="utf-8"))
    assert values == {
        "draft": True, "title": AWKWARD_TITLE, "title_by": "source", "type": None, "date_note": None,
        "source": {"name": None, "via": None, "url": None, "note": "TODO: name the outlet, or say why it is unknown"},
        "original": None, "speakers": [], "tags": [], "territories": [], "summary": None, "edits": [],
    }
    assert set(values) | {"date", "language", "todo", "title_confirmed"} == set(ARTICLE_KEYS)  # the last two: import only
    assert '# date: "YYYY-MM-DD"' in comments
    assert any(line.startswith("# language: en ") for line in comments)  # commented: the site's language by default
    assert any('"2021-07~" approximate' in line for line in comments)
    report = prepare_site(options_for(site, tmp_path / "out", drafts=True))
    article = next(a for a in report.linked.site.articles if a.slug == path.stem)
    assert (article.title, article.date, article.source.note, article.draft) == (
        AWKWARD_TITLE, None, "TODO: name the outlet, or say why it is unknown", True)
    published = prepare_site(options_for(site, tmp_path / "out"))  # a draft: left out of build and check (#14)
    assert path.stem not in {a.slug for a in published.linked.site.articles}


def test_a_new_page_has_title_and_summary_and_builds(make_site, tmp_path):
    site = make_site()
    path = new_document(site, "page", "Methodology: how texts are chosen")
    assert path == site / "pages" / "methodology-how-texts-are-chosen.md"
    values, _comments = front_matter(path.read_text(encoding="utf-8"))
    assert values == {"draft": True, "title": "Methodology: how texts are chosen", "summary": None}
    assert set(values) == set(PAGE_KEYS)
    report = prepare_site(options_for(site, tmp_path / "out", drafts=True))
    assert [page.slug for page in report.linked.site.pages] == ["methodology-how-texts-are-chosen"]
    assert prepare_site(options_for(site, tmp_path / "out")).linked.site.pages == ()


@pytest.mark.parametrize(("title", "slug"), [
    ("Kəlbəcərə qayıdış: şəhər, ölkə, çay, ğ, ı, ü", "kelbecere-qayidis-seher-olke-cay-g-i-u"),
    ("Возвращение в Шушу", "vozvrashcheniye-v-shushu"),  # BGN/PCGN: е after a vowel is 'ye' (#14)
    ("Ղարաբաղ", "gharabagh"),
    ("Шуша Շուշի", "shusha-shushi"),
    ("Шуша", "shusha"), ("Շուշի", "shushi"), ("Ханкенди", "khankendi"), ("Ереван", "yerevan"),
    ("Подъезд, ёлка", "podyezd-yelka"), ("Нагорный Карабах", "nagornyy-karabakh"),
    ("Երևան", "yerevan"), ("Ստեփանակերտ", "stepanakert"), ("Ոսկեպար", "voskepar"), ("Արցախ", "artsakh"),
    ("  Spaces   and\ttabs  ", "spaces-and-tabs"),
    ("!!!", "article"),
    ("Azerbaijan says it will never allow another Armenian state to be created in its sovereign territory",
     "azerbaijan-says-it-will-never-allow-another-armenian-state"),
    ("x" * 80, "x" * 60),
])
def test_slugs_are_readable_ascii_cut_at_a_hyphen(title, slug):
    assert slug_for_title(title, fallback="article") == slug
    assert len(slug) <= 60


def test_the_title_is_written_on_one_line_whatever_it_contains(make_site):
    title = "Line one\u2028 “quoted” \\ back:\x85\U0001F600" + " long" * 40
    path = new_document(make_site(), "article", title)
    values, _comments = front_matter(path.read_text(encoding="utf-8"))
    assert values["title"] == "Line one “quoted” \\ back: \U0001F600" + " long" * 40
    [title_line] = [line for line in path.read_text(encoding="utf-8").split("\n") if line.startswith("title:")]
    assert yaml.safe_load(title_line) == {"title": values["title"]}


def test_an_existing_file_is_not_overwritten(make_site):
    site = make_site()
    existing = site / "articles" / "one.md"
    before = existing.read_bytes()
    with pytest.raises(FileExistsError, match=f"^{existing} already exists; not overwritten$"):
        new_document(site, "article", "One")
    assert existing.read_bytes() == before


def test_a_file_differing_only_by_case_is_not_overwritten(make_site):
    site = make_site({"articles/Shusha-Report.md": "---\ntitle: x\nsource: {note: y}\n---\n"})
    with pytest.raises(FileExistsError, match="Shusha-Report.md already exists .*only by case"):
        new_document(site, "article", "Shusha report")
    assert not (site / "articles" / "shusha-report.md").exists()


@pytest.mark.parametrize("title", ["", "   ", "\n\t"])
def test_an_empty_title_is_refused(make_site, title):
    site = make_site()
    with pytest.raises(ValueError, match="the title is empty"):
        new_document(site, "article", title)


def test_unknown_kinds_and_reserved_page_slugs_are_refused(make_site):
    site = make_site()
    with pytest.raises(ValueError, match="unknown kind 'post'; expected one of article, page"):
        new_document(site, "post", "Title")
    with pytest.raises(ValueError, match="page slug 'search' is reserved"):
        new_document(site, "page", "Search")


def test_the_folder_is_created(tmp_path):
    path = new_document(tmp_path / "content", "page", "About")
    assert path == tmp_path / "content" / "pages" / "about.md"
    assert path.is_file()

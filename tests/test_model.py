"""Validation of the content model: the sample site's fields and every kind of bad value."""

from pathlib import Path

import pytest

from karabakh_site.commands.build import prepare_site
from karabakh_site.errors import BuildFailed
from karabakh_site.content.load import load_content
from karabakh_site.content.model import build_model

from conftest import FIXTURE_SITE, options_for


def test_sample_site_model():
    raw, problems = load_content(FIXTURE_SITE)
    assert not problems
    site, problems = build_model(raw)
    assert not problems
    assert [a.slug for a in site.articles] == ["figures", "forum-report", "kalbajar-speech"]
    assert [t.id for t in site.territories] == ["shusha", "kalbajar", "fizuli"]
    assert [e.id for e in site.events] == ["occupation-shusha", "occupation-kalbajar", "ceasefire", "forum"]
    speech = site.articles[2]
    assert speech.title == "Speech in Kalbajar"
    assert speech.date.text == "2025-08-21"
    assert (speech.source.name, speech.source.via) == ("News.Az", "AZERTAC")
    assert speech.speakers == ("Ilham Aliyev", "Fenare Sadigova")
    assert speech.edits[0].original == "KalbajarLachin"
    assert speech.body_line == 15
    assert site.articles[0].date is None
    assert site.territories[1].aliases == ("Kəlbəcər",)
    assert site.config.base_url == "https://example.org/test-archive/"
    assert site.pages[0].slug == "about"


def problems_of(root: Path) -> list[str]:
    """Run the build without writing and return its problems, the site folder shown as SITE."""
    with pytest.raises(BuildFailed) as caught:
        prepare_site(options_for(root, root / "unused"))
    return [str(error).replace(str(root), "SITE").replace(root.name, "SITE") for error in caught.value.errors]


CASES = {
    "unknown-key": (
        {"articles/one.md": "---\ntitle: One\nsource: {name: X}\ntag: [a]\n---\n"},
        ["SITE/articles/one.md:4:1: unknown key 'tag' in article front matter (did you mean 'tags'?)"],
    ),
    "missing-title-and-source": (
        {"articles/one.md": "---\ndate: '2020'\n---\nBody\n"},
        ["SITE/articles/one.md:2:1: missing required 'source' in article front matter "
         "(give at least 'source: {note: ...}' when the text names no outlet)",
         "SITE/articles/one.md:2:1: missing required 'title' in article front matter"],
    ),
    "impossible-date": (
        {"articles/one.md": "---\ntitle: One\nsource: {name: X}\ndate: '2023-02-30'\n---\n"},
        ["SITE/articles/one.md:4:7: invalid EDTF date '2023-02-30': not a real date or not EDTF"],
    ),
    "bad-slug": (
        {"articles/One_Two.md": "---\ntitle: One\nsource: {name: X}\n---\n"},
        ["SITE/articles/One_Two.md: file name 'One_Two' is not a valid slug; use lowercase a-z, 0-9 and hyphens"],
    ),
    "bad-area-and-kind": (
        {"chronology.yaml": "territories:\n  - id: a\n    name: A\n    area_km2: -5\n"
                            "  - id: b\n    name: B\n    area_km2: lots\n"
                            "events:\n  - id: e\n    date: '1994'\n    title: E\n    kind: ocupation\n    sources: [{article: one, quote: Body}]\n"},
        ["SITE/articles/one.md:6:15: unknown territory 'shusha' in territories",  # one.md names it (#14: one run)
         "SITE/chronology.yaml:4:15: area_km2 must be a non-negative number of square kilometres, not -5",
         "SITE/chronology.yaml:7:15: area_km2 must be a non-negative number of square kilometres, not 'lots'",
         "SITE/chronology.yaml:12:11: unknown event kind 'ocupation'; expected one of occupation, return, "
         "agreement, resolution, statement, other (did you mean 'occupation'?)"],
    ),
    "bad-base-url": (
        {"site.yaml": "title: T\nbase_url: example.org\n"},
        ["SITE/site.yaml:2:11: base_url 'example.org' must be an absolute http(s) URL, e.g. 'https://example.org/archive/'"],
    ),
    "reserved-page": (
        {"pages/articles.md": "---\ntitle: Clash\n---\n"},
        ["SITE/pages/articles.md: page slug 'articles' is reserved for the site's own pages"],
    ),
    "unknown-original": (
        {"articles/one.md": "---\ntitle: One\nsource: {name: X}\noriginal: 000.txt\n---\n"},
        ["SITE/articles/one.md:4:11: original '000.txt' is not a file in content/sources/"],
    ),
}


@pytest.mark.parametrize("files, expected", CASES.values(), ids=CASES.keys())
def test_model_errors_name_file_and_line(make_site, files, expected):
    assert problems_of(make_site(files)) == expected


def test_errors_from_several_files_come_back_together(make_site):
    root = make_site({
        "articles/one.md": "---\ntitle: One\nsource: {name: X}\ndate: 'July 2025'\n---\n",
        "articles/two.md": "---\ntitel: Two\nsource: {name: X}\n---\n",
        "site.yaml": "title: T\nbase_url: https://example.org/\nlanguge: en\n",
    })
    assert problems_of(root) == [
        "SITE/articles/one.md:4:7: invalid EDTF date 'July 2025': not a real date or not EDTF",
        "SITE/articles/two.md:2:1: missing required 'title' in article front matter",
        "SITE/articles/two.md:2:1: unknown key 'titel' in article front matter (did you mean 'title'?)",
        "SITE/site.yaml:3:1: unknown key 'languge' in site.yaml (did you mean 'language'?)",
    ]

"""Reading files: encodings, line ends, front matter fences, YAML safety, ignored files."""

import shutil
from pathlib import Path

import pytest

from karabakh_site.errors import Problems
from karabakh_site.content.load import load_content, split_document

from conftest import PROJECT


def messages(problems: Problems, root: Path) -> list[str]:
    """Problems as text, with the site folder shown as 'SITE'."""
    return [str(p).replace(str(root), "SITE").replace(root.name, "SITE") for p in problems.sorted()]


def test_body_line_points_at_the_closing_fence():
    problems = Problems()
    text = "---\ntitle: x\ndate: '2020'\n---\nfirst body line\n"
    document = split_document(text, "a.md", "content/a.md", "a", problems)
    assert not problems
    assert document.body_line == 4
    assert document.body.splitlines()[1] == "first body line"
    assert document.front_matter.line_of("date") == 3


def test_crlf_and_bom_are_accepted(make_site):
    root = make_site({"articles/one.md": "\ufeff---\r\ntitle: One\r\nsource:\r\n  name: X\r\n---\r\nBody\r\n".encode()})
    raw, problems = load_content(root)
    assert not problems
    assert raw.articles[0].front_matter["title"] == "One"
    assert raw.articles[0].front_matter.line_of("source") == 3
    assert "\r" not in raw.articles[0].body


def test_hidden_and_backup_files_are_ignored(make_site):
    broken = "not front matter"
    root = make_site({"articles/one.md~": broken, "articles/.#one.md": broken, "articles/.one.md": broken,
                      "articles/#one.md#": broken, "articles/notes.txt": broken})
    raw, problems = load_content(root)
    assert not problems
    assert [a.slug for a in raw.articles] == ["one", "source-of-events"]


def test_dates_stay_strings():
    problems = Problems()
    document = split_document("---\ndate: 2025-07-19\nyear: 1994\n---\n", "a.md", "c/a.md", "a", problems)
    assert document.front_matter["date"] == "2025-07-19"
    assert document.front_matter["year"] == 1994


@pytest.mark.parametrize(
    "content, expected",
    [
        (b"", "SITE/articles/one.md: empty file; expected front matter between '---' lines, then Markdown"),
        (b"title: One\n", "SITE/articles/one.md:1:1: missing front matter: the file must start with a '---' line "
         "(begin the file with '---', the front matter, and another '---' line)"),
        (b"---\ntitle: One\nBody\n", "SITE/articles/one.md:1:1: unclosed front matter: no closing '---' line "
         "(end the front matter with a line of three hyphens '---' before the text)"),
        (b"---\n- a\n- b\n---\nBody\n",
         "SITE/articles/one.md:1: expected a YAML mapping of keys to values, found a list"),
        (b"---\ntitle: [unclosed\n---\nBody\n",
         "SITE/articles/one.md:3:1: invalid YAML: did not find expected ',' or ']' "
         "(a list written in brackets must end with ']' on the line where it starts, items separated by commas)"),
        (b"---\ntitle: a\ntitle: b\n---\n", "SITE/articles/one.md:3:1: invalid YAML: duplicate key 'title'"),
        (b"---\ntitle: !!python/object/apply:os.system ['echo hi']\n---\n",
         "SITE/articles/one.md:2:8: invalid YAML: could not determine a constructor for the tag "
         "'tag:yaml.org,2002:python/object/apply:os.system'"),
        (b"---\ntitle: caf\xe9\n---\n",
         "SITE/articles/one.md:2: not UTF-8 text: byte 0xe9 cannot be decoded; save the file as UTF-8"),
        (b"---\ntitle: a\n---\nx\x00y\n",
         "SITE/articles/one.md:4: NUL byte in text; the file is probably binary or corrupted"),
    ],
    ids=["empty", "no-front-matter", "unclosed", "not-a-mapping", "bad-yaml", "duplicate-key",
         "python-tag", "not-utf8", "nul-byte"],
)
def test_bad_files_are_reported_with_file_and_line(make_site, content, expected):
    root = make_site({"articles/one.md": content})
    _, problems = load_content(root)
    assert messages(problems, root) == [expected]


def test_missing_files_and_many_problems_in_one_run(make_site):
    root = make_site({"site.yaml": None, "articles/one.md": b"", "articles/two.md": b"oops"})
    _, problems = load_content(root)
    assert messages(problems, root) == [
        "SITE/articles/one.md: empty file; expected front matter between '---' lines, then Markdown",
        "SITE/articles/two.md:1:1: missing front matter: the file must start with a '---' line "
        "(begin the file with '---', the front matter, and another '---' line)",
        "SITE/site.yaml: missing site.yaml",
    ]


def test_symlink_outside_content_is_refused(make_site, tmp_path):
    secret = tmp_path / "secret.md"
    secret.write_text("---\ntitle: secret\n---\n")
    root = make_site()
    (root / "articles" / "leak.md").symlink_to(secret)
    raw, problems = load_content(root)
    assert messages(problems, root) == [
        "SITE/articles/leak.md: symbolic link points outside the content folder; refused"
    ]
    assert [a.slug for a in raw.articles] == ["one", "source-of-events"]


def test_oversized_file_is_refused(make_site):
    root = make_site({"articles/one.md": "---\ntitle: x\n---\n" + "word " * 500_000})
    _, problems = load_content(root)
    [problem] = messages(problems, root)
    assert problem.startswith("SITE/articles/one.md: file is 2,500,017 bytes; the limit is 2,097,152")


def test_a_chronology_larger_than_an_article_may_be_is_read(make_site):
    """chronology.yaml grows with the archive (4.4 MB at 100,000 documents, #13): the 2 MiB limit
    of a text does not apply to it, a larger one does."""
    from karabakh_site.content.load import MAX_DATA_FILE_BYTES, MAX_FILE_BYTES

    root = make_site({})
    chronology = root / "chronology.yaml"
    chronology.write_text(chronology.read_text(encoding="utf-8") + "# padding\n" * (MAX_FILE_BYTES // 10 + 1), encoding="utf-8")
    assert chronology.stat().st_size > MAX_FILE_BYTES
    _, problems = load_content(root)
    assert not [m for m in messages(problems, root) if "the limit is" in m]
    chronology.write_bytes(b"#" * (MAX_DATA_FILE_BYTES + 1))
    _, problems = load_content(root)
    assert f"SITE/chronology.yaml: file is {MAX_DATA_FILE_BYTES + 1:,} bytes; the limit is {MAX_DATA_FILE_BYTES:,}" in messages(problems, root)


def test_yaml_aliases_are_refused_before_they_expand(make_site):
    levels = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    levels += [f"{chr(98 + i)}: &{chr(98 + i)} [{','.join([f'*{chr(97 + i)}'] * 9)}]" for i in range(8)]
    root = make_site({"articles/one.md": "---\ntitle: One\n" + "\n".join(levels) + "\n---\n"})
    _, problems = load_content(root)
    assert messages(problems, root) == [
        "SITE/articles/one.md:3: YAML anchors and aliases (&name, *name) are not allowed in content: "
        "write the value out (aliases can expand a small file into a huge one)"]


def _same_tree(a, b, where=""):
    """Equal values, and for mappings equal lines and columns too (what error messages quote)."""
    from karabakh_site.content.load import LineDict

    assert type(a) is type(b), where
    if isinstance(a, LineDict):
        assert (a.line, a.column, a.key_lines, a.key_columns, getattr(a, "item_lines", None)) == \
            (b.line, b.column, b.key_lines, b.key_columns, getattr(b, "item_lines", None)), where
        assert list(a) == list(b), where
        for key in a:
            _same_tree(a[key], b[key], f"{where}.{key}")
    elif isinstance(a, list):
        assert len(a) == len(b), where
        for x, y in zip(a, b):
            _same_tree(x, y, where)
    else:
        assert a == b or (a != a and b != b), where  # nan is nan


def test_front_matter_kept_parsed_is_the_front_matter_parsed_again(tmp_path):
    """The cache keeps each front matter parsed, by its text's digest (#13): what it gives back
    must be what YAML gives, lines and columns included, for the shipped content and odd values."""
    from karabakh_site.content.load import load_content

    odd = tmp_path / "odd"
    shutil.copytree(PROJECT / "content", odd)
    (odd / "pages" / "odd.md").write_text(
        "---\ntitle: Odd\nsummary: |\n  two\n  lines\nnumbers: [1, 2.5, .nan, -.inf, 12345678901234567890]\n"
        "nested:\n  - {a: 1, b: [x, {c: null}]}\n  - true\n1: an int key\n---\nBody.\n", encoding="utf-8")
    for root in (PROJECT / "content", odd):
        kept: dict = {}
        fresh, problems = load_content(root)
        load_content(root, kept)
        again, again_problems = load_content(root, kept)
        assert len(kept) == len(fresh.articles) + len(fresh.pages)
        assert [str(p) for p in again_problems.items] == [str(p) for p in problems.items]
        for one, other in zip(fresh.articles + fresh.pages, again.articles + again.pages):
            _same_tree(one.front_matter, other.front_matter, one.source_path)
    # A damaged entry is parsed again, never trusted.
    key = next(iter(kept))
    kept[key] = '{"at": "no"}'
    again, _ = load_content(odd, kept)
    assert [d.front_matter for d in again.articles] == [d.front_matter for d in fresh.articles]

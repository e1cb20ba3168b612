"""Numbering and cross-references over the AST (no DOCX written)."""

from pathlib import Path

import pytest

from wcodoc.errors import Problems
from wcodoc.numerals import letter, roman
from wcodoc.parse.reader import AstCache, parse_sources
from wcodoc.transform.numbering import check_sources, number_body, pandocast, resolve_references


def numbered(tmp_path: Path, *chapters: str):
    paths = []
    for i, text in enumerate(chapters, 1):
        path = tmp_path / f"{i:02d}.md"
        path.write_text(text, encoding="utf-8")
        paths.append(path)
    sources = parse_sources(paths, AstCache(None))
    problems = Problems()
    sources = check_sources(sources, tmp_path, problems)
    body = number_body(sources, tmp_path, problems)
    blocks = resolve_references(body.blocks, body.labels, sources, problems)
    return body, blocks, problems


def styles(blocks) -> list[tuple[str, str]]:
    out = []
    for b in blocks:
        if b["t"] == "Div":
            style = dict(b["c"][0][2]).get("custom-style", "")
            out.append((style, pandocast.stringify(b["c"][1])))
        elif b["t"] == "Header":
            out.append((f"Heading {b['c'][0]}", pandocast.stringify(b["c"][2])))
    return out


def test_numerals_letters():
    assert [roman(n) for n in (1, 4, 9, 12, 40, 2022)] == ["I", "IV", "IX", "XII", "XL", "MMXXII"]
    assert [letter(n) for n in (1, 6, 26, 27)] == ["a", "f", "z", "aa"]


def test_paragraphs_numbered_across_chapters(tmp_path):
    body, blocks, problems = numbered(
        tmp_path,
        "# One\n\nFirst.\n\nSecond.\n\n## Sub\n\nThird.\n",
        "# Two\n\nFourth, with items:\n\na. alpha\nb. beta\n\n::: unnumbered\nAside.\n:::\n\n- a bullet\n",
    )
    assert not problems
    assert (body.sections, body.paragraphs, body.sub_items) == (2, 4, 2)
    assert styles(blocks) == [
        ("Heading 1", "One"),
        ("Numbered Paragraph", "First."),
        ("Numbered Paragraph", "Second."),
        ("Heading 2", "Sub"),
        ("Numbered Paragraph", "Third."),
        ("Heading 1", "Two"),
        ("Numbered Paragraph", "Fourth, with items:"),
        ("Sub-item", "alpha"),
        ("Sub-item", "beta"),
        ("Body Text", "Aside."),
        ("Bullet", "a bullet"),
    ]


def test_labels_and_references_become_label_marks_and_cross_references(tmp_path):
    body, blocks, problems = numbered(
        tmp_path,
        "# Intro {#sec:intro}\n\nOne.\n\n[]{#par:goal}Two.\n\nItems:\n\na. x\nb. y []{#par:why}\n",
        "# Next\n\nSee paragraph @par:goal, item @par:why and Section @sec:intro.\n",
    )
    assert not problems
    assert {k: v.number for k, v in body.labels.items()} == {
        "sec:intro": "I",
        "par:goal": "2",
        "par:why": "3.b",
    }
    spans = [
        (n["c"][0][1], dict(n["c"][0][2]), pandocast.stringify(n))
        for n in _all(blocks)
        if n.get("t") == "Span"
    ]
    assert spans == [
        (["label"], {"key": "par:goal"}, ""),
        (["label"], {"key": "par:why"}, ""),
        *(
            (
                ["xref"],
                {"target": key, "anchor": anchor, "number": number, "paragraph-number": "true"},
                number,
            )
            for key, anchor, number in [
                ("par:goal", "p2", "2"),
                ("par:why", "p3b", "3.b"),
                ("sec:intro", "sec-I", "I"),
            ]
        ),
    ]
    headers = [b["c"][1] for b in blocks if b["t"] == "Header"]
    assert headers == [
        ["sec-I", [], [["number", "I"], ["label", "sec:intro"]]],
        ["sec-II", [], [["number", "II"]]],
    ]
    numbered_divs = [(b["c"][0][0], dict(b["c"][0][2]).get("number")) for b in blocks if b["t"] == "Div"]
    assert numbered_divs == [
        ("p1", "1"),
        ("p2", "2"),
        ("p3", "3"),
        ("p3a", "3.a"),
        ("p3b", "3.b"),
        ("p4", "4"),
    ]


def test_tables_are_marked_to_be_followed_by_space(tmp_path):
    _, blocks, _ = numbered(tmp_path, "# A\n\n| x |\n|---|\n| 1 |\n\nText.\n")
    assert [(b["t"], b["c"][0][1]) for b in blocks if b["t"] == "Table"] == [("Table", ["space-after"])]
    assert not [n for n in _all(blocks) if n.get("t") in ("RawBlock", "RawInline")]


def test_unknown_reference_names_file_and_line(tmp_path):
    _, _, problems = numbered(tmp_path, "# A\n\nText.\n\nSee @par:nowhere here.\n")
    assert [str(p) for p in problems] == [f"{tmp_path / '01.md'}:5: unknown reference '@par:nowhere' [xref]"]


def test_duplicate_label(tmp_path):
    _, _, problems = numbered(tmp_path, "# A\n\n[]{#par:x}One.\n", "# B\n\n[]{#par:x}Two.\n")
    assert len(problems) == 1
    assert "duplicate label 'par:x' (first defined at 01.md:3)" in problems[0].message
    assert problems[0].line == 3 and problems[0].path.name == "02.md"


def test_typed_numbers_are_not_kept_as_a_list(tmp_path):
    _, blocks, _ = numbered(tmp_path, "# A\n\n7. Typed.\n\n8. Typed too.\n")
    assert styles(blocks)[1:] == [("Numbered Paragraph", "Typed."), ("Numbered Paragraph", "Typed too.")]


@pytest.mark.parametrize(
    ("markdown", "message", "line"),
    [
        ("```{=openxml}\n<w:p/>\n```\n", "raw openxml is not allowed", 4),
        ("![x](missing.png)\n", "image 'missing.png' not found", 3),
        ("![x](../outside.png)\n", "image '../outside.png' is outside the project folder", 3),
        ("![x](https://example.org/a.png)\n", "only files inside the project", 3),
    ],
)
def test_refused_content(tmp_path, markdown, message, line):
    (tmp_path / "outside.png").write_bytes(b"x")
    project = tmp_path / "p"
    project.mkdir()
    path = project / "01.md"
    path.write_text("# A\n\n" + markdown, encoding="utf-8")
    sources = parse_sources([path], AstCache(None))
    problems = Problems()
    check_sources(sources, project, problems)
    assert len(problems.errors) == 1 and message in problems.errors[0].message
    assert problems.errors[0].line == line


def test_html_comment_is_dropped_silently(tmp_path):
    _, _, problems = numbered(tmp_path, "# A\n\n<!-- note to co-authors -->\n\nText.\n")
    assert not problems


def test_cache_is_used_and_corrupt_entries_ignored(tmp_path):
    src = tmp_path / "01.md"
    src.write_text("# A\n\nText.\n", encoding="utf-8")
    cache = AstCache(tmp_path / "cache")
    first = parse_sources([src], cache)
    assert (cache.hits, cache.misses) == (0, 1)
    second = parse_sources([src], cache)
    assert cache.hits == 1 and second[0].ast == first[0].ast
    for entry in (tmp_path / "cache").iterdir():
        entry.write_text("{not json", encoding="utf-8")
    third = parse_sources([src], cache)
    assert cache.misses == 2 and third[0].ast == first[0].ast
    src.write_text("# A\n\nChanged.\n", encoding="utf-8")
    fourth = parse_sources([src], cache)
    assert cache.misses == 3 and "Changed." in pandocast.stringify(fourth[0].blocks)


def _all(node):
    if isinstance(node, list):
        for n in node:
            yield from _all(n)
    elif isinstance(node, dict):
        yield node
        for v in node.values():
            yield from _all(v)


def test_each_use_of_a_label_is_reported_at_its_own_line(tmp_path):
    text = "# A\n\n[]{#par:x} One.\n\n- Two, []{#par:x} again.\n\n[]{#par:x} Three.\n"
    _, _, problems = numbered(tmp_path, text)
    assert [(p.line, p.message.split(" (")[0]) for p in problems] == [
        (5, "label 'par:x' on a bullet has no number to refer to"),
        (5, "duplicate label 'par:x'"),
        (7, "duplicate label 'par:x'"),
    ]


def test_batched_parse_matches_one_by_one(tmp_path):
    texts = [
        "# A\n\nOne.\n\na. x\nb. y\n",
        "Two with a note.[^1]\n\n[^1]: First note.\n",
        "Three.[^1]\n\n[^1]: Second note.\n",
        "```\nfence left open\n",
        "# B\n\nFour.\n",
    ]
    paths = []
    for i, text in enumerate(texts):
        path = tmp_path / f"{i}.md"
        path.write_text(text, encoding="utf-8")
        paths.append(path)
    batched = parse_sources(paths, AstCache(None))
    for path, source in zip(paths, batched, strict=True):
        alone = parse_sources([path], AstCache(None))[0]
        assert source.blocks == alone.blocks, path.name
    notes = [
        pandocast.stringify(n["c"])
        for n in _all(batched[1].blocks + batched[2].blocks)
        if n.get("t") == "Note"
    ]
    assert notes == ["First note.", "Second note."]


def test_cache_key_covers_pandoc_and_wcodoc_versions(tmp_path, monkeypatch):
    import wcodoc.parse.reader as parse

    cache = AstCache(tmp_path / "cache")
    key = cache.key("# A\n")
    monkeypatch.setattr(parse, "pandoc_version", lambda: "99.0")
    assert cache.key("# A\n") != key
    monkeypatch.setattr(parse, "__version__", "999")
    assert len({key, cache.key("# A\n")}) == 2


def test_nested_bullets_get_the_second_level(tmp_path):
    _, blocks, _ = numbered(
        tmp_path, "# A\n\nIntro.\n\n- outer\n    - inner\n        - deeper\n- outer again\n"
    )
    assert styles(blocks)[2:] == [
        ("Bullet", "outer"),
        ("Bullet 2", "inner"),
        ("Bullet 2", "deeper"),
        ("Bullet", "outer again"),
    ]

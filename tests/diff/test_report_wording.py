"""Report wording: where a move comes from, where a change in an unnumbered draft is,
Markdown emphasis around punctuation, and ``-o`` never overwriting a draft."""

from __future__ import annotations

import pytest
from markdown_it import MarkdownIt

from tests.support.synth import write_docx
from wcodoc.cli import main
from wcodoc.diff import compare_files
from wcodoc.diff.report import headline, render

INTRO = [
    ("heading", "Introduction"),
    *[("para", f"Introduction paragraph number {k} is here.") for k in range(3)],
]
UPDATES = [("heading", "Updates"), *[("para", f"Updates paragraph number {k} is here.") for k in range(3)]]


def _compare(tmp_path, old_items, new_items):
    old = write_docx(tmp_path / "old.docx", old_items)
    new = write_docx(tmp_path / "new.docx", new_items)
    return compare_files(old, new)


def test_a_move_names_the_section_it_comes_from(tmp_path):
    moved = ("para", "A paragraph that changes section.")
    comparison = _compare(tmp_path, [*INTRO, moved, *UPDATES], [*INTRO, *UPDATES, moved])
    assert [headline(c) for c in comparison.alignment.changes] == [
        "paragraph 7 (was 4): moved from section I"
    ]


def test_a_move_inside_its_section_says_nothing_more(tmp_path):
    first, second = INTRO[1], INTRO[2]
    comparison = _compare(tmp_path, INTRO, [INTRO[0], second, first, INTRO[3]])
    assert [headline(c) for c in comparison.alignment.changes] == ["paragraph 1 (was 2): moved"]


def test_markdown_emphasis_survives_punctuation(tmp_path):
    old = [("para", "Adopted on a considerable scale. Wider deployment remains possible. The end.")]
    new = [("para", "Adopted on a considerable scale, and more. The end.")]
    comparison = _compare(tmp_path, old, new)
    markdown = render("markdown", comparison.old, comparison.new, comparison.alignment)
    html = MarkdownIt("commonmark").enable("strikethrough").render(markdown)
    assert "~~" not in html and "**" not in html
    assert "<s>" in html or "<del>" in html
    assert "<strong>" in html


def test_output_naming_an_input_is_refused(tmp_path, capsys):
    old = write_docx(tmp_path / "old.docx", INTRO)
    new = write_docx(tmp_path / "new.docx", UPDATES)
    before = old.read_bytes()
    with pytest.raises(SystemExit) as exit_info:
        main(["diff", str(old), str(new), "-o", str(old)])
    assert exit_info.value.code == 2
    assert "-o names one of the drafts" in capsys.readouterr().err
    assert old.read_bytes() == before

"""Locations a reader can find: drafts without numbers are named by position and first words,
in every report format, with the same words as ``review collect``."""

from __future__ import annotations

import json

import pytest

from tests.diff.cli import run
from tests.support.synth import write_docx
from wcodoc.diff.location import Position, first_words, positioned, review_key
from wcodoc.ooxml import W_NS

WORDS = ["One", "Two", "Three", "Four", "Five", "Six", "Seven", "Eight", "Nine", "Ten", "Eleven",
         "Twelve", "Thirteen", "Fourteen", "Fifteen", "Sixteen", "Seventeen", "Eighteen",
         "Nineteen", "Twenty"]  # fmt: skip
PLAIN = [("body", f"{word} is a paragraph of a note written without numbers.") for word in WORDS]


@pytest.fixture
def unnumbered(tmp_path):
    """Twenty paragraphs without numbers or headings; the new draft edits the nineteenth."""
    new = list(PLAIN)
    new[18] = ("body", "Nineteen is a paragraph of a note written with care.")
    return write_docx(tmp_path / "old.docx", PLAIN), write_docx(tmp_path / "new.docx", new)


WHERE = "paragraph 19 of 20, 'Nineteen is a paragraph…'"


def test_text_report_names_position_and_first_words(unnumbered, capsys):
    code, out, _ = run(["diff", *map(str, unnumbered)], capsys)
    assert code == 0
    assert f"{WHERE}: modified" in out.splitlines()
    assert "at the start" not in out


def test_markdown_and_html_reports_name_the_position(unnumbered, capsys):
    markdown = run(["diff", *map(str, unnumbered), "--format", "markdown"], capsys)[1]
    assert "## paragraph 19 of 20, 'Nineteen is a paragraph…': modified" in markdown
    html = run(["diff", *map(str, unnumbered), "--format", "html"], capsys)[1]
    assert "paragraph 19 of 20, &#x27;Nineteen is a paragraph…&#x27;: modified" in html


def test_json_gives_the_location_of_both_sides(unnumbered, capsys):
    data = json.loads(run(["diff", *map(str, unnumbered), "--format", "json"], capsys)[1])
    [change] = data["changes"]
    assert change["old_number"] is None and change["new_number"] is None
    assert change["old_location"] == change["new_location"] == WHERE


def test_deleted_and_inserted_blocks_are_placed_in_their_draft(tmp_path, capsys):
    old = write_docx(tmp_path / "old.docx", PLAIN)
    new = write_docx(tmp_path / "new.docx", [*PLAIN[:4], *PLAIN[5:], ("body", "A closing word added.")])
    out = run(["diff", str(old), str(new)], capsys)[1]
    assert "paragraph 5 of 20, 'Five is a paragraph…' (old draft): deleted" in out
    assert "paragraph 20 of 20, 'A closing word added.': inserted" in out


def test_a_moved_paragraph_says_where_it_was(tmp_path, capsys):
    old = write_docx(tmp_path / "old.docx", PLAIN)
    new = write_docx(tmp_path / "new.docx", [PLAIN[2], *PLAIN[:2], *PLAIN[3:]])
    out = run(["diff", str(old), str(new)], capsys)[1]
    assert "paragraph 1 of 20, 'Three is a paragraph…' (was 3 of 20): moved" in out


def test_a_numbered_draft_keeps_its_numbers(tmp_path, capsys):
    old = write_docx(tmp_path / "old.docx", [("heading", "Intro"), ("para", "A first one."), ("bullet", "A")])
    new = write_docx(tmp_path / "new.docx", [("heading", "Intro"), ("para", "A first one."), ("bullet", "B")])
    out = run(["diff", str(old), str(new)], capsys)[1]
    assert "bullet after paragraph 1: deleted" in out or "bullet after paragraph 1: modified" in out


def test_unnumbered_headings_do_not_hide_the_position(tmp_path, capsys):
    old = [("Heading2", "Background"), *[("BodyText", text) for _, text in PLAIN[:3]]]
    new = [*old, ("BodyText", "An added sentence on the pilot.")]
    write_docx(tmp_path / "old.docx", [], document=_styled(old))
    write_docx(tmp_path / "new.docx", [], document=_styled(new))
    out = run(["diff", str(tmp_path / "old.docx"), str(tmp_path / "new.docx")], capsys)[1]
    assert "paragraph 4 of 4, 'An added sentence on…': inserted" in out


def _styled(paragraphs: list[tuple[str, str]]) -> str:
    """A ``document.xml`` of paragraphs in the given styles (a Member's own note)."""
    body = "".join(
        f'<w:p><w:pPr><w:pStyle w:val="{style}"/></w:pPr><w:r><w:t>{text}</w:t></w:r></w:p>'
        for style, text in paragraphs
    )
    return f'<w:document xmlns:w="{W_NS}"><w:body>{body}</w:body></w:document>'


def test_one_tracked_change_is_singular(tmp_path, capsys):
    old = write_docx(tmp_path / "old.docx", [("para", "Exactly the same words here.")])
    new = write_docx(tmp_path / "new.docx", [("para", "Exactly the **same** words here.")])
    code, _, err = run(["diff", str(old), str(new), "-o", str(tmp_path / "red.docx")], capsys)
    assert code == 0
    assert "(1 tracked change)" in err


def test_first_words_are_quoted_and_cut():
    assert first_words("Nineteen") == "'Nineteen'"
    assert first_words("Nineteen is the last but one.") == "'Nineteen is the last…'"
    assert positioned(Position("table", 2, 3), "A | B") == "table 2 of 3, 'A | B'"


@pytest.mark.parametrize(
    ("key", "words"),
    [
        ("7", "paragraph 7"),
        ("9.b", "sub-item 9.b"),
        ("III", "heading III"),
        ("uc 3", "use case 3"),
        ("cover:title", "cover (title)"),
        ("after 7", "new, after paragraph 7"),
        ("paragraph 19 of 20, 'Nineteen…'", "paragraph 19 of 20, 'Nineteen…'"),
    ],
)
def test_review_keys_read_as_the_diff_names_places(key, words):
    assert review_key(key) == words


def test_review_collect_keys_and_shows_places_as_the_diff_does(unnumbered, tmp_path, capsys):
    base, returned = unnumbered
    data = json.loads(run(["review", "collect", str(base), str(returned), "--format", "json"], capsys)[1])
    assert [e["paragraph"] for e in data["entries"]] == [WHERE]
    page = tmp_path / "round.html"
    run(["review", "collect", str(base), str(returned), "-o", str(page)], capsys)
    assert "paragraph 19 of 20, &#x27;Nineteen is a paragraph…&#x27;" in page.read_text()
    diff = run(["diff", str(base), str(returned)], capsys)[1]
    assert f"{WHERE}: modified" in diff

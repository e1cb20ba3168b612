"""Aligning two drafts: blocks pair by content, never by number, and each change is named once.

Most cases build :class:`Block` lists directly with :func:`para` (the element is not looked at
by the alignment); the last ones go through a synthetic DOCX so that the numbers are the ones
extraction computes.
"""

from __future__ import annotations

from itertools import pairwise

import pytest
from lxml import etree

from tests.support.synth import write_docx
from wcodoc.diff.align import MAX_GAP_PAIRS, SIMILARITY_THRESHOLD, align, similarity, tokens, word_diff
from wcodoc.diff.extract import Block, read_draft


def block(
    kind: str, text: str, number: str | None = None, *, field: str | None = None, compare: str = ""
) -> Block:
    return Block(kind, number, text, etree.Element("p"), field=field, compare=compare)


def para(text: str, number: str | None = None, *, compare: str = "") -> Block:
    return block("paragraph", text, number, compare=compare)


def numbered(*texts: str, first: int = 1) -> list[Block]:
    """Paragraphs numbered from ``first``, as Word would number them."""
    return [para(text, str(first + k)) for k, text in enumerate(texts)]


def changes(old: list[Block], new: list[Block]) -> list[tuple[str, str | None, str | None]]:
    """(kind, old text, new text) of each change; a side the change has not is ``None``."""
    out = []
    for change in align(old, new).changes:
        before, after = getattr(change, "old", None), getattr(change, "new", None)
        out.append((change.kind, before.text if before else None, after.text if after else None))
    return out


def steps(old: list[Block], new: list[Block]) -> list[tuple[str, int | None, int | None]]:
    """(op, old index, new index) of each redline step, in new-document order."""
    return [(s.op, getattr(s, "old", None), getattr(s, "new", None)) for s in align(old, new).steps]


A = "Customs administrations met to study the pilot project in some detail."
B = "Members agreed that the platform should exchange risk information with partners."
C = "Capacity building remains a priority for the secretariat this year."
D = "The committee recommends further guidance on revenue security and data."
E = "Border clearance times fell where the pilot was run, the study found."


# --- nothing, everything, the same ---------------------------------------------------------------


def test_two_empty_drafts_have_no_changes():
    result = align([], [])
    assert (result.steps, result.changes) == ([], [])


def test_everything_inserted_into_an_empty_draft():
    assert changes([], numbered(A, B)) == [("inserted", None, A), ("inserted", None, B)]
    assert steps([], numbered(A, B)) == [("inserted", None, 0), ("inserted", None, 1)]


def test_everything_deleted_from_a_draft():
    assert changes(numbered(A, B), []) == [("deleted", A, None), ("deleted", B, None)]
    assert steps(numbered(A, B), []) == [("deleted", 0, None), ("deleted", 1, None)]


def test_identical_drafts_are_equal_step_by_step():
    old, new = numbered(A, B, C), numbered(A, B, C)
    assert changes(old, new) == []
    assert steps(old, new) == [("equal", 0, 0), ("equal", 1, 1), ("equal", 2, 2)]


# --- content, not numbers ------------------------------------------------------------------------


def test_renumbering_alone_is_no_change():
    assert changes(numbered(A, B, C), numbered(A, B, C, first=7)) == []


def test_paragraph_inserted_at_the_top_shifts_numbers_but_only_it_is_reported():
    old = numbered(A, B, C, D)
    new = numbered(E, A, B, C, D)
    assert changes(old, new) == [("inserted", None, E)]
    assert steps(old, new) == [
        ("inserted", None, 0),
        ("equal", 0, 1),
        ("equal", 1, 2),
        ("equal", 2, 3),
        ("equal", 3, 4),
    ]


def test_deleted_paragraph_pairs_the_rest_by_content():
    old = numbered(A, B, C, D)
    new = numbered(A, C, D)  # C is now 2, D is now 3
    assert changes(old, new) == [("deleted", B, None)]
    assert [s for s in steps(old, new) if s[0] == "equal"] == [
        ("equal", 0, 0),
        ("equal", 2, 1),
        ("equal", 3, 2),
    ]


def test_renumbered_cross_reference_compares_equal():
    """``compare`` names the reference's target, so "see paragraph 7" → "see paragraph 8" is no edit."""
    old = [para("See paragraph 7 for details.", "3", compare="See \u27e8par-x\u27e9 for details.")]
    new = [para("See paragraph 8 for details.", "4", compare="See \u27e8par-x\u27e9 for details.")]
    assert changes(old, new) == []
    assert steps(old, new) == [("equal", 0, 0)]


def test_reference_to_another_target_is_an_edit():
    old = [
        para(
            "See paragraph 7 for the details here.",
            "3",
            compare="See \u27e8par-x\u27e9 for the details here.",
        )
    ]
    new = [
        para(
            "See paragraph 7 for the details here.",
            "3",
            compare="See \u27e8par-y\u27e9 for the details here.",
        )
    ]
    assert [kind for kind, _, _ in changes(old, new)] == ["modified"]


# --- similar blocks: modified, not deleted and inserted ------------------------------------------


def test_similar_paragraph_is_modified_with_its_word_diff():
    edited = A.replace("some detail", "much more detail")
    result = align(numbered(A, B), numbered(edited, B))
    [change] = result.changes
    assert (change.kind, change.old.text, change.new.text) == ("modified", A, edited)
    assert list(change.words) == [
        ("equal", "Customs administrations met to study the pilot project in "),
        ("delete", "some"),
        ("insert", "much more"),
        ("equal", " detail."),
    ]
    assert [(s.op, s.old, s.new) for s in result.steps] == [("modified", 0, 0), ("equal", 1, 1)]


def test_rewritten_paragraph_is_deleted_and_inserted():
    rewritten = "An entirely different sentence replaces the old one today."
    assert changes(numbered(A, B), numbered(rewritten, B)) == [
        ("deleted", A, None),
        ("inserted", None, rewritten),
    ]


def test_similarity_threshold_is_inclusive():
    assert SIMILARITY_THRESHOLD == 0.5
    half = (para("alpha beta gamma delta"), para("alpha beta omega sigma"))  # 2 of 4 words kept
    less = (para("alpha beta gamma delta"), para("alpha omega sigma tau"))  # 1 of 4 words kept
    assert similarity(*half) == 0.5
    assert similarity(*less) == 0.0  # below the threshold, not even computed
    assert [k for k, _, _ in changes([half[0]], [half[1]])] == ["modified"]
    assert [k for k, _, _ in changes([less[0]], [less[1]])] == ["deleted", "inserted"]


def test_blocks_of_different_kinds_never_pair():
    heading, paragraph = block("heading", "Introduction", "I"), para("Introduction", "1")
    assert similarity(heading, paragraph) == 0.0
    assert changes([heading], [paragraph]) == [
        ("deleted", "Introduction", None),
        ("inserted", None, "Introduction"),
    ]


def test_cover_fields_pair_by_field_whatever_their_text():
    old = [block("cover", "Brussels, 7 March 2022.", field="issued"), block("cover", "Future", field="title")]
    new = [block("cover", "Brussels, 14 April 2023.", field="issued"), block("cover", "Past", field="title")]
    assert similarity(old[0], new[0]) == 1.0
    assert similarity(old[0], new[1]) == 0.0
    assert changes(old, new) == [
        ("modified", "Brussels, 7 March 2022.", "Brussels, 14 April 2023."),
        ("modified", "Future", "Past"),
    ]


def test_edited_paragraphs_pair_in_order_between_unchanged_ones():
    b2, c2 = B.replace("risk", "customs risk"), C.replace("this year", "next year")
    old, new = numbered(A, B, C, D), numbered(A, b2, c2, D)
    assert changes(old, new) == [("modified", B, b2), ("modified", C, c2)]
    assert steps(old, new) == [("equal", 0, 0), ("modified", 1, 1), ("modified", 2, 2), ("equal", 3, 3)]


def test_insertion_next_to_an_edit_pairs_the_edit_with_its_original():
    c2 = C.replace("secretariat", "whole secretariat")
    old, new = numbered(A, C, D), numbered(A, E, c2, D)
    assert changes(old, new) == [("inserted", None, E), ("modified", C, c2)]


def test_repeated_identical_paragraphs_align_in_order():
    noted = "Noted."
    old = numbered(noted, A, noted)
    new = numbered(noted, A, noted, noted)
    assert changes(old, new) == [("inserted", None, noted)]
    assert [s for s in steps(old, new) if s[0] != "equal"] == [("inserted", None, 3)]


# --- moves ---------------------------------------------------------------------------------------


def test_moved_paragraph_is_one_move_and_its_neighbours_stay_equal():
    old, new = numbered(A, B, C, D, E), numbered(A, C, D, B, E)
    result = align(old, new)
    assert [(c.kind, c.old.text, c.new.text, list(c.words)) for c in result.changes] == [("moved", B, B, [])]
    assert [(s.op, getattr(s, "old", None), getattr(s, "new", None)) for s in result.steps] == [
        ("equal", 0, 0),
        ("moved_from", 1, None),
        ("equal", 2, 1),
        ("equal", 3, 2),
        ("moved_to", 1, 3),
        ("equal", 4, 4),
    ]


def test_moved_and_edited_paragraph_keeps_its_word_diff():
    b2 = B.replace("partners", "trusted partners")
    [change] = align(numbered(A, B, C, D), numbered(A, C, D, b2)).changes
    assert (change.kind, change.old.text, change.new.text) == ("moved", B, b2)
    assert [seg for seg in change.words if seg[0] != "equal"] == [("insert", "trusted ")]


def test_paragraph_moved_to_the_top_of_a_reversed_pair():
    assert [k for k, _, _ in changes(numbered(A, B), numbered(B, A))] == ["moved"]


def test_cover_block_is_not_moved_by_similarity():
    old = [block("cover", "Brussels, 7 March 2022.", field="issued"), *numbered(A, B)]
    new = [*numbered(A, B), block("cover", "Brussels, 8 March 2022.", field="issued")]
    assert [k for k, _, _ in changes(old, new)] == ["deleted", "inserted"]


def test_large_rewrite_is_paired_greedily_in_order():
    """A gap with more than ``MAX_GAP_PAIRS`` candidate pairs (paired greedily) still pairs in order."""
    old = [para(f"Paragraph {k} on customs data exchange between members and partners.") for k in range(210)]
    new = [
        para(f"Paragraph {k} on customs data exchange between members and other partners.")
        for k in range(210)
    ]
    assert len(old) * len(new) > MAX_GAP_PAIRS
    result = align(old, new)
    assert {c.kind for c in result.changes} == {"modified"}
    assert [(s.old, s.new) for s in result.steps] == [(k, k) for k in range(210)]


# --- word-level differences ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Customs administrations, members   and partners.",
        "  leading and trailing  ",
        "",
        "a\u00a0b (c) [d]—e",
    ],
)
def test_tokens_concatenate_back_to_the_text(text):
    assert "".join(tokens(text)) == text


def test_tokens_are_words_spaces_and_single_marks():
    assert tokens("risk-based, (2022)  data") == [
        "risk",
        "-",
        "based",
        ",",
        " ",
        "(",
        "2022",
        ")",
        "  ",
        "data",
    ]


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        (
            "The committee agreed.",
            "The committee firmly agreed.",
            [("equal", "The committee "), ("insert", "firmly "), ("equal", "agreed.")],
        ),
        (
            "The committee firmly agreed.",
            "The committee agreed.",
            [("equal", "The committee "), ("delete", "firmly "), ("equal", "agreed.")],
        ),
        (
            "Members agreed.",
            "Members agreed;",
            [("equal", "Members agreed"), ("delete", "."), ("insert", ";")],
        ),
        (
            "study the pilot now",
            "study the project now",
            [("equal", "study the "), ("delete", "pilot"), ("insert", "project"), ("equal", " now")],
        ),
        ("same text", "same text", [("equal", "same text")]),
        ("", "new text", [("insert", "new text")]),
        ("old text", "", [("delete", "old text")]),
    ],
)
def test_word_diff(old, new, expected):
    assert word_diff(old, new) == expected


def test_word_diff_rebuilds_both_texts():
    old, new = A, "Customs administrations met, in 2023, to study a pilot project in detail!"
    segments = word_diff(old, new)
    assert "".join(t for op, t in segments if op != "insert") == old
    assert "".join(t for op, t in segments if op != "delete") == new
    assert all(a[0] != b[0] for a, b in pairwise(segments))  # merged runs


# --- through a DOCX: the numbers extraction computes ---------------------------------------------


def test_drafts_pair_by_content_when_numbers_shift(tmp_path):
    old = read_draft(
        write_docx(tmp_path / "old.docx", [("heading", "Intro"), ("para", A), ("para", B), ("para", C)])
    )
    new_items = [("heading", "Intro"), ("para", E), ("para", A), ("para", B), ("para", C)]
    new = read_draft(write_docx(tmp_path / "new.docx", new_items))
    assert [b.number for b in old.blocks] == ["I", "1", "2", "3"]
    assert [b.number for b in new.blocks] == ["I", "1", "2", "3", "4"]
    result = align(old.blocks, new.blocks)
    assert [(c.kind, c.block.number, c.block.text) for c in result.changes] == [("inserted", "1", E)]
    pairs = [(old.blocks[s.old].number, new.blocks[s.new].number) for s in result.steps if s.op == "equal"]
    assert pairs == [("I", "I"), ("1", "2"), ("2", "3"), ("3", "4")]


def test_typed_numbers_are_not_part_of_the_content(tmp_path):
    old = read_draft(write_docx(tmp_path / "old.docx", [("typed", f"7. {A}"), ("typed", f"8. {B}")]))
    new = read_draft(write_docx(tmp_path / "new.docx", [("typed", f"8. {A}"), ("typed", f"9. {B}")]))
    assert [b.number for b in new.blocks] == ["8", "9"]
    assert align(old.blocks, new.blocks).changes == []

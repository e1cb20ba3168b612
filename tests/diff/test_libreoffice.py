"""LibreOffice itself accepts a redline into the new draft and rejects it into the old one.

``tests/support/lo_revisions.py`` runs under the system Python (which has ``uno``): it opens the
redline headless, dispatches ``.uno:AcceptAllTrackedChanges`` (then, on a fresh copy,
``.uno:RejectAllTrackedChanges``) and saves plain text, with list numbers (which the first
test leaves aside).
"""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from lxml import etree

from tests.diff.samples import delete_paragraph, eleven_edits, move_paragraph, sample_copy
from tests.diff.sections import section_ends, with_section_breaks
from tests.support.synth import write_docx
from tests.support.system_python import has_uno, run_script, text_lines
from wcodoc.build import build_project
from wcodoc.diff import compare_files, redline
from wcodoc.ooxml.revisions import accept_all, reject_all

pytestmark = [
    pytest.mark.libreoffice,
    pytest.mark.skipif(not has_uno(), reason="needs the system Python's uno bridge"),
]

OLD = [
    ("cover:reference", "PC0685Ea"),
    ("cover:issued", "Brussels, 7 March 2022."),
    ("heading", "Introduction"),
    ("para", "Customs administrations met to study the pilot in some **detail** here."),
    ("para", "The moved paragraph talks about topic two and its **border** data."),
    ("para", "Members agreed that the platform should exchange risk information."),
    ("para", "This paragraph will be deleted from the next draft entirely."),
    ("para", "Capacity building remains a priority for the secretariat."),
    ("para", "The committee recommends further guidance on revenue security."),
]
NEW = [
    ("cover:reference", "PC0685Ea"),
    ("cover:issued", "Brussels, 14 March 2022."),
    ("heading", "Introduction"),
    ("para", "Customs administrations met to study the pilot in much **more detail** here."),
    ("para", "Members agreed that the **platform** should exchange risk information."),
    ("para", "A freshly inserted paragraph explains the timeline."),
    ("para", "Capacity building remains a priority for the secretariat."),
    ("para", "The moved paragraph now talks mostly about subject two and its **border** data."),
    ("para", "The committee recommends further guidance on revenue security."),
]


def _plain(items) -> list[str]:
    return [text.replace("**", "") for _, text in items]


def test_libreoffice_accepts_into_new_and_rejects_into_old(tmp_path):
    comparison = compare_files(write_docx(tmp_path / "old.docx", OLD), write_docx(tmp_path / "new.docx", NEW))
    kinds = sorted(c.kind for c in comparison.alignment.changes)
    assert kinds == ["deleted", "formatted", "inserted", "modified", "modified", "moved"]
    red = tmp_path / "red.docx"
    redline(comparison, red)
    run_script("lo_revisions.py", str(red), str(tmp_path))
    assert text_lines(tmp_path / "accepted.txt") == _plain(NEW)
    assert text_lines(tmp_path / "rejected.txt") == _plain(OLD)


MOVE_OLD = [
    ("heading", "Introduction"),
    ("para", "Alpha paragraph stays here in place."),
    ("para", "Moved paragraph talks about the border data of members."),
    ("heading", "Chapter two"),
    ("para", "Beta paragraph stays too."),
    ("para", "Gamma paragraph is deleted entirely from the draft."),
    ("heading", "Chapter three"),
    ("para", "Delta paragraph closes."),
    ("para", "Epsilon paragraph ends the draft."),
]
MOVE_NEW = [
    ("heading", "Introduction"),
    ("para", "Alpha paragraph stays here in place."),
    ("heading", "Chapter two"),
    ("para", "Beta paragraph stays too."),
    ("heading", "Chapter three"),
    ("para", "Delta paragraph closes."),
    ("para", "Moved paragraph now talks about the border data of all members."),
    ("para", "Epsilon paragraph ends the draft."),
]


def _numbered(path: Path) -> list[str]:
    return [
        " ".join(line.split()) for line in path.read_text(encoding="utf-8-sig").splitlines() if line.strip()
    ]


def test_libreoffice_keeps_headings_and_list_numbers_around_moves_and_deletions(tmp_path):
    """A moved-and-edited (or deleted) paragraph before a heading must not turn the heading
    into a numbered paragraph when LibreOffice accepts or rejects: list numbers included."""
    comparison = compare_files(
        write_docx(tmp_path / "old.docx", MOVE_OLD), write_docx(tmp_path / "new.docx", MOVE_NEW)
    )
    red = tmp_path / "red.docx"
    redline(comparison, red)
    run_script("lo_revisions.py", str(red), str(tmp_path))
    assert _numbered(tmp_path / "accepted.txt") == [
        "I. Introduction",
        "1. Alpha paragraph stays here in place.",
        "II. Chapter two",
        "2. Beta paragraph stays too.",
        "III. Chapter three",
        "3. Delta paragraph closes.",
        "4. Moved paragraph now talks about the border data of all members.",
        "5. Epsilon paragraph ends the draft.",
    ]
    assert _numbered(tmp_path / "rejected.txt") == [
        "I. Introduction",
        "1. Alpha paragraph stays here in place.",
        "2. Moved paragraph talks about the border data of members.",
        "II. Chapter two",
        "3. Beta paragraph stays too.",
        "4. Gamma paragraph is deleted entirely from the draft.",
        "III. Chapter three",
        "5. Delta paragraph closes.",
        "6. Epsilon paragraph ends the draft.",
    ]


END = [
    ("heading", "Introduction"),
    ("para", "Alpha paragraph stays here in place."),
    ("para", "Moved paragraph talks about the border data of members."),
    ("para", "Beta paragraph stays too."),
    ("para", "Epsilon paragraph ends the chapter."),
]
NEXT_CHAPTER = [("heading", "Chapter two"), ("para", "Zeta paragraph closes the draft.")]
ADDED = ("para", "A freshly inserted paragraph explains the timeline.")
REPLACEMENT = ("para", "Completely unrelated words about tariffs instead.")
UNNUMBERED = ("body", "Closing remarks of the secretariat, not numbered.")
MOVED_TO_END = [END[0], END[1], *END[3:], END[2]]
# (old, new) drafts whose change is at the very end of the document; those ending in
# NEXT_CHAPTER have it at the end of a section (a section break before "Chapter two").
AT_THE_END = {
    "inserted last": (END, [*END, ADDED]),
    "moved to the end": (END, MOVED_TO_END),
    "last deleted": (END, END[:-1]),
    "last moved away": (MOVED_TO_END, END),
    "last replaced": (END, [*END[:-1], REPLACEMENT]),
    "unnumbered inserted last": (END, [*END, UNNUMBERED]),
    "unnumbered last deleted": ([*END, UNNUMBERED], END),
    "inserted at a section end": ([*END, *NEXT_CHAPTER], [*END, ADDED, *NEXT_CHAPTER]),
    "moved to a section end": ([*END, *NEXT_CHAPTER], [*MOVED_TO_END, *NEXT_CHAPTER]),
    "deleted at a section end": ([*END, *NEXT_CHAPTER], [*END[:-1], *NEXT_CHAPTER]),
}


def _listed(items) -> list[str]:
    """The draft as LibreOffice saves it as text: headings I., II., paragraphs 1., 2., …"""
    lines, headings, paragraphs = [], 0, 0
    for kind, text in items:
        if kind == "heading":
            headings += 1
            lines.append(f"{'I' * headings}. {text}")  # two chapters at most
        elif kind == "para":
            paragraphs += 1
            lines.append(f"{paragraphs}. {text}")
        elif kind == "table":  # a cell a line
            lines.extend(cell.strip() for row in text.split(" / ") for cell in row.split(" | "))
        else:
            lines.append(text)
    return lines


def _lines(path: Path) -> list[str]:
    """Every paragraph LibreOffice saved, an empty one included, with its list number."""
    return [" ".join(line.split()) for line in path.read_text(encoding="utf-8-sig").splitlines()]


@pytest.mark.parametrize("case", AT_THE_END)
def test_libreoffice_leaves_no_empty_paragraph_at_the_end(tmp_path, case):
    """The mark ending the document (or a section) cannot go: LibreOffice kept it, empty and
    numbered ("5."), when rejecting a paragraph inserted or moved there, or accepting the
    deletion of the last paragraph. The mark before it carries the change instead."""
    old_items, new_items = AT_THE_END[case]
    old, new = write_docx(tmp_path / "old.docx", old_items), write_docx(tmp_path / "new.docx", new_items)
    if NEXT_CHAPTER[0] in new_items:
        with_section_breaks(old)
        with_section_breaks(new)
    red = tmp_path / "red.docx"
    redline(compare_files(old, new), red)
    run_script("lo_revisions.py", str(red), str(tmp_path))
    assert _lines(tmp_path / "accepted.txt") == _listed(new_items)
    assert _lines(tmp_path / "rejected.txt") == _listed(old_items)
    if NEXT_CHAPTER[0] in new_items:  # the section break ends the same paragraph as in each draft
        root = etree.fromstring(zipfile.ZipFile(red).read("word/document.xml"))
        assert section_ends(accept_all(root)) == [_plain(new_items)[new_items.index(NEXT_CHAPTER[0]) - 1]]
        assert section_ends(reject_all(root)) == [_plain(old_items)[old_items.index(NEXT_CHAPTER[0]) - 1]]


MOVED = ("para", "Moved paragraph talks about the border data of members.")
MOVED_REWORDED = ("para", "Moved paragraph talks about the customs data of all members.")
MOVED_WIDENED = ("para", "Moved paragraph now talks about the border data of all members.")
GAMMA = ("para", "Gamma paragraph is deleted entirely from the draft.")
TABLE = ("table", "No. | Title / 1 | Shared ledger")
INTRO, ALPHA, BETA = ("heading", "Introduction"), END[1], END[3]
CHAPTER_TWO, ZETA = NEXT_CHAPTER
# (old, new) drafts where accepting or rejecting joins a paragraph to one of another style, or
# leaves no paragraph to join: a heading, a table, the start of the document.
JOINS = {
    "moved away with a word replaced, before a heading": (
        [INTRO, ALPHA, MOVED, CHAPTER_TWO, BETA, ZETA],
        [INTRO, ALPHA, CHAPTER_TWO, BETA, MOVED_REWORDED, ZETA],
    ),
    "moved away and edited, then deleted, before a heading": (
        [INTRO, ALPHA, MOVED, GAMMA, CHAPTER_TWO, BETA, ZETA],
        [INTRO, ALPHA, CHAPTER_TWO, BETA, MOVED_REWORDED, ZETA],
    ),
    "moved there with words added, before a heading": (
        [INTRO, ALPHA, MOVED, BETA, CHAPTER_TWO, ZETA],
        [INTRO, ALPHA, BETA, MOVED_WIDENED, CHAPTER_TWO, ZETA],
    ),
    "moved away and edited, after a table": (
        [INTRO, ALPHA, TABLE, MOVED, CHAPTER_TWO, BETA, ZETA],
        [INTRO, ALPHA, TABLE, CHAPTER_TWO, BETA, MOVED_REWORDED, ZETA],
    ),
    "moved away and edited, first of the document": (
        [MOVED, INTRO, ALPHA, CHAPTER_TWO, BETA, ZETA],
        [INTRO, ALPHA, CHAPTER_TWO, BETA, MOVED_REWORDED, ZETA],
    ),
    "moved away, before a table": (
        [INTRO, ALPHA, MOVED, TABLE, CHAPTER_TWO, ZETA],
        [INTRO, ALPHA, TABLE, MOVED_WIDENED, CHAPTER_TWO, ZETA],
    ),
    "inserted before a table": ([INTRO, ALPHA, TABLE, ZETA], [INTRO, ALPHA, ADDED, TABLE, ZETA]),
    "deleted before a table": ([INTRO, ALPHA, GAMMA, TABLE, ZETA], [INTRO, ALPHA, TABLE, ZETA]),
}


@pytest.mark.parametrize("case", JOINS)
def test_libreoffice_keeps_every_paragraphs_style_where_changes_join_paragraphs(tmp_path, case):
    """LibreOffice gives paragraphs it joins the first one's properties when the change starts
    inside it (a moved paragraph with a word deleted in it): the heading after it became
    "2. Chapter two". And it keeps a paragraph before a table, empty and numbered, when
    its mark goes. List numbers included, both ways."""
    old_items, new_items = JOINS[case]
    old, new = write_docx(tmp_path / "old.docx", old_items), write_docx(tmp_path / "new.docx", new_items)
    red = tmp_path / "red.docx"
    redline(compare_files(old, new), red)
    run_script("lo_revisions.py", str(red), str(tmp_path))
    assert [line for line in _lines(tmp_path / "accepted.txt") if line] == _listed(new_items)
    assert [line for line in _lines(tmp_path / "rejected.txt") if line] == _listed(old_items)


# --- the repository's sample, edited as the Secretariat edits it ------------------------------


def _moved_reworded_then_deleted(project: Path) -> None:
    """ "Preparing the revision jointly…" moved to the last chapter and reworded, "Moreover, …"
    deleted: both right before heading III, "Updates provided"."""
    move_paragraph(
        project, "Preparing the revision jointly", "04-way-forward.md", "Delegates are invited",
        edit=("larger effort", "wider effort"),
    )  # fmt: skip
    delete_paragraph(project, "02-objective.md", "Moreover, the WCO")


def _labelled_paragraph_moved(project: Path) -> None:
    """Paragraph 6, which paragraph 12 cites (``@par:objective``), moved to the last chapter."""
    move_paragraph(project, "[]{#par:objective}", "04-way-forward.md", "Delegates are invited")


SAMPLE_EDITS = {
    "moved and reworded, then a deleted paragraph, before a heading": _moved_reworded_then_deleted,
    "a paragraph cross-references cite moved to another section": _labelled_paragraph_moved,
    "eleven typical edits": eleven_edits,
}


@pytest.fixture(scope="module")
def sample_old(tmp_path_factory):
    """The sample built, and what LibreOffice reads in it (text, then paragraph styles)."""
    folder = tmp_path_factory.mktemp("sample-old")
    docx = build_project(sample_copy(folder / "project"), folder / "build", ("docx",)).outputs["docx"]
    run_script("lo_revisions.py", str(docx), str(folder))
    return docx, _read_back(folder, "accepted")


def _read_back(folder: Path, side: str) -> tuple[str, str]:
    return tuple(  # type: ignore[return-value]
        (folder / name).read_text(encoding="utf-8-sig") for name in (f"{side}.txt", f"{side}-styles.txt")
    )


@pytest.mark.parametrize("case", SAMPLE_EDITS)
def test_libreoffice_accepts_and_rejects_the_samples_redline_into_each_draft(tmp_path, sample_old, case):
    """Every line LibreOffice shows, list numbers, cross-reference values and paragraph styles
    included, is the new draft's after *Accept All* and the old draft's after *Reject All*."""
    old_docx, old_read = sample_old
    new = sample_copy(tmp_path / "new")
    SAMPLE_EDITS[case](new)
    new_docx = build_project(new, new / "build", ("docx",)).outputs["docx"]
    (tmp_path / "new-read").mkdir()
    run_script("lo_revisions.py", str(new_docx), str(tmp_path / "new-read"))
    red = tmp_path / "red.docx"
    redline(compare_files(old_docx, new_docx), red)
    run_script("lo_revisions.py", str(red), str(tmp_path))
    assert _read_back(tmp_path, "accepted") == _read_back(tmp_path / "new-read", "accepted")
    assert _read_back(tmp_path, "rejected") == old_read

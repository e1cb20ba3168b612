"""LibreOffice itself accepts a redline into the new draft and rejects it into the old one.

``tests/support/lo_revisions.py`` runs under the system Python (which has ``uno``): it opens the
redline headless, dispatches ``.uno:AcceptAllTrackedChanges`` (then, on a fresh copy,
``.uno:RejectAllTrackedChanges``) and saves plain text. List numbers are left aside.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.support.synth import write_docx
from tests.support.system_python import has_uno, run_script, text_lines
from wcodoc.diff import compare_files, redline

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

"""Each changed block and where a translator finds it (``session/changes.py``)."""

from __future__ import annotations

from wcodoc.build import build_project
from wcodoc.diff import compare_files
from wcodoc.session.changes import changed_blocks, changed_paragraphs

BEFORE = """\
# Context

Customs administrations face growing volumes of small parcels.

Risk management must adapt to them.

# Pilots

Korea tested a blockchain platform for export clearance.

Brazil tested electronic seals on transit trucks.
"""


def compared(make_project, after: str, tmp_path):
    old = build_project(make_project({"chapters/01.md": BEFORE}, name="old"), tmp_path / "a", ("docx",))
    new = build_project(make_project({"chapters/01.md": after}, name="new"), tmp_path / "b", ("docx",))
    return compare_files(old.outputs["docx"], new.outputs["docx"])


def test_a_paragraph_deleted_after_a_heading_is_named_by_the_paragraph_before(make_project, tmp_path):
    comparison = compared(
        make_project,
        BEFORE.replace("Korea tested a blockchain platform for export clearance.\n\n", ""),
        tmp_path,
    )
    assert changed_paragraphs(comparison) == ["2"]
    assert [b.as_json() for b in changed_blocks(comparison)] == [
        {
            "kind": "deleted",
            "block": "paragraph",
            "number": "3",
            "location": "paragraph 3 (old numbering), after heading II",
        }
    ]


def test_a_paragraph_rewritten_is_named_once_by_its_new_text(make_project, tmp_path):
    rewritten = BEFORE.replace(
        "Risk management must adapt to them.", "Targeting needs data that arrives before goods do."
    )
    comparison = compared(make_project, rewritten, tmp_path)
    assert changed_paragraphs(comparison) == ["2"]
    assert [(b.kind, b.location) for b in changed_blocks(comparison)] == [
        ("deleted", "paragraph 2 (old numbering), after paragraph 1"),
        ("inserted", "paragraph 2"),
    ]

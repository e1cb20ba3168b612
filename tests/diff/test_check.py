"""The self-check refuses a redline that Word and LibreOffice would accept or reject into
something else than the drafts: paragraphs of different styles joined, headings restyled,
cross-reference targets lost. Each case is a wrong redline the check must have caught."""

from __future__ import annotations

import importlib

import pytest

from tests.diff.test_libreoffice import JOINS
from tests.support.synth import write_docx
from wcodoc.diff import compare_files, redline
from wcodoc.diff.redline import build_redline
from wcodoc.diff.redline.sections import conflicting_joins
from wcodoc.errors import WcodocError

REDLINE = importlib.import_module("wcodoc.diff.redline")  # the package, not diff's redline()


def _comparison(tmp_path, case):
    old_items, new_items = JOINS[case]
    return compare_files(
        write_docx(tmp_path / "old.docx", old_items), write_docx(tmp_path / "new.docx", new_items)
    )


def _build(comparison):
    return build_redline(comparison.old, comparison.new, comparison.alignment, author="A")


@pytest.mark.parametrize("case", JOINS)
def test_no_join_of_paragraphs_of_different_styles_is_left(tmp_path, case):
    result = _build(_comparison(tmp_path, case))
    assert conflicting_joins(result.root, first_id=1) == []


def test_check_refuses_a_join_of_paragraphs_of_different_styles(tmp_path, monkeypatch):
    """Without the rule that settles them, the moved paragraph (a word replaced in it) would be
    joined to the heading after it when accepting: the check says so and nothing is written."""
    monkeypatch.setattr(REDLINE, "settle_joins", lambda root, stamp: [])
    comparison = _comparison(tmp_path, "moved away with a word replaced, before a heading")
    with pytest.raises(WcodocError, match="accepting all changes of the redline joins 'Moved paragraph"):
        redline(comparison, tmp_path / "red.docx")
    assert not (tmp_path / "red.docx").exists()

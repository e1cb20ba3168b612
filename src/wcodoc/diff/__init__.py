"""Compare drafts: extract → align → report / redline.

``compare_files(old, new)`` reads two DOCX files and aligns them; ``redline(...)`` writes the
new draft with tracked changes (checked both ways before it is written).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from wcodoc.diff.align import Alignment, align
from wcodoc.diff.extract import Draft, read_draft
from wcodoc.diff.redline import build_redline, write_redline

DEFAULT_AUTHOR = "wcodoc"


@dataclass
class Comparison:
    """Two drafts and how their blocks line up."""

    old: Draft
    new: Draft
    alignment: Alignment

    @property
    def changed(self) -> bool:
        """Whether there is any difference to report."""
        return bool(self.alignment.changes)


def compare_files(old: Path | str, new: Path | str) -> Comparison:
    """Read and align two DOCX drafts."""
    old_draft, new_draft = read_draft(old), read_draft(new)
    return Comparison(old_draft, new_draft, align(old_draft.blocks, new_draft.blocks))


def redline(comparison: Comparison, out: Path | str, *, author: str = DEFAULT_AUTHOR) -> int:
    """Write the redline DOCX to ``out``; return how many revision marks it holds."""
    result = build_redline(comparison.old, comparison.new, comparison.alignment, author=author)
    write_redline(comparison.new, result, Path(out))
    return result.marks

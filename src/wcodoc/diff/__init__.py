"""Compare drafts: extract → align → report / redline.

``compare_files(old, new)`` reads two DOCX files and aligns them; ``redline(...)`` writes the
new draft with tracked changes (checked both ways before it is written).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from wcodoc.diff.align import (
    Alignment,
    Change,
    Formatted,
    Pair,
    align,
    embedded_changes,
    fold_derived,
    fold_units,
    note_changes,
    step_changes,
    unmarkable,
)
from wcodoc.diff.extract import Draft, ReadMemo, read_draft
from wcodoc.diff.formatting import changed_words
from wcodoc.diff.printable import print_redline, write_printable
from wcodoc.diff.redline import build_redline, write_redline
from wcodoc.diff.report import added_comments, unmarkable_line
from wcodoc.diff.sources import DEFAULT_AUTHOR
from wcodoc.errors import WcodocError


@dataclass
class Comparison:
    """Two drafts and how their blocks line up."""

    old: Draft
    new: Draft
    alignment: Alignment
    ignore_formatting: bool = False

    @property
    def changed(self) -> bool:
        """Whether there is any difference to report (a change, or a comment added)."""
        return bool(self.alignment.changes) or bool(added_comments(self.old, self.new))


def compare_files(old: Path | str, new: Path | str, *, ignore_formatting: bool = False) -> Comparison:
    """Read and align two DOCX drafts.

    Unless ``ignore_formatting``, blocks whose text is the same but whose formatting changed
    (a word made bold, …) are reported too, as ``formatted`` changes. Changes of the
    footnotes and endnotes of paired blocks follow the change of their block.
    """
    memo = ReadMemo()
    old_draft, new_draft = read_draft(old, memo=memo), read_draft(new, memo=memo)
    alignment = align(old_draft.blocks, new_draft.blocks)
    alignment.changes = _completed(alignment, formatting=not ignore_formatting)
    return Comparison(old_draft, new_draft, alignment, ignore_formatting)


def _completed(alignment: Alignment, *, formatting: bool) -> list[Change]:
    """Every change of the alignment in document order: the blocks' own, formatting-only
    ones, and those of the notes and embedded content of paired blocks."""
    out: list[Change] = []
    for step in alignment.steps:
        out.extend(step_changes(alignment.old, alignment.new, step))
        if not isinstance(step, Pair):
            continue
        old, new = alignment.old[step.old], alignment.new[step.new]
        if formatting and step.op != "moved_to" and old.compare == new.compare and not old.same_xml(new):
            pieces = changed_words(old.element, new.element)
            if pieces:
                out.append(Formatted(old, new, tuple(pieces)))
        out.extend(note_changes(old, new))
        out.extend(embedded_changes(old, new))
    return fold_derived(fold_units(out))


def redline(
    comparison: Comparison,
    out: Path | str,
    *,
    author: str = DEFAULT_AUTHOR,
    pdf: Path | str | None = None,
    office: Path | None = None,
    printable: Path | str | None = None,
) -> int:
    """Write the redline DOCX to ``out``; return how many revision marks it holds.

    With ``pdf``, also write its PDF there (:func:`wcodoc.diff.printable.print_redline`;
    ``office``: a LibreOffice started early); with ``printable``, the DOCX that PDF is made
    from (numbers and cross-references as fixed text), without converting it. A change the redline
    cannot show (:func:`wcodoc.diff.align.unmarkable`) is refused, nothing written.
    """
    if cannot := unmarkable(comparison.alignment.changes):
        raise WcodocError(f"{unmarkable_line(cannot)}; no redline written", comparison.new.path)
    result = build_redline(
        comparison.old,
        comparison.new,
        comparison.alignment,
        author=author,
        ignore_formatting=comparison.ignore_formatting,
    )
    write_redline(comparison.new, result, Path(out))
    if pdf is not None:
        print_redline(comparison.old.symbol, comparison.new, result, Path(pdf), office=office)
    elif printable is not None:
        write_printable(comparison.old.symbol, comparison.new, result, Path(printable))
    return result.marks

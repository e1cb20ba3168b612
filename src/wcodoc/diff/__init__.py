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
    OldOnly,
    Pair,
    align,
    fold_derived,
    fold_units,
    note_changes,
)
from wcodoc.diff.extract import Draft, read_draft
from wcodoc.diff.formatting import changed_words
from wcodoc.diff.printable import print_redline, write_printable
from wcodoc.diff.redline import build_redline, write_redline
from wcodoc.diff.report import added_comments
from wcodoc.diff.sources import DEFAULT_AUTHOR


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
    old_draft, new_draft = read_draft(old), read_draft(new)
    alignment = align(old_draft.blocks, new_draft.blocks)
    alignment.changes = _completed(alignment, formatting=not ignore_formatting)
    return Comparison(old_draft, new_draft, alignment, ignore_formatting)


def _completed(alignment: Alignment, *, formatting: bool) -> list[Change]:
    """The alignment's changes with formatting-only and note changes added in document order."""
    textual = iter(alignment.changes)
    out: list[Change] = []
    for step in alignment.steps:
        match step:
            case Pair(op="equal"):
                old, new = alignment.old[step.old], alignment.new[step.new]
                pieces = changed_words(old.element, new.element) if formatting else []
                if pieces:
                    out.append(Formatted(old, new, tuple(pieces)))
            case OldOnly(op="moved_from"):
                pass  # its change is the Moved of the moved_to step
            case _:  # every other step made exactly one change
                out.append(next(textual))
        if isinstance(step, Pair):
            out.extend(note_changes(alignment.old[step.old], alignment.new[step.new]))
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
    from (numbers and cross-references as fixed text), without converting it.
    """
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

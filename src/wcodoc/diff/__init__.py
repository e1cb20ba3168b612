"""Compare drafts: extract → align → report / redline.

``compare_files(old, new)`` reads two DOCX files and aligns them; ``redline(...)`` writes the
new draft with tracked changes (checked both ways before it is written).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from wcodoc.diff.align import Alignment, Change, Formatted, OldOnly, Pair, align
from wcodoc.diff.extract import Draft, read_draft
from wcodoc.diff.formatting import changed_words
from wcodoc.diff.redline import build_redline, write_redline

DEFAULT_AUTHOR = "wcodoc"


@dataclass
class Comparison:
    """Two drafts and how their blocks line up."""

    old: Draft
    new: Draft
    alignment: Alignment
    ignore_formatting: bool = False

    @property
    def changed(self) -> bool:
        """Whether there is any difference to report."""
        return bool(self.alignment.changes)


def compare_files(old: Path | str, new: Path | str, *, ignore_formatting: bool = False) -> Comparison:
    """Read and align two DOCX drafts.

    Unless ``ignore_formatting``, blocks whose text is the same but whose formatting changed
    (a word made bold, …) are reported too, as ``formatted`` changes.
    """
    old_draft, new_draft = read_draft(old), read_draft(new)
    alignment = align(old_draft.blocks, new_draft.blocks)
    if not ignore_formatting:
        alignment.changes = _with_formatting(alignment)
    return Comparison(old_draft, new_draft, alignment, ignore_formatting)


def _with_formatting(alignment: Alignment) -> list[Change]:
    """The alignment's changes with the formatting-only ones added in document order."""
    textual = iter(alignment.changes)
    out: list[Change] = []
    for step in alignment.steps:
        match step:
            case Pair(op="equal"):
                old, new = alignment.old[step.old], alignment.new[step.new]
                pieces = changed_words(old.element, new.element)
                if pieces:
                    out.append(Formatted(old, new, tuple(pieces)))
            case OldOnly(op="moved_from"):
                pass  # its change is the Moved of the moved_to step
            case _:  # every other step made exactly one change
                out.append(next(textual))
    return out


def redline(comparison: Comparison, out: Path | str, *, author: str = DEFAULT_AUTHOR) -> int:
    """Write the redline DOCX to ``out``; return how many revision marks it holds."""
    result = build_redline(
        comparison.old,
        comparison.new,
        comparison.alignment,
        author=author,
        ignore_formatting=comparison.ignore_formatting,
    )
    write_redline(comparison.new, result, Path(out))
    return result.marks
